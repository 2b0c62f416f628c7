// The dashboard's charts as ECharts options, from the service's view. Pure (types only from
// ECharts), so the unit tests check what each chart shows without a canvas.
import type { DashboardView, Quantiles } from '@/core/stats'
import { ORDER_STATES, STATE_LABEL, type OrderState } from '@/core/order'
import type { ChartOption } from './echarts'
import { durationUnit, formatMinutes } from './format'

/** Text on a phone: axis labels 14 px, values and legends 15–16 px (the page's body is 17). */
const AXIS = { fontSize: 14, color: '#333' }
const VALUE = { fontSize: 15, color: '#111' }
const BLUE = '#0b57a4'
const GREEN = '#1c7a32'
const RED = '#c8102e'
const GREY = '#8a8a8a'

/** The status tones of StatusTag: waiting orange, being worked on blue, to confirm purple, solved green, ended grey. */
const STATUS_COLOR: Record<OrderState, string> = {
  pending: '#d46b08',
  escalated: '#ad4e00',
  dispatched: BLUE,
  pooled: '#2f73c0',
  accepted: '#1d4f91',
  in_service: '#3d7fd1',
  completed: '#6a2ea8',
  fixed: GREEN,
  rejected: GREY,
  referred: '#6e6e6e',
  closed: '#5a5a5a',
  cancelled: '#b0b0b0',
  unconfirmed: '#7a7a7a',
  handled: '#389e0d',
}

/** Height (design px at 750) of a horizontal bar chart with `rows` bars. */
export const barHeight = (rows: number) => Math.max(280, 72 * rows + 80)

type Row = { name: string; value: number; color?: string }
function horizontalBars(rows: Row[], color: string, unit: string): ChartOption {
  return {
    animation: false,
    grid: { left: 8, right: 56, top: 8, bottom: 8 },
    tooltip: { trigger: 'item', confine: true, textStyle: VALUE, formatter: '{b}：{c}' + unit },
    xAxis: { type: 'value', minInterval: 1, splitNumber: 3, axisLabel: AXIS },
    yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.name), axisTick: { show: false }, axisLabel: { ...AXIS, fontSize: 15 } },
    series: [
      {
        type: 'bar',
        barMaxWidth: 28,
        data: rows.map((r) => ({ value: r.value, itemStyle: { color: r.color ?? color } })),
        label: { show: true, position: 'right', ...VALUE },
      },
    ],
  }
}

/** Orders by status, in the loop's order, leaving out states with none. */
export function statusOption(byStatus: DashboardView['summary']['byStatus']): { option: ChartOption; rows: number } {
  const rows = ORDER_STATES.filter((s) => (byStatus[s] ?? 0) > 0).map((s) => ({ name: STATE_LABEL[s], value: byStatus[s] ?? 0, color: STATUS_COLOR[s] }))
  return { option: horizontalBars(rows, BLUE, '件'), rows: rows.length }
}

/** Orders by service category, the largest first (as the service sorts them). */
export function categoryOption(byCategory: DashboardView['summary']['byCategory']): { option: ChartOption; rows: number } {
  const rows = byCategory.map((c) => ({ name: c.name, value: c.count }))
  return { option: horizontalBars(rows, BLUE, '件'), rows: rows.length }
}

/** Placed, closed and fixed per day (or week) of the period. */
export function trendOption(trend: DashboardView['trend']): ChartOption {
  const pts = trend.points
  const line = (name: string, color: string, pick: (p: (typeof pts)[number]) => number) => ({
    type: 'line' as const,
    name,
    data: pts.map(pick),
    showSymbol: pts.length <= 16,
    symbolSize: 6,
    lineStyle: { width: 2.5, color },
    itemStyle: { color },
  })
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 48, bottom: 8 },
    legend: { top: 0, itemGap: 20, textStyle: { ...VALUE, fontSize: 15 } },
    tooltip: { trigger: 'axis', confine: true, textStyle: VALUE },
    xAxis: { type: 'category', boundaryGap: false, data: pts.map((p) => p.label), axisLabel: AXIS },
    yAxis: { type: 'value', minInterval: 1, splitNumber: 4, axisLabel: AXIS },
    series: [line('新增', BLUE, (p) => p.total), line('办结', GREY, (p) => p.closed), line('确认解决', RED, (p) => p.fixed)],
  }
}

export const DURATION_STAGES = [
  { key: 'toDispatch', label: '派单' },
  { key: 'toAccept', label: '接单' },
  { key: 'toClose', label: '办结' },
] as const

/**
 * Time from placing to the first dispatch, the first accept and the close: the median and
 * the 90th percentile side by side, in the unit that reads best (the labels say it in words).
 */
export function durationOption(summary: Record<(typeof DURATION_STAGES)[number]['key'], Quantiles>): ChartOption {
  const all = DURATION_STAGES.flatMap((s) => [summary[s.key].p50, summary[s.key].p90]).filter((v): v is number => v !== null)
  const unit = durationUnit(Math.max(0, ...all))
  const bars = (name: string, color: string, pick: (q: Quantiles) => number | null) => ({
    type: 'bar' as const,
    name,
    barMaxWidth: 22,
    itemStyle: { color },
    data: DURATION_STAGES.map((s) => {
      const m = pick(summary[s.key])
      return m === null ? { value: '-' as unknown as number, minutes: null } : { value: Math.round((m / unit.minutes) * 10) / 10, minutes: m }
    }),
    label: {
      show: true,
      position: 'right' as const,
      ...VALUE,
      fontSize: 14,
      formatter: (p: { data: unknown }) => formatMinutes((p.data as { minutes: number | null }).minutes),
    },
  })
  return {
    animation: false,
    grid: { left: 8, right: 72, top: 48, bottom: 8 },
    legend: { top: 0, itemGap: 20, textStyle: { ...VALUE, fontSize: 15 } },
    xAxis: { type: 'value', name: unit.name, nameTextStyle: AXIS, splitNumber: 3, axisLabel: AXIS },
    yAxis: { type: 'category', inverse: true, data: DURATION_STAGES.map((s) => s.label), axisTick: { show: false }, axisLabel: { ...AXIS, fontSize: 15 } },
    series: [bars('中位数', BLUE, (q) => q.p50), bars('90%分位', RED, (q) => q.p90)],
  }
}
