import type { Page } from 'playwright-core'
import { PRIVACY_VERSION } from '../../src/core'
import type { TestRuntime } from '../helpers/runtime'
import { closeSession, e2eSuite, openSession, see, type Session } from './browser'

/**
 * Timeliness as people meet it, in the H5 build: the villager reads who has the order and
 * by when; the station dispatches; the volunteer lets the accept deadline pass; the sweep
 * (the system, run here with a clock moved past the deadline) marks it 已超时; the township
 * finds it under 超时, opens a 督办; the station answers it under 督办; the township sees the
 * answer; the villager sees the late line and the 督办 in the timeline.
 * Screenshots: test-artifacts/e2e/timeliness.
 */
const VILLAGER = 'u_villager_zhang'

e2eSuite('timeliness and supervision (H5 in Chromium)', () => {
  let s: Session
  let rt: TestRuntime
  let page: Page

  beforeAll(async () => {
    s = await openSession('timeliness')
    ;({ rt, page } = s)
  }, 60_000)
  afterAll(() => closeSession(s))

  const click = (sel: string) => s.click(sel)
  const fill = (sel: string, text: string) => s.fill(sel, text)
  const confirmModal = (message: string) => s.confirmModal(message)
  const stored = async (id: string) => (await rt.db.collection('orders').doc(id).get()).data[0] as any
  const sweepAt = (at: Date) => s.sweepAt(at)

  test('an order left past its limit is 已超时 at the township; 督办 opened, answered; the villager reads plain words', async () => {
    // setup: the villager's order (the ordering screens have their own suite)
    const placed = await rt.call(
      'order',
      'place',
      { requestId: `e2e_tl_${Date.now()}`, gridCode: 'XF010101', serviceId: 'svc_01', description: '院墙边的路灯坏了好几天了', contactPhone: '13800001111', contactName: '张大爷', privacyVersion: PRIVACY_VERSION },
      VILLAGER,
    )
    expect(placed.ok).toBe(true)
    const id = placed.data.id as string

    // 1. the villager reads who has it, by when, and what happens if it is late
    await s.signIn('张大爷', `/pages/orders/detail?id=${id}`)
    await see(page.locator('#order-due')).contains('东关村实践站正在安排志愿者')
    await see(page.locator('#order-due')).contains('前派单；超时会自动上报东关镇实践所')
    await s.shot('villager-due-line')

    // 2. the station sees the countdown on its work list and dispatches to a volunteer
    await s.signIn('刘站长', `/staff/incoming/index`)
    const item = page.locator('#incoming-list').filter({ visible: true }).locator('[class*=incoming__item]').filter({ hasText: '院墙边的路灯坏了好几天了' }).first()
    await item.waitFor()
    await see(item.locator('.xw-due')).contains('正常 · 剩')
    await s.shot('station-list-countdown')
    await item.click()
    await see(page.locator('#staff-order-due')).contains('正常')
    await click('#btn-dispatch')
    await see(page.locator('#suggest-list')).contains('刘志刚')
    await page.locator('#suggest-list').filter({ visible: true }).getByText('刘志刚').first().click()
    await confirmModal('把这条诉求派给「刘志刚」？')
    await see(page.locator('#staff-order-status')).hasText('已派单')

    // 3. nobody accepts: the sweep runs after the accept deadline (the system, no person)
    const due = (await stored(id)).clock.dueAt as Date
    const late = new Date(due.getTime() + 2 * 60 * 60_000) // two hours past the deadline
    const report = await sweepAt(late)
    expect(report.overdue).toBeGreaterThanOrEqual(1)
    expect((await stored(id)).clock.overdue).toBe(true)
    // the staff's phones live at that moment too (their countdowns read the device clock)
    await page.clock.setFixedTime(late)

    // 4. the township finds it under 超时 and opens a 督办
    await s.signIn('陈所长', `/staff/incoming/index`)
    await click('#tab-overdue')
    const lateItem = page.locator('#incoming-list').filter({ visible: true }).locator('[class*=incoming__item]').filter({ hasText: '院墙边的路灯坏了好几天了' }).first()
    await lateItem.waitFor()
    await see(lateItem.locator('.xw-due')).hasText('已超时2小时')
    await s.shot('township-overdue-tab')
    await lateItem.click()
    await see(page.locator('#staff-order-due')).hasText('已超时2小时')
    await click('#btn-supervise')
    await click('#btn-reason-submit') // nothing chosen yet: the dialog says what is missing
    await see(page.locator('#reason-error')).hasText('请选择答复期限')
    await click('#choice-1d')
    await fill('#reason-input', '群众反映几天了，请今天安排志愿者上门')
    await s.shot('township-supervise-dialog')
    await click('#btn-reason-submit')
    await see(page.locator('#supervision-status')).hasText('待答复')
    await see(page.locator('#staff-order-supervision')).contains('群众反映几天了，请今天安排志愿者上门')
    await s.shot('township-supervised')

    // 5. the station answers it from its 督办 tab
    await s.signIn('刘站长', `/staff/incoming/index`)
    await click('#tab-supervision')
    const supItem = page.locator('#incoming-list').filter({ visible: true }).locator('[class*=incoming__item]').filter({ hasText: '院墙边的路灯坏了好几天了' }).first()
    await supItem.waitFor()
    await see(supItem).contains('督办待答复')
    await s.shot('station-supervision-tab')
    await supItem.click()
    await click('#btn-answer-supervision')
    await fill('#reason-input', '已改派给王建国，今天下午上门修')
    await click('#btn-reason-submit')
    await see(page.locator('#supervision-status')).hasText('已答复')
    await see(page.locator('#supervision-reply')).contains('已改派给王建国，今天下午上门修')
    await s.shot('station-answered')

    // 6. the township sees the answer under 督办 → 已答复
    await s.signIn('陈所长', `/staff/incoming/index`)
    await click('#tab-supervision')
    await click('#sup-answered')
    await see(page.locator('#incoming-list')).contains('院墙边的路灯坏了好几天了')
    await s.shot('township-answered-filter')

    // 7. the villager reads that it is late and being chased, and the 督办 in the history
    await s.signIn('张大爷', `/pages/orders/detail?id=${id}`)
    await see(page.locator('#order-due')).contains('志愿者刘志刚未能按时接单，已通知东关村实践站重新安排')
    await see(page.locator('#order-history')).contains('督办')
    await see(page.locator('#order-history')).contains('答复督办')
    await see(page.locator('#order-history')).contains('系统')
    await s.shot('villager-late-line')
  }, 180_000)
})
