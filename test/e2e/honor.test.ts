import type { Page } from 'playwright-core'
import { PRIVACY_VERSION } from '../../src/core'
import type { TestRuntime } from '../helpers/runtime'
import { closeSession, e2eSuite, openSession, see, type Session } from './browser'

/**
 * The monthly 红黑榜 as people meet it, in the H5 build, on one clock the test moves (the
 * runtime's and the browser's): November's orders are set up through the functions (their
 * own suites click them); on 1 December the county admin opens 红黑榜, reviews the villages
 * and the teams, and publishes with the confirmation; anyone (signed out) opens the public
 * page: the red and black lists, the poster image (loaded, 750 px wide) and the 广播稿,
 * copied with the button. Screenshots: test-artifacts/e2e/honor.
 */
const ZHANG = 'u_villager_zhang'
const LI = 'u_villager_li'
const STATION_DG = 'u_station_dg'
const STATION_XS = 'u_station_xs'
const VOL_DG = 'u_vol_02'
const VOL_XS = 'u_vol_15'

e2eSuite('红黑榜: review, publish, public page and poster (H5 in Chromium)', () => {
  let s: Session
  let rt: TestRuntime
  let page: Page
  // Monday 2 November 2026, 09:00 in Shanghai
  let now = new Date('2026-11-02T09:00:00+08:00')

  beforeAll(async () => {
    s = await openSession('honor')
    ;({ rt, page } = s)
    rt.setClock(() => now)
  }, 60_000)
  afterAll(() => closeSession(s))

  const setNow = async (t: Date) => {
    now = t
    await page.clock.setFixedTime(t)
  }
  const at = (base: Date, minutes: number) => new Date(base.getTime() + minutes * 60_000)
  const ok = async (fn: string, action: string, data: unknown, who: string, when: Date) => {
    const r = await rt.call(fn, action, data, who, when)
    if (!r.ok) throw new Error(`${fn}.${action} as ${who}: ${r.code} ${r.message}`)
    return r.data
  }
  let seq = 0
  const place = async (grid: string, villager: string, when: Date) =>
    (
      await ok(
        'order',
        'place',
        { requestId: `e2e_honor_${++seq}_${Date.now()}`, gridCode: grid, serviceId: 'svc_01', description: '院子里的水管漏水了', contactPhone: villager === LI ? '13800002222' : '13800001111', privacyVersion: PRIVACY_VERSION },
        villager,
        when,
      )
    ).id as string

  /** 东关村: 3 orders served on time, fixed, 5 stars; 西山村: 3 orders accepted late, 1 fixed with 2 stars, 2 closed. */
  async function november() {
    const mon = new Date('2026-11-02T09:00:00+08:00')
    const xs: string[] = []
    for (let i = 0; i < 3; i++) {
      const id = await place('XF020101', LI, at(mon, i))
      await ok('order', 'dispatch', { id, volunteerId: VOL_XS }, STATION_XS, at(mon, 5 + i))
      xs.push(id)
    }
    for (const m of [0, 1, 2]) await s.sweepAt(at(new Date('2026-11-03T11:00:00+08:00'), m))
    const late = new Date('2026-11-03T14:00:00+08:00')
    await ok('order', 'accept', { id: xs[0] }, VOL_XS, late)
    await ok('order', 'complete', { id: xs[0], note: '已处理' }, VOL_XS, at(late, 60))
    await ok('order', 'confirm', { id: xs[0], fixed: true, stars: 2, comment: '来得太晚了' }, LI, at(late, 120))
    await ok('order', 'approve', { kind: 'rating', id: xs[0] }, STATION_XS, at(late, 150))
    for (const id of xs.slice(1)) await ok('order', 'close', { id, reason: '村民已另找人修好' }, STATION_XS, at(late, 30))
    for (let d = 0; d < 3; d++) {
      const day = at(new Date('2026-11-09T09:00:00+08:00'), d * 24 * 60)
      const id = await place('XF010101', ZHANG, day)
      await ok('order', 'dispatch', { id, volunteerId: VOL_DG }, STATION_DG, at(day, 5))
      await ok('order', 'accept', { id }, VOL_DG, at(day, 10))
      await ok('order', 'complete', { id, note: '已修好' }, VOL_DG, at(day, 60))
      await ok('order', 'confirm', { id, fixed: true, stars: 5, comment: '修得很好' }, ZHANG, at(day, 90))
      await ok('order', 'approve', { kind: 'rating', id }, STATION_DG, at(day, 120))
    }
  }

  test('the county admin reviews and publishes November; the public page shows the lists, the poster and the 广播稿', async () => {
    await november()
    // 1 December, 10:00: the timer has brought the rollups up to date
    await setNow(new Date('2026-12-01T10:00:00+08:00'))
    await s.sweepAt(now)

    // 1. the county admin reviews the draft: 东关村 on the red list, 西山村 on the black list
    await s.signIn('周主任', '/staff/honor/index')
    await see(page.locator('#honor-month-label')).hasText('2026年11月')
    await see(page.locator('#honor-state')).hasText('待发布')
    await see(page.locator('#honor-formula')).contains('按时办结率×35%')
    await see(page.locator('#honor-row-1')).contains('东关村')
    await see(page.locator('#honor-row-1')).contains('红榜')
    await see(page.locator('#honor-row-1')).contains('100分')
    await see(page.locator('#honor-row-2')).contains('西山村')
    await see(page.locator('#honor-row-2')).contains('黑榜')
    await see(page.locator('#honor-row-2')).contains('按时办结率 0%')
    await s.shot('county-draft-villages')
    await s.click('#tab-team')
    await see(page.locator('#honor-row-1')).contains('东关村网格服务队')
    await see(page.locator('#honor-row-2')).contains('西山村红袖箍巡逻队')
    await s.shot('county-draft-teams')

    // 2. publish, after the confirmation
    await s.click('#honor-publish')
    await s.confirmModal('发布后不能修改或撤回', '确认发布')
    await see(page.locator('#honor-state')).hasText('已发布')
    await see(page.locator('body')).contains('由 周主任 发布')
    const stored = (await rt.db.collection('honorLists').doc('g_XF:2026-11').get()).data[0]
    expect(stored).toMatchObject({ month: '2026-11', publishedBy: { name: '周主任' } })
    expect(stored.villages.map((r: any) => [r.name, r.mark])).toEqual([
      ['东关村', 'red'],
      ['西山村', 'black'],
    ])
    await s.shot('county-published')

    // 3. anyone, signed out: the public page
    await page.evaluate(() => localStorage.removeItem('xf.devToken'))
    await page.goto(`${rt.url}/?public=1#/join/honor/index`)
    await see(page.locator('#honor-title')).contains('幸福县 · 2026年11月红黑榜')
    await see(page.locator('#honor-red-1')).contains('东关村')
    await see(page.locator('#honor-black-1')).contains('西山村')
    await see(page.locator('#honor-broadcast')).contains('各位乡亲')
    await see(page.locator('#honor-broadcast')).contains('村（社区）红榜：东关村（东关镇），一百分。')
    // the poster: a real image, drawn by the server
    await page.waitForFunction(() => {
      const img = document.querySelector('#honor-poster img, img#honor-poster') as HTMLImageElement | null
      return !!img && img.complete && img.naturalWidth > 0
    })
    expect(await page.evaluate(() => (document.querySelector('#honor-poster img, img#honor-poster') as HTMLImageElement).naturalWidth)).toBe(750)
    await see(page.locator('#honor-poster-hint')).contains('保存')
    expect((await rt.db.collection('honorLists').doc('g_XF:2026-11').get()).data[0].poster.fileId).toMatch(/honor\/g_XF\/2026-11\.png$/)
    await s.shot('public-page')

    // 4. the 广播稿 goes to the clipboard (Taro's H5 clipboard keeps a copy in its storage)
    await s.click('#honor-copy')
    await see(page.locator('body')).contains('内容已复制')
    const copied = await page.evaluate(() => JSON.parse(localStorage.getItem('taro_clipboard') ?? '{}').data as string)
    expect(copied).toContain('幸福县2026年11月服务红黑榜')
    expect(copied).toContain('西山村（西山乡）')
    await page.locator('#honor-poster').filter({ visible: true }).first().scrollIntoViewIfNeeded()
    await s.shot('public-poster')
  }, 240_000)
})
