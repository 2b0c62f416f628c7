// The dashboard page's own arithmetic: how it words durations and rates, the by-area heat
// colour (always readable), sorting the table, and what each chart is given to draw.
import type { AreaRow, DashboardView, Quantiles } from '../../src/core/stats'
import { contrast, durationUnit, formatMinutes, heatColors, percent, stars } from '../../src/staff/dashboard/format'
import { categoryOption, durationOption, statusOption, trendOption } from '../../src/staff/dashboard/options'
import { sortRows } from '../../src/staff/dashboard/sortRows'

describe('numbers in words', () => {
  test('durations read as minutes, hours or days', () => {
    expect(formatMinutes(null)).toBe('—')
    expect(formatMinutes(0)).toBe('0分钟')
    expect(formatMinutes(44.6)).toBe('45分钟')
    expect(formatMinutes(60)).toBe('1小时')
    expect(formatMinutes(150)).toBe('2.5小时')
    expect(formatMinutes(1439)).toBe('24小时')
    expect(formatMinutes(1440)).toBe('1天')
    expect(formatMinutes(3 * 1440 + 200)).toBe('3.1天')
  })
  test('rates as percentages, stars with one decimal, nothing measured as a dash', () => {
    expect(percent(0.833)).toBe('83.3%')
    expect(percent(1)).toBe('100%')
    expect(percent(0)).toBe('0%')
    expect(percent(null)).toBe('—')
    expect(stars(4.5)).toBe('4.5★')
    expect(stars(null)).toBe('—')
  })
  test('the durations chart picks the unit its largest value reads best in', () => {
    expect(durationUnit(90).name).toBe('分钟')
    expect(durationUnit(600).name).toBe('小时')
    expect(durationUnit(5 * 1440).name).toBe('天')
  })
})

describe('heat colour of a by-area row', () => {
  test('text on every heat from 0 to 1 reaches 4.5:1 contrast', () => {
    for (let i = 0; i <= 100; i++) {
      const { background, color } = heatColors(i / 100)
      expect(contrast(background, color)).toBeGreaterThanOrEqual(4.5)
    }
  })
  test('busier rows are darker; out-of-range heat is clamped', () => {
    const lum = (h: number) => contrast(heatColors(h).background, '#000000')
    expect(lum(0)).toBeGreaterThan(lum(0.5))
    expect(lum(0.5)).toBeGreaterThan(lum(1))
    expect(heatColors(-1)).toEqual(heatColors(0))
    expect(heatColors(7)).toEqual(heatColors(1))
    expect(heatColors(Number.NaN)).toEqual(heatColors(0))
    expect(heatColors(1).color).toBe('#ffffff')
    expect(heatColors(0).color).toBe('#000000')
  })
})

const row = (code: string, total: number, fixedRate: number | null): AreaRow => ({
  id: `n_${code}`,
  name: code,
  level: 'village',
  code,
  total,
  open: 0,
  closed: 0,
  overdue: 0,
  fixedRate,
  onTimeRate: null,
  satisfaction: null,
  heat: 0,
})

describe('sorting the by-area table', () => {
  const rows = [row('XF0102', 5, 0.5), row('XF0101', 9, null), row('XF0103', 5, 0.9)]
  test('by a number, largest first or reversed; ties in tree order', () => {
    expect(sortRows(rows, 'total', true).map((r) => r.code)).toEqual(['XF0101', 'XF0102', 'XF0103'])
    expect(sortRows(rows, 'total', false).map((r) => r.code)).toEqual(['XF0102', 'XF0103', 'XF0101'])
  })
  test('rows without a value stay last either way', () => {
    expect(sortRows(rows, 'fixedRate', true).map((r) => r.code)).toEqual(['XF0103', 'XF0102', 'XF0101'])
    expect(sortRows(rows, 'fixedRate', false).map((r) => r.code)).toEqual(['XF0102', 'XF0103', 'XF0101'])
  })
  test('by name in tree (code) order', () => {
    expect(sortRows(rows, 'name', false).map((r) => r.code)).toEqual(['XF0101', 'XF0102', 'XF0103'])
  })
})

describe('what the charts draw', () => {
  const bars = (o: any) => o.series[0].data.map((d: any) => d.value)
  test('by status: only states with orders, in the order of the loop, with their labels', () => {
    const { option, rows } = statusOption({ fixed: 4, pending: 2, cancelled: 0, escalated: 1 })
    expect(rows).toBe(3)
    expect((option.yAxis as any).data).toEqual(['待派单', '已上报乡镇', '已解决'])
    expect(bars(option)).toEqual([2, 1, 4])
  })
  test('by category: as the service sorts them', () => {
    const { option, rows } = categoryOption([
      { name: '生活帮扶', count: 7 },
      { name: '邻里调解', count: 2 },
    ])
    expect(rows).toBe(2)
    expect((option.yAxis as any).data).toEqual(['生活帮扶', '邻里调解'])
    expect(bars(option)).toEqual([7, 2])
  })
  test('trend: placed, closed and fixed per point', () => {
    const trend: DashboardView['trend'] = {
      unit: 'day',
      points: [
        { key: '2026-11-01', label: '11/1', total: 3, closed: 1, fixed: 1 },
        { key: '2026-11-02', label: '11/2', total: 0, closed: 2, fixed: 1 },
      ],
    }
    const o = trendOption(trend) as any
    expect(o.xAxis.data).toEqual(['11/1', '11/2'])
    expect(o.series.map((s: any) => [s.name, s.data])).toEqual([
      ['新增', [3, 0]],
      ['办结', [1, 2]],
      ['确认解决', [1, 1]],
    ])
  })
  test('durations: median and 90th percentile per stage in one unit, a missing stage left empty, labels in words', () => {
    const q = (p50: number | null, p90: number | null, n: number): Quantiles => ({ p50, p90, n })
    const o = durationOption({ toDispatch: q(30, 90, 4), toAccept: q(120, 600, 4), toClose: q(null, null, 0) }) as any
    expect(o.xAxis.name).toBe('小时')
    expect(o.yAxis.data).toEqual(['派单', '接单', '办结'])
    expect(o.series.map((s: any) => s.name)).toEqual(['中位数', '90%分位'])
    expect(o.series[0].data.map((d: any) => d.value)).toEqual([0.5, 2, '-'])
    expect(o.series[1].data.map((d: any) => d.value)).toEqual([1.5, 10, '-'])
    expect(o.series[1].label.formatter({ data: o.series[1].data[1] })).toBe('10小时')
  })
})
