import path from 'node:path'
import { parseArgs } from 'node:util'
import { startRuntime } from './server'
import { DEMO_ACCOUNTS } from './seed/demo'
import { seedOnce, type Scale } from './seed'

/**
 * `npm start` → the local runtime: emulator + functions + dev sign-in + H5,
 * seeded with the demo county on first start. Configuration (flags win over env):
 *   --port / XF_PORT (default 8787) · --data-dir / XF_DATA_DIR (default ./.data)
 *   --scale / XF_SEED_SCALE demo|county (seed used when the data dir is empty)
 */
async function main() {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, 'data-dir': { type: 'string' }, scale: { type: 'string' } },
  })
  const port = Number(values.port ?? process.env.XF_PORT ?? 8787)
  const dataDir = path.resolve(values['data-dir'] ?? process.env.XF_DATA_DIR ?? path.join(__dirname, '..', '.data'))
  const scale = (values.scale ?? process.env.XF_SEED_SCALE ?? 'demo') as Scale
  await seedOnce(dataDir, scale)
  const rt = await startRuntime({ dataDir, port, accounts: DEMO_ACCOUNTS })
  const sampleGrid = scale === 'county' ? 'XY010101' : 'XF010101'
  console.log(`
幸福+码 本地运行环境已启动
  应用（H5）:     ${rt.url}/
  扫码落地页示例: ${rt.url}/#/pages/scan/index?code=${sampleGrid}
  开发登录:       ${rt.url}/#/pages/dev/index
  网格管理:       ${rt.url}/#/admin/tree/index   （县、乡镇管理员）
  志愿者核验:     ${rt.url}/#/join/verify/index
  数据目录:       ${dataDir}
演示账号（在开发登录页点选）:
${DEMO_ACCOUNTS.map((a) => `  - ${a.label}`).join('\n')}
按 Ctrl+C 停止。`)
  // the cloud runs the sweep on a timer (function `clock`); here, every minute
  const SWEEP_MS = 60_000
  const timer = setInterval(() => {
    rt.invoke('clock', {}, null).catch((e) => console.error('[clock]', e))
  }, SWEEP_MS)
  const stop = async () => {
    clearInterval(timer)
    await rt.close()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
