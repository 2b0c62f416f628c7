import type { Page } from 'playwright-core'
import type { TestRuntime } from '../helpers/runtime'
import { closeSession, e2eSuite, openSession, pngFile, see, type Session } from './browser'

/**
 * 随手拍 and the 问题台账 as people use them in the H5 build:
 * a grid leader snaps a hazard on patrol and reports it (a first try on a dead network keeps
 * everything typed and reports once) → the station finds it in 诉求处理 marked 网格上报 and
 * dispatches it → a volunteer serves it (through the functions: the loop suite clicks those
 * screens) → the reporter confirms it fixed from 我的上报; another problem the leader handles on
 * the spot with a photo after, and the station's ledger shows it 已就地处置 under 已办结 / 网格上报.
 * Screenshots: test-artifacts/e2e/patrol.
 */
const LEADER = 'u_vol_01' // 王建国, grid leader of 东关村第一网格, captain of 东关村网格服务队 (the station: 刘站长, 东关村)
const VOLUNTEER = 'u_vol_02' // 刘志刚, 东关村网格服务队

e2eSuite('随手拍 and the problem ledger (H5 in Chromium)', () => {
  let s: Session
  let rt: TestRuntime
  let page: Page
  let seq = 0

  beforeAll(async () => {
    s = await openSession('patrol')
    ;({ rt, page } = s)
  }, 60_000)
  afterAll(() => closeSession(s))

  const click = (sel: string) => s.click(sel)
  const fill = (sel: string, text: string) => s.fill(sel, text)
  const act = async (action: string, data: Record<string, unknown>, as: string) => {
    const r = await rt.call('order', action, data, as)
    if (!r.ok) throw new Error(`${action}: ${r.message}`)
    return r.data
  }
  const reportsOf = async (openId: string) => (await rt.db.collection('orders').where({ source: 'patrol', villagerId: openId }).get()).data as any[]
  /** tap the add tile, pick a photo in the file chooser the page opens */
  const choosePhoto = async (trigger: string) => {
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator(trigger).filter({ visible: true }).first().click()])
    await chooser.setFiles(pngFile(`patrol-${++seq}.png`))
  }
  /** `n` tiles in the picker, none still uploading or failed */
  const uploaded = async (picker: string, n: number) => {
    const tiles = page.locator(`${picker} .xw-photos__img`).filter({ visible: true })
    const masks = page.locator(`${picker} .xw-photos__mask`).filter({ visible: true })
    for (let i = 0; i < 150; i++) {
      if ((await tiles.count()) >= n && (await masks.count()) === 0) return
      await page.waitForTimeout(100)
    }
    throw new Error(`${picker}: ${await tiles.count()} photo(s), ${await masks.count()} not uploaded (${await masks.first().textContent().catch(() => '')})`)
  }
  const valueOf = (sel: string) => page.locator(`${sel} textarea, ${sel} input`).filter({ visible: true }).first().inputValue()

  test('a grid leader reports a hazard → the station dispatches it → a volunteer serves it → the reporter confirms it fixed', async () => {
    // 随手拍 from the volunteer workbench
    await s.signIn('王建国', '/volunteer/tasks/index')
    await click('#link-patrol')
    await see(page.locator('#patrol-grid')).contains('东关村第一网格')
    await click('#kind-hazard')
    await choosePhoto('#patrol-add-photo')
    await uploaded('#patrol-photos', 1)
    await fill('#patrol-note', '村口变压器旁的电线垂下来了，离地面很近，孩子放学要从这里过')
    await fill('#patrol-spot', '村口变压器旁')
    await s.shot('leader-patrol-form')

    // the network drops: nothing is lost, and the tip says a second tap will not report twice
    await page.context().setOffline(true)
    await click('#btn-patrol-report')
    await s.confirmModal('实践站')
    await see(page.locator('#error-message')).contains('网络')
    await see(page.locator('#patrol-uncertain')).contains('不会重复')
    expect(await valueOf('#patrol-note')).toContain('电线垂下来了')
    expect(await valueOf('#patrol-spot')).toBe('村口变压器旁')
    await s.shot('leader-patrol-offline')
    await page.context().setOffline(false)

    await click('#btn-patrol-report')
    await s.confirmModal('实践站')
    await see(page.locator('#patrol-result-title')).hasText('已上报，等待实践站安排')
    await s.shot('leader-patrol-reported')
    const reports = await reportsOf(LEADER)
    expect(reports).toHaveLength(1)
    expect(reports[0]).toMatchObject({ status: 'pending', source: 'patrol' })
    const id = reports[0]._id as string

    // the result links to the report as its reporter follows it
    await click('#btn-patrol-open')
    await see(page.locator('#order-status')).hasText('待派单')
    await see(page.locator('#patrol-report')).contains('安全隐患 · 村口变压器旁')
    await s.shot('leader-report-detail')

    // the station: in 诉求处理 marked 网格上报, with the reporter's photo; dispatches to 刘志刚
    await s.signIn('刘站长', '/staff/incoming/index')
    await see(page.locator('#incoming-list')).contains('电线垂下来了')
    const item = page.locator('#incoming-list').filter({ visible: true }).locator('.incoming__item', { hasText: '电线垂下来了' }).first()
    expect(await item.textContent()).toContain('网格上报')
    await s.shot('station-incoming-patrol')
    await item.click()
    await see(page.locator('#staff-order-status')).hasText('待派单')
    await see(page.locator('#patrol-report')).contains('安全隐患 · 村口变压器旁')
    expect(await page.locator('#patrol-report .xf-photos__img').filter({ visible: true }).count()).toBeGreaterThan(0)
    await click('#btn-dispatch')
    await see(page.locator('#suggest-list')).contains('刘志刚')
    await page.locator('#suggest-list').filter({ visible: true }).getByText('刘志刚').first().click()
    await s.confirmModal()
    await see(page.locator('#staff-order-status')).hasText('已派单')
    await s.shot('station-dispatched-patrol')

    // the volunteer accepts and completes it (these screens are clicked in the loop suite)
    await act('accept', { id }, VOLUNTEER)
    await act('complete', { id, note: '联系供电所把电线重新架高并固定好了' }, VOLUNTEER)

    // the reporter finds it in 我的上报 and confirms it fixed, as a villager would
    await s.signIn('王建国', '/volunteer/patrol/index')
    await click('#tab-mine')
    await see(page.locator('#patrol-mine-list')).contains('待确认')
    await s.shot('leader-my-reports')
    await page.locator('#patrol-mine-list').filter({ visible: true }).getByText('电线垂下来了').first().click()
    await see(page.locator('#order-status')).hasText('待确认')
    await see(page.locator('#completion')).contains('重新架高')
    await click('#btn-fixed')
    await click('#star-5')
    await fill('#rating-comment', '刘志刚当天就联系好了，谢谢')
    await click('#btn-confirm-submit')
    await see(page.locator('#order-status')).hasText('已解决')
    await s.shot('leader-confirmed-fixed')
    expect((await rt.db.collection('orders').doc(id).get()).data[0].status).toBe('fixed')
  }, 180_000)

  test('a grid leader handles a problem on the spot → the ledger shows it 已就地处置 under 已办结', async () => {
    await s.signIn('王建国', '/volunteer/patrol/index')
    await click('#kind-environment')
    await choosePhoto('#patrol-add-photo')
    await uploaded('#patrol-photos', 1)
    await fill('#patrol-note', '三组路口堆了一堆建筑垃圾，挡住半边路')
    await click('#btn-patrol-handle')
    // no photo after yet: asked for one
    await fill('#patrol-after-note', '叫上两户村民一起把垃圾清到了指定地点')
    await click('#btn-patrol-handle-submit')
    await see(page.locator('#error-message')).contains('处置后的照片')
    await choosePhoto('#patrol-add-after-photo')
    await uploaded('#patrol-after-photos', 1)
    await s.shot('leader-handle-form')
    await click('#btn-patrol-handle-submit')
    await s.confirmModal('直接办结')
    await see(page.locator('#patrol-result-title')).hasText('已记录，感谢')
    await s.shot('leader-handled')
    expect((await reportsOf(LEADER)).filter((o) => o.status === 'handled')).toHaveLength(1)

    // the form is empty again for the next one
    await click('#btn-patrol-again')
    expect(await valueOf('#patrol-note')).toBe('')

    // the station's ledger: 网格上报 + 已办结 lists it as handled on the spot, and how it ended
    await s.signIn('刘站长', '/staff/incoming/index')
    await click('#link-ledger')
    await click('#src-patrol')
    await click('#state-closed')
    await see(page.locator('#ledger-list')).contains('建筑垃圾')
    const entry = page.locator('#ledger-list').filter({ visible: true }).locator('.ledger-item', { hasText: '建筑垃圾' }).first()
    const text = (await entry.textContent()) ?? ''
    expect(text).toContain('已就地处置')
    expect(text).toContain('网格上报')
    expect(text).toContain('王建国')
    // the reported one, fixed, is there too
    await see(page.locator('#ledger-list')).contains('电线垂下来了')
    await s.shot('station-ledger-patrol-closed')

    // other filters leave it out: 在办 (both reports are finished), 热线 (the demo county has no hotline orders)
    await click('#state-open')
    await see(page.locator('.xf-empty__text')).contains('没有符合条件的记录')
    await click('#state-closed')
    await see(page.locator('#ledger-list')).contains('建筑垃圾')
    await click('#src-hotline')
    await see(page.locator('.xf-empty__text')).contains('没有符合条件的记录')
    await s.shot('station-ledger-hotline-empty')

    // 导出 carries the filters to the export page
    await click('#src-patrol')
    await see(page.locator('#ledger-list')).contains('建筑垃圾')
    await click('#ledger-export')
    await page.waitForFunction(() => location.hash.includes('staff/export/index'))
    expect(decodeURIComponent(page.url())).toContain('source=patrol')
    await see(page.locator('#source-patrol')).hasText('网格上报')
    expect(await page.locator('#source-patrol').filter({ visible: true }).first().getAttribute('class')).toContain('xw-chip--on')
    await s.shot('station-export-from-ledger')
  }, 180_000)
})
