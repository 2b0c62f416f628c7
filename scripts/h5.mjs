// Shared by `npm start` and `npm test`: build the H5 app when it is missing or older than its inputs.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const INPUTS = ['src', 'config', 'babel.config.js', 'package.json']

const newest = (p) => {
  if (!existsSync(p)) return 0
  const st = statSync(p)
  if (!st.isDirectory()) return st.mtimeMs
  return readdirSync(p).reduce((t, name) => Math.max(t, newest(path.join(p, name))), 0)
}

export function ensureH5Build(note = 'building H5…') {
  const index = path.join(root, 'dist', 'h5', 'index.html')
  const built = existsSync(index) ? statSync(index).mtimeMs : 0
  if (built && built >= Math.max(...INPUTS.map((i) => newest(path.join(root, i))))) return
  console.log(note)
  const r = spawnSync('npx', ['taro', 'build', '--type', 'h5', '--no-check'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
  if (r.status !== 0) process.exit(r.status ?? 1)
}
