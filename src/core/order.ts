import type { PointEvent } from './points'
import { z } from 'zod'
import { AppError } from './errors'
import { gridCodeSchema } from './grid'
import { placeNames } from './grid'
import { localDay } from './time'
import { ACTOR_ROLES, cursorMsSchema, idSchema, phoneSchema, PRIVACY_VERSION, requestIdSchema, ROLE_LABEL, type ActorRole, type GridNode, type Role, type Service } from './schemas'
// type-only: the villager pages (main package) import this file; the clock and supervision
// modules stay in the subpackages and the functions
import type { Clock } from './timeliness'
import type { Extension, Supervision } from './supervision'
import type { ExtraValue } from './serviceFields'
import { ORDER_STATES, type OrderState } from './orderState'

// ---------- the order state machine (点、派、接、评、晒) ----------
export { ORDER_STATES, type OrderState } from './orderState'

export const STATE_LABEL: Record<OrderState, string> = {
  pending: '待派单',
  escalated: '已上报乡镇',
  dispatched: '已派单',
  pooled: '抢单中',
  accepted: '已接单',
  in_service: '服务中',
  completed: '待确认',
  fixed: '已解决',
  rejected: '已驳回',
  referred: '已转办',
  closed: '已关闭',
  cancelled: '已取消',
  unconfirmed: '已完成，未经确认',
  handled: '已就地处置',
}

export const TERMINAL_STATES: readonly OrderState[] = ['fixed', 'rejected', 'referred', 'closed', 'cancelled', 'unconfirmed', 'handled']
/** Orders someone still has to act on. */
export const OPEN_STATES = ORDER_STATES.filter((s) => !TERMINAL_STATES.includes(s))

/** `to` of an action that records something on the order without moving it (督办, 催办, 延期…) */
export const SAME = 'same'
type Transition = {
  from: readonly OrderState[] | null // null: creates the order
  to: OrderState | typeof SAME
  roles: readonly ActorRole[]
  label: string
  needsReason?: boolean
}

// from-state groups of the supervision actions
/** states whose stage has a time limit: 催办, 超时, 延期 apply */
const TIMED = ['pending', 'escalated', 'dispatched', 'pooled', 'accepted', 'in_service'] as const
const OPEN = [...TIMED, 'completed'] as const

/**
 * Every action: who may do it, from which states, and where it leads.
 * Anything not in this table is refused. Scope (which orders a role holder
 * may touch) is checked separately by permissions.ts.
 */
export const TRANSITIONS = {
  place: { from: null, to: 'pending', roles: ['villager', 'station', 'township'], label: '点单' },
  // 随手拍 on patrol (排查上报): a volunteer or grid leader reports a problem to the station, or handles it on the spot
  report: { from: null, to: 'pending', roles: ['volunteer', 'leader'], label: '网格上报' },
  handleOnSpot: { from: null, to: 'handled', roles: ['volunteer', 'leader'], label: '就地处置' },
  cancel: { from: ['pending', 'escalated', 'dispatched', 'pooled'], to: 'cancelled', roles: ['villager'], label: '取消' },
  dispatch: { from: ['pending', 'escalated'], to: 'dispatched', roles: ['station', 'township'], label: '派单' },
  openPool: { from: ['pending', 'escalated'], to: 'pooled', roles: ['station', 'township'], label: '发布抢单' },
  redispatch: { from: ['dispatched', 'pooled'], to: 'dispatched', roles: ['station', 'township'], label: '改派' },
  reject: { from: ['pending', 'escalated'], to: 'rejected', roles: ['station', 'township'], label: '驳回', needsReason: true },
  escalate: { from: ['pending'], to: 'escalated', roles: ['station'], label: '上报乡镇', needsReason: true },
  refer: { from: ['pending', 'escalated', 'dispatched', 'pooled'], to: 'referred', roles: ['station', 'township'], label: '转办', needsReason: true },
  close: { from: ['pending', 'escalated', 'dispatched', 'pooled'], to: 'closed', roles: ['station', 'township'], label: '关闭', needsReason: true },
  accept: { from: ['dispatched', 'pooled'], to: 'accepted', roles: ['volunteer', 'leader'], label: '接单' },
  // the team captain (网格长) hands a team order to one member of the team
  assign: { from: ['dispatched', 'pooled'], to: 'dispatched', roles: ['leader'], label: '队长派单' },
  decline: { from: ['dispatched'], to: 'pending', roles: ['volunteer', 'leader'], label: '拒单', needsReason: true },
  checkIn: { from: ['accepted'], to: 'in_service', roles: ['volunteer', 'leader'], label: '到达签到' },
  complete: { from: ['accepted', 'in_service'], to: 'completed', roles: ['volunteer', 'leader'], label: '完成服务' },
  confirmFixed: { from: ['completed'], to: 'fixed', roles: ['villager'], label: '确认已解决' },
  confirmNotFixed: { from: ['completed'], to: 'pending', roles: ['villager'], label: '未解决，重新处理', needsReason: true },
  // nobody's order is ever stuck: staff take it back, a volunteer hands it back before arriving
  recall: { from: ['accepted', 'in_service'], to: 'pending', roles: ['station', 'township'], label: '收回', needsReason: true },
  handBack: { from: ['accepted'], to: 'pending', roles: ['volunteer', 'leader'], label: '退单', needsReason: true },
  // 回访: staff call a villager who has not confirmed and record the answer for them
  followUpFixed: { from: ['completed'], to: 'fixed', roles: ['station', 'township'], label: '电话回访：已解决' },
  followUpNotFixed: { from: ['completed'], to: 'pending', roles: ['station', 'township'], label: '电话回访：未解决', needsReason: true },
  // 督办: the level above instructs, the responsible level answers
  supervise: { from: OPEN, to: SAME, roles: ['township', 'county'], label: '督办', needsReason: true },
  answerSupervision: { from: OPEN, to: SAME, roles: ['station', 'township'], label: '答复督办', needsReason: true },
  // 延期: the responsible staff ask, the level above decides (at most MAX_EXTENSIONS)
  requestExtension: { from: TIMED, to: SAME, roles: ['station', 'township'], label: '申请延期', needsReason: true },
  approveExtension: { from: TIMED, to: SAME, roles: ['township', 'county'], label: '同意延期' },
  refuseExtension: { from: TIMED, to: SAME, roles: ['township', 'county'], label: '不同意延期', needsReason: true },
  // the sweep (系统): reminders, deadlines, follow-ups
  remind: { from: TIMED, to: SAME, roles: ['system'], label: '催办' },
  markOverdue: { from: TIMED, to: SAME, roles: ['system'], label: '超时' },
  autoEscalate: { from: ['pending'], to: 'escalated', roles: ['system'], label: '超时自动上报乡镇' },
  superviseOverdue: { from: OPEN, to: SAME, roles: ['system'], label: '督办超期未答复' },
  followUpDue: { from: ['completed'], to: SAME, roles: ['system'], label: '待电话回访' },
  autoClose: { from: ['completed'], to: 'unconfirmed', roles: ['system'], label: '超期未确认，自动办结' },
} as const satisfies Record<string, Transition>

export type OrderAction = keyof typeof TRANSITIONS
export const ORDER_ACTIONS = Object.keys(TRANSITIONS) as OrderAction[]

export function canTransition(action: OrderAction, from: OrderState | null, role: ActorRole): boolean {
  const t: Transition = TRANSITIONS[action]
  if (!t.roles.includes(role)) return false
  if (t.from === null) return from === null
  return from !== null && t.from.includes(from)
}

/** The next state, or an AppError that says why not (in Chinese). */
export function nextState(action: OrderAction, from: OrderState | null, role: ActorRole, reason?: string): OrderState {
  const t: Transition = TRANSITIONS[action]
  if (!t.roles.includes(role)) {
    throw new AppError('FORBIDDEN', `当前身份不能执行「${t.label}」`)
  }
  if (!canTransition(action, from, role)) {
    const state = from ? STATE_LABEL[from] : '未创建'
    throw new AppError('INVALID_TRANSITION', `订单当前状态为「${state}」，不能${t.label}`)
  }
  if (t.needsReason && !reason?.trim()) throw new AppError('VALIDATION', `「${t.label}」需要填写原因`)
  return t.to === SAME ? from! : t.to
}

// ---------- stored order ----------
export const historyEntrySchema = z.object({
  at: z.date(),
  action: z.enum(ORDER_ACTIONS as [OrderAction, ...OrderAction[]]),
  from: z.enum(ORDER_STATES).nullable(),
  to: z.enum(ORDER_STATES),
  by: z.string(), // openId
  byName: z.string(),
  role: z.enum(ACTOR_ROLES),
  reason: z.string().optional(),
})
export type HistoryEntry = z.infer<typeof historyEntrySchema>

export const ORDER_SOURCES = ['scan', 'hotline', 'patrol'] as const
export type OrderSource = (typeof ORDER_SOURCES)[number]
/** Where an order came from: a villager's scan, a hotline call entered by staff, a grid team's patrol (随手拍). */
export const SOURCE_LABEL: Record<OrderSource, string> = { scan: '扫码点单', hotline: '热线点单', patrol: '网格上报' }

export const orderSchema = z.object({
  _id: idSchema,
  no: z.string(), // human order number, e.g. 20261123-4F2A
  requestId: z.string(),
  status: z.enum(ORDER_STATES),
  source: z.enum(ORDER_SOURCES),
  gridId: idSchema,
  gridCode: z.string(),
  gridName: z.string(),
  villageName: z.string(),
  townshipName: z.string(),
  /** ancestors of the grid and the grid itself: scope queries match any of them */
  scopePath: z.array(idSchema),
  serviceId: idSchema,
  serviceName: z.string(),
  category: z.string(),
  description: z.string(),
  contactName: z.string().optional(),
  contactPhone: z.string(),
  preferredTime: z.string().optional(),
  privacyVersion: z.string().optional(), // absent on orders entered by staff for a hotline caller
  villagerId: z.string(), // openId of the villager (or of the staff who entered a hotline order)
  enteredBy: z.string().optional(),
  history: z.array(historyEntrySchema),
  /** the volunteer dispatched to or who accepted; absent while pending, pooled or dispatched to a whole team */
  assignee: z.object({ id: idSchema, name: z.string(), teamId: z.string().nullable() }).optional(),
  /** the team the order was dispatched or pooled to (absent when dispatched to one volunteer) */
  team: z.object({ id: idSchema, name: z.string() }).optional(),
  /** every volunteer who reported it completed (their "done" tab; survives a reopen) */
  servedBy: z.array(z.string()).optional(),
  completion: z
    .object({
      note: z.string(),
      photos: z.array(z.string()).max(9),
      at: z.date(),
      /** service hours, check-in to completion (capped), and whether the check-in was verified on site */
      hours: z.number().optional(),
      verified: z.boolean().optional(),
    })
    .optional(),
  /** 到场签到: when, and how it was verified (the villager's code, the signboard, or not at all) */
  arrival: z.object({ at: z.date(), verified: z.boolean(), method: z.enum(['villager', 'signboard', 'none']) }).optional(),
  /** the villager's rating; it counts only once an administrator approved it */
  rating: z
    .object({
      fixed: z.boolean(),
      stars: z.number().int().min(1).max(5),
      comment: z.string(),
      status: z.enum(['pending', 'approved', 'rejected']),
      /** when the villager rated (the approval queue's order) */
      at: z.date().optional(),
      /** the administrator's decision (audit) */
      review: z
        .object({ at: z.date(), by: z.string(), byName: z.string(), role: z.enum(['station', 'township', 'county']), decision: z.enum(['approved', 'rejected']), reason: z.string().optional() })
        .optional(),
      /** every decision so far (append-only audit) */
      reviews: z.array(z.object({ at: z.date(), by: z.string(), byName: z.string(), role: z.string(), decision: z.string(), reason: z.string().optional() })).optional(),
    })
    .optional(),
  /** 网格上报: what the reporter found — the kind, photos of it, and the household or spot */
  report: z.object({ kind: z.string(), photos: z.array(z.string()).max(9), spot: z.string().optional() }).optional(),
  /** disputes, people needing help…: never on public pages; details only for staff and the assigned volunteer */
  sensitive: z.boolean().optional(),
  /** the order's showcase (晒), mirrored from the showcases collection */
  showcase: z.object({ id: idSchema, status: z.enum(['pending', 'approved', 'rejected']), reason: z.string().optional() }).optional(),
  createdAt: z.date(),
  updatedAt: z.date(),
})
/** A stored order: the fields above, plus its clock and supervision (schemas in timeliness.ts and supervision.ts). */
export type Order = z.infer<typeof orderSchema> & {
  /** the current stage's deadline and what the sweep does next (absent or null once closed) */
  clock?: Clock | null
  /** set by the sweep the first time a stage ran over its limit (the clock forgets it; the 问题台账 filters on it) */
  everOverdue?: true
  /** the latest 督办 (earlier ones are in the history) */
  supervision?: Supervision
  /** the latest extension request, and how many were approved */
  extension?: Extension
  extensionsUsed?: number
  /** point events of a transition not yet in the ledger (see cloudfunctions/services/ledger.ts) */
  pointsDue?: PointEvent[]
  pointsDueAt?: Date
  /** answers to the service's extra fields, with their labels as they were when ordered */
  extras?: ExtraValue[]
}

// ---------- action inputs ----------
export const placeOrderInput = z.object({
  requestId: requestIdSchema,
  gridCode: gridCodeSchema,
  serviceId: idSchema,
  description: z
    .string({ error: '请描述需要什么帮助' })
    .trim()
    .min(4, '请至少用4个字描述需要什么帮助')
    .max(500, '描述不能超过500字'),
  contactPhone: phoneSchema,
  contactName: z.string().trim().max(20, '姓名不能超过20字').optional(),
  preferredTime: z.string().trim().max(40, '期望时间不能超过40字').optional(),
  /** the version of 用户隐私保护指引 the villager agreed to before giving a phone number */
  privacyVersion: z.literal(PRIVACY_VERSION, { error: '请先阅读并同意《用户隐私保护指引》' }),
  /** answers to the service's extra fields (附加信息); the function checks them against the live catalogue */
  extras: z.array(z.object({ key: z.string().max(20), value: z.string().max(100, '附加信息每项不能超过100字') })).max(5).optional(),
})
export type PlaceOrderInput = z.infer<typeof placeOrderInput>

export const listQueryInput = z.object({
  status: z.enum(ORDER_STATES).optional(),
  /**
   * page through by createdAt: pass the last item's createdAt (ms). The next page
   * starts AT that instant (orders placed in the same millisecond are not skipped);
   * clients drop the ones they already have.
   */
  before: cursorMsSchema.optional(),
  limit: z.number().int().min(1).max(50).default(20),
})
export type ListQueryInput = z.infer<typeof listQueryInput>

/** Human order number: local day + 6 hex characters of the id (a county's day of orders practically never collides). */
export function orderNumber(day: string, id: string): string {
  return `${day}-${id.slice(-6).toUpperCase()}`
}

/** A new order as placed from a signboard (source 'scan'), entered by staff for a hotline caller, or reported on patrol ('patrol'). */
export function newOrder(p: {
  id: string
  now: Date
  grid: GridNode
  service: Service
  /** a hotline order has no privacyVersion: the caller gave the number on the phone */
  input: Pick<PlaceOrderInput, 'requestId' | 'description' | 'contactPhone' | 'contactName' | 'preferredTime'> & { privacyVersion?: string }
  by: { openId: string; name: string; role: Role }
  source: (typeof ORDER_SOURCES)[number]
  /** the dispatch stage's clock (see timeliness.ts) */
  clock: Clock | null
  /** the checked answers to the service's extra fields (serviceFields.ts requireOrderable) */
  extras?: ExtraValue[]
  /** how it is created: placed (default), or 网格上报 on patrol — reported, or handled on the spot */
  action?: 'place' | 'report' | 'handleOnSpot'
  /** 网格上报: what was found (kind, photos, spot) and whether it is about people (never public) */
  report?: NonNullable<Order['report']>
  sensitive?: boolean
}): Order {
  const { id, now, grid, service, input, by } = p
  const action = p.action ?? 'place'
  const to = nextState(action, null, by.role)
  return {
    _id: id,
    no: orderNumber(localDay(now), id),
    requestId: input.requestId,
    status: to,
    source: p.source,
    gridId: grid._id,
    gridCode: grid.code,
    gridName: grid.name,
    ...placeNames(grid),
    scopePath: grid.path,
    serviceId: service._id,
    serviceName: service.name,
    category: service.category,
    description: input.description,
    contactPhone: input.contactPhone,
    ...(input.contactName ? { contactName: input.contactName } : {}),
    ...(input.preferredTime ? { preferredTime: input.preferredTime } : {}),
    ...(input.privacyVersion ? { privacyVersion: input.privacyVersion } : {}),
    villagerId: by.openId,
    ...(p.source === 'hotline' ? { enteredBy: by.openId } : {}),
    ...(p.extras?.length ? { extras: p.extras } : {}),
    ...(p.report ? { report: p.report } : {}),
    ...(p.sensitive ? { sensitive: true } : {}),
    history: [{ at: now, action, from: null, to, by: by.openId, byName: by.name, role: by.role }],
    clock: p.clock,
    createdAt: now,
    updatedAt: now,
  }
}

/** What a volunteer who lost the race for an order (抢单) is told: someone else accepted it first. */
export const TAKEN_MESSAGE = '已被其他志愿者接单'

/**
 * The name of the person the order is for, as the timeline and approvals show it: the
 * contact name given with the order, else the name it was placed under (the villager's
 * registered name). Null when neither is known; never a phone number.
 */
export function villagerNameOf(o: Pick<Order, 'contactName' | 'history'>): string | null {
  if (o.contactName?.trim()) return o.contactName.trim()
  const placed = o.history.find((h) => h.from === null && h.role === 'villager')
  return placed && placed.byName !== ROLE_LABEL.villager ? placed.byName : null
}

/** Mask a phone number for people who must not see it: 138****5678 */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return '****'
  return phone.slice(0, 3) + '****' + phone.slice(-4)
}

/** Station staff enter an order for a caller of the grid hotline (电话点单). */
export const hotlineOrderInput = z.object({
  requestId: requestIdSchema,
  gridId: idSchema,
  serviceId: idSchema,
  description: placeOrderInput.shape.description,
  callerName: z.string({ error: '请填写来电人姓名' }).trim().min(1, '请填写来电人姓名').max(20, '姓名不能超过20字'),
  callerPhone: phoneSchema,
  preferredTime: placeOrderInput.shape.preferredTime,
  extras: placeOrderInput.shape.extras,
})
export type HotlineOrderInput = z.infer<typeof hotlineOrderInput>
