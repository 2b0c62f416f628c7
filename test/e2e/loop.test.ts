import type { Page } from 'playwright-core'
import type { TestRuntime } from '../helpers/runtime'
import { closeSession, e2eSuite, openSession, placeOrderByScan, pngFile, see, type Session } from './browser'

/**
 * The five-step loop across all roles, every step clicked and typed as the person would in the
 * H5 build: 点 (scan landing → order form) → 派 (the station's 诉求处理 → 派单) → 接 → 到达 → 完成
 * (带照片) → 评 (已解决, 5星) → 审核评价 → 晒 → 审核晒单 → 公开展示; plus the not-fixed reopen,
 * a volunteer decline, a station rejection and a cancellation — each from the villager's own
 * order through to where the next person finds it. The API is used only to read the stored
 * order, as an independent check of what the screens say.
 *
 * Every confirmation a person answers is asserted with `s.confirmModal(text)`, which waits for
 * the modal saying `text` and fails after 15 s if there is none: were a dialog removed (派单,
 * 完成服务, 直接签到, 审核通过), the step would fail there rather than pass by clicking nothing
 * — and the button it taps is the modal's own 确定, found only while the modal shows. Every
 * answer the person is shown is asserted too: the toast, the new state, the item leaving the queue.
 * Screenshots of every screen: test-artifacts/e2e/loop.
 */
const VOLUNTEER = '王建国' // u_vol_01, captain of 东关村网格服务队, grid XF010101

e2eSuite('the five-step loop across all roles (H5 in Chromium)', () => {
  let s: Session
  let rt: TestRuntime
  let page: Page
  let seq = 0

  beforeAll(async () => {
    s = await openSession('loop')
    ;({ rt, page } = s)
  }, 60_000)
  afterAll(() => closeSession(s))

  const stored = async (id: string) => (await rt.db.collection('orders').doc(id).get()).data[0] as any
  const visible = (sel: string) => page.locator(sel).filter({ visible: true }).first()
  /** the item of a visible list that shows `text` */
  const item = (list: string, cls: string, text: string) => page.locator(list).filter({ visible: true }).locator(cls, { hasText: text }).first()
  const choosePhoto = async (trigger: string) => {
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), visible(trigger).click()])
    await chooser.setFiles(pngFile(`loop-${++seq}.png`))
  }
  /** poll until `check` holds (an item leaving a list, a stored state) */
  const until = async (check: () => Promise<boolean>, what: string) => {
    for (let i = 0; i < 75; i++) {
      if (await check()) return
      await page.waitForTimeout(200)
    }
    throw new Error(`timed out waiting for ${what}`)
  }

  /** The station signs in on 诉求处理 (待派单) and opens the order that says `description`. */
  async function stationOpens(description: string) {
    await s.signIn('刘站长')
    await item('#incoming-list', '.incoming__item', description).click()
    await see(page.locator('#staff-order-status')).hasText('待派单')
  }

  /** The station dispatches it to the suggested volunteer of the same grid. */
  async function stationDispatches(description: string, shots = false) {
    await stationOpens(description)
    await s.click('#btn-dispatch')
    await see(page.locator('#suggest-list')).contains(VOLUNTEER)
    if (shots) await s.shot('station-dispatch-suggestions')
    await page.locator('#suggest-list').filter({ visible: true }).getByText(VOLUNTEER).first().click()
    await s.confirmModal(`把这条诉求派给「${VOLUNTEER}」？`)
    await s.toast('已派单')
    await see(page.locator('#staff-order-status')).hasText('已派单')
    if (shots) await s.shot('station-dispatched')
  }

  /** The volunteer signs in on 我的任务, finds it under 派给我 and opens it. */
  async function volunteerOpens(description: string, shots = false) {
    await s.signIn(VOLUNTEER)
    await s.click('#tab-assigned')
    await see(page.locator('#task-list')).contains(description)
    if (shots) await s.shot('volunteer-tasks')
    await item('#task-list', '.vtasks__item', description).click()
    await see(page.locator('#vol-order-status')).hasText('已派单')
  }

  /** 接单 → 到达签到 (no villager at hand: the unverified check-in) → 完成服务 with a note and a photo. */
  async function volunteerCompletes(note: string, shots = false) {
    await s.click('#btn-accept')
    await s.toast('接单成功')
    await see(page.locator('#vol-order-status')).hasText('已接单')
    // the points suite checks in with the villager's code; here nobody is at the door
    await s.click('#btn-checkin')
    await s.click('#arrival-skip')
    await s.confirmModal('未核验的签到，服务时长将记为未核验')
    await s.toast('已签到')
    await see(page.locator('#vol-order-status')).hasText('服务中')
    await s.click('#btn-complete')
    await s.fill('#complete-note', note)
    await choosePhoto('#complete-add-photo')
    if (shots) await s.shot('volunteer-complete-form')
    await s.click('#btn-complete-submit')
    await s.confirmModal('提交服务说明和1张照片，请村民确认？')
    await s.toast('已提交完成')
    await see(page.locator('#vol-order-status')).hasText('待确认')
  }

  /** The villager opens the order from 我的诉求 (reached from the scan landing). */
  async function villagerOpens(description: string) {
    await s.signIn('张大爷', '/pages/scan/index?code=XF010101')
    await s.click('#my-orders-link')
    await item('#my-orders', '.orders__item', description).click()
  }

  /** The station opens 审核 from 诉求处理 (on `tab`) and approves the item showing `text`; it leaves the queue. */
  async function stationApproves(tab: 'rating' | 'showcase', text: string, confirm: string, shot: string) {
    await s.signIn('刘站长')
    await s.click('#link-approvals')
    await s.click(`#tab-${tab}`)
    const card = item('#approval-list', '.approvals__item', text)
    await card.waitFor()
    await s.shot(shot)
    await card.locator('#btn-approve').click()
    await s.confirmModal(confirm)
    await s.toast('已通过')
    const list = page.locator('#approval-list').filter({ visible: true }).locator('.approvals__item', { hasText: text })
    await until(async () => (await list.count()) === 0, `the approved item to leave the queue: ${text}`)
  }

  test('点 → 派 → 接 → 完成 → 评 → 审核 → 晒 → 审核 → 公开', async () => {
    // 点: the villager scans the signboard and orders
    const id = await placeOrderByScan(s, { description: '堂屋的电灯不亮了，开关也没反应', name: '张大爷' })
    await s.shot('villager-placed')

    // 派, 接, 到达, 完成
    await stationDispatches('堂屋的电灯不亮了', true)
    await volunteerOpens('堂屋的电灯不亮了', true)
    await volunteerCompletes('换了灯泡和开关，已恢复照明', true)
    expect((await stored(id)).status).toBe('completed')

    // 评: the villager confirms it is fixed and gives 5 stars
    await villagerOpens('堂屋的电灯不亮了')
    await see(page.locator('#order-status')).hasText('待确认')
    await see(page.locator('#completion')).contains('换了灯泡和开关')
    await s.click('#btn-fixed')
    await s.click('#star-5')
    await s.fill('#rating-comment', '王师傅来得快，修得好')
    await s.shot('villager-rate')
    await s.click('#btn-confirm-submit')
    await s.toast('感谢评价')
    await see(page.locator('#order-status')).hasText('已解决')

    // the station approves the rating: it leaves the queue and counts
    await stationApproves('rating', '王师傅来得快', '通过后这条评价计入志愿者评分', 'approvals-rating')
    await until(async () => (await stored(id)).rating?.status === 'approved', 'the rating to be approved')
    expect((await stored(id)).rating).toMatchObject({ stars: 5, status: 'approved' })

    // 晒: the villager showcases it with a photo
    await villagerOpens('堂屋的电灯不亮了')
    await see(page.locator('#order-status')).hasText('已解决')
    await s.click('#btn-showcase')
    await s.fill('#showcase-story', '家里的灯修好了，志愿者王师傅半小时就到，感谢网格服务队！')
    await choosePhoto('#showcase-add-photo')
    await s.shot('villager-showcase')
    await s.click('#btn-showcase-submit')
    await see(page.locator('#showcase-submitted')).contains('晒单已提交')

    // the station approves the showcase; it appears in the village's feed, reached from the scan landing
    await stationApproves('showcase', '半小时就到', '通过后这条晒单会在村里的晒单栏公开展示', 'approvals-showcase')
    await s.signIn('张大爷', '/pages/scan/index?code=XF010101')
    await s.click('#feed-link')
    await see(page.locator('#feed-list')).contains('半小时就到')
    expect(await visible('#feed-list').textContent()).not.toContain('13800001111')
    await s.shot('public-feed')
  }, 240_000)

  test('not fixed reopens the order: back with the station, the reason in its history', async () => {
    const id = await placeOrderByScan(s, { description: '院子里的水管又漏了' })
    await stationDispatches('院子里的水管又漏了')
    await volunteerOpens('院子里的水管又漏了')
    await volunteerCompletes('拧紧了接头')

    await villagerOpens('院子里的水管又漏了')
    await see(page.locator('#order-status')).hasText('待确认')
    await s.click('#btn-not-fixed')
    await s.fill('#not-fixed-reason', '还是在漏水')
    await s.click('#btn-confirm-submit')
    await s.toast('已反馈，会重新安排')
    await see(page.locator('#order-status')).hasText('待派单')
    await s.shot('villager-not-fixed')
    expect((await stored(id)).status).toBe('pending')

    // the station finds it again under 待派单, with the villager's words
    await stationOpens('院子里的水管又漏了')
    await see(page.locator('#staff-order-history')).contains('还是在漏水')
    await s.shot('station-reopened')
  }, 180_000)

  test('a volunteer declines with a reason: back to the station', async () => {
    const id = await placeOrderByScan(s, { description: '帮忙看看电表跳闸' })
    await stationDispatches('帮忙看看电表跳闸')
    await volunteerOpens('帮忙看看电表跳闸')
    await s.click('#btn-decline')
    await s.fill('#reason-input', '今天在外地，赶不回来')
    await s.click('#btn-reason-submit')
    await s.toast('已拒单')
    await see(page.locator('#vol-order-status')).hasText('待派单')
    await s.shot('volunteer-declined')
    expect((await stored(id)).status).toBe('pending')

    await stationOpens('帮忙看看电表跳闸')
    await see(page.locator('#staff-order-history')).contains('今天在外地，赶不回来')
    await s.shot('station-declined-back')
  }, 120_000)

  test('the station rejects with a reason; the villager sees it', async () => {
    const id = await placeOrderByScan(s, { description: '想请人帮忙去县城办社保' })
    await stationOpens('想请人帮忙去县城办社保')
    await s.click('#btn-reject')
    await s.fill('#reason-input', '请到乡镇便民服务中心办理')
    await s.click('#btn-reason-submit')
    await s.toast('已驳回')
    await see(page.locator('#staff-order-status')).hasText('已驳回')
    await s.shot('station-rejected')
    expect((await stored(id)).status).toBe('rejected')

    await villagerOpens('想请人帮忙去县城办社保')
    await see(page.locator('#order-status')).hasText('已驳回')
    await see(page.locator('#order-history')).contains('请到乡镇便民服务中心办理')
    await s.shot('villager-sees-rejection')
  }, 120_000)

  test('the villager cancels before anyone accepts', async () => {
    const id = await placeOrderByScan(s, { description: '家门口路灯不亮' })
    await s.click('#btn-cancel')
    // the confirm step is a panel on the page (nothing happens on the first tap)
    await see(page.locator('#cancel-panel')).contains('确定要取消这条诉求吗？')
    await s.click('#btn-cancel-confirm')
    await s.toast('已取消')
    await see(page.locator('#order-status')).hasText('已取消')
    await s.shot('villager-cancelled')
    expect((await stored(id)).status).toBe('cancelled')
  }, 90_000)
})
