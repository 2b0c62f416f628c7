// Points (积分), verified service hours and the points store (积分超市): the county's
// rules, which loop events earn or cost points, caps, hours, the monthly review
// (一月一审核) and the quarterly store (一季一兑现). Pure: no I/O.
import { z } from 'zod'
import { AppError } from './errors'
import { idSchema, requestIdSchema } from './schemas'
import { toLocal, ZONE } from './time'
import dayjs from 'dayjs'

// ---------- rules ----------

/** What makes a rule item apply. Bonus and base triggers add, the others deduct. */
export const POINT_TRIGGERS = [
  'service_fixed', // 基础积分: a service the villager (or a call back) confirmed fixed
  'service_hours', // 基础积分: per verified hour of that service
  'rating_approved', // 贡献加分: an approved 4–5 star rating
  'commendation', // 贡献加分: a commendation entered by staff (level)
  'manual', // staff entries with a reason (either sign)
  'accept_late', // 负面减分: accepted after the accept deadline
  'complete_late', // 负面减分: completed after the completion deadline
  'recalled', // 负面减分: staff took back an order the volunteer had accepted (收回)
  'handed_back', // 负面减分: the volunteer handed back an accepted order (退单)
  'not_fixed', // 负面减分: the villager (or the call back) says the completion did not fix it
  'patrol_handled', // 基础积分: a problem found on patrol and handled on the spot (就地处置)
] as const
export type PointTrigger = (typeof POINT_TRIGGERS)[number]
export const TRIGGER_LABEL: Record<PointTrigger, string> = {
  service_fixed: '服务办结（村民确认解决）',
  service_hours: '服务时长（每核验小时）',
  rating_approved: '获得好评（4–5星，审核通过）',
  commendation: '获得表彰',
  manual: '人工加减分',
  accept_late: '超时接单',
  complete_late: '超时办结',
  recalled: '接单后被收回',
  handed_back: '接单后退单',
  not_fixed: '村民反馈未解决',
  patrol_handled: '巡查发现问题并就地处置',
}
const DEDUCTIONS: readonly PointTrigger[] = ['accept_late', 'complete_late', 'recalled', 'handed_back', 'not_fixed']
export const isDeduction = (t: PointTrigger) => DEDUCTIONS.includes(t)

export const COMMENDATION_LEVELS = ['county', 'city', 'province', 'nation'] as const
export type CommendationLevel = (typeof COMMENDATION_LEVELS)[number]
export const COMMENDATION_LABEL: Record<CommendationLevel, string> = { county: '县级', city: '市级', province: '省级', nation: '国家级' }

export const ruleItemSchema = z.object({
  id: z.string().trim().regex(/^[A-Za-z0-9_-]{1,24}$/, '规则编号只能用字母、数字、下划线，最多24位'),
  category: z.string().trim().min(1, '请填写规则类别').max(12, '类别不能超过12字'),
  name: z.string().trim().min(1, '请填写规则名称').max(30, '规则名称不能超过30字'),
  trigger: z.enum(POINT_TRIGGERS, { error: '请选择触发条件' }),
  /** points per event (per verified hour for service_hours); deductions are negative */
  points: z.number({ error: '分值应为整数' }).int('分值应为整数').min(-100, '分值在 -100 到 100 之间').max(100, '分值在 -100 到 100 之间'),
  /** at most this many points (in absolute value) per person per month from this item */
  monthlyCap: z.number().int().min(1, '月上限至少为1').max(10000).nullable().default(null),
  /** service_fixed: only this service, or only this category (neither: every service) */
  serviceId: idSchema.nullable().default(null),
  serviceCategory: z.string().trim().max(10).nullable().default(null),
  /** commendation: the level it is for */
  level: z.enum(COMMENDATION_LEVELS).nullable().default(null),
  active: z.boolean().default(true),
})
export type RuleItem = z.infer<typeof ruleItemSchema>

export const pointRulesSchema = z.object({
  items: z.array(ruleItemSchema).min(1, '至少需要一条积分规则').max(200, '规则最多200条'),
  /** hours counted per service at most (verified check-in to completion) */
  hoursCap: z.number().min(0.5, '单次服务时长上限在0.5到24小时之间').max(24, '单次服务时长上限在0.5到24小时之间'),
  /** days after publication during which volunteers may object */
  publicationDays: z.number().int().min(1, '公示期在1到15天之间').max(15, '公示期在1到15天之间'),
})
export type PointRules = z.infer<typeof pointRulesSchema>
export type PointRulesInput = z.input<typeof pointRulesSchema>

/** Problems a schema cannot see: duplicate ids, signs that contradict the trigger, missing levels. */
export function rulesProblem(r: PointRules): string | null {
  const seen = new Set<string>()
  for (const it of r.items) {
    if (seen.has(it.id)) return `规则编号 ${it.id} 重复`
    seen.add(it.id)
    if (isDeduction(it.trigger) && it.points > 0) return `「${it.name}」是扣分项，分值应为负数或0`
    if (!isDeduction(it.trigger) && it.trigger !== 'manual' && it.points < 0) return `「${it.name}」是加分项，分值应为正数或0`
    if (it.trigger === 'commendation' && !it.level) return `「${it.name}」请选择表彰级别`
  }
  return null
}

const item = (id: string, category: string, name: string, trigger: PointTrigger, points: number, more: Partial<RuleItem> = {}): RuleItem => ({
  id,
  category,
  name,
  trigger,
  points,
  monthlyCap: null,
  serviceId: null,
  serviceCategory: null,
  level: null,
  active: true,
  ...more,
})

/** A starting point a county edits: base points, hours (1 point per verified hour, ≤ 2 h), bonuses and deductions. */
export const DEFAULT_POINT_RULES: PointRules = {
  hoursCap: 2,
  publicationDays: 5,
  items: [
    item('base', '基础积分', '完成一次服务（村民确认解决）', 'service_fixed', 5),
    item('base_mediation', '基础积分', '完成一次调解服务', 'service_fixed', 8, { serviceCategory: '邻里调解' }),
    item('hours', '基础积分', '服务时长每小时', 'service_hours', 1, { monthlyCap: 40 }),
    item('rating', '贡献加分', '服务获村民好评', 'rating_approved', 2, { monthlyCap: 20 }),
    item('honor_county', '贡献加分', '获县级表彰', 'commendation', 10, { level: 'county' }),
    item('honor_city', '贡献加分', '获市级表彰', 'commendation', 20, { level: 'city' }),
    item('honor_province', '贡献加分', '获省级表彰', 'commendation', 30, { level: 'province' }),
    item('honor_nation', '贡献加分', '获国家级表彰', 'commendation', 50, { level: 'nation' }),
    item('manual', '其他', '工作人员加减分', 'manual', 0),
    item('late_accept', '负面减分', '超时接单', 'accept_late', -1),
    item('late_complete', '负面减分', '超时办结', 'complete_late', -2),
    item('recalled', '负面减分', '接单后被收回', 'recalled', -2),
    item('handed_back', '负面减分', '接单后退单', 'handed_back', -1),
    item('not_fixed', '负面减分', '村民反馈未解决', 'not_fixed', -3),
    item('patrol_handled', '基础积分', '巡查发现问题并就地处置', 'patrol_handled', 2, { monthlyCap: 20 }),
  ],
}

// ---------- periods (Asia/Shanghai) ----------
export const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/
export const monthSchema = z.string().regex(MONTH_RE, '月份格式应为 2026-11')
export const monthOf = (t: Date | number) => toLocal(t).format('YYYY-MM')
export const yearOf = (t: Date | number) => toLocal(t).format('YYYY')
export const quarterOfMonth = (month: string) => `${month.slice(0, 4)}Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`
export const quarterOf = (t: Date | number) => quarterOfMonth(monthOf(t))
/** The first instant after the month (Shanghai midnight). */
export const monthEnd = (month: string) => dayjs.tz(`${month}-01 00:00`, ZONE).add(1, 'month').toDate()
/** The first instant after the quarter: uncollected redemptions expire then. */
export function quarterEnd(quarter: string): Date {
  const q = Number(quarter.slice(5))
  return dayjs.tz(`${quarter.slice(0, 4)}-${String(q * 3).padStart(2, '0')}-01 00:00`, ZONE).add(1, 'month').toDate()
}
/** The month `delta` months from `month` ('2026-11', -1 → '2026-10'). */
export const shiftMonth = (month: string, delta: number) => monthOf(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1 + delta, 15))
export const QUARTER_RE = /^\d{4}Q[1-4]$/
export const quarterLabel = (q: string) => `${q.slice(0, 4)}年第${q.slice(5)}季度`
export const monthLabel = (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5))}月`

// ---------- events: what the loop earns or costs ----------

/** The person an event counts for, and the order it is about. */
export type PointEvent = {
  /** one entry per key, ever: a retried or replayed event adds nothing */
  key: string
  /** 'hours': a record of service hours (no points) */
  trigger: PointTrigger | 'hours'
  hoursKind?: HoursKind
  userId: string
  userName: string
  at: Date
  orderId: string | null
  orderNo: string | null
  serviceId: string | null
  serviceName: string | null
  category: string | null
  /** county, township, village of the work */
  path: string[]
  /** service_hours: the verified hours of the service */
  hours?: number
  level?: CommendationLevel
  /** manual: the points given */
  points?: number
  reason?: string
  by?: { id: string; name: string }
  /** the month it counts in (default: the month it is recorded in) */
  month?: string
}

/** The hours a check-in … completion counts for (capped; 0.1 h steps), and whether they are verified. */
export function serviceHours(checkIn: { at: Date; verified: boolean } | undefined, completedAt: Date, cap: number): { hours: number; verified: boolean; capped: boolean } {
  if (!checkIn) return { hours: 0, verified: false, capped: false }
  const raw = Math.max(0, completedAt.getTime() - checkIn.at.getTime()) / 3_600_000
  const capped = raw > cap
  return { hours: Math.round(Math.min(raw, cap) * 10) / 10, verified: checkIn.verified, capped }
}

/** The rule item an event falls under: the most specific active one (service, then category, then any). */
export function ruleFor(rules: PointRules, e: Pick<PointEvent, 'trigger' | 'serviceId' | 'category' | 'level'>): RuleItem | null {
  const items = rules.items.filter((i) => i.active && i.trigger === e.trigger)
  if (e.trigger === 'commendation') return items.find((i) => i.level === e.level) ?? null
  if (e.trigger === 'service_fixed') {
    return (
      items.find((i) => i.serviceId && i.serviceId === e.serviceId) ??
      items.find((i) => !i.serviceId && i.serviceCategory && i.serviceCategory === e.category) ??
      items.find((i) => !i.serviceId && !i.serviceCategory) ??
      null
    )
  }
  return items[0] ?? null
}

export type Evaluated = { ruleId: string; ruleName: string; category: string; points: number; capped: boolean }

/**
 * The points of one event under the rules, after the item's monthly cap. `usedThisMonth`
 * is what the person already got from that item this month. No item: nothing (manual
 * events always count, with the staff's points).
 */
export function evaluate(rules: PointRules, e: PointEvent, usedThisMonth: (ruleId: string) => number): Evaluated | null {
  const rule = ruleFor(rules, e)
  if (e.trigger === 'manual') {
    const pts = e.points ?? 0
    return { ruleId: rule?.id ?? 'manual', ruleName: rule?.name ?? TRIGGER_LABEL.manual, category: rule?.category ?? '其他', points: pts, capped: false }
  }
  if (!rule) return null
  const raw = e.trigger === 'service_hours' ? Math.round((e.hours ?? 0) * rule.points) : rule.points
  let points = raw
  let capped = false
  if (rule.monthlyCap !== null) {
    const room = Math.max(0, rule.monthlyCap - Math.abs(usedThisMonth(rule.id)))
    if (Math.abs(raw) > room) {
      points = Math.sign(raw) * room
      capped = true
    }
  }
  return { ruleId: rule.id, ruleName: rule.name, category: rule.category, points, capped }
}

// ---------- the ledger ----------

/** earn: from a rule; hours: a service's hours (0 points); manual / correction: staff; redeem / refund: the store. */
export const ENTRY_KINDS = ['earn', 'hours', 'manual', 'correction', 'redeem', 'refund'] as const
export type EntryKind = (typeof ENTRY_KINDS)[number]
/** Kinds that rankings and monthly totals count (the store's are spending, not earning). */
export const EARNING_KINDS: readonly EntryKind[] = ['earn', 'manual', 'correction']

export type HoursKind = 'verified' | 'unverified' | 'manual'
export const HOURS_KIND_LABEL: Record<HoursKind, string> = { verified: '已核验', unverified: '未核验', manual: '人工补录' }

/** The per-person balance: final points (settled), unsettled points by month, hours by kind. */
export type Balance = {
  final: number
  months: Record<string, number>
  hours: Record<HoursKind, number>
}
export const EMPTY_BALANCE: Balance = { final: 0, months: {}, hours: { verified: 0, unverified: 0, manual: 0 } }

/**
 * Split a balance by the months that are final: `final` counts settled points plus final
 * months; `pending` the rest. `settled` is the balance with final months folded in (what
 * a redemption writes back).
 */
export function splitBalance(b: Balance, isFinal: (month: string) => boolean): { final: number; pending: number; settled: Balance } {
  let final = b.final
  let pending = 0
  const months: Record<string, number> = {}
  for (const [m, pts] of Object.entries(b.months)) {
    if (isFinal(m)) final += pts
    else {
      pending += pts
      months[m] = pts
    }
  }
  return { final, pending, settled: { ...b, final, months } }
}

// ---------- monthly review (公示) ----------
export const REVIEW_STATES = ['open', 'published', 'final'] as const
export type ReviewState = (typeof REVIEW_STATES)[number]
export const REVIEW_STATE_LABEL: Record<ReviewState, string> = { open: '未公示', published: '公示中', final: '已定稿' }
export type ReviewDoc = { state: ReviewState; publishedAt?: Date; objectUntil?: Date; finalAt?: Date; openObjections: number }

/** A month may be published once it is over. */
export function requirePublishable(month: string, now: Date, review: ReviewDoc | undefined) {
  if (review && review.state !== 'open') throw new AppError('CONFLICT', `${monthLabel(month)}的积分已${REVIEW_STATE_LABEL[review.state]}`)
  if (now < monthEnd(month)) throw new AppError('VALIDATION', `${monthLabel(month)}还没有结束，月底后才能公示`)
}

/** An objection is possible while the month is published and its window is open. */
export function requireObjectable(review: ReviewDoc | undefined, now: Date) {
  if (!review || review.state === 'open') throw new AppError('VALIDATION', '该月积分还没有公示，公示后才能提出异议')
  if (review.state === 'final' || (review.objectUntil && now >= review.objectUntil)) throw new AppError('VALIDATION', '公示期已结束，不能再提出异议')
}

/** A month becomes final after the window, with every objection resolved. */
export function requireFinalisable(review: ReviewDoc | undefined, now: Date) {
  if (!review || review.state === 'open') throw new AppError('VALIDATION', '请先公示，公示期满后才能定稿')
  if (review.state === 'final') throw new AppError('CONFLICT', '该月积分已定稿')
  if (review.objectUntil && now < review.objectUntil) throw new AppError('VALIDATION', `公示期到${toLocal(review.objectUntil).format('M月D日 HH:mm')}结束，期满后才能定稿`)
  if (review.openObjections > 0) throw new AppError('VALIDATION', `还有 ${review.openObjections} 条异议没有处理，请先处理`)
}

// ---------- the store (积分超市) ----------
/** Redemption codes: 8 characters without look-alikes (no 0/O, 1/I/L), shown as XXXX-XXXX. */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'
export const REDEEM_CODE_RE = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/
export const normaliseCode = (s: string) => s.toUpperCase().replace(/[\s-]/g, '')
export const formatCode = (c: string) => `${c.slice(0, 4)}-${c.slice(4)}`
export function codeFromBytes(bytes: Uint8Array): string {
  let s = ''
  for (let i = 0; i < 8; i++) s += CODE_ALPHABET[bytes[i] % CODE_ALPHABET.length]
  return s
}
export const REDEMPTION_STATES = ['issued', 'collected', 'expired'] as const
export type RedemptionState = (typeof REDEMPTION_STATES)[number]
export const REDEMPTION_LABEL: Record<RedemptionState, string> = { issued: '待领取', collected: '已领取', expired: '已过期（积分已退回）' }

/** Can `price` points be spent now? */
export function requireAffordable(available: number, price: number) {
  if (available < price) throw new AppError('VALIDATION', `可用积分不足：需要 ${price} 分，当前可用 ${available} 分（公示定稿后的积分才能兑换）`)
}

// ---------- arrival check (到场核验) ----------
/** The villager's arrival code: 6 digits, valid for the window it was made in and the one before. */
export const ARRIVAL_WINDOW_MS = 10 * 60 * 1000
export const arrivalCodeSchema = z.string().trim().regex(/^\d{6}$/, '核验码是6位数字')

// ---------- inputs ----------
const reason = z.string({ error: '请填写原因' }).trim().min(2, '请填写原因（至少2个字）').max(200, '原因不能超过200字')
export const pointsPageInput = z.object({ before: z.number().int().positive().max(8.64e15).optional(), limit: z.number().int().min(1).max(50).default(20) })
export const manualPointsInput = z.object({
  requestId: requestIdSchema,
  userId: idSchema,
  kind: z.enum(['points', 'commendation', 'hours'], { error: '请选择录入类型' }),
  points: z.number().int('分值应为整数').min(-100, '分值在 -100 到 100 之间').max(100, '分值在 -100 到 100 之间').optional(),
  level: z.enum(COMMENDATION_LEVELS).optional(),
  hours: z.number().min(0.5, '时长在0.5到24小时之间').max(24, '时长在0.5到24小时之间').optional(),
  reason,
})
export const saveRulesInput = z.object({ rules: pointRulesSchema, version: z.number().int().min(0) })
export const reviewListInput = z.object({
  townshipId: idSchema,
  month: monthSchema,
  objections: z.boolean().default(false),
  after: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(100).default(50),
})
export const reviewMonthInput = z.object({ townshipId: idSchema, month: monthSchema })
export const objectInput = z.object({ entryId: z.string().trim().min(1).max(200), reason })
export const resolveObjectionInput = z.object({
  entryId: z.string().trim().min(1).max(200),
  accept: z.boolean(),
  /** accepted: the correcting points (added as a new entry) */
  points: z.number().int().min(-100).max(100).optional(),
  reason,
})
export const rankingInput = z.object({
  period: z.string().regex(/^\d{4}(-(0[1-9]|1[0-2]))?$/, '期间格式应为 2026 或 2026-11'),
  subject: z.enum(['person', 'team']).default('person'),
  /** the county, a township or a village; default: the caller's county (or the first county) */
  nodeId: idSchema.optional(),
  limit: z.number().int().min(1).max(100).default(50),
})
export const storeItemInput = z.object({
  id: idSchema.optional(),
  nodeId: idSchema,
  name: z.string().trim().min(1, '请填写物品名称').max(30, '名称不能超过30字'),
  description: z.string().trim().max(200, '说明不能超过200字').default(''),
  photo: z.string().trim().max(512).nullable().default(null),
  price: z.number({ error: '请填写所需积分' }).int('积分应为整数').min(1, '所需积分至少为1').max(100000),
  stock: z.number({ error: '请填写库存' }).int('库存应为整数').min(0, '库存不能为负').max(100000),
  place: z.string().trim().min(2, '请填写领取地点').max(60, '领取地点不能超过60字'),
  quarters: z.array(z.string().regex(QUARTER_RE, '季度格式应为 2026Q4')).min(1, '请选择开放兑换的季度').max(8),
  active: z.boolean().default(true),
})
export const storeListInput = z.object({ nodeId: idSchema.optional(), all: z.boolean().default(false) })
export const redeemInput = z.object({ itemId: idSchema, requestId: requestIdSchema })
export const codeInput = z.object({ code: z.string().trim().min(4).max(20).transform(normaliseCode).pipe(z.string().regex(REDEEM_CODE_RE, '兑换码是8位字母数字，如 7K3M-Q9XA')) })
export const checkInInput = z.object({
  id: idSchema,
  /** the 6-digit code on the villager's order page, or the grid code scanned from the signboard */
  arrivalCode: arrivalCodeSchema.optional(),
  gridCode: z.string().trim().max(40).optional(),
})

// ---------- 志愿服务记录证明 (民政部令第67号) ----------
export type CertificateLine = { date: string; content: string; hours: number; organiser: string }
export type CertificateData = {
  no: string
  issuedOn: string
  name: string
  plate: string | null
  /** verified services (check-in verified on site), oldest first */
  services: CertificateLine[]
  /** hours added by staff, listed apart and labelled */
  manual: CertificateLine[]
  serviceHours: number
  manualHours: number
  /** first and last service day */
  span: { from: string; to: string } | null
  issuer: string
  contact: string | null
}
export type HoursRecord = { at: Date; hours: number; hoursKind: HoursKind; serviceName: string | null; reason: string | null; organiser: string }

const day = (t: Date) => toLocal(t).format('YYYY年M月D日')
const sum = (l: CertificateLine[]) => Math.round(l.reduce((s, x) => s + x.hours, 0) * 10) / 10

/** What a certificate states: verified services and labelled manual hours; unverified hours are left out. */
export function certificateOf(p: { no: string; issuedAt: Date; name: string; plate: string | null; records: HoursRecord[]; issuer: string; contact: string | null }): CertificateData {
  const sorted = [...p.records].sort((a, b) => a.at.getTime() - b.at.getTime())
  const line = (r: HoursRecord): CertificateLine => ({ date: day(r.at), content: r.serviceName ?? r.reason ?? '志愿服务', hours: r.hours, organiser: r.organiser })
  const services = sorted.filter((r) => r.hoursKind === 'verified').map(line)
  const manual = sorted.filter((r) => r.hoursKind === 'manual').map(line)
  const counted = sorted.filter((r) => r.hoursKind !== 'unverified')
  return {
    no: p.no,
    issuedOn: day(p.issuedAt),
    name: p.name,
    plate: p.plate,
    services,
    manual,
    serviceHours: sum(services),
    manualHours: sum(manual),
    span: counted.length ? { from: day(counted[0].at), to: day(counted[counted.length - 1].at) } : null,
    issuer: p.issuer,
    contact: p.contact,
  }
}
