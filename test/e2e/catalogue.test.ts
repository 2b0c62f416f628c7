import type { Page } from 'playwright-core'
import type { TestRuntime } from '../helpers/runtime'
import { closeSession, e2eSuite, openSession, see, type Session } from './browser'

/**
 * 服务清单 as people click it (H5 in Debian's Chromium on a fresh local runtime): the county
 * admin goes from his workbench to the catalogue, adds a service with an extra question, and it
 * is on a signboard's scan landing, where the villager's order form asks the question; an
 * emergency service (燃气泄漏) shows what to do and a 拨打 119 button instead of the order form;
 * the admin stops the new service and it leaves the landing. Screenshots: test-artifacts/e2e/catalogue.
 */
e2eSuite('service catalogue: the county admin adds a service, villagers see it; emergencies get a call button (H5 in Chromium)', () => {
  let s: Session
  let rt: TestRuntime
  let page: Page
  const shot = (name: string) => s.shot(name)
  const visible = (sel: string) => page.locator(sel).filter({ visible: true }).first()
  const serviceCell = (name: string) => page.locator('#service-list').filter({ visible: true }).getByText(name, { exact: true }).first()

  beforeAll(async () => {
    s = await openSession('catalogue')
    ;({ rt, page } = s)
  }, 60_000)
  afterAll(() => closeSession(s))

  test('周主任 adds 电采暖维修 with a question; it is on the scan landing and its form asks the question', async () => {
    // from his workbench
    await s.signIn('周主任', '/staff/incoming/index')
    await visible('#link-catalogue').click()
    await see(page.locator('#cat-county')).contains('幸福县 · 服务清单')
    await see(page.locator('#cat-list')).contains('燃气泄漏')
    await shot('catalogue-list')

    await s.click('#cat-add')
    await s.fill('#cat-f-name', '电采暖维修')
    await s.click('#cat-category-0') // 生活帮扶, the first category
    await s.fill('#cat-f-desc', '电暖器、空气源热泵坏了，志愿电工上门看看')
    await s.click('#cat-skill-水电')
    await s.click('#cat-field-add')
    await s.fill('#cat-field-0-label', '设备')
    await s.fill('#cat-field-0-options', '电暖器、空气源热泵')
    await shot('catalogue-new-service')
    await s.click('#cat-save')
    await see(page.locator('#cat-list')).contains('电采暖维修')
    await see(page.locator('#cat-list')).contains('附加信息：设备')
    await shot('catalogue-added')

    const stored = (await rt.db.collection('services').where({ name: '电采暖维修' }).get()).data[0] as any
    expect(stored).toMatchObject({ category: '生活帮扶', skill: '水电', active: true, fields: [{ label: '设备', type: 'select', options: ['电暖器', '空气源热泵'], required: true }] })

    // a villager scans 东关村第一网格's signboard
    await s.signIn('张大爷', '/pages/scan/index?code=XF010101')
    await see(page.locator('#grid-name')).hasText('东关村第一网格')
    await serviceCell('电采暖维修').waitFor()
    await shot('landing-with-new-service')
    await serviceCell('电采暖维修').click()
    await see(page.locator('#selected-service')).contains('电采暖维修')
    await see(page.locator(`#x-${stored.fields[0].key}`)).contains('设备')
    // the question is required: submitting without an answer says so
    await s.fill('.xf-form__textarea', '客厅的电暖器不热了')
    await s.fill('.xf-form__input', '13800001111')
    await s.click('#submit-order')
    await see(page.locator('#error-message')).contains('请选择「设备」')
    await shot('order-form-extra-question')
  }, 90_000)

  test('an emergency service shows what to do and a call button instead of the order form', async () => {
    await s.signIn('张大爷', '/pages/scan/index?code=XF010101')
    await see(page.locator('#grid-name')).hasText('东关村第一网格')
    await see(page.locator('#service-list')).contains('紧急情况，请直接拨打 119')
    await serviceCell('燃气泄漏').click()
    await see(page.locator('#selected-service')).contains('燃气泄漏')
    await see(page.locator('#emergency-call')).hasText('拨打 119')
    await see(page.locator('#emergency-note')).contains('关阀门')
    expect(await page.locator('#submit-order').filter({ visible: true }).count()).toBe(0)
    await shot('emergency-call-button')
  }, 90_000)

  test('the admin stops the new service: it leaves the landing', async () => {
    const id = ((await rt.db.collection('services').where({ name: '电采暖维修' }).get()).data[0] as any)._id
    await s.signIn('周主任', '/admin/catalogue/index')
    await see(page.locator('#cat-list')).contains('电采暖维修')
    await s.click(`#cat-toggle-${id}`)
    await s.confirmModal('停用后扫码页、电话点单和标识牌上都不再有它', '停用')
    await s.click('#tab-stopped')
    await see(page.locator('#cat-list')).contains('电采暖维修')
    await shot('catalogue-stopped')

    await s.signIn('张大爷', '/pages/scan/index?code=XF010101')
    await serviceCell('水电维修').waitFor()
    // the landing shows the last catalogue at once and then the live one
    const deadline = Date.now() + 10_000
    while ((await serviceCell('电采暖维修').count()) > 0 && Date.now() < deadline) await page.waitForTimeout(200)
    expect(await serviceCell('电采暖维修').count()).toBe(0)
    await shot('landing-without-stopped-service')
  }, 90_000)
})
