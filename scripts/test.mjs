// `npm test`: every layer — domain unit tests, function integration tests through the
// local runtime with the real SDK, end-to-end in Chromium against the H5 build, and the
// mini-program automator suite (skipped, saying why, without WeChat DevTools).
import { spawnSync } from 'node:child_process'
import { existsSync, statSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env }).status ?? 1
const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((t, e) => {
    const p = path.join(dir, e.name)
    return Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }, 0)

// The end-to-end suite drives the H5 build: make sure it is there and current.
const index = path.join(root, 'dist', 'h5', 'index.html')
if (!existsSync(index) || statSync(index).mtimeMs < newest(path.join(root, 'src'))) {
  console.log('building H5 for the end-to-end suite…')
  const status = run('npx', ['taro', 'build', '--type', 'h5', '--no-check'])
  if (status !== 0) process.exit(status)
}
process.exit(run('npx', ['jest', '--ci', ...process.argv.slice(2)]))
