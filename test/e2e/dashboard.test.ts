import path from 'node:path'
import type { Page } from 'playwright-core'
import { formatMinutes } from '../../src/staff/dashboard/format'
import type { TestRuntime } from '../helpers/runtime'
import { closeSession, e2eSuite, openSession, see, type Session } from './browser'
import { expected, placeSpecs, SPECS, TOWNSHIP } from './dashboardData'

/**
 * The township's 数据看板 in the H5 build: a month of orders placed and moved through the loop
 * (no person here does that: see dashboardData.ts), the sweep keeps the rollups, then 陈所长
 * reads the numbers (checked against the orders placed), sees the charts drawn, switches the
 * period, sorts the areas, drills down to a village and a grid and back up by the trail, opens
 * the grid's orders, and exports. The functions' clock is Saturday 28 November 2026.
 * Screenshots: test-artifacts/e2e/dashboard (township-whole-page.png is the README's picture).
 */
const NOW = new Date('2026-11-28T02:00:00Z') // Saturday 10:00 in Shanghai
const CLOCK = new Date(NOW.getTime() + 2 * 60_000)
// a copy of this picture is docs/dashboard-township.png (the README's): tests never write tracked files
const WHOLE_PAGE = path.resolve(__dirname, '..', '..', 'test-artifacts', 'e2e', 'dashboard', 'township-whole-page.png')

e2eSuite('staff dashboard with charts (H5 in Chromium)', () => {
  let s: Session
  let rt: TestRuntime
  let page: Page

  beforeAll(async () => {
    s = await openSession('dashboard')
    ;({ rt, page } = s)
    await placeSpecs(rt)
    // the clock sweep keeps the rollups; a second run picks up what the first one changed
    await s.sweepAt(NOW)
    await s.sweepAt(new Date(NOW.getTime() + 60_000))
    rt.setClock(() => CLOCK)
  }, 120_000)
  afterAll(() => closeSession(s))

  const text = (sel: string) => see(page.locator(sel))
  const visible = (sel: string) => page.locator(sel).filter({ visible: true })
  /** the note under a number (e.g. how many ratings) */
  const lineOf = (sel: string) => see(page.locator(sel).filter({ visible: true }).first().locator('xpath=..'))
  const rowOrder = async () => {
    await visible('#dash-areas').first().waitFor()
    return visible('#dash-areas [id^=area-row-]').evaluateAll((els) => els.map((e) => e.id.replace('area-row-', '')))
  }
  /** a chart's box holds a canvas with a real size and something drawn on it */
  async function chartDrawn(id: string) {
    const canvas = visible(`#${id} canvas`).first()
    await canvas.waitFor()
    const box = await canvas.boundingBox()
    expect(box?.width).toBeGreaterThan(200)
    expect(box?.height).toBeGreaterThan(100)
    const inked = await canvas.evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) return true
      return false
    })
    expect(inked).toBe(true)
  }
  async function volunteersOf(month: string) {
    const township = (await rt.db.collection('grids').where({ code: 'XF01' }).limit(1).get()).data[0] as { _id: string }
    const rows = (await rt.db.collection('pointTotals').where({ subject: 'person', period: month, townshipId: township._id }).limit(1000).get()).data as { id: string; points: number }[]
    return { active: new Set(rows.map((r) => r.id)).size, points: rows.reduce((a, r) => a + (r.points ?? 0), 0) }
  }

  test('the township reads its month, switches the period, sorts, drills down and back, opens a grid’s orders', async () => {
    await s.signIn('陈所长', '/staff/dashboard/index')
    await text('#dash-node').contains('东关镇')
    await text('#dash-period-label').hasText('2026年11月')
    await text('#dash-updated').contains('数据更新于')

    // 1. the numbers are those of the orders placed in 东关镇 in November (not 西山乡's)
    const nov = expected(SPECS, '2026-11-01', '2026-11-28', 'XF01')
    expect(nov).toMatchObject({ total: 16, open: 3, closed: 12, overdue: 2 })
    await text('#dash-total').hasText(String(nov.total))
    await text('#dash-open').hasText(String(nov.open))
    await text('#dash-closed').hasText(String(nov.closed))
    await text('#dash-overdue').hasText(String(nov.overdue))
    await text('#dash-fixed-rate').hasText(`${nov.fixedRate}%`)
    await lineOf('#dash-fixed-rate').contains(`村民确认解决 ${nov.fixed} 件 / 办结 ${nov.closed} 件`)
    await text('#dash-ontime-rate').hasText('100%')
    await text('#dash-satisfaction').hasText(`${nov.satisfaction}★`)
    await lineOf('#dash-satisfaction').contains(`${nov.ratings} 条已审核的评价`)
    await text('#dash-source').hasText(`电话 ${nov.hotline} · 扫码 ${nov.scan} · 网格上报 0`)
    // times are kept as histograms: the page says what the service computed, in words
    const view = (await rt.call('stats', 'dashboard', { preset: 'month' }, TOWNSHIP, CLOCK)).data
    await text('#dash-to-dispatch').hasText(`中位数 ${formatMinutes(view.summary.toDispatch.p50)}`)
    await text('#dash-to-accept').hasText(`中位数 ${formatMinutes(view.summary.toAccept.p50)}`)
    await text('#dash-to-close').hasText(`中位数 ${formatMinutes(view.summary.toClose.p50)}`)
    await lineOf('#dash-to-close').contains(`90%分位 ${formatMinutes(view.summary.toClose.p90)}`)
    const vols = await volunteersOf('2026-11')
    await text('#dash-vol-active').hasText(`${vols.active} 人`)
    await text('#dash-vol-points').hasText(`${vols.points} 分`)

    // 2. the charts are drawn
    for (const id of ['chart-status', 'chart-category', 'chart-trend', 'chart-durations']) await chartDrawn(id)

    // 3. the villages, busiest first: 东关村 12, 南街社区 4, 柳树村 none
    expect(await rowOrder()).toEqual(['XF0101', 'XF0102', 'XF0103'])
    await see(visible('#area-row-XF0101')).contains('东关村')
    await see(visible('#area-row-XF0101')).contains('12')
    await s.shot('township-dashboard')
    // the whole page in one picture (the app scrolls inside its own box): a tall window for a moment
    const size = page.viewportSize()!
    await page.setViewportSize({ width: size.width, height: 3100 })
    await page.waitForTimeout(500)
    await page.screenshot({ path: WHOLE_PAGE })
    await page.setViewportSize(size)

    // 4. sort: fewest first, then by 解决率 (南街社区 3/3, 东关村 7/9, 柳树村 has none: last)
    await s.click('#areas-sort-total')
    expect(await rowOrder()).toEqual(['XF0103', 'XF0102', 'XF0101'])
    await s.click('#areas-sort-fixedRate')
    expect(await rowOrder()).toEqual(['XF0102', 'XF0101', 'XF0103'])
    await see(visible('#area-row-XF0101')).contains('77.8%')
    await s.shot('areas-sorted-by-fix-rate')

    // 5. last month, this week, back to this month
    await s.click('#period-lastMonth')
    await text('#dash-period-label').hasText('2026年10月')
    const oct = expected(SPECS, '2026-10-01', '2026-10-31', 'XF01')
    await text('#dash-total').hasText(String(oct.total))
    await text('#dash-fixed-rate').hasText(`${oct.fixedRate}%`)
    await text('#dash-satisfaction').hasText(`${oct.satisfaction}★`)
    await chartDrawn('chart-trend')
    await s.shot('last-month')
    await s.click('#period-week')
    await text('#dash-period-label').contains('本周')
    await text('#dash-total').hasText(String(expected(SPECS, '2026-11-23', '2026-11-28', 'XF01').total))
    await s.click('#period-month')
    await text('#dash-total').hasText(String(nov.total))

    // 6. drill down to 东关村, then to its first grid
    await s.click('#area-row-XF0101')
    await text('#dash-node').contains('东关村')
    await text('#dash-trail').contains('东关镇')
    const village = expected(SPECS, '2026-11-01', '2026-11-28', 'XF0101')
    await text('#dash-total').hasText(String(village.total))
    await text('#dash-overdue').hasText(String(village.overdue))
    expect((await rowOrder()).sort()).toEqual(['XF010101', 'XF010102'])
    await s.shot('village-dashboard')
    await s.click('#area-row-XF010101')
    await text('#dash-node').contains('东关村第一网格')
    await text('#dash-total').hasText(String(expected(SPECS, '2026-11-01', '2026-11-28', 'XF010101').total))
    await text('#dash-trail').contains('东关村')
    await visible('#btn-grid-orders').first().waitFor()
    await s.shot('grid-dashboard')

    // 7. back up by the trail: the village, then the township
    await s.click('#trail-1')
    await text('#dash-node').contains('东关村')
    await text('#dash-total').hasText(String(village.total))
    await s.click('#trail-0')
    await text('#dash-node').contains('东关镇')
    await text('#dash-total').hasText(String(nov.total))

    // 8. a village without orders in the period says so
    await s.click('#area-row-XF0103')
    await text('#dash-node').contains('柳树村')
    await text('#dash-empty').contains('这段时间没有诉求')
    await s.shot('empty-village')
    await s.click('#trail-0')
    await text('#dash-total').hasText(String(nov.total))

    // 9. a grid's orders: the work list of that grid only
    await s.click('#area-row-XF0101')
    await text('#dash-node').contains('东关村')
    await s.click('#area-row-XF010101')
    await text('#dash-node').contains('东关村第一网格')
    await s.click('#btn-grid-orders')
    await text('#incoming-area').contains('东关村第一网格')
    const list = visible('#incoming-list').first()
    await see(list).contains('XF010101-11-03') // left undispatched, escalated to the township
    expect(await list.textContent()).not.toContain('XF010102-11-04')
    await s.shot('grid-orders')
  }, 240_000)

  test('导出 opens the export page with the period and the area shown', async () => {
    await s.signIn('陈所长', '/staff/dashboard/index')
    await text('#dash-total').hasText(String(expected(SPECS, '2026-11-01', '2026-11-28', 'XF01').total))
    await s.click('#period-lastMonth')
    await text('#dash-period-label').hasText('2026年10月')
    await s.click('#btn-export')
    await page.waitForFunction(() => location.hash.includes('staff/export/index'))
    const hash = decodeURIComponent(await page.evaluate(() => location.hash))
    expect(hash).toContain('kind=orders')
    expect(hash).toContain('from=2026-10-01')
    expect(hash).toContain('to=2026-10-31')
    const township = (await rt.db.collection('grids').where({ code: 'XF01' }).limit(1).get()).data[0] as { _id: string }
    expect(hash).toContain(`nodeId=${township._id}`)
  }, 60_000)
})
