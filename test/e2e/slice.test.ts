import { existsSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { startTestRuntime, type TestRuntime } from '../helpers/runtime'

/**
 * The first slice as people would click it, in Debian's Chromium against the
 * H5 build served by the local runtime: scan landing → order → my orders →
 * the village station's incoming list; plus unknown/malformed codes.
 * Screenshots are kept in test-artifacts/e2e.
 */
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
const H5 = path.resolve(__dirname, '..', '..', 'dist', 'h5')
const SHOTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'e2e')
const missing = !existsSync(CHROMIUM) ? `Chromium not found at ${CHROMIUM} (apt-get install chromium)` : !existsSync(path.join(H5, 'index.html')) ? 'H5 build missing (npm run build:h5)' : null

if (missing && process.env.CI === 'true') {
  // In CI the end-to-end suite is mandatory: a missing browser or build is a failure.
  test('end-to-end prerequisites', () => {
    throw new Error(missing)
  })
} else if (missing) {
  console.warn(`[e2e] skipped: ${missing}`)
}

// Skipped only outside CI when Chromium or the H5 build is missing — the reason is printed above.
const suite = missing ? describe.skip : describe

suite('slice: scan → order → my orders → station incoming (H5 in Chromium)', () => {
  let rt: TestRuntime
  let browser: Browser
  let page: Page
  let step = 0
  const shot = async (name: string) => {
    mkdirSync(SHOTS, { recursive: true })
    await page.waitForTimeout(400) // let the H5 router's page transition finish
    await page.screenshot({ path: path.join(SHOTS, `${String(++step).padStart(2, '0')}-${name}.png`), fullPage: true })
  }
  const signIn = async (name: string) => {
    await page.goto(`${rt.url}/#/pages/dev/index`)
    await page.locator('#dev-users').getByText(name).first().click()
    await page.waitForFunction(() => !location.hash.includes('pages/dev/index'))
  }
  const countOrders = async () => (await rt.db.collection('orders').count()).total

  beforeAll(async () => {
    rt = await startTestRuntime({ h5Dir: H5 })
    const { chromium } = await import('playwright-core')
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
    const context = await browser.newContext({ viewport: { width: 375, height: 760 }, deviceScaleFactor: 2, locale: 'zh-CN' })
    page = await context.newPage()
    page.setDefaultTimeout(15_000)
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await rt?.close()
  })

  test('a villager orders from the scan landing and the village station sees it', async () => {
    await signIn('张大爷')
    await page.goto(`${rt.url}/#/pages/scan/index?code=XF010101`)
    await expect(page.locator('#grid-name')).toHaveText('东关村第一网格')
    expect(await page.getByText('东关镇 · 东关村').count()).toBeGreaterThan(0)
    await page.locator('#service-list').getByText('水电维修', { exact: true }).click()
    await shot('scan-landing')

    await expect(page.locator('#selected-service')).toContainText('水电维修')
    await page.locator('textarea[placeholder^="请说说是什么事"]').fill('厨房的灯不亮了，在村东头第三户')
    await page.locator('input[placeholder="手机号或座机号"]').fill('13800001111')
    await page.locator('input[placeholder="如：王大爷、李阿姨"]').fill('张大爷')
    const before = await countOrders()
    // no consent to the privacy guide yet: refused on the spot, nothing sent
    await page.locator('#submit-order').click()
    await expect(page.locator('#error-message')).toContainText('请先阅读并同意《用户隐私保护指引》')
    expect(await countOrders()).toBe(before)
    await page.locator('#privacy-consent').click()
    await shot('order-form')
    await page.locator('#submit-order').click()

    await expect(page.locator('#order-status')).toHaveText('待派单')
    expect(await countOrders()).toBe(before + 1)
    await shot('order-detail')

    await page.goto(`${rt.url}/#/pages/orders/index`)
    await expect(page.locator('#my-orders')).toContainText('水电维修')
    await expect(page.locator('#my-orders')).toContainText('待派单')
    await shot('my-orders')

    await signIn('刘站长')
    await expect(page.locator('#incoming-list')).toContainText('厨房的灯不亮了，在村东头第三户')
    await expect(page.locator('#incoming-list')).toContainText('13800001111')
    await shot('station-incoming')

    // the station of another village does not see it
    await signIn('赵站长')
    await expect(page.locator('#staff-header')).toContainText('西山村')
    await page.waitForSelector('#incoming-list, #page-empty, .xf-empty', { timeout: 15_000 }).catch(() => undefined)
    expect(await page.getByText('厨房的灯不亮了，在村东头第三户').count()).toBe(0)
    await shot('other-station-incoming')
  }, 90_000)

  test('unknown and malformed grid codes show a clear message and create nothing', async () => {
    await signIn('张大爷')
    const before = await countOrders()
    await page.goto(`${rt.url}/#/pages/scan/index?code=XF999999`)
    await expect(page.locator('#error-message')).toContainText('没有找到编码为 XF999999 的网格')
    await shot('unknown-code')
    await page.goto(`${rt.url}/#/pages/scan/index?code=${encodeURIComponent('<b>1')}`)
    await expect(page.locator('#error-message')).toContainText('网格编码格式不正确')
    await shot('malformed-code')
    expect(await countOrders()).toBe(before)
  }, 60_000)
})

/** Minimal polling assertions on locators (jest has no web-first assertions). */
function expect(actual: any) {
  const j = (global as any).expect(actual)
  if (!actual || typeof actual.textContent !== 'function') return j
  const poll = async (check: (text: string) => boolean, describe: string) => {
    const deadline = Date.now() + 15_000
    let last = ''
    while (Date.now() < deadline) {
      // Taro's H5 router keeps earlier pages hidden in the DOM: read the visible one
      last = (await actual.filter({ visible: true }).first().textContent({ timeout: 1000 }).catch(() => null)) ?? ''
      if (check(last.trim())) return
      await new Promise((r) => setTimeout(r, 150))
    }
    throw new Error(`expected ${describe}, last text was: ${JSON.stringify(last)}`)
  }
  return {
    toHaveText: (t: string) => poll((s) => s === t, `text ${JSON.stringify(t)}`),
    toContainText: (t: string) => poll((s) => s.includes(t), `text containing ${JSON.stringify(t)}`),
  }
}
