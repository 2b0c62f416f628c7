import type { Page } from 'playwright-core'
import { PRIVACY_VERSION } from '../../src/core'
import type { TestRuntime } from '../helpers/runtime'
import { closeSession, e2eSuite, openSession, see, type Session } from './browser'

/**
 * The team captain's desk in the H5 build: a villager's order the station sent to 东关村网格服务队
 * waits on the desk of its captain 王建国; he opens the desk from 我的任务, taps 派给…, picks 刘志刚
 * (each member with what they hold now), confirms; the order moves to 队员在办 and 刘志刚 is busy;
 * 刘志刚 finds it under 派给我 and accepts it.
 * Screenshots: test-artifacts/e2e/captain.
 */
const VILLAGER = 'u_villager_zhang'
const STATION = 'u_station_dg'
const MEMBER = 'u_vol_02' // 刘志刚

e2eSuite('the team captain’s desk (H5 in Chromium)', () => {
  let s: Session
  let rt: TestRuntime
  let page: Page

  beforeAll(async () => {
    s = await openSession('captain')
    ;({ rt, page } = s)
  }, 60_000)
  afterAll(() => closeSession(s))

  const click = (sel: string) => s.click(sel)

  test('the captain assigns a team order to a member, who accepts it', async () => {
    // setup (no person in this test places or dispatches: a villager's order, sent by the station to the team)
    const placed = await rt.call(
      'order',
      'place',
      { requestId: `e2e_cap_${Date.now()}`, gridCode: 'XF010101', serviceId: 'svc_01', description: '村口路灯下的电线垂下来了', contactPhone: '13800001111', contactName: '张大爷', privacyVersion: PRIVACY_VERSION },
      VILLAGER,
    )
    expect(placed.ok).toBe(true)
    const { id, no } = placed.data as { id: string; no: string }
    const sent = await rt.call('order', 'dispatch', { id, teamId: 'team_dg' }, STATION)
    expect(sent.ok).toBe(true)

    // 1. the captain opens his desk from 我的任务
    await s.signIn('王建国', '/volunteer/tasks/index')
    await click('#link-desk')
    await see(page.locator('#desk-team')).hasText('东关村网格服务队')
    await see(page.locator('#desk-waiting')).contains(no)
    await see(page.locator('#desk-waiting')).contains('村口路灯下的电线垂下来了')
    await s.shot('captain-desk-waiting')

    // 2. 派给… → the members, each with what they hold now → 刘志刚 → confirm
    await click(`#btn-assign-${id}`)
    await see(page.locator('#member-picker')).contains('刘志刚')
    await see(page.locator(`#member-${MEMBER}`)).contains('刘志刚')
    await see(page.locator(`#member-${MEMBER}`)).contains('空闲')
    await s.shot('captain-member-picker')
    await click(`#member-${MEMBER}`)
    await s.confirmModal('派给刘志刚')
    await see(page.locator('#tab-held')).contains('队员在办 1')
    await click('#tab-held')
    await see(page.locator('#desk-held')).contains(no)
    await see(page.locator('#desk-held')).contains('队员：刘志刚')
    await click('#tab-members')
    await see(page.locator(`#desk-member-${MEMBER}`)).contains('在办1件')
    await s.shot('captain-desk-held')

    const assigned = (await rt.db.collection('orders').doc(id).get()).data[0]
    expect(assigned).toMatchObject({ status: 'dispatched', assignee: { id: MEMBER, name: '刘志刚' }, team: { id: 'team_dg' } })
    expect(assigned.history.at(-1)).toMatchObject({ action: 'assign', byName: '王建国' })

    // 3. 刘志刚 finds it under 派给我 and accepts it
    await s.signIn('刘志刚', '/volunteer/tasks/index')
    await click('#tab-assigned')
    await see(page.locator('#task-list')).contains('村口路灯下的电线垂下来了')
    await s.shot('member-tasks-assigned')
    await page.locator('#task-list').filter({ visible: true }).getByText('村口路灯下的电线垂下来了').first().click()
    await click('#btn-accept')
    await see(page.locator('#vol-order-status')).hasText('已接单')
    await s.shot('member-accepted')

    const accepted = (await rt.db.collection('orders').doc(id).get()).data[0]
    expect(accepted).toMatchObject({ status: 'accepted', assignee: { id: MEMBER } })
    const notices = (await rt.db.collection('inbox').where({ userId: MEMBER, orderId: id }).get()).data as { kind: string }[]
    expect(notices.map((n) => n.kind)).toEqual(['task_assigned'])
  }, 120_000)
})
