// `npm start`: build the H5 app if it is missing or stale, then run the local runtime.
import { spawn } from 'node:child_process'
import { ensureH5Build, root } from './h5.mjs'

ensureH5Build('构建 H5 应用（首次约需 1 分钟）…')
const child = spawn('npx', ['tsx', 'runtime/main.ts', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' })
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
child.on('exit', (code) => process.exit(code ?? 0))
