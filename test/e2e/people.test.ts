import { writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import iconv from 'iconv-lite'
import { PNG } from 'pngjs'
import jsQR from 'jsqr'
import type { Page } from 'playwright-core'
import type { TestRuntime } from '../helpers/runtime'
import { decodePdfQrs } from '../helpers/pdfQr'
import { closeSession, e2eSuite, openSession, see, type Session } from './browser'

/**
 * Grids and people, as people would click them (H5 in Debian's Chromium on a fresh
 * local runtime): the county admin creates a grid and prints its signboard, the
 * signboard's QR (decoded from the rendered PDF) opens the scan landing and takes
 * an order; a villager registers as a volunteer, the station approves, the badge
 * shows the plate and its QR verifies; station staff enter a hotline order.
 * Screenshots: test-artifacts/e2e/people.
 */

/** The text a QR in a PNG data URL carries. */
function decodeDataUrlQr(dataUrl: string): string | null {
  const png = PNG.sync.read(Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64'))
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null
}

e2eSuite('people: grid → signboard → scan order; registration → plate → badge → verify; hotline (H5 in Chromium)', () => {
  let s: Session
  let rt: TestRuntime
  let page: Page
  const shot = (name: string) => s.shot(name)
  const signIn = (name: string) => s.signIn(name)
  const visible = (sel: string) => page.locator(sel).filter({ visible: true }).first()
  /** Taro H5 wraps <input>/<textarea> in its own element carrying the id */
  const field = (id: string) => visible(`#${id} input, #${id} textarea, input#${id}, textarea#${id}`)

  beforeAll(async () => {
    s = await openSession('people')
    ;({ rt, page } = s)
  }, 60_000)
  afterAll(() => closeSession(s))

  test('county admin creates a grid, downloads its signboard PDF; its QR opens the scan landing and takes an order', async () => {
    await signIn('周主任')
    await page.goto(`${rt.url}/#/admin/tree/index?id=g_XF0101`)
    await see(page.locator('#node-name')).hasText('东关村')
    await visible('#btn-create').click()
    await field('f-name').fill('东关村新建网格')
    await field('f-hotline').fill('0354-2299999')
    await field('f-leader').fill('孙网格长')
    await shot('create-grid')
    await visible('#f-submit').click()
    await see(page.locator('#child-list')).contains('东关村新建网格')
    const grid = (await rt.db.collection('grids').where({ name: '东关村新建网格' }).get()).data[0] as any
    expect(grid).toMatchObject({ parentId: 'g_XF0101', level: 'grid', active: true, hotline: '0354-2299999', leaderName: '孙网格长' })
    expect(grid.code).toMatch(/^XF0101\d{2}$/)
    await shot('tree-with-new-grid')

    await page.locator('#child-list').getByText('东关村新建网格').first().click()
    await see(page.locator('#node-code')).contains(grid.code)
    await visible('#btn-signboard').click()
    const link = visible('#signboard-download')
    await link.waitFor({ timeout: 30_000 })
    await shot('signboard-ready')
    const href = (await link.getAttribute('href')) ?? (await link.locator('a').first().getAttribute('href'))
    expect(href).toBeTruthy()
    const res = await fetch(new URL(href!, rt.url))
    expect(res.status).toBe(200)
    const pdf = Buffer.from(await res.arrayBuffer())
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    const qrs = await decodePdfQrs(pdf)
    expect(qrs).toHaveLength(1)
    const scanUrl = new URL(qrs[0])
    expect(scanUrl.hash).toBe(`#/pages/scan/index?code=${grid.code}`)

    await signIn('张大爷')
    await page.goto(qrs[0])
    await see(page.locator('#grid-name')).hasText('东关村新建网格')
    await page.locator('#service-list').filter({ visible: true }).getByText('水电维修', { exact: true }).first().click()
    await see(page.locator('#selected-service')).contains('水电维修')
    await page.locator('textarea[placeholder^="请说说是什么事"]').fill('新网格的路灯不亮了')
    await page.locator('input[placeholder="手机号或座机号"]').fill('13800001111')
    await page.locator('#privacy-consent').click()
    await page.locator('#submit-order').click()
    await see(page.locator('#order-status')).hasText('待派单')
    const order = (await rt.db.collection('orders').where({ gridId: grid._id }).get()).data as any[]
    expect(order).toHaveLength(1)
    expect(order[0]).toMatchObject({ source: 'scan', gridCode: grid.code, description: '新网格的路灯不亮了' })
    await shot('order-from-signboard')
  }, 150_000)

  test('a villager registers as a volunteer, the station approves, the badge shows the plate and its QR verifies', async () => {
    await signIn('李奶奶')
    await page.goto(`${rt.url}/#/join/register/index?code=XF020101`)
    await field('r-name').fill('李秀英')
    await field('r-phone').fill('13700003333')
    await page.locator('.r-skill').filter({ visible: true }).filter({ hasText: '陪护' }).first().click()
    await page.locator('.r-avail-item').filter({ visible: true }).filter({ hasText: '周末' }).first().click()
    // consent is remembered per device (张大爷 agreed in this browser earlier): tick it only if needed
    if (!/--on\b/.test((await visible('#r-privacy').getAttribute('class')) ?? '')) await visible('#r-privacy').click()
    await shot('register-form')
    await visible('#r-submit').click()
    await see(page.locator('#r-status')).contains('待审核')
    await shot('register-pending')

    await signIn('赵站长')
    await page.goto(`${rt.url}/#/staff/volunteers/index`)
    await see(page.locator('#vol-list')).contains('李秀英')
    await shot('station-volunteers')
    await page.locator('#vol-list').filter({ visible: true }).locator('.vol-approve').first().click()
    await page.getByText('确认通过', { exact: true }).filter({ visible: true }).last().click()
    await see(page.locator('body')).contains('已通过，号牌 XF02-')
    await shot('station-approved')
    // the approval gives a plate of the township (西山乡 XF02)
    let vol: any
    for (let i = 0; i < 50 && vol?.status !== 'approved'; i++) {
      vol = (await rt.db.collection('volunteers').doc('u_villager_li').get()).data[0]
      if (vol?.status !== 'approved') await page.waitForTimeout(200)
    }
    expect(vol.status).toBe('approved')
    expect(vol.plate).toMatch(/^XF02-\d{4}$/)

    // the approved registration's name is now the account's name
    await signIn('李秀英')
    // reached the way a volunteer would: scan landing → 我的志愿任务 → 我的胸牌
    // a fresh load, as opening the mini-program is (a hash change back to the entry page may show the kept one)
    await page.goto('about:blank')
    await page.goto(`${rt.url}/#/pages/scan/index?code=XF020101`)
    await see(page.locator('#grid-name')).hasText('西山村第一网格')
    await visible('#link-tasks').click()
    await visible('#link-badge').click()
    await see(page.locator('#badge-plate')).hasText(vol.plate)
    const qr = visible('#badge-qr')
    await qr.waitFor()
    const src = (await qr.getAttribute('src')) ?? (await qr.locator('img').first().getAttribute('src'))
    expect(src).toMatch(/^data:image\/png;base64,/)
    const verifyUrl = decodeDataUrlQr(src!)
    expect(verifyUrl).toContain('#/join/verify/index?t=')
    await shot('badge')

    // anyone (here: another villager) scans it
    await signIn('张大爷')
    await page.goto(verifyUrl!)
    await see(page.locator('#v-result')).contains('已认证志愿者')
    await see(page.locator('#v-result')).contains(vol.plate)
    await shot('verify-ok')

    // an edited token does not pass
    await page.goto(verifyUrl!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))
    await see(page.locator('#v-result')).contains('无效')
    await shot('verify-forged')
  }, 150_000)

  test('a villager registers with a phone number already registered: the refusal is shown in view, next to the phone field', async () => {
    await signIn('张大爷')
    await page.goto(`${rt.url}/#/join/register/index?code=XF010101`)
    await see(page.locator('#r-grid')).contains('东关村') // the signboard's grid, found
    await field('r-name').fill('张德顺')
    await field('r-phone').fill('13910000000') // 王建国's, a registered volunteer of the demo data
    await page.locator('.r-skill').filter({ visible: true }).filter({ hasText: '水电' }).first().click()
    await page.locator('.r-avail-item').filter({ visible: true }).filter({ hasText: '周末' }).first().click()
    if (!/--on\b/.test((await visible('#r-privacy').getAttribute('class')) ?? '')) await visible('#r-privacy').click()
    // the submit button is at the bottom: the phone field is out of sight when the person taps it
    await visible('#r-submit').scrollIntoViewIfNeeded()
    expect((await visible('#f-phone').boundingBox())!.y).toBeLessThan(0)
    await visible('#r-submit').click()
    const message = visible('#error-message')
    await see(message).contains('该手机号已注册为志愿者')
    // in view: the page scrolled back up to the phone field (it used to stay above the screen)
    const viewport = page.viewportSize()!
    let box: { y: number; height: number } | null = null
    for (let i = 0; i < 30; i++) {
      box = await message.boundingBox()
      if (box && box.y >= 0 && box.y + box.height <= viewport.height) break
      await page.waitForTimeout(100)
    }
    expect(box).not.toBeNull()
    expect(box!.y).toBeGreaterThanOrEqual(0)
    expect(box!.y + box!.height).toBeLessThanOrEqual(viewport.height)
    await shot('register-phone-taken')
    expect((await rt.db.collection('volunteers').doc('u_villager_zhang').get()).data).toHaveLength(0)
  }, 90_000)

  test('the county imports a spreadsheet saved by Excel (GBK CSV): check, then import', async () => {
    await signIn('周主任')
    await page.goto(`${rt.url}/#/admin/import/index`)
    const csv = path.join(os.tmpdir(), 'xf-e2e-import.csv')
    writeFileSync(csv, iconv.encode('乡镇,村(社区),网格,微网格,服务热线,网格长\r\n河湾镇,河湾村,河湾村第一网格,,0354-2230000,马德福\r\n', 'gbk'))
    await page.locator('#csv-file').filter({ visible: true }).first().setInputFiles(csv)
    await visible('#btn-check').click()
    await see(page.locator('body')).contains('将新建 3 个')
    await shot('import-checked')
    await visible('#btn-import').click()
    await page.getByText('确认导入', { exact: true }).filter({ visible: true }).last().click()
    await see(page.locator('#import-result')).contains('3')
    const grid = (await rt.db.collection('grids').where({ name: '河湾村第一网格' }).get()).data[0] as any
    expect(grid).toMatchObject({ level: 'grid', hotline: '0354-2230000', leaderName: '马德福', pathNames: ['幸福县', '河湾镇', '河湾村', '河湾村第一网格'] })
    await shot('import-done')
  }, 90_000)

  test('station staff enter a hotline order; it appears in the incoming list marked as hotline', async () => {
    await signIn('刘站长')
    await page.goto(`${rt.url}/#/staff/hotline/index`)
    await field('h-grid-q').fill('第一')
    await page.locator('#h-grid-results').filter({ visible: true }).locator('.h-grid-item').filter({ hasText: '东关村第一网格' }).first().click()
    await page.locator('.h-service-item').filter({ visible: true }).filter({ hasText: '助老陪护' }).first().click()
    await field('h-name').fill('王奶奶')
    await field('h-phone').fill('13900002222')
    await field('h-desc').fill('独居老人想请人每周来看看')
    await shot('hotline-form')
    const before = (await rt.db.collection('orders').where({ source: 'hotline' }).count()).total
    await visible('#h-submit').click()
    for (let i = 0; i < 50; i++) {
      if ((await rt.db.collection('orders').where({ source: 'hotline' }).count()).total > before) break
      await page.waitForTimeout(200)
    }
    const orders = (await rt.db.collection('orders').where({ source: 'hotline', description: '独居老人想请人每周来看看' }).get()).data as any[]
    expect(orders).toHaveLength(1)
    expect(orders[0]).toMatchObject({ contactName: '王奶奶', contactPhone: '13900002222', gridCode: 'XF010101', serviceName: '助老陪护' })

    await page.goto(`${rt.url}/#/staff/incoming/index`)
    const item = page.locator('#incoming-list').filter({ visible: true }).locator('.xf-card, [class*=incoming__item]').filter({ hasText: '独居老人想请人每周来看看' }).first()
    await item.waitFor()
    expect(await item.textContent()).toContain('热线')
    await shot('incoming-hotline')
  }, 120_000)
})
