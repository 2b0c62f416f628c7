import type { Page } from 'playwright-core'
import { PRIVACY_VERSION } from '../../src/core'
import type { TestRuntime } from '../helpers/runtime'
import { closeSession, e2eSuite, openSession, see, type Session } from './browser'

/**
 * Small things people ran into walking through the app (H5 in Debian's Chromium on a fresh
 * local runtime): page titles, refusals that offered 重试, the code box's example, a grid out
 * of service, a lost grab race, a grid name too long, the tree's search, the station's 全部
 * list, the registration's grid. Screenshots: test-artifacts/e2e/walk.
 */
e2eSuite('walking the app: titles, refusals, lost races, search, lists (H5 in Chromium)', () => {
  let s: Session
  let rt: TestRuntime
  let page: Page
  const shot = (name: string) => s.shot(name)
  const visible = (sel: string) => page.locator(sel).filter({ visible: true }).first()
  /** Taro H5 wraps <input>/<textarea> in its own element carrying the id */
  const field = (id: string) => visible(`#${id} input, #${id} textarea, input#${id}, textarea#${id}`)
  let seq = 0
  const placeOrder = (who = 'u_villager_zhang', gridCode = 'XF010101') =>
    rt.ok(
      'order',
      'place',
      { requestId: `walk_${Date.now()}_${++seq}`, gridCode, serviceId: 'svc_01', description: '厨房的灯不亮了，麻烦来看看', contactPhone: '13800001111', privacyVersion: PRIVACY_VERSION },
      who,
    )

  beforeAll(async () => {
    s = await openSession('walk')
    ;({ rt, page } = s)
  }, 60_000)
  afterAll(() => closeSession(s))

  test('a page title is shown whole, not cut to three characters', async () => {
    await s.signIn('周主任', '/admin/import/index')
    const title = visible('.taro-navigation-bar-title')
    await see(title).hasText('导入网格表格')
    const { scroll, client } = await title.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }))
    expect(scroll).toBeLessThanOrEqual(client)
    await shot('title')
  }, 60_000)

  test('an unknown grid code offers no 重试, and the code box shows no other county as its example', async () => {
    await s.signIn('张大爷')
    await page.goto(`${rt.url}/#/pages/scan/index?code=XF990101`)
    await see(page.locator('#error-message')).contains('没有找到编码为 XF990101 的网格')
    expect(await page.getByText('重试', { exact: true }).filter({ visible: true }).count()).toBe(0)
    const placeholder = (await field('code-input').getAttribute('placeholder')) ?? ''
    expect(placeholder).not.toContain('XY')
    expect(placeholder).toContain('标识牌')
    await shot('unknown-code')
  }, 60_000)

  test('ordering at a grid out of service says so with the hotline, and does not blame the network', async () => {
    await rt.db.collection('grids').doc('g_XF020301').update({ active: false })
    try {
      await s.signIn('张大爷')
      await page.goto(`${rt.url}/#/pages/order/new?gridCode=XF020301&serviceId=svc_01&serviceName=${encodeURIComponent('水电维修')}`)
      await page.locator('textarea[placeholder^="请说说是什么事"]').fill('厨房的灯不亮了')
      await page.locator('input[placeholder="手机号或座机号"]').fill('13800001111')
      if (!/--on\b/.test((await visible('#privacy-consent').getAttribute('class')) ?? '')) await visible('#privacy-consent').click()
      await visible('#submit-order').click()
      await see(page.locator('#error-message')).contains('已停用，不再接单')
      await see(page.locator('#error-message')).contains('服务热线')
      expect(await page.locator('.xf-form__retry-tip').filter({ visible: true }).count()).toBe(0)
      expect(await page.getByText('重试', { exact: true }).filter({ visible: true }).count()).toBe(0)
      await shot('grid-out-of-service')
    } finally {
      await rt.db.collection('grids').doc('g_XF020301').update({ active: true })
    }
  }, 60_000)

  test('a volunteer who loses a grab race sees the task taken by someone else, with nothing left to tap', async () => {
    const o = await placeOrder()
    await rt.ok('order', 'openPool', { id: o.id, teamId: 'team_dg' }, 'u_station_dg')
    await s.signIn('刘志刚', `/volunteer/order/index?id=${o.id}`)
    await see(page.locator('#vol-order-status')).hasText('抢单中')
    // 王建国 is quicker
    await rt.ok('order', 'accept', { id: o.id }, 'u_vol_01')
    await visible('#btn-accept').click()
    await see(page.locator('#vol-order-error')).contains('已被其他志愿者接单')
    await see(page.locator('#vol-order-status')).hasText('已被他人接单')
    expect(await page.locator('#btn-accept').filter({ visible: true }).count()).toBe(0)
    await shot('grab-lost')
  }, 60_000)

  test('a grid name over 40 characters is refused in words and nothing is created; the tree finds a node by name', async () => {
    await s.signIn('周主任', '/admin/tree/index?id=g_XF0101')
    await see(page.locator('#node-name')).hasText('东关村')
    await visible('#btn-create').click()
    const long = '东关村' + '很长的名字'.repeat(9) // 48 characters
    await field('f-name').fill(long)
    await visible('#f-submit').click()
    await see(page.locator('#f-error')).contains('名称不能超过40字')
    expect((await rt.db.collection('grids').where({ parentId: 'g_XF0101' }).get()).data.some((g: any) => g.name.startsWith('东关村很长'))).toBe(false)
    await shot('name-too-long')
    await page.getByText('取消', { exact: true }).filter({ visible: true }).last().click()

    await field('tree-search').fill('西山村')
    await page.locator('#tree-search-results .gsearch__item').filter({ visible: true }).filter({ hasText: 'XF0201 ' }).first().click()
    await see(page.locator('#node-name')).hasText('西山村')
    await shot('tree-search')
  }, 60_000)

  test('a township administrator can import at their township', async () => {
    await s.signIn('陈所长', '/admin/tree/index?id=g_XF01')
    await see(page.locator('#node-name')).hasText('东关镇')
    await visible('#link-import').click()
    await see(page.locator('body')).contains('导入到「东关镇」')
    await see(page.locator('#import-owner-rule')).contains('网格')
    await shot('township-import')
  }, 60_000)

  test("the station's 全部 list reaches finished orders", async () => {
    const o = await placeOrder()
    await rt.ok('order', 'cancel', { id: o.id, reason: '已经修好了' }, 'u_villager_zhang')
    await s.signIn('刘站长', '/staff/incoming/index')
    await visible('#tab-all').click()
    await see(page.locator('#incoming-list')).contains(o.no)
    await shot('incoming-all')
  }, 60_000)

  test('registering from a signboard opens at that grid, not an abandoned draft’s', async () => {
    await s.signIn('李奶奶', '/join/register/index?code=XF020101')
    await see(page.locator('#r-grid')).contains('XF020101')
    // abandoned: the person scans another signboard later and taps 注册成为志愿者 there
    await page.goto(`${rt.url}/#/pages/scan/index?code=XF010102`)
    await see(page.locator('#grid-name')).hasText('东关村第二网格')
    await visible('#link-register').click()
    await see(page.locator('#r-grid')).contains('XF010102')
    await shot('register-scanned-grid')
  }, 60_000)
})
