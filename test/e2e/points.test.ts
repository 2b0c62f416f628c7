import type { Page } from 'playwright-core'
import { PRIVACY_VERSION } from '../../src/core'
import { pdfText } from '../helpers/pdfQr'
import type { TestRuntime } from '../helpers/runtime'
import { closeSession, e2eSuite, openSession, see, type Session } from './browser'

/**
 * Points as people meet them, in the H5 build, on one clock the test moves (the runtime's
 * and the browser's): the volunteer accepts, checks in with the code the villager shows,
 * completes 90 minutes later; the villager confirms with 5 stars; the station approves the
 * rating; 我的积分 shows the entries pending; after the month the township publishes, and
 * a volunteer objects to an entry and the township answers with a correction; once the
 * window is over the township finalises the month; the volunteer's points are final; the county adds
 * an item to the store; the volunteer redeems it; the station hands it over with the code;
 * the volunteer's 志愿服务记录证明 lists the service (read with pdftotext).
 * Screenshots: test-artifacts/e2e/points.
 */
const VILLAGER = 'u_villager_zhang'
const STATION = 'u_station_dg'
const VOLUNTEER = 'u_vol_02' // 刘志刚, 东关村网格服务队

e2eSuite('points, review, store and certificate (H5 in Chromium)', () => {
  let s: Session
  let rt: TestRuntime
  let page: Page
  let now = new Date('2026-11-10T02:00:00Z') // Tuesday 10:00 in Shanghai

  beforeAll(async () => {
    s = await openSession('points')
    ;({ rt, page } = s)
    rt.setClock(() => now)
  }, 60_000)
  afterAll(() => closeSession(s))

  /** both clocks: the functions' and the phone's */
  const setNow = async (t: Date) => {
    now = t
    await page.clock.setFixedTime(t)
  }
  const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000)
  const click = (sel: string) => s.click(sel)
  const fill = (sel: string, text: string) => s.fill(sel, text)
  const textOf = async (sel: string) => ((await page.locator(sel).filter({ visible: true }).first().textContent()) ?? '').trim()

  test('earn, review, redeem, hand over, certificate', async () => {
    // setup (no person in this test places or dispatches: their screens have their own suites)
    const placed = await rt.call(
      'order',
      'place',
      { requestId: `e2e_pts_${Date.now()}`, gridCode: 'XF010101', serviceId: 'svc_01', description: '厨房的水龙头一直滴水', contactPhone: '13800001111', contactName: '张大爷', privacyVersion: PRIVACY_VERSION },
      VILLAGER,
      now,
    )
    expect(placed.ok).toBe(true)
    const id = placed.data.id as string
    expect((await rt.call('order', 'dispatch', { id, volunteerId: VOLUNTEER }, STATION, later(5))).ok).toBe(true)

    // 1. the volunteer accepts
    await setNow(later(10))
    await s.signIn('刘志刚', `/volunteer/order/index?id=${id}`)
    await click('#btn-accept')
    await see(page.locator('#vol-order-status')).hasText('已接单')

    // 2. at the door: the villager shows the arrival code, the volunteer types it
    await setNow(later(20))
    await s.signIn('张大爷', `/pages/orders/detail?id=${id}`)
    await click('#arrival-show')
    await see(page.locator('#arrival-code')).contains('')
    const code = (await textOf('#arrival-code')).replace(/\D/g, '')
    expect(code).toMatch(/^\d{6}$/)
    await s.shot('villager-arrival-code')

    await s.signIn('刘志刚', `/volunteer/order/index?id=${id}`)
    await click('#btn-checkin')
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0')
    await fill('#arrival-code-input', wrong)
    await click('#arrival-confirm')
    await see(page.locator('#arrival-error')).contains('核验码不对')
    await fill('#arrival-code-input', code)
    await s.shot('volunteer-arrival-dialog')
    await click('#arrival-confirm')
    await see(page.locator('#vol-order-status')).hasText('服务中')

    // 3. ninety minutes later the work is done
    await setNow(later(90))
    await click('#btn-complete')
    await fill('#complete-note', '换了水龙头的阀芯，不再滴水')
    await click('#btn-complete-submit')
    await s.confirmModal()
    await see(page.locator('#vol-order-status')).hasText('待确认')
    await see(page.locator('#vol-order-hours')).contains('1.5')
    await see(page.locator('#vol-order-hours')).contains('已核验')
    await s.shot('volunteer-completed-hours')

    // 4. the villager confirms with 5 stars; the station approves the rating
    await setNow(later(60))
    await s.signIn('张大爷', `/pages/orders/detail?id=${id}`)
    await click('#btn-fixed')
    await click('#star-5')
    await fill('#rating-comment', '刘师傅修得又快又好')
    await click('#btn-confirm-submit')
    await see(page.locator('#order-status')).hasText('已解决')
    await s.signIn('刘站长', '/staff/approvals/index')
    await see(page.locator('#approval-list')).contains('刘师傅修得又快又好')
    await click('#btn-approve')
    await s.confirmModal()
    const ratingOf = async () => (await rt.db.collection('orders').doc(id).get()).data[0].rating
    for (let i = 0; i < 50 && (await ratingOf())?.status !== 'approved'; i++) await page.waitForTimeout(100)
    expect((await ratingOf()).status).toBe('approved')

    // 5. 我的积分: 5 (fixed) + 2 (1.5 verified hours) + 2 (good rating) pending, nothing final yet
    await s.signIn('刘志刚', '/volunteer/points/index')
    await see(page.locator('#points-pending')).contains('9')
    await see(page.locator('#points-final')).contains('0')
    await see(page.locator('#hours-verified')).contains('1.5')
    await see(page.locator('#points-entries')).contains('完成一次服务（村民确认解决）')
    await see(page.locator('#points-entries')).contains('服务获村民好评')
    await see(page.locator('#points-entries')).contains('服务时长每小时')
    await s.shot('volunteer-points-pending')

    // 6. December: the township publishes November (公示)
    await setNow(new Date('2026-12-01T02:00:00Z'))
    await s.signIn('陈所长', '/staff/points/index')
    await see(page.locator('#month-label')).hasText('2026年11月')
    await see(page.locator('#review-state-label')).hasText('未公示')
    await see(page.locator('#review-entries')).contains('刘志刚')
    await click('#review-publish')
    await s.confirmModal('期间志愿者可以对自己的积分提出异议', '确认公示')
    await see(page.locator('#review-state-label')).hasText('公示中')
    await s.shot('township-published')

    // 7. during the window the volunteer objects to the rating bonus; the township agrees and adds 1 point
    await setNow(new Date('2026-12-02T02:00:00Z'))
    await s.signIn('刘志刚', '/volunteer/points/index')
    await click(`#object-${id}_rating`)
    await fill('#reason-input', '村民给了五星好评，按县里规定应加3分')
    await s.shot('volunteer-objection')
    await click('#btn-reason-submit')
    await see(page.locator(`#entry-${id}_rating`)).contains('村民给了五星好评')
    await s.signIn('陈所长', '/staff/points/index')
    await click('#tab-objections')
    await see(page.locator('#objection-list')).contains('按县里规定应加3分')
    await click(`[id="objection-accept-${id}:rating"]`)
    await click('#correct-sign-plus')
    await fill('#correct-points', '1')
    await fill('#reason-input', '核实后补加1分')
    await s.shot('township-correction')
    await click('#btn-reason-submit')
    await see(page.locator('body')).contains('2026年11月没有待处理的异议')
    for (let i = 0; i < 50 && !(await rt.db.collection('points').doc(`correct:${id}:rating`).get()).data.length; i++) await page.waitForTimeout(100)
    expect((await rt.db.collection('points').doc(`correct:${id}:rating`).get()).data[0]).toMatchObject({ kind: 'correction', points: 1, month: '2026-11' })

    // 8. after the 5-day window, with the objection answered, the township finalises (定稿)
    await setNow(new Date('2026-12-07T02:00:00Z'))
    await s.signIn('陈所长', '/staff/points/index')
    await see(page.locator('#review-state-label')).hasText('公示中')
    await click('#review-finalise')
    await s.confirmModal('定稿后不能再提出异议或更正', '确认定稿')
    await see(page.locator('#review-state-label')).hasText('已定稿')
    await s.shot('township-final')

    // 9. the county puts an item in the store
    await s.signIn('周主任', '/admin/store/index')
    await click('#store-item-new')
    await fill('#store-item-name', '洗衣液')
    await fill('#store-item-price', '5')
    await fill('#store-item-stock', '10')
    await fill('#store-item-place', '东关村新时代文明实践站')
    await s.shot('county-store-item')
    await click('#store-item-save')
    await see(page.locator('#store-items')).contains('洗衣液')
    const item = (await rt.db.collection('storeItems').where({ name: '洗衣液' }).get()).data[0]
    expect(item).toMatchObject({ price: 5, stock: 10, quarters: expect.arrayContaining(['2026Q4']) })

    // 10. the volunteer's points are final (9 + 1); they redeem the item and get a code
    await s.signIn('刘志刚', '/volunteer/store/index')
    await see(page.locator('#store-available')).contains('10')
    await click(`#redeem-${item._id}`)
    await s.confirmModal('用 5 积分兑换「洗衣液」')
    await see(page.locator('#redeem-code')).contains('-')
    const redeemCode = await textOf('#redeem-code')
    expect(redeemCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/)
    expect(await page.locator('#redeem-qr').filter({ visible: true }).first().getAttribute('src')).toMatch(/^data:image\/png;base64,/)
    await s.shot('volunteer-redeemed')
    expect((await rt.db.collection('storeItems').doc(item._id).get()).data[0].stock).toBe(9)

    // 11. the station (store keeper) hands it over with the code
    await s.signIn('刘站长', '/staff/store/index')
    await fill('#handover-code', redeemCode.toLowerCase())
    await click('#handover-lookup')
    await see(page.locator('#handover-result')).contains('洗衣液')
    await see(page.locator('#handover-result')).contains('刘志刚')
    await click('#handover-confirm')
    await s.confirmModal('确认后兑换码作废', '确认发放')
    await see(page.locator('#handover-done')).contains('已发放')
    await s.shot('station-handover')
    const red = (await rt.db.collection('redemptions').where({ code: redeemCode.replace('-', '') }).get()).data[0]
    expect(red).toMatchObject({ state: 'collected', collectedBy: '刘站长' })

    // 12. the volunteer downloads the 志愿服务记录证明; it lists the verified service
    await s.signIn('刘志刚', '/volunteer/points/index')
    await see(page.locator('#points-final')).contains('5')
    await see(page.locator(`#entry-${id}_rating`)).contains('核实后补加1分')
    const popup = page.context().waitForEvent('page', { timeout: 15_000 }).catch(() => null)
    await click('#points-certificate')
    await (await popup)?.close()
    const href = await page.locator('#certificate-link').filter({ visible: true }).first().getAttribute('href')
    expect(href).toMatch(/^https?:\/\//)
    const res = await fetch(href!)
    expect(res.status).toBe(200)
    const text = (await pdfText(Buffer.from(await res.arrayBuffer()))).replace(/[ \t]+/g, ' ')
    const plate = (await rt.db.collection('volunteers').doc(VOLUNTEER).get()).data[0].plate as string
    for (const want of ['志愿服务记录证明', '刘志刚', plate, '2026年11月10日', '水电维修', '1.5', '东关村新时代文明实践站', '出具日期：2026年12月7日']) expect(text).toContain(want)
    await s.shot('volunteer-certificate')
  }, 240_000)
})
