// The five-step loop 点→派→接→评→晒, server-independent rules: who may act on
// which order (role × state from TRANSITIONS, plus scope), action inputs, and
// who is told about each transition. Pure: no I/O.
import { z } from 'zod'
import { AppError } from './errors'
import { maskPhone, nextState, STATE_LABEL, TAKEN_MESSAGE, TRANSITIONS, type HistoryEntry, type Order, type OrderAction, type OrderState } from './order'
import { actsAsVolunteer, isStaff, isVolunteerRole, type Caller } from './permissions'
import { cursorMsSchema, idSchema, STAFF_RANK, type ActorRole, type Role, type StaffRole } from './schemas'

const rankOf = (r: ActorRole) => (isStaff(r as Role) ? STAFF_RANK[r as StaffRole] : 0)
import { STAGE_LABEL } from './timeliness'
import { formatShort } from './time'

// ---------- scope ----------

/**
 * The roles `caller` holds *on this order* for `action`, i.e. roles whose scope
 * covers it:
 * - villager: the order is theirs;
 * - station / township / county: the order's grid lies in the subtree of their node;
 * - volunteer / leader: the order is assigned to them; or (accept only) it is
 *   pooled or dispatched to their team (unless the captain gave it to another
 *   member); a team-dispatched order may be declined by the team's leader.
 *   Check-in and complete need the accepted assignee, which is "assigned to
 *   them" too (the state check does the rest).
 * - leader, assign (队长派单): the order went to a team the caller captains
 *   (`caller.captainOf`, filled by the service from teams.captainId) — held by a
 *   member or not, so the captain can also hand it to someone else of the team.
 */
export function rolesOnOrder(order: Order, caller: Caller, action: OrderAction): ActorRole[] {
  const roles: ActorRole[] = []
  // the sweep: built by the server (SYSTEM_CALLER), never from a users document or a client
  if (caller.system) roles.push('system')
  if (order.villagerId === caller.openId) roles.push('villager')
  for (const g of caller.roles) {
    if (roles.includes(g.role)) continue
    if (isStaff(g.role)) {
      if (order.scopePath.includes(g.nodeId)) roles.push(g.role)
      continue
    }
    if (!isVolunteerRole(g.role)) continue
    if (action === 'assign') {
      if (g.role === 'leader' && !!order.team && !!caller.captainOf?.includes(order.team.id)) roles.push(g.role)
      continue
    }
    const assigned = order.assignee?.id === caller.openId
    const ofTeam = !!order.team && !!caller.teamId && order.team.id === caller.teamId
    // a team order the captain gave to one member waits for that member, not the team's pool
    const givenToOther = order.status === 'dispatched' && !!order.assignee && !assigned
    const ok = assigned || (ofTeam && !givenToOther && (action === 'accept' || (action === 'decline' && g.role === 'leader' && !order.assignee)))
    if (ok) roles.push(g.role)
  }
  return roles
}

/**
 * The one gate of every order action: role (from TRANSITIONS), scope, from-state,
 * reason. Returns the role acted as and the next state, or throws the AppError
 * that says why not (FORBIDDEN / INVALID_TRANSITION / VALIDATION).
 */
export function authorize(order: Order, caller: Caller, action: OrderAction, reason?: string): { role: ActorRole; to: OrderState } {
  // a grid member's own report that they served themself is confirmed by a call back, not by them
  if ((action === 'confirmFixed' || action === 'confirmNotFixed') && order.villagerId === caller.openId && order.servedBy?.includes(caller.openId)) {
    throw new AppError('FORBIDDEN', '这件事是您自己办的，不能自己确认；实践站会电话回访确认')
  }
  const allowed = TRANSITIONS[action].roles as readonly ActorRole[]
  const inScope = rolesOnOrder(order, caller, action).filter((r) => allowed.includes(r))
  if (inScope.length === 0) {
    const held = caller.roles.filter((g) => allowed.includes(g.role))
    if (held.length === 0 && !allowed.includes('villager')) throw new AppError('FORBIDDEN', `当前身份不能执行「${TRANSITIONS[action].label}」`)
    if (held.some((g) => isStaff(g.role))) throw new AppError('FORBIDDEN', '无权查看或处理该区域的订单')
    if (held.length > 0 && action === 'assign') throw new AppError('FORBIDDEN', '这条订单不是派给您带领的队伍的，只有该队的队长可以分派')
    if (held.length > 0) throw new AppError('FORBIDDEN', '该订单没有派给您或您的队伍')
    throw new AppError('FORBIDDEN', '只能处理自己的订单')
  }
  // from-states do not depend on the role: any role in scope will do (a person may hold several);
  // the history names the highest staff level held
  const role = inScope.sort((a, b) => rankOf(b) - rankOf(a))[0]
  return { role, to: nextState(action, order.status, role, reason) }
}

/** The audit entry of one transition (the source of the villager's timeline). */
export function historyEntry(p: { at: Date; action: OrderAction; from: OrderState; to: OrderState; caller: Caller; role: ActorRole; reason?: string }): HistoryEntry {
  return {
    at: p.at,
    action: p.action,
    from: p.from,
    to: p.to,
    by: p.caller.openId,
    byName: p.caller.name,
    role: p.role,
    ...(p.reason?.trim() ? { reason: p.reason.trim() } : {}),
  }
}

/** What a caller is told when the order moved on between their read and their write. */
export function movedOnMessage(action: OrderAction, current: Order, openId: string): string {
  if (action === 'accept' && current.assignee && current.assignee.id !== openId && current.status !== 'dispatched') {
    return TAKEN_MESSAGE
  }
  if (action === 'accept' && current.team && current.assignee && current.assignee.id !== openId && current.status === 'dispatched') {
    return `队长已把这条订单派给${current.assignee.name}`
  }
  return `订单状态刚刚变为「${STATE_LABEL[current.status]}」，请刷新后重试`
}

const OPEN_FOR_TEAM: readonly OrderState[] = ['dispatched', 'pooled']

/** A volunteer may read an order assigned to them, pooled or dispatched to their team, or that they served. */
export function volunteerMayRead(order: Order, caller: Caller): boolean {
  if (!actsAsVolunteer(caller)) return false
  return (
    order.assignee?.id === caller.openId ||
    (!!order.team && !!caller.teamId && order.team.id === caller.teamId && !order.assignee && OPEN_FOR_TEAM.includes(order.status)) ||
    (order.servedBy ?? []).includes(caller.openId)
  )
}

/** The villager's phone, masked for a volunteer unless they are serving it now. */
export function phoneFor(order: Order, openId: string): string {
  return servingNow(order, openId) ? order.contactPhone : maskPhone(order.contactPhone)
}
const servingNow = (order: Order, openId: string) => order.assignee?.id === openId && (order.status === 'accepted' || order.status === 'in_service')

/**
 * The personal parts of an order's view as a volunteer may see them: the villager's phone and
 * (帮家人点单) the family member's, masked alike unless serving it now; the voice note only for
 * the volunteer it is assigned to or who served it (a team's pool sees the written description).
 */
export function personalFor(order: Order, openId: string): { contactPhone: string; forFamily?: { name: string; phone: string }; voice?: null } {
  const f = order.forFamily
  const family = f ? { forFamily: { name: f.name, phone: servingNow(order, openId) ? f.phone : maskPhone(f.phone) } } : {}
  const ownVoice = order.assignee?.id === openId || (order.servedBy ?? []).includes(openId)
  return { contactPhone: phoneFor(order, openId), ...family, ...(ownVoice ? {} : { voice: null }) }
}

// ---------- inputs ----------
export const reasonSchema = z
  .string({ error: '请填写原因' })
  .trim()
  .min(2, '请填写原因（至少2个字）')
  .max(200, '原因不能超过200字')

const target = {
  volunteerId: idSchema.optional(),
  teamId: idSchema.optional(),
}
const oneTarget = (v: { volunteerId?: string; teamId?: string }) => !!v.volunteerId !== !!v.teamId
const TARGET_MSG = '请选择派给一位志愿者或一支队伍（二选一）'

export const orderIdInput = z.object({ id: idSchema })
export const withReasonInput = z.object({ id: idSchema, reason: reasonSchema })
export const cancelInput = z.object({ id: idSchema, reason: z.string().trim().max(200, '原因不能超过200字').optional() })
export const dispatchInput = z.object({ id: idSchema, ...target }).refine(oneTarget, TARGET_MSG)
export const openPoolInput = z.object({ id: idSchema, teamId: idSchema })
export const redispatchInput = z
  .object({ id: idSchema, ...target, reason: z.string().trim().max(200, '原因不能超过200字').optional() })
  .refine(oneTarget, TARGET_MSG)

export const MAX_PHOTOS = 9
export const completeInput = z.object({
  id: idSchema,
  note: z.string({ error: '请简单说明服务情况' }).trim().min(2, '请简单说明服务情况（至少2个字）').max(500, '说明不能超过500字'),
  /** cloud storage file ids of the photos (uploaded beforehand) */
  photos: z.array(z.string().trim().min(1).max(512)).max(MAX_PHOTOS, `照片最多${MAX_PHOTOS}张`).default([]),
})

export const confirmInput = z.discriminatedUnion(
  'fixed',
  [
    z.object({
      id: idSchema,
      fixed: z.literal(true),
      stars: z.number({ error: '请打分（1到5星）' }).int('请打分（1到5星）').min(1, '请打分（1到5星）').max(5, '请打分（1到5星）'),
      comment: z.string().trim().max(300, '评价不能超过300字').default(''),
    }),
    z.object({ id: idSchema, fixed: z.literal(false), reason: reasonSchema }),
  ],
  { error: '请选择「已解决」或「未解决」' },
)

export const TASK_TABS = ['assigned', 'pool', 'active', 'done'] as const
export type TaskTab = (typeof TASK_TABS)[number]
export const tasksInput = z.object({
  tab: z.enum(TASK_TABS, { error: '未知的任务分类' }),
  /** page through by updatedAt (ms), like listQueryInput */
  before: cursorMsSchema.optional(),
  limit: z.number().int().min(1).max(50).default(20),
})
export type TasksInput = z.infer<typeof tasksInput>

// ---------- notifications ----------
export const NOTICE_KINDS = [
  'order_update', // to the villager: your order moved
  'task_assigned', // to a volunteer: dispatched to you
  'team_task', // to a team captain: dispatched or pooled to your team
  'task_withdrawn', // to a volunteer: cancelled / redispatched / closed
  'order_returned', // to the dispatcher: declined or not fixed, back to pending
  'order_escalated', // to the township: escalated
  'review_result', // to the villager: rating / showcase approved or rejected
  'reminder', // 催办: to whoever must act, before the stage's deadline
  'overdue', // 超时: to the responsible level and the level above
  'supervision', // 督办 opened / answered
  'extension', // 延期 asked / decided
  'follow_up', // 回访: a completed order the villager has not confirmed
] as const
export type NoticeKind = (typeof NOTICE_KINDS)[number]

export type Recipient = { userId: string } | { role: StaffRole; nodeId: string }

/**
 * Subscription messages (订阅消息): WeChat lets the app ask for consent only from a tap, for at
 * most 3 templates at once, and each acceptance allows one message. The taps that ask, and for
 * which notices: the template ids come from the deployment's configuration (the server's answer
 * to user.me); kinds sharing a template are asked once.
 */
export const SUBSCRIBE_AT = {
  /** 提交诉求: how the villager's order moves, and the review of their rating */
  place: ['order_update', 'review_result'],
  /** 接单: the task withdrawn, its reminders and its deadline */
  accept: ['task_withdrawn', 'reminder', 'overdue'],
  /** 确认已解决: the review of the rating just given */
  confirm: ['review_result'],
} as const satisfies Record<string, readonly NoticeKind[]>
export type SubscribeMoment = keyof typeof SUBSCRIBE_AT
export const MAX_TEMPLATES_PER_REQUEST = 3
/** A WeChat template id (letters, digits, - and _). */
export const templateIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '订阅消息模板编号不正确')
/** user.subscribe: the template ids the person accepted in WeChat's consent dialog. */
export const subscribeInput = z.object({ accepted: z.array(templateIdSchema).max(MAX_TEMPLATES_PER_REQUEST) })
export type Notice = { to: Recipient; kind: NoticeKind; text: string }

/** The village node of an order (county → township → village → grid…). */
export const villageOf = (o: Pick<Order, 'scopePath'>) => o.scopePath[2] ?? o.scopePath[o.scopePath.length - 1]
export const townshipOf = (o: Pick<Order, 'scopePath'>) => o.scopePath[1] ?? o.scopePath[0]
export const countyOf = (o: Pick<Order, 'scopePath'>) => o.scopePath[0]

/**
 * Who is told about a transition, in plain Chinese. `captainId` is the captain
 * of the team the order went to, when the service knows it. The actor is never
 * told about their own action.
 */
export function noticesFor(p: { action: OrderAction; before: Order; after: Order; actorId: string; reason?: string; captainId?: string }): Notice[] {
  const { action, before, after } = p
  const what = `「${after.serviceName}」订单（${after.no}）`
  const why = p.reason?.trim() ? `，原因：${p.reason.trim()}` : ''
  const out: Notice[] = []
  const toUser = (userId: string | undefined, kind: NoticeKind, text: string) => {
    if (userId) out.push({ to: { userId }, kind, text })
  }
  // the villager is told which of their requests, by its service, never by a number they would have to read out
  // an order placed for a family member: their account (when known) hears what the villager hears
  const villager = (text: string) => {
    const plain = text.replace(what, `「${after.serviceName}」诉求`)
    toUser(after.villagerId, 'order_update', plain)
    if (after.forFamily?.userId !== after.villagerId) toUser(after.forFamily?.userId, 'order_update', plain)
  }
  const lastDispatcher = [...before.history].reverse().find((h) => h.action === 'dispatch' || h.action === 'openPool' || h.action === 'redispatch')
  const toStation = (text: string) => {
    if (lastDispatcher) toUser(lastDispatcher.by, 'order_returned', text)
    else out.push({ to: { role: 'station', nodeId: villageOf(after) }, kind: 'order_returned', text })
  }
  const toStaff = (role: StaffRole, kind: NoticeKind, text: string) => {
    const nodeId = role === 'station' ? villageOf(after) : role === 'township' ? townshipOf(after) : countyOf(after)
    out.push({ to: { role, nodeId }, kind, text })
  }
  /** the staff level that must dispatch: the village station, or the township once escalated */
  const dispatcherLevel: StaffRole = before.status === 'escalated' ? 'township' : 'station'
  const due = after.clock ? formatShort(after.clock.dueAt) : ''
  const stage = after.clock ? STAGE_LABEL[after.clock.stage] : ''
  switch (action) {
    case 'cancel':
      toUser(before.assignee?.id, 'task_withdrawn', `村民已取消${what}，无需再上门`)
      break
    case 'dispatch':
    case 'redispatch':
    case 'openPool':
      if (action === 'redispatch' && before.assignee && before.assignee.id !== after.assignee?.id) {
        toUser(before.assignee.id, 'task_withdrawn', `${what}已改派他人`)
      }
      if (after.assignee) toUser(after.assignee.id, 'task_assigned', `您有新的派单：${what}，请尽快接单`)
      else if (after.team) toUser(p.captainId, 'team_task', `${after.team.name}有新的${action === 'openPool' ? '抢单' : '派单'}：${what}`)
      villager(`您的${what}已${action === 'openPool' ? '发布给志愿服务队抢单' : '派给志愿者'}，请等待接单`)
      break
    case 'assign':
      // the captain's choice within the team: the member hears it as a dispatch to them
      if (before.assignee && before.assignee.id !== after.assignee?.id) toUser(before.assignee.id, 'task_withdrawn', `${what}已由队长改派他人`)
      if (after.assignee) toUser(after.assignee.id, 'task_assigned', `您有新的派单：${what}，请尽快接单`)
      break
    case 'reject':
    case 'refer':
    case 'close':
      toUser(before.assignee?.id, 'task_withdrawn', `${what}已${TRANSITIONS[action].label}${why}`)
      villager(`您的${what}${action === 'reject' ? '已被驳回' : action === 'refer' ? '已转办' : '已关闭'}${why}`)
      break
    case 'escalate':
      out.push({ to: { role: 'township', nodeId: townshipOf(after) }, kind: 'order_escalated', text: `${after.villageName}上报了${what}${why}` })
      villager(`您的${what}已上报乡镇处理`)
      break
    case 'accept':
      villager(`志愿者${after.assignee?.name ?? ''}已接单：${what}`)
      break
    case 'decline':
      toStation(`志愿者${before.assignee?.name ?? ''}婉拒了${what}${why}，请重新派单`)
      break
    case 'checkIn':
      villager(`志愿者${after.assignee?.name ?? ''}已到达，开始服务：${what}`)
      break
    case 'complete':
      villager(`志愿者已完成${what}，请确认是否解决并评价`)
      break
    case 'confirmFixed':
      toUser(before.assignee?.id, 'order_update', `村民确认${what}已解决，感谢您的服务`)
      break
    case 'confirmNotFixed':
      toStation(`村民反馈${what}未解决${why}，订单已重新打开，请重新派单`)
      toUser(before.assignee?.id, 'order_update', `村民反馈${what}未解决${why}`)
      break
    case 'recall':
      toUser(before.assignee?.id, 'task_withdrawn', `${what}已被工作人员收回${why}，无需再上门`)
      villager(`您的${what}正在重新安排志愿者`)
      break
    case 'handBack':
      toStation(`志愿者${before.assignee?.name ?? ''}退回了${what}${why}，请重新派单`)
      villager(`您的${what}正在重新安排志愿者`)
      break
    case 'followUpFixed':
      toUser(before.assignee?.id, 'order_update', `经电话回访，村民确认${what}已解决，感谢您的服务`)
      break
    case 'followUpNotFixed':
      toUser(before.assignee?.id, 'order_update', `经电话回访，村民反映${what}未解决${why}`)
      break
    case 'supervise': {
      const s = after.supervision
      toStaff(dispatcherLevel, 'supervision', `${s?.byName ?? ''}督办${what}${why}，请在${s ? formatShort(s.replyBy) : ''}前答复办理情况`)
      break
    }
    case 'answerSupervision':
      toUser(before.supervision?.by, 'supervision', `${after.supervision?.reply?.byName ?? ''}已答复督办：${what}${why}`)
      break
    case 'requestExtension':
      toStaff(after.extension?.role === 'township' ? 'county' : 'township', 'extension', `${after.extension?.byName ?? ''}申请将${what}延期${after.extension?.workdays ?? ''}个工作日${why}，请审批`)
      break
    case 'approveExtension':
      toUser(before.extension?.by, 'extension', `${what}的延期申请已同意，新的办理时限：${due}`)
      villager(`您的${what}办理时限已延长至${due}`)
      break
    case 'refuseExtension':
      toUser(before.extension?.by, 'extension', `${what}的延期申请未同意${why}`)
      break
    case 'remind': {
      const text = `催办：${what}将于${due}超时，请尽快${stage}`
      if (after.clock?.stage === 'dispatch') toStaff(dispatcherLevel, 'reminder', text)
      else if (after.assignee) toUser(after.assignee.id, 'reminder', text)
      else if (after.team) toUser(p.captainId, 'reminder', text)
      break
    }
    case 'markOverdue': {
      const text = `${what}已超过${stage}时限（${due}），请督促办理`
      if (after.clock?.stage === 'dispatch' && after.status === 'escalated') {
        toStaff('township', 'overdue', text)
        toStaff('county', 'overdue', `${after.townshipName}的${what}超过派单时限，已列入县级督办`)
      } else {
        toStaff('station', 'overdue', text)
        toStaff('township', 'overdue', `${after.villageName}的${what}已超过${stage}时限`)
        if (after.assignee) toUser(after.assignee.id, 'overdue', `${what}已超过${stage}时限，请尽快办理或联系实践站`)
      }
      break
    }
    case 'autoEscalate':
      toStaff('township', 'order_escalated', `${after.villageName}的${what}超过派单时限未派单，已自动上报，请尽快处理`)
      toStaff('station', 'overdue', `${what}超过派单时限，已自动上报乡镇`)
      villager(`您的${what}已上报乡镇处理`)
      break
    case 'superviseOverdue': {
      const s = before.supervision
      toUser(s?.by, 'overdue', `您督办的${what}超过答复期限仍未答复`)
      if (s?.role === 'township') toStaff('county', 'overdue', `${after.townshipName}督办的${what}超期未答复`)
      toStaff(dispatcherLevel, 'overdue', `${what}的督办已超过答复期限，请立即答复`)
      break
    }
    case 'followUpDue':
      toStaff('station', 'follow_up', `${what}已办完，村民尚未确认，请电话回访`)
      break
    case 'autoClose':
      villager(`您的${what}已办结（您没有确认）。如仍有问题，可以重新点单或拨打服务热线`)
      break
    case 'place':
      break
  }
  return out.filter((n) => !('userId' in n.to) || n.to.userId !== p.actorId)
}
