import type { Page } from 'playwright-core'
import type { TestRuntime } from '../helpers/runtime'
import { closeSession, e2eSuite, openSession, see, type Session } from './browser'

/**
 * The first slice as people would click it, in Debian's Chromium against the
 * H5 build served by the local runtime: scan landing → order → my orders →
 * the village station's incoming list; plus unknown/malformed codes.
 * Screenshots are kept in test-artifacts/e2e/slice.
 */

e2eSuite('slice: scan → order → my orders → station incoming (H5 in Chromium)', () => {
  let s: Session
  let rt: TestRuntime
  let page: Page
  const shot = (name: string) => s.shot(name)
  const signIn = (name: string, to?: string) => s.signIn(name, to)
  const countOrders = async () => (await rt.db.collection('orders').count()).total

  beforeAll(async () => {
    s = await openSession('slice')
    ;({ rt, page } = s)
  }, 60_000)
  afterAll(() => closeSession(s))

  test('a villager orders from the scan landing and the village station sees it', async () => {
    // straight to the signboard's landing (a goto right after signing in could race the home page's load)
    await signIn('张大爷', '/pages/scan/index?code=XF010101')
    await see(page.locator('#grid-name')).hasText('东关村第一网格')
    expect(await page.getByText('东关镇 · 东关村').count()).toBeGreaterThan(0)
    await page.locator('#service-list').filter({ visible: true }).getByText('水电维修', { exact: true }).click()
    await shot('scan-landing')

    await see(page.locator('#selected-service')).contains('水电维修')
    await page.locator('textarea[placeholder^="请说说是什么事"]').fill('厨房的灯不亮了，在村东头第三户')
    await page.locator('input[placeholder="手机号或座机号"]').fill('13800001111')
    await page.locator('#more-fields').click() // name and time: one optional line, unfolded on tap
    await page.locator('input[placeholder="如：王大爷、李阿姨"]').fill('张大爷')
    const before = await countOrders()
    // no consent to the privacy guide yet: refused on the spot, nothing sent
    await page.locator('#submit-order').click()
    await see(page.locator('#error-message')).contains('请先阅读并同意《用户隐私保护指引》')
    expect(await countOrders()).toBe(before)
    await page.locator('#privacy-consent').click()
    await shot('order-form')
    await page.locator('#submit-order').click()

    await see(page.locator('#order-status')).hasText('待派单')
    expect(await countOrders()).toBe(before + 1)
    await shot('order-detail')

    await page.goto(`${rt.url}/#/pages/orders/index`)
    await see(page.locator('#my-orders')).contains('水电维修')
    await see(page.locator('#my-orders')).contains('待派单')
    await shot('my-orders')

    await signIn('刘站长')
    await see(page.locator('#incoming-list')).contains('厨房的灯不亮了，在村东头第三户')
    await see(page.locator('#incoming-list')).contains('13800001111')
    await shot('station-incoming')

    // the station of another village does not see it
    await signIn('赵站长')
    await see(page.locator('#staff-header')).contains('西山村')
    await page.waitForSelector('#incoming-list, #page-empty, .xf-empty', { timeout: 15_000 }).catch(() => undefined)
    expect(await page.getByText('厨房的灯不亮了，在村东头第三户').count()).toBe(0)
    await shot('other-station-incoming')
  }, 90_000)

  test('unknown and malformed grid codes show a clear message and create nothing', async () => {
    await signIn('张大爷')
    const before = await countOrders()
    await page.goto(`${rt.url}/#/pages/scan/index?code=XF999999`)
    await see(page.locator('#error-message')).contains('没有找到编码为 XF999999 的网格')
    await shot('unknown-code')
    await page.goto(`${rt.url}/#/pages/scan/index?code=${encodeURIComponent('<b>1')}`)
    await see(page.locator('#error-message')).contains('网格编码格式不正确')
    await shot('malformed-code')
    expect(await countOrders()).toBe(before)
  }, 60_000)
})
