// Dashboard arithmetic: tallies add and subtract back to nothing, percentiles of summed
// histograms, one order's contribution, periods and the rollup keys that cover them.
import {
  addTally,
  areaRows,
  DURATION_BOUNDS,
  orderTally,
  percentile,
  periodPieces,
  resolvePeriod,
  sumTallies,
  summarize,
  trendOf,
  type StatsOrder,
  type Tally,
} from '../../src/core'

const T0 = new Date('2026-11-10T02:00:00Z') // Tuesday 10:00 in Shanghai
const min = (m: number) => new Date(T0.getTime() + m * 60_000)
const h = (action: string, to: string, at: Date) => ({ at, action, from: null, to, by: 'x', byName: 'x', role: 'station' }) as never

function order(p: Partial<StatsOrder> & { history?: unknown[] } = {}): StatsOrder {
  return {
    status: 'pending',
    source: 'scan',
    category: '生活服务',
    scopePath: ['c', 't', 'v', 'g'],
    createdAt: T0,
    history: [h('place', 'pending', T0)],
    ...p,
  } as StatsOrder
}

describe('tallies', () => {
  it('add, nest and subtract back to nothing', () => {
    const a: Tally = { n: 1, status: { pending: 1 }, hours: 0.1 }
    const b: Tally = { n: 2, status: { fixed: 2 }, hours: 0.2 }
    const sum = addTally(a, b)
    expect(sum).toEqual({ n: 3, status: { pending: 1, fixed: 2 }, hours: 0.3 })
    expect(addTally(sum, b, -1)).toEqual(a)
    expect(addTally(a, a, -1)).toEqual({})
  })
  it('a sum of order tallies equals the tally of the sum, whatever the order', () => {
    const list = [order(), order({ status: 'fixed', source: 'hotline' }), order({ category: '邻里调解' })].map(orderTally)
    expect(sumTallies(list)).toEqual(sumTallies([...list].reverse()))
    expect(summarize(sumTallies(list)).total).toBe(3)
  })
})

describe('percentiles from histograms', () => {
  it('is null when empty and interpolates inside the bucket', () => {
    expect(percentile({}, 0.5)).toBeNull()
    // 10 orders, all between 5 and 15 minutes: the median lies half-way into that bucket
    expect(percentile({ b1: 10 }, 0.5)).toBe(10)
    expect(percentile({ b1: 10 }, 0.9)).toBe(14)
  })
  it('uses the bucket mean when the minutes are known: alike durations come out exact', () => {
    // three dispatches at exactly 30 minutes, one at 20
    const hist = sumTallies([30, 30, 30, 20].map((m) => orderTally(order({ history: [h('place', 'pending', T0), h('dispatch', 'dispatched', min(m))] })).toDispatch as Tally))
    expect(hist).toEqual({ b2: 4, m2: 110 })
    expect(percentile(hist, 0.5)).toBe(28)
    expect(percentile(sumTallies([30, 30].map((m) => ({ b2: 1, m2: m }))), 0.5)).toBe(30)
  })
  it('finds the bucket of the p-th order across buckets', () => {
    // 5 fast (≤5 min), 4 within a day, 1 after a month
    const hist = { b0: 5, b8: 4, [`b${DURATION_BOUNDS.length}`]: 1 }
    expect(percentile(hist, 0.5)).toBeLessThanOrEqual(5)
    const p90 = percentile(hist, 0.9)!
    expect(p90).toBeGreaterThan(720)
    expect(p90).toBeLessThanOrEqual(1440)
    expect(percentile(hist, 1)).toBeGreaterThan(43200)
  })
})

describe('one order', () => {
  it('counts a fixed order closed on time with its durations and rating', () => {
    const o = order({
      status: 'fixed',
      history: [h('place', 'pending', T0), h('dispatch', 'dispatched', min(20)), h('accept', 'accepted', min(50)), h('complete', 'completed', min(120)), h('confirmFixed', 'fixed', min(200))],
      rating: { fixed: true, stars: 4, comment: '', status: 'approved' },
      completion: { note: '', photos: [], at: min(120), hours: 1.2, verified: true },
    })
    const s = summarize(orderTally(o))
    expect(s).toMatchObject({ total: 1, closed: 1, fixed: 1, fixedRate: 1, onTimeRate: 1, overdue: 0, satisfaction: 4, ratings: 1, hours: 1.2, verifiedHours: 1.2, open: 0 })
    expect(s.toDispatch).toEqual({ p50: 20, p90: 20, n: 1 })
    expect(s.toAccept).toEqual({ p50: 50, p90: 50, n: 1 })
    expect(s.toClose).toEqual({ p50: 200, p90: 200, n: 1 })
  })
  it('a late order is not on time; a pending rating and a cancelled order count for nothing closed', () => {
    const late = orderTally(order({ status: 'fixed', history: [h('place', 'pending', T0), h('markOverdue', 'pending', min(600)), h('followUpFixed', 'fixed', min(900))] }))
    const cancelled = orderTally(order({ status: 'cancelled', history: [h('place', 'pending', T0), h('cancel', 'cancelled', min(5))] }))
    const rated = orderTally(order({ rating: { fixed: true, stars: 5, comment: '', status: 'pending' } }))
    const s = summarize(sumTallies([late, cancelled, rated]))
    expect(s).toMatchObject({ total: 3, closed: 1, fixed: 1, onTimeRate: 0, overdue: 1, satisfaction: null, open: 1 })
    expect(s.toClose.n).toBe(1)
  })
})

describe('periods', () => {
  const now = new Date('2026-11-18T16:30:00Z') // Thursday 19 November, 00:30 in Shanghai
  it('resolves presets in Shanghai days', () => {
    expect(resolvePeriod({ preset: 'week' }, now)).toMatchObject({ from: '2026-11-16', to: '2026-11-19' })
    expect(resolvePeriod({ preset: 'month' }, now)).toMatchObject({ from: '2026-11-01', to: '2026-11-19' })
    expect(resolvePeriod({ preset: 'lastMonth' }, now)).toMatchObject({ from: '2026-10-01', to: '2026-10-31' })
  })
  it('refuses bad custom periods', () => {
    expect(() => resolvePeriod({ preset: 'custom', from: '2026-11-10' }, now)).toThrow('请选择开始和结束日期')
    expect(() => resolvePeriod({ preset: 'custom', from: '2026-11-10', to: '2026-11-01' }, now)).toThrow('结束日期不能早于开始日期')
    expect(() => resolvePeriod({ preset: 'custom', from: '2026-02-30', to: '2026-03-01' }, now)).toThrow('日期不正确')
    expect(() => resolvePeriod({ preset: 'custom', from: '2024-01-01', to: '2026-01-01' }, now)).toThrow('最长')
  })
  it('covers a period with whole months and the days of partial ones', () => {
    expect(periodPieces('2026-09-15', '2026-11-02')).toEqual({
      months: ['2026-10'],
      days: [...Array.from({ length: 16 }, (_v, i) => `2026-09-${String(15 + i).padStart(2, '0')}`), '2026-11-01', '2026-11-02'],
    })
    // the month so far, when the period ends today
    expect(periodPieces('2026-11-01', '2026-11-19', '2026-11-19')).toEqual({ months: ['2026-11'], days: [] })
  })
  it('trends by day, by week beyond two months', () => {
    const days = new Map<string, Tally>([['2026-11-03', { n: 2, closed: 1 }]])
    const byDay = trendOf({ from: '2026-11-01', to: '2026-11-07' }, days)
    expect(byDay.unit).toBe('day')
    expect(byDay.points).toHaveLength(7)
    expect(byDay.points[2]).toMatchObject({ key: '2026-11-03', total: 2, closed: 1 })
    const byWeek = trendOf({ from: '2026-08-01', to: '2026-11-07' }, days)
    expect(byWeek.unit).toBe('week')
    expect(byWeek.points.find((p) => p.key === '2026-11-02')?.total).toBe(2)
    expect(byWeek.points.reduce((a, p) => a + p.total, 0)).toBe(2)
  })
})

describe('the by-area table', () => {
  it('shows every child, with heat relative to the busiest', () => {
    const rows = areaRows(
      [
        { id: 'a', name: '东关村', level: 'village', code: '01' },
        { id: 'b', name: '西山村', level: 'village', code: '02' },
      ],
      new Map([['a', { n: 4, closed: 2, fixed: 1 }]]),
    )
    expect(rows).toEqual([
      expect.objectContaining({ id: 'a', total: 4, closed: 2, fixedRate: 0.5, heat: 1 }),
      expect.objectContaining({ id: 'b', total: 0, fixedRate: null, heat: 0 }),
    ])
  })
})
