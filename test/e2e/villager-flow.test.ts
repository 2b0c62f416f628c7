import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { BrowserContext, Locator, Page } from 'playwright-core'
import { NETWORK_TROUBLE, SERVICE_TROUBLE } from '../../src/core/errors'
import type { TestRuntime } from '../helpers/runtime'
import { closeSession, e2eSuite, openSession, see, type Session } from './browser'

/**
 * The villager's short path on a 375 × 667 phone, in Chromium against the H5 build: a preset
 * service ordered from the signboard's landing in a counted number of taps (the phone comes from
 * the account, the whole consent line agrees, 提交 is on screen without scrolling); 我的诉求 and
 * the open orders first on the landing; an offline submit that keeps everything and a later one
 * that places exactly one order; a failing server told as the service's problem, with the grid's
 * hotline. Each test starts on a fresh device (its own browser context: no storage, no consent yet).
 * Screenshots in test-artifacts/e2e/villager-flow.
 */

const CODE = 'XF010101'
const SCREEN = { width: 375, height: 667 }
const SHOTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'e2e', 'villager-flow')

e2eSuite('villager flow: few taps, follow-up first, failures told plainly (H5 in Chromium, 375 × 667)', () => {
  let s: Session
  let rt: TestRuntime
  let context: BrowserContext
  let page: Page
  const countOrders = async () => (await rt.db.collection('orders').count()).total
  const visible = (sel: string) => page.locator(sel).filter({ visible: true }).first()

  beforeAll(async () => {
    s = await openSession('villager-flow')
    rt = s.rt
    mkdirSync(SHOTS, { recursive: true })
  }, 60_000)
  afterAll(async () => {
    await context?.close()
    await closeSession(s)
  })

  /** a fresh device on the signboard's landing, signed in as `name` (the H5 stand-in for WeChat's identity: not a tap of the flow) */
  async function freshDevice(name: string) {
    await context?.close()
    context = await s.browser.newContext({ viewport: SCREEN, deviceScaleFactor: 2, locale: 'zh-CN' })
    page = await context.newPage()
    page.setDefaultTimeout(15_000)
    await page.goto(`${rt.url}/#/pages/dev/index?redirect=${encodeURIComponent(`/pages/scan/index?code=${CODE}`)}`)
    await page.locator('#dev-users').getByText(name).first().click()
    await page.waitForFunction(() => !location.hash.includes('pages/dev/index'))
    await see(page.locator('#grid-name')).hasText('东关村第一网格')
  }
  const shot = (name: string) => page.waitForTimeout(400).then(() => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true }))

  /** what the person does, counted */
  let taps = 0
  let typed = 0
  const tap = async (l: Locator) => {
    taps++
    await l.click()
  }
  const type = async (l: Locator, text: string) => {
    typed++
    await l.fill(text)
  }
  const description = () => visible('textarea[placeholder^="请说说是什么事"]')
  const phone = () => visible('input[placeholder="手机号或座机号"]')
  /** poll `read` until `done` says so (15 s): what it last read */
  const until = async <T,>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> => {
    const deadline = Date.now() + 15_000
    let v = await read()
    while (!done(v) && Date.now() < deadline) {
      await page.waitForTimeout(150)
      v = await read()
    }
    return v
  }
  const service = (name: string) => page.locator('#service-list').filter({ visible: true }).getByText(name, { exact: true }).first()

  test('a first-time villager orders a preset service in 3 taps plus the description, 提交 on screen without scrolling', async () => {
    await freshDevice('张大爷')
    // following up comes first: 我的诉求 sits above the services
    const mine = (await visible('#my-orders-link').boundingBox())!
    const services = (await visible('#service-list').boundingBox())!
    expect(mine.y).toBeLessThan(services.y)
    await shot('01-landing')

    const before = await countOrders()
    taps = 0
    typed = 0
    await tap(service('水电维修'))
    await see(page.locator('#selected-service')).contains('水电维修')
    // the submit button is on the first screen as the form opens: no scrolling on a 375 × 667 phone
    const submit = visible('#submit-order')
    // in the viewport as it opens (the H5 router may keep the landing's few pixels of scroll: the person scrolls nothing)
    const bottomOf = async (l: Locator) => {
      const b = (await l.boundingBox())!
      expect(b.y).toBeGreaterThanOrEqual(0)
      return b.y + b.height
    }
    expect(await bottomOf(submit)).toBeLessThanOrEqual(SCREEN.height)
    await type(description(), '厨房的水龙头一直滴水，在村东头第三户')
    // the phone the account has (its user record here: no order yet), already in the field and editable
    expect(await until(() => phone().inputValue(), (v) => v !== '')).toBe('13800001111')
    // still within the first screen once written in (typing must not push it below)
    expect(await bottomOf(submit)).toBeLessThanOrEqual(SCREEN.height)
    await page.screenshot({ path: path.join(SHOTS, '02-form-first-screen.png') }) // the viewport only: what the person sees
    // consent is an explicit tap the first time on a device (never pre-ticked); the words of the line take it, not only the box
    await tap(visible('.xf-form__consent-text'))
    expect(await visible('#privacy-consent').getAttribute('class')).toMatch(/--on\b/)
    await tap(submit)
    await page.waitForFunction(() => location.hash.includes('placed=1'))
    await visible('#order-status').waitFor()
    await shot('03-placed')

    console.log(`[villager-flow] order placed with ${taps} taps + ${typed} typed field (the description)`)
    expect(typed).toBe(1)
    expect(taps).toBeLessThanOrEqual(3)
    expect(await countOrders()).toBe(before + 1)
  }, 90_000)

  test('the open orders on the landing open: one’s own to its detail, a neighbour’s to what a neighbour may know', async () => {
    // 张大爷's order of the previous test, on this device (its storage kept from the last test is gone: a new one)
    await freshDevice('张大爷')
    const own = page.locator('#open-orders').filter({ visible: true }).getByText('我的：', { exact: false }).first()
    await own.click()
    await visible('#order-status').waitFor()
    expect(page.url()).toContain('pages/orders/detail')

    await freshDevice('李奶奶')
    expect(await page.locator('#open-orders').filter({ visible: true }).getByText('我的：').count()).toBe(0)
    await page.locator('#open-orders').filter({ visible: true }).getByText('水电维修').first().click()
    await see(page.locator('.taro-modal__text')).contains('不用再点单')
    await shot('04-neighbour-order')
    await page.getByText('知道了', { exact: true }).filter({ visible: true }).last().click()
    expect(page.url()).toContain('pages/scan/index')
  }, 90_000)

  test('offline, 提交 keeps everything typed and says it is the network; back online one more 提交 places exactly one order', async () => {
    await freshDevice('李奶奶')
    await service('水电维修').click()
    await description().fill('想请人帮忙把院子里的柴火搬进屋')
    await phone().fill('13800002222')
    await visible('#more-fields').click()
    await visible('input[placeholder="如：王大爷、李阿姨"]').fill('李奶奶')
    await visible('#f-privacyVersion').click()
    const before = await countOrders()

    await context.setOffline(true)
    await visible('#submit-order').click()
    await see(page.locator('#error-message')).contains(NETWORK_TROUBLE)
    await see(page.locator('#retry-tip')).contains('网络好了')
    expect(await description().inputValue()).toBe('想请人帮忙把院子里的柴火搬进屋')
    expect(await phone().inputValue()).toBe('13800002222')
    expect(await visible('input[placeholder="如：王大爷、李阿姨"]').inputValue()).toBe('李奶奶')
    expect(await visible('#privacy-consent').getAttribute('class')).toMatch(/--on\b/)
    await shot('05-offline')
    expect(await countOrders()).toBe(before)

    await context.setOffline(false)
    await visible('#submit-order').click()
    await page.waitForFunction(() => location.hash.includes('placed=1'))
    await visible('#order-status').waitFor()
    expect(await countOrders()).toBe(before + 1)
    const mine = await rt.db.collection('orders').where({ villagerId: 'u_villager_li', description: '想请人帮忙把院子里的柴火搬进屋' }).count()
    expect(mine.total).toBe(1)
  }, 90_000)

  test('a failing server is told as the service’s problem, with the grid’s hotline, on the form and on the landing', async () => {
    await freshDevice('张大爷')
    await service('水电维修').click()
    await description().fill('门口的路灯不亮了，晚上看不见路')
    await until(() => phone().inputValue(), (v) => v !== '')
    await visible('#f-privacyVersion').click()
    const before = await countOrders()

    await page.route('**/fn/order', (route) => route.fulfill({ status: 500, contentType: 'text/plain', body: 'Internal Server Error' }))
    await visible('#submit-order').click()
    await see(page.locator('#error-message')).contains(SERVICE_TROUBLE)
    expect(await page.locator('#error-message').filter({ visible: true }).first().textContent()).not.toContain('网络')
    await see(page.locator('#call-hotline')).hasText('拨打网格热线')
    expect(await description().inputValue()).toBe('门口的路灯不亮了，晚上看不见路')
    await shot('06-server-failed-form')
    expect(await countOrders()).toBe(before)
    await page.unroute('**/fn/order')

    // the landing: the signboard's grid cannot be looked up, its hotline (remembered from the last visit) is offered
    await page.route('**/fn/grid', (route) => route.fulfill({ status: 502, contentType: 'text/plain', body: 'Bad Gateway' }))
    await page.goto(`${rt.url}/#/pages/scan/index?code=${CODE}&again=1`)
    await see(page.locator('#error-message')).contains(SERVICE_TROUBLE)
    await see(page.locator('#call-hotline')).hasText('拨打网格热线')
    await shot('07-server-failed-landing')
    await page.unroute('**/fn/grid')
  }, 90_000)

  test('on a slow phone the signboard landing shows before the app; a service tapped there opens once the app is ready', async () => {
    await freshDevice('张大爷')
    // a cold load of the signboard's URL with the app's scripts held back, as one bar of signal would bring them
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    await page.route(/\/js\/.*\.js$/, async (r) => {
      await held
      await r.continue()
    })
    const asked: string[] = []
    page.on('request', (r) => {
      if (r.url().endsWith('/fn/grid')) asked.push(JSON.parse(r.postData() || '{}').action)
    })
    await page.reload({ waitUntil: 'commit' })
    const shell = page.locator('#boot-services')
    await see(shell.locator('.boot-service').first()).contains('水电维修')
    await see(page.locator('#boot .boot-h1')).hasText('东关村第一网格')
    expect(await page.locator('#boot a.boot-hotline').getAttribute('href')).toMatch(/^tel:\d/)
    expect(await page.locator('#app').innerHTML()).toBe('') // the app has not run
    await see(page.locator('#boot .boot-status')).contains('页面还在加载，可以先选服务')
    await tap(shell.getByText('水电维修', { exact: true }))
    await see(page.locator('#boot .boot-status')).contains('正在打开「水电维修」，请稍候…')
    await shot('slow-phone-landing-tapped')

    release()
    // the app opens the service tapped before it was ready, with the answers the HTML already had
    await see(visible('#selected-service')).hasText('水电维修')
    expect(await page.locator('#boot').isVisible()).toBe(false)
    expect(asked.filter((a) => a === 'resolve')).toHaveLength(1)
    expect(asked.filter((a) => a === 'catalogue')).toHaveLength(1)
    await shot('slow-phone-form-opened')
    // back: the app's own landing, the HTML's gone
    await page.goBack()
    await see(visible('#grid-name')).hasText('东关村第一网格')
    expect(await shell.isVisible()).toBe(false)
    await page.unroute(/\/js\/.*\.js$/)
  }, 90_000)

  test('when the landing’s first questions fail, the placeholder stays and the app asks again', async () => {
    await freshDevice('张大爷')
    let failed = 0
    await page.route('**/fn/grid', (r) => (failed < 2 ? (failed++, r.abort('internetdisconnected')) : r.continue()))
    await page.reload()
    await see(visible('#grid-name')).hasText('东关村第一网格')
    await see(visible('#service-list .scan__service')).contains('水电维修')
    expect(failed).toBe(2)
    expect(await page.locator('#boot-services').count()).toBe(0) // never drawn
    expect(await page.locator('#boot').isVisible()).toBe(false)
    await page.unroute('**/fn/grid')
  }, 90_000)
})
