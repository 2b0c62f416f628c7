// Exports (导出): what staff can take out of the system as a spreadsheet — orders (with the
// dashboard's filters), volunteers and the points ledger of their scope — and how each row
// reads: Chinese headers, Shanghai times, phones masked unless the exporter may see them,
// and every text cell neutralised against formula injection. Pure: the `export` function
// reads the pages, writes the parts and assembles the file (cloudfunctions/services/exports.ts).
import dayjs from 'dayjs'
import { z } from 'zod'
import { AppError } from './errors'
import { maskPhone, ORDER_SOURCES, ORDER_STATES, SOURCE_LABEL, STATE_LABEL, TERMINAL_STATES, type Order } from './order'
import { HOURS_KIND_LABEL, monthOf, monthSchema, shiftMonth, TRIGGER_LABEL, type EntryKind, type HoursKind, type PointTrigger } from './points'
import { idSchema, requestIdSchema } from './schemas'
import { PERIOD_PRESETS, resolvePeriod, type PeriodPreset } from './stats'
import { formatTime, toLocal, ZONE } from './time'
import { VOLUNTEER_STATUS_LABEL, VOLUNTEER_STATUSES, type VolunteerDoc } from './volunteer'

// ---------- what can be exported ----------
export const EXPORT_KINDS = ['orders', 'volunteers', 'points'] as const
export type ExportKind = (typeof EXPORT_KINDS)[number]
export const EXPORT_KIND_LABEL: Record<ExportKind, string> = { orders: '诉求订单', volunteers: '志愿者名册', points: '积分明细' }

export const EXPORT_FORMATS = ['xlsx', 'csv'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]
export const EXPORT_FORMAT_LABEL: Record<ExportFormat, string> = { xlsx: 'Excel 表格（.xlsx）', csv: 'CSV 文本（.csv）' }

/**
 * running: rows are being read into parts; assembling: every row is read, the file is being
 * made; done: the file is in storage; failed: it stopped with `error`; expired: the file was
 * deleted after EXPORT_KEEP_DAYS.
 */
export const EXPORT_STATES = ['running', 'assembling', 'done', 'failed', 'expired'] as const
export type ExportState = (typeof EXPORT_STATES)[number]
export const EXPORT_STATE_LABEL: Record<ExportState, string> = {
  running: '正在导出',
  assembling: '正在生成文件',
  done: '已完成',
  failed: '导出失败',
  expired: '已过期',
}

/** Limits: rows per export (Excel holds 1,048,576 per sheet; beyond this, narrow the filters), days a file is kept, months of points. */
export const MAX_EXPORT_ROWS = 500_000
export const EXPORT_KEEP_DAYS = 7
export const MAX_EXPORT_MONTHS = 24
/** Exports one person may have running at once. */
export const MAX_RUNNING_EXPORTS = 3

// ---------- filters (the dashboard's, so a dashboard can link here with its page query) ----------
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/
/** Periods an export can cover: the dashboard's presets, and everything (全部). */
export const EXPORT_PERIODS = ['all', ...PERIOD_PRESETS] as const
export type ExportPeriod = (typeof EXPORT_PERIODS)[number]
export const EXPORT_PERIOD_LABEL: Record<ExportPeriod, string> = { all: '全部', week: '本周', month: '本月', lastMonth: '上月', custom: '自定义' }

/**
 * Order filters: the period (a preset, or custom `from`–`to` Shanghai days, inclusive),
 * status, category, source and the node (any node of the caller's subtree; default their
 * own). Every field is a string, so the same object travels as page query params
 * (`/staff/export/index?kind=orders&preset=lastMonth&nodeId=…`). No period (and no dates): everything.
 */
export const exportFiltersSchema = z.object({
  preset: z.enum(EXPORT_PERIODS, { error: '时间范围不正确' }).optional(),
  from: z.string().regex(DAY_RE, '开始日期格式应为 2026-11-01').optional(),
  to: z.string().regex(DAY_RE, '结束日期格式应为 2026-11-30').optional(),
  status: z.enum(ORDER_STATES, { error: '订单状态不正确' }).optional(),
  category: z.string().trim().min(1).max(20, '服务类别不能超过20字').optional(),
  source: z.enum(ORDER_SOURCES, { error: '来源不正确' }).optional(),
  nodeId: idSchema.optional(),
})
export type ExportFilters = z.infer<typeof exportFiltersSchema>

export const volunteerExportFilters = z.object({
  status: z.enum(VOLUNTEER_STATUSES, { error: '志愿者状态不正确' }).optional(),
  nodeId: idSchema.optional(),
})
export const pointsExportFilters = z.object({
  /** first and last month, inclusive; default: this year so far */
  fromMonth: monthSchema.optional(),
  toMonth: monthSchema.optional(),
  nodeId: idSchema.optional(),
})

const formatSchema = z.enum(EXPORT_FORMATS, { error: '请选择导出格式：Excel 或 CSV' })
const common = {
  /** client-made: the job's id, so a retried start finds the job it made */
  requestId: requestIdSchema,
  format: formatSchema,
  /** full phone numbers (only staff who may see them; default masked, 138****5678) */
  fullPhones: z.boolean().default(false),
}
export const exportStartInput = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('orders'), ...common, filters: exportFiltersSchema.default({}) }),
    z.object({ kind: z.literal('volunteers'), ...common, filters: volunteerExportFilters.default({}) }),
    z.object({ kind: z.literal('points'), ...common, filters: pointsExportFilters.default({}) }),
  ],
  { error: '请选择要导出的内容' },
)
export type ExportStartInput = z.output<typeof exportStartInput>
export const exportStepInput = z.object({ jobId: requestIdSchema })
export const exportJobsInput = z.object({ limit: z.number().int().min(1).max(20).default(10) })

/** First and last Shanghai day of an order export's period, or null for everything. */
export function exportPeriod(f: Pick<ExportFilters, 'preset' | 'from' | 'to'>, now: Date): { from: string; to: string; label: string } | null {
  const preset: ExportPeriod = f.preset ?? (f.from || f.to ? 'custom' : 'all')
  if (preset === 'all') return null
  const p = resolvePeriod({ preset: preset as PeriodPreset, from: f.from, to: f.to }, now)
  return { from: p.from, to: p.to, label: p.label }
}

/** The createdAt range [start, end) of a period of Shanghai days. */
export const dayRange = (from: string, to: string) => ({
  start: dayjs.tz(from, ZONE).toDate(),
  end: dayjs.tz(to, ZONE).add(1, 'day').toDate(),
})

/** The months of a points export, oldest first (default: January of `now`'s year to its month). */
export function exportMonths(f: { fromMonth?: string; toMonth?: string }, now: Date): string[] {
  const to = f.toMonth ?? monthOf(now)
  const from = f.fromMonth ?? `${to.slice(0, 4)}-01`
  if (from > to) throw new AppError('VALIDATION', '结束月份不能早于开始月份')
  const out: string[] = []
  for (let m = from; m <= to; m = shiftMonth(m, 1)) {
    out.push(m)
    if (out.length > MAX_EXPORT_MONTHS) throw new AppError('VALIDATION', `积分明细一次最多导出 ${MAX_EXPORT_MONTHS} 个月，请缩小月份范围`)
  }
  return out
}

// ---------- cells: neutralised text, CSV ----------
/** A cell: text (neutralised when written), a number (ours, never a formula) or empty. */
export type Cell = string | number | null

/** Excel, LibreOffice and Sheets start a formula with these (and a leading tab / line break can hide one). */
const FORMULA_START = /^(?:[\t\r\n]|\s*[=+\-@＝＋－＠])/

/**
 * Formula injection (CSV injection): a text cell that a spreadsheet would read as a formula
 * gets a leading apostrophe, so `=HYPERLINK(…)` typed into an order's description stays text.
 * Numbers are written by our code (points may be negative) and are left alone.
 */
export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text
}

/** A cell's text as written into both formats: neutralised text, numbers as they are, empty for null. */
export function cellText(v: Cell): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : ''
  return neutralise(v)
}

/** The byte order mark that makes Excel read a CSV file as UTF-8 (without it Chinese turns to mojibake). */
export const BOM = '\uFEFF'

// ---------- phones ----------
/** A phone as the exporter may see it: in full only when allowed and asked for. */
export const exportPhone = (phone: string | null | undefined, full: boolean): string => (phone ? (full ? phone : maskPhone(phone)) : '')

// ---------- columns ----------
/** What a row mapping needs besides the document: whether phones are in full, names of nodes by id. */
export type RowContext = { fullPhones: boolean; names: Readonly<Record<string, string>> }
export type Column<T> = { header: string; width: number; number?: true; value: (doc: T, ctx: RowContext) => Cell }

const time = (t: Date | string | number | null | undefined) => (t ? formatTime(t) : '')
const RATING_STATUS_LABEL = { pending: '待审核', approved: '已通过', rejected: '未通过' } as const
const firstAt = (o: Order, actions: readonly string[]) => (o.history ?? []).find((h) => actions.includes(h.action))?.at ?? null
/** When the order reached its final state (the last history entry into it), else empty. */
const closedAt = (o: Order) => (TERMINAL_STATES.includes(o.status) ? ([...(o.history ?? [])].reverse().find((h) => h.to === o.status)?.at ?? null) : null)
const wasLate = (o: Order) => (o.history ?? []).some((h) => h.action === 'markOverdue' || h.action === 'autoEscalate') || o.clock?.overdue === true

export const ORDER_COLUMNS: Column<Order>[] = [
  { header: '订单编号', width: 18, value: (o) => o.no },
  { header: '状态', width: 12, value: (o) => STATE_LABEL[o.status] ?? o.status },
  { header: '来源', width: 6, value: (o) => SOURCE_LABEL[o.source] ?? o.source },
  { header: '服务类别', width: 10, value: (o) => o.category },
  { header: '服务项目', width: 14, value: (o) => o.serviceName },
  { header: '乡镇', width: 10, value: (o) => o.townshipName },
  { header: '村（社区）', width: 10, value: (o) => o.villageName },
  { header: '网格', width: 14, value: (o) => o.gridName },
  { header: '网格编码', width: 12, value: (o) => o.gridCode },
  { header: '诉求描述', width: 40, value: (o) => o.description },
  { header: '联系人', width: 8, value: (o) => o.contactName ?? '' },
  { header: '联系电话', width: 14, value: (o, c) => exportPhone(o.contactPhone, c.fullPhones) },
  { header: '期望时间', width: 14, value: (o) => o.preferredTime ?? '' },
  { header: '下单时间', width: 17, value: (o) => time(o.createdAt) },
  { header: '派单时间', width: 17, value: (o) => time(firstAt(o, ['dispatch', 'openPool'])) },
  { header: '接单时间', width: 17, value: (o) => time(firstAt(o, ['accept'])) },
  { header: '办结时间', width: 17, value: (o) => time(closedAt(o)) },
  { header: '接单志愿者', width: 10, value: (o) => o.assignee?.name ?? '' },
  { header: '服务队', width: 14, value: (o) => o.team?.name ?? '' },
  { header: '服务时长（小时）', width: 10, number: true, value: (o) => (typeof o.completion?.hours === 'number' ? o.completion.hours : null) },
  { header: '时长核验', width: 8, value: (o) => (o.completion ? (o.completion.verified ? '已核验' : '未核验') : '') },
  { header: '村民确认', width: 8, value: (o) => (o.rating ? (o.rating.fixed ? '已解决' : '未解决') : '') },
  { header: '评价星级', width: 8, number: true, value: (o) => o.rating?.stars ?? null },
  { header: '评价审核', width: 8, value: (o) => (o.rating ? RATING_STATUS_LABEL[o.rating.status] : '') },
  { header: '评价内容', width: 30, value: (o) => o.rating?.comment ?? '' },
  { header: '是否超时', width: 8, value: (o) => (wasLate(o) ? '是' : '否') },
  { header: '最后更新', width: 17, value: (o) => time(o.updatedAt) },
]

export const VOLUNTEER_COLUMNS: Column<VolunteerDoc>[] = [
  { header: '号牌', width: 12, value: (v) => v.plate ?? '' },
  { header: '姓名', width: 8, value: (v) => v.name },
  { header: '手机号', width: 14, value: (v, c) => exportPhone(v.phone, c.fullPhones) },
  { header: '状态', width: 8, value: (v) => VOLUNTEER_STATUS_LABEL[v.status] ?? v.status },
  { header: '乡镇', width: 10, value: (v) => v.townshipName },
  { header: '村（社区）', width: 10, value: (v) => v.villageName },
  { header: '网格', width: 14, value: (v) => v.gridName },
  { header: '服务队', width: 14, value: (v) => v.teamName ?? '' },
  { header: '特长', width: 16, value: (v) => (v.skills ?? []).join('、') },
  { header: '可服务时间', width: 16, value: (v) => (v.availability ?? []).join('、') },
  { header: '注册时间', width: 17, value: (v) => time(v.createdAt) },
  { header: '审核说明', width: 20, value: (v) => v.reason ?? '' },
]

/** The ledger entry fields an export reads (cloudfunctions/services/ledger.ts EntryDoc). */
export type PointEntryRow = {
  _id: string
  userName: string
  plate: string | null
  kind: EntryKind
  trigger: PointTrigger | null
  ruleName: string
  category: string
  points: number
  hours: number
  hoursKind: HoursKind | null
  month: string
  orderNo: string | null
  serviceName: string | null
  reason: string | null
  by: { id: string; name: string } | null
  townshipId: string
  villageId: string
  at: Date
}
export const ENTRY_KIND_LABEL: Record<EntryKind, string> = { earn: '规则积分', hours: '服务时长', manual: '人工录入', correction: '更正', redeem: '积分兑换', refund: '兑换退回' }

export const POINT_COLUMNS: Column<PointEntryRow>[] = [
  { header: '时间', width: 17, value: (e) => time(e.at) },
  { header: '月份', width: 9, value: (e) => e.month },
  { header: '姓名', width: 8, value: (e) => e.userName },
  { header: '号牌', width: 12, value: (e) => e.plate ?? '' },
  { header: '乡镇', width: 10, value: (e, c) => c.names[e.townshipId] ?? '' },
  { header: '村（社区）', width: 10, value: (e, c) => c.names[e.villageId] ?? '' },
  { header: '类型', width: 9, value: (e) => ENTRY_KIND_LABEL[e.kind] ?? e.kind },
  { header: '事项', width: 20, value: (e) => e.ruleName || (e.trigger ? TRIGGER_LABEL[e.trigger] : '') },
  { header: '类别', width: 10, value: (e) => e.category },
  { header: '积分', width: 6, number: true, value: (e) => e.points },
  { header: '服务时长（小时）', width: 10, number: true, value: (e) => (e.hours ? e.hours : null) },
  { header: '时长类型', width: 9, value: (e) => (e.hoursKind ? HOURS_KIND_LABEL[e.hoursKind] : '') },
  { header: '订单编号', width: 18, value: (e) => e.orderNo ?? '' },
  { header: '服务项目', width: 14, value: (e) => e.serviceName ?? '' },
  { header: '说明', width: 24, value: (e) => e.reason ?? '' },
  { header: '录入人', width: 8, value: (e) => e.by?.name ?? '' },
]

// typed per kind; the `export` service only needs them as columns of "some document"
export const EXPORT_COLUMNS = { orders: ORDER_COLUMNS, volunteers: VOLUNTEER_COLUMNS, points: POINT_COLUMNS } as unknown as Record<ExportKind, Column<unknown>[]>

export const exportHeaders = (kind: ExportKind) => EXPORT_COLUMNS[kind].map((c) => c.header)

/** One row of a kind's export, in column order. */
export function exportRow(kind: ExportKind, doc: unknown, ctx: RowContext): Cell[] {
  return EXPORT_COLUMNS[kind].map((c) => c.value(doc, ctx))
}

// ---------- names ----------
/** A file name people can read and storage accepts: 诉求订单_东关村_20261120-1005.xlsx */
export function exportFileName(kind: ExportKind, nodeName: string, at: Date, format: ExportFormat): string {
  const safe = (s: string) => s.replace(/[^\p{L}\p{N}\-_()]/gu, '_').replace(/_+/g, '_').replace(/^_|_$/g, '').slice(0, 30)
  return `${safe(EXPORT_KIND_LABEL[kind])}_${safe(nodeName) || '导出'}_${toLocal(at).format('YYYYMMDD-HHmm')}.${format}`
}

/** The filters in plain words, for the job list: 2026年11月 · 已解决 · 热线. */
export function describeExportFilters(
  kind: ExportKind,
  f: { period?: string | null; status?: string; category?: string; source?: string; months?: readonly string[] },
): string {
  const parts: string[] = []
  if (kind === 'orders') {
    parts.push(f.period || '全部时间')
    if (f.status) parts.push(STATE_LABEL[f.status as Order['status']] ?? f.status)
    if (f.category) parts.push(f.category)
    if (f.source) parts.push(SOURCE_LABEL[f.source as Order['source']] ?? f.source)
  } else if (kind === 'volunteers') {
    parts.push(f.status ? VOLUNTEER_STATUS_LABEL[f.status as VolunteerDoc['status']] : '全部状态')
  } else if (f.months?.length) {
    const [a, b] = [f.months[0], f.months[f.months.length - 1]]
    parts.push(a === b ? a : `${a} 至 ${b}`)
  }
  return parts.join(' · ')
}

// ---------- what the app sees ----------
export type ExportJobView = {
  id: string
  kind: ExportKind
  format: ExportFormat
  state: ExportState
  /** rows written so far, and the count when the export started (the final file may differ slightly) */
  rows: number
  total: number
  /** 0–100 for a progress bar (100 only when done) */
  percent: number
  nodeName: string
  filters: string
  fullPhones: boolean
  fileName: string | null
  /** done: a temp URL (valid about a day; listing again makes a fresh one) and the storage fileID (weapp downloads by it) */
  url: string | null
  fileId: string | null
  bytes: number | null
  error: string | null
  createdAt: number
  finishedAt: number | null
}

/** Progress for the bar: rows of the count, at most 99 until the file is made. */
export function exportPercent(state: ExportState, rows: number, total: number): number {
  if (state === 'done') return 100
  if (state === 'assembling') return 99
  if (total <= 0) return 0
  return Math.min(98, Math.floor((rows / total) * 100))
}
