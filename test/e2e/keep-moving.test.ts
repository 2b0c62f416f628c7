import type { Page } from 'playwright-core'
import { PRIVACY_VERSION } from '../../src/core'
import { relativeTime } from '../../src/core/timeliness'
import { uploadPhotos } from '../helpers/photos'
import type { TestRuntime } from '../helpers/runtime'
import { closeSession, e2eSuite, openSession, see, type Session } from './browser'

/**
 * Keeping an order moving, as people do it in the H5 build: the station asks for more time
 * (延期) and the township approves it, the villager reads the new deadline; the station takes
 * an accepted order back (收回) and the volunteer is told; a volunteer hands an order back
 * (退单); a completed order the villager never confirmed comes up under 回访 after the sweep
 * and the station records the phone call. Screenshots: test-artifacts/e2e/keep-moving.
 */
const VILLAGER = 'u_villager_zhang'
const STATION = 'u_station_dg' // 刘站长, 东关村
const VOLUNTEER = 'u_vol_02' // 刘志刚, 东关村网格服务队

e2eSuite('keeping orders moving (H5 in Chromium)', () => {
  let s: Session
  let rt: TestRuntime
  let page: Page
  let seq = 0

  beforeAll(async () => {
    s = await openSession('keep-moving')
    ;({ rt, page } = s)
  }, 60_000)
  afterAll(() => closeSession(s))

  /** An order placed by the villager through the function (the placing screens have their own suite). */
  async function placeOrder(description: string, at?: Date): Promise<string> {
    const r = await rt.call(
      'order',
      'place',
      { requestId: `e2e_km_${Date.now()}_${++seq}`, gridCode: 'XF010101', serviceId: 'svc_01', description, contactPhone: '13800001111', contactName: '张大爷', privacyVersion: PRIVACY_VERSION },
      VILLAGER,
      at,
    )
    expect(r.ok).toBe(true)
    return r.data.id
  }
  const act = async (action: string, data: Record<string, unknown>, as: string, at?: Date) => {
    const r = await rt.call('order', action, data, as, at)
    if (!r.ok) throw new Error(`${action}: ${r.message}`)
    return r.data
  }
  /** setup: placed, dispatched to 刘志刚 by the station, accepted by him */
  async function acceptedByLiu(description: string, at?: (min: number) => Date): Promise<string> {
    const id = await placeOrder(description, at?.(0))
    await act('dispatch', { id, volunteerId: VOLUNTEER }, STATION, at?.(1))
    await act('accept', { id }, VOLUNTEER, at?.(2))
    return id
  }
  const stored = async (id: string) => (await rt.db.collection('orders').doc(id).get()).data[0] as any
  const click = (sel: string) => s.click(sel)
  const fill = (sel: string, text: string) => s.fill(sel, text)
  const confirmModal = (message: string) => s.confirmModal(message)
  const sweepAt = (at: Date) => s.sweepAt(at)

  const workItem = (description: string) =>
    page.locator('#incoming-list').filter({ visible: true }).locator('[class*=incoming__item]').filter({ hasText: description }).first()

  let extendedId: string | undefined

  test('延期: the station asks for two more days, the township approves, the villager reads the new deadline', async () => {
    // setup: dispatched to 刘志刚 and accepted by him (those steps have their own suite)
    const desc = '厨房的水龙头一直滴水，关不紧'
    const id = await acceptedByLiu(desc)
    const due0 = (await stored(id)).clock.dueAt as Date

    // the station asks for more time: the dialog wants the number of days first
    await s.signIn('刘站长', `/staff/order/index?id=${id}`)
    await see(page.locator('#staff-order-status')).hasText('已接单')
    await click('#btn-extend')
    await see(page.locator('.xs-dialog__warn')).contains('由上一级审批')
    await click('#btn-reason-submit')
    await see(page.locator('#reason-error')).hasText('请选择延期天数')
    await click('#choice-2')
    await fill('#reason-input', '要换的阀芯镇上缺货，等县里送来')
    await s.shot('station-extend-dialog')
    await click('#btn-reason-submit')
    await see(page.locator('#staff-order-extension')).contains('待审批')
    await see(page.locator('#staff-order-extension')).contains('要换的阀芯镇上缺货，等县里送来')
    await s.shot('station-extension-pending')

    // the township finds it under 延期审批 and approves
    await s.signIn('陈所长', `/staff/incoming/index`)
    await click('#tab-extension')
    const item = workItem(desc)
    await item.waitFor()
    await see(item).contains('刘站长申请延期2个工作日')
    await s.shot('township-extension-tab')
    await item.click()
    await see(page.locator('#staff-order-extension')).contains('待审批')
    await click('#btn-approve-extension')
    await confirmModal('同意延期2个工作日？')
    await see(page.locator('#staff-order-extension')).contains('已同意')
    await see(page.locator('#staff-order-clock')).contains('已延期1/3次')
    await s.shot('township-extension-approved')

    const o = await stored(id)
    expect(o.extensionsUsed).toBe(1)
    expect(o.extension).toMatchObject({ status: 'approved', workdays: 2, byName: '刘站长', decision: { byName: '陈所长', role: 'township' } })
    const due1 = o.clock.dueAt as Date
    expect(due1.getTime()).toBeGreaterThan(due0.getTime())
    expect(o.history.map((h: any) => h.action).slice(-2)).toEqual(['requestExtension', 'approveExtension'])

    // the villager reads the new deadline on the order
    await s.signIn('张大爷', `/pages/orders/detail?id=${id}`)
    const now = Date.now()
    await see(page.locator('#order-due')).contains(`志愿者刘志刚正在办理，${relativeTime(due1, now)}前办完`)
    expect(await page.locator('#order-due').filter({ visible: true }).first().textContent()).not.toContain(relativeTime(due0, now))
    await s.shot('villager-new-deadline')
    extendedId = id
  }, 180_000)

  test('收回: the station takes the accepted order back from the volunteer, who is told in his inbox', async () => {
    if (!extendedId) throw new Error('needs the accepted order of the 延期 test')
    const id = extendedId

    await s.signIn('刘站长', `/staff/order/index?id=${id}`)
    await see(page.locator('#staff-order-status')).hasText('已接单')
    await click('#btn-recall')
    await see(page.locator('.xs-dialog__warn')).contains('从志愿者刘志刚手里收回，诉求回到待派单')
    await fill('#reason-input', '刘志刚这几天联系不上')
    await s.shot('station-recall-dialog')
    await click('#btn-reason-submit')
    await see(page.locator('#staff-order-status')).hasText('待派单')
    await see(page.locator('#staff-order-history')).contains('刘志刚这几天联系不上')
    await s.shot('station-recalled')

    const o = await stored(id)
    expect(o.status).toBe('pending')
    expect(o.assignee ?? null).toBeNull()
    expect(o.history.at(-1)).toMatchObject({ action: 'recall', byName: '刘站长', role: 'station', reason: '刘志刚这几天联系不上' })
    expect(o.clock).toMatchObject({ stage: 'dispatch' })

    // the volunteer reads it in his messages
    await s.signIn('刘志刚', `/pages/inbox/index`)
    await see(page.locator('#inbox-list')).contains('已被工作人员收回，原因：刘志刚这几天联系不上，无需再上门')
    await s.shot('volunteer-inbox-recalled')
  }, 120_000)

  test('退单: the volunteer hands an accepted order back before going; the station is told', async () => {
    // setup: dispatched to 刘志刚 and accepted by him
    const id = await acceptedByLiu('帮忙把院子里倒了的晾衣杆重新立起来')

    await s.signIn('刘志刚', `/volunteer/order/index?id=${id}`)
    await see(page.locator('#vol-order-status')).hasText('已接单')
    await click('#btn-handback')
    await see(page.locator('.xs-dialog__warn')).contains('退单后任务退回文明实践站重新派单')
    await fill('#reason-input', '家里老人住院，这几天去不了')
    await s.shot('volunteer-handback-dialog')
    await click('#btn-reason-submit')
    await see(page.locator('#vol-order-status')).hasText('待派单')
    await s.shot('volunteer-handed-back')

    const o = await stored(id)
    expect(o.status).toBe('pending')
    expect(o.history.at(-1)).toMatchObject({ action: 'handBack', byName: '刘志刚', reason: '家里老人住院，这几天去不了' })

    // the station that dispatched it reads why it came back
    await s.signIn('刘站长', `/pages/inbox/index`)
    await see(page.locator('#inbox-list')).contains('志愿者刘志刚退回了')
    await see(page.locator('#inbox-list')).contains('原因：家里老人住院，这几天去不了，请重新派单')
    await s.shot('station-inbox-handed-back')
  }, 120_000)

  test('回访: unconfirmed three days after completion, the station calls the villager and records 已解决', async () => {
    // setup, back-dated so that three days and a minute after completion is a moment ago:
    // placed, dispatched, accepted, checked in, completed with a photo by 刘志刚
    const desc = '堂屋顶上的吊扇不转了'
    const start = Date.now() - (3 * 24 * 60 + 10) * 60_000
    const at = (min: number) => new Date(start + min * 60_000)
    const id = await acceptedByLiu(desc, at)
    await act('checkIn', { id }, VOLUNTEER, at(3))
    const photos = await uploadPhotos(rt, 1, VOLUNTEER)
    await act('complete', { id, note: '换了电容，吊扇转起来了', photos }, VOLUNTEER, at(4))
    const completedAt = (await stored(id)).completion.at as Date

    // the sweep (the system) three days and a minute later; the staff's phones live at that moment
    const later = new Date(completedAt.getTime() + (3 * 24 * 60 + 1) * 60_000)
    await sweepAt(later)
    const swept = await stored(id)
    expect(swept.clock).toMatchObject({ stage: 'confirm', followUp: true })
    expect(swept.history.at(-1)).toMatchObject({ action: 'followUpDue', role: 'system' })
    await page.clock.setFixedTime(later)

    await s.signIn('刘站长', `/staff/incoming/index`)
    await click('#tab-followUp')
    const item = workItem(desc)
    await item.waitFor()
    await see(item.locator('.xw-due')).hasText('待电话回访')
    await s.shot('station-followup-tab')
    await item.click()
    await see(page.locator('#staff-order-status')).hasText('待确认')
    await click('#btn-followup-fixed')
    await confirmModal('村民在电话里确认已经解决了？')
    await see(page.locator('#staff-order-status')).hasText('已解决')
    // the step in the timeline says it was a phone call and who made it (刘站长 also dispatched it: read that step only)
    const called = page.locator('#staff-order-history .xt-step').filter({ hasText: '电话回访：已解决' })
    await see(called).contains('刘站长（村文明实践站）')
    await see(called).contains('回访记录：电话回访，村民确认已解决')
    await s.shot('station-followup-fixed')

    const o = await stored(id)
    expect(o.status).toBe('fixed')
    expect(o.clock ?? null).toBeNull()
    expect(o.history.at(-1)).toMatchObject({ action: 'followUpFixed', by: STATION, byName: '刘站长', role: 'station' })
  }, 180_000)
})
