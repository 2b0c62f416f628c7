// Dashboard arithmetic (统计): what one order contributes to the rollups, how rollups add
// up, and what a dashboard shows from a sum of them. Rollups are kept per grid × day (the
// unit, recomputed from its orders), and per node (grid, village, township, county) × day
// and × month and per team × month (sums of units, kept by deltas); see
// cloudfunctions/services/stats.ts. Every order counts on the Shanghai day it was placed:
// a dashboard for a period shows the orders placed in it and what has become of them.
import dayjs from 'dayjs'
import { z } from 'zod'
import { AppError } from './errors'
import { TERMINAL_STATES, type Order, type OrderState } from './order'
import { idSchema } from './schemas'
import { ZONE, toLocal } from './time'

// ---------- tallies: nested counters that add and subtract ----------
export type Tally = { [key: string]: number | Tally }

/** a + sign·b, recursively; zero counters are left out (so equal tallies give {}). */
export function addTally(a: Tally, b: Tally, sign: 1 | -1 = 1): Tally {
  const out: Tally = {}
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[key]
    const y = b[key]
    if (typeof x === 'object' || typeof y === 'object') {
      const sub = addTally((x as Tally) ?? {}, (y as Tally) ?? {}, sign)
      if (Object.keys(sub).length) out[key] = sub
    } else {
      // hours are fractional: round away float noise
      const v = Math.round((((x as number) ?? 0) + sign * ((y as number) ?? 0)) * 1000) / 1000
      if (v !== 0) out[key] = v
    }
  }
  return out
}
export const sumTallies = (list: Tally[]): Tally => list.reduce((acc, t) => addTally(acc, t), {} as Tally)
export const isEmptyTally = (t: Tally) => Object.keys(t).length === 0

// ---------- durations as histograms (percentiles of a sum of rollups) ----------
/** Upper bounds of the duration buckets, in minutes (the last bucket is open-ended). */
export const DURATION_BOUNDS = [5, 15, 30, 60, 120, 240, 480, 720, 1440, 2880, 4320, 7200, 10080, 20160, 43200]
/** One duration: its bucket's count (b<i>) and its minutes (m<i>, for the bucket's mean). */
const durationTally = (minutes: number): Tally => {
  const found = DURATION_BOUNDS.findIndex((b) => minutes <= b)
  const i = found === -1 ? DURATION_BOUNDS.length : found
  return { [`b${i}`]: 1, [`m${i}`]: Math.round(minutes * 10) / 10 }
}

/**
 * The p-th percentile (0–1) of a duration histogram, in minutes: the mean of the bucket it
 * falls in (so the error is at most the bucket's width, and none when that bucket's
 * durations are alike), or interpolated within the bucket when only counts are known. null when empty.
 */
export function percentile(hist: Tally | undefined, p: number): number | null {
  const counts = DURATION_BOUNDS.map((_b, i) => (hist?.[`b${i}`] as number) ?? 0)
  counts.push((hist?.[`b${DURATION_BOUNDS.length}`] as number) ?? 0)
  const n = counts.reduce((a, b) => a + b, 0)
  if (n === 0) return null
  const target = p * n
  let before = 0
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] > 0 && before + counts[i] >= target) {
      const sum = hist?.[`m${i}`]
      if (typeof sum === 'number') return Math.round(sum / counts[i])
      const lo = i === 0 ? 0 : DURATION_BOUNDS[i - 1]
      const hi = i < DURATION_BOUNDS.length ? DURATION_BOUNDS[i] : DURATION_BOUNDS[DURATION_BOUNDS.length - 1] * 2
      return Math.round(lo + ((hi - lo) * Math.max(0, target - before)) / counts[i])
    }
    before += counts[i]
  }
  return null
}

// ---------- one order's contribution ----------
const OVERDUE_ACTIONS = new Set(['markOverdue', 'autoEscalate'])
const DISPATCH_ACTIONS = new Set(['dispatch', 'openPool'])
const minutesBetween = (a: Date, b: Date) => Math.max(0, (new Date(b).getTime() - new Date(a).getTime()) / 60_000)

/** The fields of an order the rollups read (the unit recount reads only these). */
export const STATS_FIELDS = ['status', 'source', 'category', 'scopePath', 'createdAt', 'history', 'rating', 'completion', 'team', 'assignee'] as const
export type StatsOrder = Pick<Order, (typeof STATS_FIELDS)[number]>

/**
 * What one order adds to its day: counts by status, category and source; closed (final,
 * not cancelled — a patrol report handled on the spot counts as closed and on time, never as
 * fixed: only a villager or a call back confirms a fix), fixed (confirmed by the villager or a call back), unconfirmed; timed and
 * on time (closed without a stage running over its limit); overdue (ever); approved rating
 * stars; service hours; minutes from placing to the first dispatch, the first accept and the
 * close (cancelled orders have no close time).
 */
export function orderTally(o: StatsOrder): Tally {
  const t: Tally = { n: 1, status: { [o.status]: 1 }, category: { [o.category]: 1 }, source: { [o.source]: 1 } }
  const history = o.history ?? []
  const overdue = history.some((h) => OVERDUE_ACTIONS.has(h.action))
  if (overdue) t.overdue = 1
  const terminal = TERMINAL_STATES.includes(o.status)
  if (terminal && o.status !== 'cancelled') {
    t.closed = 1
    if (o.status === 'fixed') t.fixed = 1
    if (o.status === 'unconfirmed') t.unconfirmed = 1
    if (!overdue) t.onTime = 1
  }
  if (o.rating?.status === 'approved') {
    t.rated = 1
    t.stars = o.rating.stars
  }
  if (o.completion?.hours) {
    t.hours = o.completion.hours
    if (o.completion.verified) t.verifiedHours = o.completion.hours
  }
  const first = (pred: (a: string) => boolean) => history.find((h) => pred(h.action))
  const dispatched = first((a) => DISPATCH_ACTIONS.has(a))
  const accepted = first((a) => a === 'accept')
  if (dispatched) t.toDispatch = durationTally(minutesBetween(o.createdAt, dispatched.at))
  if (accepted) t.toAccept = durationTally(minutesBetween(o.createdAt, accepted.at))
  // 就地处置 closes as it is created: no time to close to speak of (it would only pull the median down)
  if (terminal && o.status !== 'cancelled' && o.status !== 'handled') {
    const end = [...history].reverse().find((h) => h.to === o.status)
    if (end) t.toClose = durationTally(minutesBetween(o.createdAt, end.at))
  }
  return t
}

/** The team an order counts for (dispatched or pooled to it, or its volunteer's team). */
export const teamOfOrder = (o: Pick<Order, 'team' | 'assignee'>): string | null => o.team?.id ?? o.assignee?.teamId ?? null

/** The rollup unit of an order: its grid (a micro-grid's order counts for its grid), else its node. */
export const unitOfOrder = (o: Pick<Order, 'scopePath'>): string => o.scopePath[Math.min(3, o.scopePath.length - 1)]

/** The nodes an order's unit adds up into: the county down to the unit itself. */
export const rollupNodes = (o: Pick<Order, 'scopePath'>): string[] => o.scopePath.slice(0, Math.min(4, o.scopePath.length))

// ---------- what a dashboard shows ----------
const rate = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 1000 : null)
const num = (t: Tally, k: string) => (typeof t[k] === 'number' ? (t[k] as number) : 0)
const map = (t: Tally, k: string) => Object.fromEntries(Object.entries((t[k] as Tally) ?? {}).filter(([, v]) => typeof v === 'number')) as Record<string, number>

export type Quantiles = { p50: number | null; p90: number | null; n: number }
export type StatsSummary = {
  total: number
  byStatus: Partial<Record<OrderState, number>>
  byCategory: { name: string; count: number }[]
  bySource: Record<string, number>
  open: number
  closed: number
  fixed: number
  /** fixed among closed (final, not cancelled) orders */
  fixedRate: number | null
  /** closed without a stage over its limit, among closed orders */
  onTimeRate: number | null
  overdue: number
  /** mean stars of approved ratings */
  satisfaction: number | null
  ratings: number
  hours: number
  verifiedHours: number
  toDispatch: Quantiles
  toAccept: Quantiles
  toClose: Quantiles
}

const quantiles = (h: Tally | undefined): Quantiles => ({
  p50: percentile(h, 0.5),
  p90: percentile(h, 0.9),
  n: Object.entries(h ?? {}).reduce<number>((a, [k, v]) => a + (k.startsWith('b') && typeof v === 'number' ? v : 0), 0),
})

export function summarize(t: Tally): StatsSummary {
  const byStatus = map(t, 'status') as Partial<Record<OrderState, number>>
  const closed = num(t, 'closed')
  const cancelled = byStatus.cancelled ?? 0
  const rated = num(t, 'rated')
  return {
    total: num(t, 'n'),
    byStatus,
    byCategory: Object.entries(map(t, 'category'))
      .map(([name, count]) => ({ name, count }))
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
    bySource: map(t, 'source'),
    open: num(t, 'n') - closed - cancelled,
    closed,
    fixed: num(t, 'fixed'),
    fixedRate: rate(num(t, 'fixed'), closed),
    onTimeRate: rate(num(t, 'onTime'), closed),
    overdue: num(t, 'overdue'),
    satisfaction: rated > 0 ? Math.round((num(t, 'stars') / rated) * 100) / 100 : null,
    ratings: rated,
    hours: Math.round(num(t, 'hours') * 10) / 10,
    verifiedHours: Math.round(num(t, 'verifiedHours') * 10) / 10,
    toDispatch: quantiles(t.toDispatch as Tally),
    toAccept: quantiles(t.toAccept as Tally),
    toClose: quantiles(t.toClose as Tally),
  }
}

// ---------- periods ----------
const DAY = /^\d{4}-\d{2}-\d{2}$/
export const dayOf = (t: Date | number | string) => toLocal(t).format('YYYY-MM-DD')
/** The instant a Shanghai day starts. */
export const dayStart = (day: string) => dayjs.tz(day, ZONE).toDate()

export const PERIOD_PRESETS = ['week', 'month', 'lastMonth', 'custom'] as const
export type PeriodPreset = (typeof PERIOD_PRESETS)[number]
export const PERIOD_LABEL: Record<PeriodPreset, string> = { week: '本周', month: '本月', lastMonth: '上月', custom: '自定义' }
/** The longest custom period a dashboard shows. */
export const MAX_PERIOD_DAYS = 366

export const periodInput = z.object({
  preset: z.enum(PERIOD_PRESETS).default('month'),
  /** custom: first and last Shanghai day, inclusive */
  from: z.string().regex(DAY, '开始日期格式应为 2026-11-01').optional(),
  to: z.string().regex(DAY, '结束日期格式应为 2026-11-30').optional(),
})
export type PeriodInput = z.input<typeof periodInput>
export type Period = { preset: PeriodPreset; from: string; to: string; label: string }

/** The first and last day (inclusive) of a period, as the staff would say it on `now`'s day. */
export function resolvePeriod(p: PeriodInput, now: Date): Period {
  const today = toLocal(now).startOf('day')
  const preset = p.preset ?? 'month'
  const fmt = (d: dayjs.Dayjs) => d.format('YYYY-MM-DD')
  if (preset === 'week') {
    const monday = today.subtract((today.day() + 6) % 7, 'day')
    return { preset, from: fmt(monday), to: fmt(today), label: `本周（${monday.format('M月D日')}起）` }
  }
  if (preset === 'month') return { preset, from: fmt(today.startOf('month')), to: fmt(today), label: today.format('YYYY年M月') }
  if (preset === 'lastMonth') {
    const m = today.startOf('month').subtract(1, 'month')
    return { preset, from: fmt(m), to: fmt(m.endOf('month')), label: m.format('YYYY年M月') }
  }
  if (!p.from || !p.to) throw new AppError('VALIDATION', '请选择开始和结束日期')
  const from = dayjs.tz(p.from, ZONE)
  const to = dayjs.tz(p.to, ZONE)
  if (!from.isValid() || !to.isValid() || fmt(from) !== p.from || fmt(to) !== p.to) throw new AppError('VALIDATION', '日期不正确，请重新选择')
  if (to.isBefore(from)) throw new AppError('VALIDATION', '结束日期不能早于开始日期')
  if (to.diff(from, 'day') + 1 > MAX_PERIOD_DAYS) throw new AppError('VALIDATION', `统计时段最长 ${MAX_PERIOD_DAYS} 天`)
  return { preset, from: p.from, to: p.to, label: `${from.format('YYYY年M月D日')}至${to.format('M月D日')}` }
}

/** Every day of a period, in order. */
export function daysOf(from: string, to: string): string[] {
  const out: string[] = []
  for (let d = dayjs.tz(from, ZONE); d.format('YYYY-MM-DD') <= to; d = d.add(1, 'day')) out.push(d.format('YYYY-MM-DD'))
  return out
}

/**
 * The fewest rollup keys that cover a period: whole months as months (YYYY-MM), the
 * days of partial months as days. A month still running counts as whole up to `to`
 * when `to` is today (its month rollup holds only the days so far).
 */
export function periodPieces(from: string, to: string, today?: string): { months: string[]; days: string[] } {
  const months: string[] = []
  const days: string[] = []
  for (const d of daysOf(from, to)) {
    const m = d.slice(0, 7)
    const monthStart = `${m}-01`
    const monthEnd = dayjs.tz(monthStart, ZONE).endOf('month').format('YYYY-MM-DD')
    const whole = from <= monthStart && (to >= monthEnd || (today !== undefined && to === today && today.startsWith(m)))
    if (whole) {
      if (!months.includes(m)) months.push(m)
    } else days.push(d)
  }
  return { months, days }
}

/** Monday of the week a day falls in: the trend's key for long periods. */
export const weekOf = (day: string) => {
  const d = dayjs.tz(day, ZONE)
  return d.subtract((d.day() + 6) % 7, 'day').format('YYYY-MM-DD')
}

// ---------- the dashboard action ----------
export const dashboardInput = periodInput.extend({
  /** the node to show (drill down); default: the caller's own */
  nodeId: idSchema.optional(),
})
export type DashboardInput = z.input<typeof dashboardInput>

export type NodeRef = { id: string; name: string; level: string }
/** One row of the by-area table: a child of the node shown (township, village or grid). */
export type AreaRow = NodeRef & {
  code: string
  total: number
  open: number
  closed: number
  overdue: number
  fixedRate: number | null
  onTimeRate: number | null
  satisfaction: number | null
  /** total relative to the busiest row (0–1): the table's heat colour */
  heat: number
}
export type TrendPoint = { key: string; label: string; total: number; closed: number; fixed: number }
export type DashboardView = {
  node: NodeRef & { code: string }
  /** from the caller's own node down to the one shown (for going back up) */
  trail: NodeRef[]
  period: Period
  /** rollups include every order change up to this instant (ms) */
  updatedAt: number | null
  summary: StatsSummary
  trend: { unit: 'day' | 'week'; points: TrendPoint[] }
  areas: AreaRow[]
  /**
   * the months the period touches: volunteers with points or hours in a month (the mean per month
   * when there are several), their points and hours; null below village level
   */
  volunteers: { active: number; points: number; hours: number; months: string[] } | null
}

/** Rows of the by-area table from each child's tally (children without orders show zeros). */
export function areaRows(children: (NodeRef & { code: string })[], tallies: Map<string, Tally>): AreaRow[] {
  const rows = children.map((c) => {
    const s = summarize(tallies.get(c.id) ?? {})
    return { ...c, total: s.total, open: s.open, closed: s.closed, overdue: s.overdue, fixedRate: s.fixedRate, onTimeRate: s.onTimeRate, satisfaction: s.satisfaction, heat: 0 }
  })
  const max = Math.max(0, ...rows.map((r) => r.total))
  return rows.map((r) => ({ ...r, heat: max > 0 ? Math.round((r.total / max) * 100) / 100 : 0 }))
}

/** The trend: by day for periods up to two months, else by week (Monday). */
export function trendOf(period: Pick<Period, 'from' | 'to'>, dayTallies: Map<string, Tally>): DashboardView['trend'] {
  const days = daysOf(period.from, period.to)
  const unit = days.length > 62 ? 'week' : 'day'
  const keyOf = unit === 'day' ? (d: string) => d : weekOf
  const points = new Map<string, TrendPoint>()
  for (const d of days) {
    const key = keyOf(d)
    const p = points.get(key) ?? { key, label: dayjs.tz(key, ZONE).format(unit === 'day' ? 'M/D' : 'M/D周'), total: 0, closed: 0, fixed: 0 }
    const t = dayTallies.get(d) ?? {}
    p.total += num(t, 'n')
    p.closed += num(t, 'closed')
    p.fixed += num(t, 'fixed')
    points.set(key, p)
  }
  return { unit, points: [...points.values()] }
}
