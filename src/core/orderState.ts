// The order state machine (点、派、接、评、晒): the states, their labels, who may do what from which
// state, and where orders come from. No schema library here — the villager pages (weapp main
// package) import these, and the full zod must stay out of that package; the stored order's
// schemas and the action inputs are in order.ts, which re-exports all of this.
import { AppError } from './errors'
import type { ActorRole } from './roles'

export const ORDER_STATES = [
  'pending', // placed or returned to the station, waiting for dispatch
  'escalated', // sent up to the township (大事不出乡)
  'dispatched', // assigned to a volunteer or team, waiting for accept
  'pooled', // open in a team's grab pool (抢单)
  'accepted', // a volunteer took it
  'in_service', // volunteer checked in on site
  'completed', // volunteer reported done, waiting for the villager
  'fixed', // villager confirmed fixed (the only "solved" outcome)
  'rejected', // station refused it, with a reason
  'referred', // closed: not our remit, referred elsewhere
  'closed', // closed without action, with a reason
  'cancelled', // villager withdrew it before it was accepted
  'unconfirmed', // completed, but the villager never confirmed nor could be reached (not a confirmed fix)
  'handled', // 就地处置: a patrol report its reporter handled on the spot (closed at once, with an after-photo)
] as const
export type OrderState = (typeof ORDER_STATES)[number]

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

/** The same states in a villager's own words (长辈模式): what is happening, not the office's term for it. */
export const VILLAGER_STATE_LABEL: Record<OrderState, string> = {
  pending: '等待安排',
  escalated: '乡镇在办',
  dispatched: '已安排人',
  pooled: '等人接手',
  accepted: '有人接手了',
  in_service: '正在办',
  completed: '请您确认',
  fixed: '办好了',
  rejected: '没有受理',
  referred: '转给别处办',
  closed: '已结束',
  cancelled: '已撤回',
  unconfirmed: '已办完',
  handled: '当场办好了',
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


export const ORDER_SOURCES = ['scan', 'hotline', 'patrol'] as const
export type OrderSource = (typeof ORDER_SOURCES)[number]
/** Where an order came from: a villager's scan, a hotline call entered by staff, a grid team's patrol (随手拍). */
export const SOURCE_LABEL: Record<OrderSource, string> = { scan: '扫码点单', hotline: '热线点单', patrol: '网格上报' }
