// The clock on every open order: which stage it is in, by when the stage must be
// done, when the responsible party is reminded (催办), and what the sweep does
// next. The county sets the limits (per service, per stage), the reminder share,
// the follow-up (回访) times and the working calendar. Pure: no I/O.
import { z } from 'zod'
import { calendarEntrySchema, formatLimit, timeLimitSchema, workHoursSchema, type TimeLimit, type WorkCalendar } from './calendar'
import { idSchema } from './schemas'
import { toLocal } from './time'
import type { OrderState } from './orderState'

// ---------- stages ----------
/** dispatch: the station (or township) must dispatch; accept: a volunteer must accept; complete: serve and report; confirm: the villager confirms */
export const STAGES = ['dispatch', 'accept', 'complete', 'confirm'] as const
export type Stage = (typeof STAGES)[number]
export const LIMITED_STAGES = ['dispatch', 'accept', 'complete'] as const
export type LimitedStage = (typeof LIMITED_STAGES)[number]
export const STAGE_LABEL: Record<Stage, string> = { dispatch: '派单', accept: '接单', complete: '办理', confirm: '村民确认' }

const STAGE_OF: Partial<Record<OrderState, Stage>> = {
  pending: 'dispatch',
  escalated: 'dispatch',
  dispatched: 'accept',
  pooled: 'accept',
  accepted: 'complete',
  in_service: 'complete',
  completed: 'confirm',
}
/** The stage an order in `status` is in; null when it is closed. */
export const stageOf = (status: OrderState): Stage | null => STAGE_OF[status] ?? null
/** States whose stage has a time limit (where 催办, 超时, 延期 apply). */
export const LIMITED_STATES = (Object.keys(STAGE_OF) as OrderState[]).filter((s) => STAGE_OF[s] !== 'confirm')

// ---------- the county's settings ----------
export const stageLimitsSchema = z.object({ dispatch: timeLimitSchema, accept: timeLimitSchema, complete: timeLimitSchema })
export type StageLimits = z.infer<typeof stageLimitsSchema>

export const timelinessSettingsSchema = z.object({
  /** limits of every service without its own */
  defaults: stageLimitsSchema,
  /** per service id: its own limits (urgent services in hours); an object with catchall rather than
   * z.record, which would add a zod class to the mini-program's shared vendor chunk */
  services: z
    .object({})
    .catchall(stageLimitsSchema)
    .refine((m) => Object.keys(m).every((k) => idSchema.safeParse(k).success), '服务编号不正确')
    .default({}),
  /** share of a limit after which the responsible party is reminded (催办) */
  remindShare: z.number({ error: '请填写催办时点' }).min(0.5, '催办时点应在50%到95%之间').max(0.95, '催办时点应在50%到95%之间'),
  /** days a completed order waits for the villager before staff call back (回访) */
  followUpDays: z.number({ error: '请填写回访天数' }).int('回访天数应为整数').min(1, '回访天数应在1到30天之间').max(30, '回访天数应在1到30天之间'),
  /** further days without reaching anyone before it closes as 「已完成，未经确认」 */
  autoCloseDays: z.number({ error: '请填写自动办结天数' }).int('自动办结天数应为整数').min(1, '自动办结天数应在1到60天之间').max(60, '自动办结天数应在1到60天之间'),
  workHours: workHoursSchema,
  /** the county's own holidays and adjusted working days; they win over the national arrangement */
  calendar: z
    .array(calendarEntrySchema)
    .max(500, '日历条目最多500条')
    .refine((l) => new Set(l.map((e) => e.date)).size === l.length, '同一天只能有一条日历设置'),
})
export type TimelinessSettings = z.infer<typeof timelinessSettingsSchema>

const wd = (value: number): TimeLimit => ({ value, unit: 'workdays' })
const hrs = (value: number): TimeLimit => ({ value, unit: 'hours' })

/** 12345 practice: intake within half a working day, accept within one, general requests closed within 5. */
export const DEFAULT_TIMELINESS: TimelinessSettings = {
  defaults: { dispatch: wd(0.5), accept: wd(1), complete: wd(5) },
  services: {},
  remindShare: 0.75,
  followUpDays: 3,
  autoCloseDays: 7,
  workHours: { start: '08:00', end: '18:00' },
  calendar: [],
}
/** Urgent requests (safety hazards): answered within 30 minutes, round the clock. */
export const URGENT_LIMITS: StageLimits = { dispatch: hrs(0.5), accept: hrs(1), complete: hrs(24) }

export const limitsFor = (s: TimelinessSettings, serviceId: string): StageLimits => s.services[serviceId] ?? s.defaults

// ---------- the clock ----------
export const CLOCK_EVENTS = ['remind', 'overdue', 'followUp', 'autoClose'] as const
export type ClockEvent = (typeof CLOCK_EVENTS)[number]

export const clockSchema = z.object({
  stage: z.enum(STAGES),
  startedAt: z.date(),
  /** the stage's limit (null in the confirm stage) */
  limit: timeLimitSchema.nullable(),
  /** when the stage must be done (confirm stage: when staff should call back) */
  dueAt: z.date(),
  remindAt: z.date().nullable(),
  /** confirm stage: when the order closes unconfirmed */
  closeAt: z.date().nullable(),
  /** what the sweep does next, and when; `armed` is false once nothing is left to do (index key) */
  next: z.enum(CLOCK_EVENTS).nullable(),
  nextAt: z.date().nullable(),
  armed: z.boolean(),
  overdue: z.boolean(),
  /** confirm stage: waiting for staff to call the villager back */
  followUp: z.boolean(),
  /** working days granted by extensions in this stage */
  extendedDays: z.number().int().min(0).optional(),
})
export type Clock = z.infer<typeof clockSchema>

const DAY_MS = 86_400_000

function arm(c: Omit<Clock, 'armed'>): Clock {
  return { ...c, armed: c.next !== null }
}

/** The clock of a stage that starts now; null when the order is closed. */
export function startClock(p: { status: OrderState; serviceId: string; now: Date; settings: TimelinessSettings; calendar: WorkCalendar }): Clock | null {
  const stage = stageOf(p.status)
  if (!stage) return null
  const { now, settings, calendar } = p
  if (stage === 'confirm') {
    const dueAt = new Date(now.getTime() + settings.followUpDays * DAY_MS)
    const closeAt = new Date(dueAt.getTime() + settings.autoCloseDays * DAY_MS)
    return arm({ stage, startedAt: now, limit: null, dueAt, remindAt: null, closeAt, next: 'followUp', nextAt: dueAt, overdue: false, followUp: false })
  }
  const limit = limitsFor(settings, p.serviceId)[stage]
  const dueAt = calendar.addLimit(now, limit)
  const remindAt = calendar.addLimit(now, limit, settings.remindShare)
  return arm({ stage, startedAt: now, limit, dueAt, remindAt, closeAt: null, next: 'remind', nextAt: remindAt, overdue: false, followUp: false })
}

/** The clock after the sweep did `event`: reminded → waits for the deadline; overdue → nothing more; follow-up due → waits to close. */
export function clockAfter(c: Clock, event: ClockEvent): Clock | null {
  switch (event) {
    case 'remind':
      return arm({ ...c, next: 'overdue', nextAt: c.dueAt })
    case 'overdue':
      return arm({ ...c, overdue: true, next: null, nextAt: null })
    case 'followUp':
      return arm({ ...c, followUp: true, next: 'autoClose', nextAt: c.closeAt })
    case 'autoClose':
      return null
  }
}

/** The clock after an approved extension of `workdays`: counted from the old deadline, or from now if that has passed. */
export function extendClock(c: Clock, workdays: number, now: Date, settings: TimelinessSettings, calendar: WorkCalendar): Clock {
  const from = c.dueAt.getTime() > now.getTime() ? c.dueAt : now
  const extra: TimeLimit = { value: workdays, unit: 'workdays' }
  const dueAt = calendar.addLimit(from, extra)
  const remindAt = calendar.addLimit(from, extra, settings.remindShare)
  const remindLater = remindAt.getTime() > now.getTime()
  return arm({ ...c, dueAt, remindAt, overdue: false, next: remindLater ? 'remind' : 'overdue', nextAt: remindLater ? remindAt : dueAt, extendedDays: (c.extendedDays ?? 0) + workdays })
}

// ---------- what people see ----------
export const URGENCIES = ['normal', 'soon', 'overdue'] as const
export type Urgency = (typeof URGENCIES)[number]
export const URGENCY_LABEL: Record<Urgency, string> = { normal: '正常', soon: '即将超时', overdue: '已超时' }

/** 正常 until the reminder time, 即将超时 until the deadline, 已超时 after it (or once the sweep marked it). */
export function urgencyOf(c: { dueAt: number; remindAt: number | null; overdue: boolean }, now: number): Urgency {
  if (c.overdue || now >= c.dueAt) return 'overdue'
  if (c.remindAt !== null && now >= c.remindAt) return 'soon'
  return 'normal'
}

/** 剩3小时20分 / 剩2天4小时 / 超时15分 / 超时1天2小时 */
export function countdown(dueAt: number, now: number): string {
  const late = now >= dueAt
  const mins = Math.max(1, Math.floor(Math.abs(dueAt - now) / 60_000))
  const d = Math.floor(mins / 1440)
  const h = Math.floor((mins % 1440) / 60)
  const m = mins % 60
  const span = d > 0 ? `${d}天${h ? `${h}小时` : ''}` : h > 0 ? `${h}小时${m ? `${m}分` : ''}` : `${m}分`
  return late ? `超时${span}` : `剩${span}`
}

/** 今天18:00 / 明天12:00 / 后天09:00 / 12月3日 12:00 (local time, relative to `now`). */
export function relativeTime(t: Date | number, now: Date | number): string {
  const at = toLocal(t)
  const days = at.startOf('day').diff(toLocal(now).startOf('day'), 'day')
  const hm = at.format('HH:mm')
  if (days === 0) return `今天${hm}`
  if (days === 1) return `明天${hm}`
  if (days === 2) return `后天${hm}`
  return at.format('M月D日 HH:mm')
}

export const stationName = (villageName: string) => `${villageName}实践站`
export const townshipOfficeName = (townshipName: string) => `${townshipName}实践所`

/** Who has the order now, in plain words. */
export function holderOf(o: { status: OrderState; villageName: string; townshipName: string; assignee?: { name: string } | null; team?: { name: string } | null }): string {
  switch (o.status) {
    case 'pending':
      return stationName(o.villageName)
    case 'escalated':
      return townshipOfficeName(o.townshipName)
    case 'dispatched':
    case 'pooled':
    case 'accepted':
    case 'in_service':
      return o.assignee ? `志愿者${o.assignee.name}` : (o.team?.name ?? stationName(o.villageName))
    case 'completed':
      return '等待村民确认'
    default:
      return ''
  }
}

/**
 * The villager's line on the order detail: who has it, by when the next step is
 * due, and what happens if it is late — e.g. 「东关村实践站正在安排志愿者，明天12:00前
 * 派单；超时会自动上报东关镇实践所」. null when the order is closed.
 */
export function dueLine(
  o: { status: OrderState; villageName: string; townshipName: string; assignee?: { name: string } | null; team?: { name: string } | null },
  c: { dueAt: number; overdue: boolean; closeAt: number | null; followUp?: boolean } | null,
  now: number,
): string | null {
  if (!c) return null
  const by = relativeTime(c.dueAt, now)
  const station = stationName(o.villageName)
  const township = townshipOfficeName(o.townshipName)
  const late = c.overdue || now >= c.dueAt
  const who = holderOf(o)
  switch (o.status) {
    case 'pending':
      return late ? `${station}未能按时派单，已上报${township}督促办理` : `${station}正在安排志愿者，${by}前派单；超时会自动上报${township}`
    case 'escalated':
      return late ? `${township}未能按时派单，已报县里督办` : `${township}正在安排志愿者，${by}前派单；超时会报县里督办`
    case 'dispatched':
    case 'pooled':
      return late ? `${who}未能按时接单，已通知${station}重新安排` : `已派给${who}，${by}前接单；超时会通知${station}重新安排`
    case 'accepted':
    case 'in_service':
      return late ? `${who}未能按时办完，已通知${station}督促` : `${who}正在办理，${by}前办完；超时会通知${station}督促`
    case 'completed':
      if (c.followUp || now >= c.dueAt) {
        const close = c.closeAt ? `；${relativeTime(c.closeAt, now)}前仍未确认的，按“已完成，未经确认”办结` : ''
        return `志愿者已办完，请确认是否解决。${station}会给您打电话回访${close}`
      }
      return `志愿者已办完，请确认是否解决；${by}前没有确认的，${station}会给您打电话回访`
    default:
      return null
  }
}

export { formatLimit }
