// `npm start`: build the H5 app if it is missing or older than the sources, then run the local runtime.
import { spawnSync, spawn } from 'node:child_process'
import { existsSync, statSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const newest = (dir) => {
  let t = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }
  return t
}
const index = path.join(root, 'dist', 'h5', 'index.html')
if (!existsSync(index) || statSync(index).mtimeMs < newest(path.join(root, 'src'))) {
  console.log('构建 H5 应用（首次约需 1 分钟）…')
  const r = spawnSync('npx', ['taro', 'build', '--type', 'h5', '--no-check'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
  if (r.status !== 0) process.exit(r.status ?? 1)
}
const child = spawn('npx', ['tsx', 'runtime/main.ts', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' })
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
child.on('exit', (code) => process.exit(code ?? 0))
