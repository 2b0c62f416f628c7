import { existsSync } from 'node:fs'
import path from 'node:path'

/**
 * miniprogram-automator drives the weapp build inside WeChat DevTools, which
 * exists only on macOS and Windows. Set WECHAT_DEVTOOLS_CLI to the DevTools
 * CLI path (e.g. /Applications/wechatwebdevtools.app/Contents/MacOS/cli) after
 * `npm run build:weapp` to run it; otherwise the suite is skipped and says so.
 */
const cli = process.env.WECHAT_DEVTOOLS_CLI
const reason = !cli
  ? 'WECHAT_DEVTOOLS_CLI is not set (WeChat DevTools runs only on macOS/Windows)'
  : !existsSync(cli)
    ? `WECHAT_DEVTOOLS_CLI points to a missing file: ${cli}`
    : null
const suite = reason ? describe.skip : describe

if (reason) console.warn(`[weapp] miniprogram-automator suite skipped: ${reason}`)

// Skipped when no WeChat DevTools CLI is configured — the reason is printed above.
suite(`weapp scan landing (miniprogram-automator)${reason ? ` — skipped: ${reason}` : ''}`, () => {
  let miniProgram: any
  beforeAll(async () => {
    const automator = require('miniprogram-automator')
    miniProgram = await automator.launch({ cliPath: cli, projectPath: path.resolve(__dirname, '..', '..') })
  }, 120_000)
  afterAll(async () => miniProgram?.close())

  test('opening the scan landing with a grid scene shows the grid', async () => {
    const page = await miniProgram.reLaunch(`/pages/scan/index?scene=${encodeURIComponent('XF010101')}`)
    await page.waitFor(3000)
    const name = await page.$('#grid-name')
    expect(name).not.toBeNull()
    expect(await name.text()).toContain('东关村第一网格')
  }, 60_000)
})
