// 督办, 延期, 收回, 退单, 回访: the actions that keep an order from ever being stuck.
// Each is one transition of the one table (core/order.ts TRANSITIONS) through
// `transition`; the rank rules between the two parties come from core/supervision.ts.
import {
  AppError,
  extendClock,
  MAX_EXTENSIONS,
  personalFor,
  levelOn,
  REPLY_WITHIN,
  requireAnswerer,
  requireDecider,
  requireRequester,
  requireSupervisor,
  responsibleLevel,
  UNANSWERED,
  type Extension,
  type OrderView,
  type ReplyWithin,
  type Supervision,
} from '../../src/core'
import type { Deps } from '../shared/context'
import { transition, viewOf } from './loop'

/**
 * 督办: township or county staff instruct the level responsible for the order (its station, or
 * the township once escalated) and set a reply deadline. One unanswered 督办 at a time.
 */
export async function supervise(deps: Deps, input: { id: string; instruction: string; replyWithin: ReplyWithin }): Promise<OrderView> {
  const o = await transition(deps, input.id, 'supervise', {
    reason: input.instruction,
    guard: () => ({ 'supervision.status': deps.db.command.nin([...UNANSWERED]) }),
    fields: ({ order, caller, now, rules }) => {
      if (order.supervision && UNANSWERED.includes(order.supervision.status)) throw new AppError('CONFLICT', '这条诉求已有未答复的督办，请等待答复后再督办')
      const to = responsibleLevel(order.status)
      const supervision: Supervision = {
        by: caller.openId,
        byName: caller.name,
        role: requireSupervisor(levelOn(caller, order.scopePath), to),
        to,
        instruction: input.instruction,
        at: now,
        replyBy: rules.calendar.addLimit(now, REPLY_WITHIN[input.replyWithin]),
        status: 'open',
      }
      return { set: { supervision } }
    },
  })
  return viewOf(deps, o)
}

/** The responsible level answers the open 督办 with 办理情况 (also after its deadline passed). */
export async function answerSupervision(deps: Deps, input: { id: string; reply: string }): Promise<OrderView> {
  const o = await transition(deps, input.id, 'answerSupervision', {
    reason: input.reply,
    guard: (order) => ({ 'supervision.at': order.supervision?.at, 'supervision.status': deps.db.command.in([...UNANSWERED]) }),
    fields: ({ order, caller, now }) => {
      const s = order.supervision
      if (!s || !UNANSWERED.includes(s.status)) throw new AppError('INVALID_TRANSITION', '这条诉求没有待答复的督办')
      requireAnswerer(caller, order.scopePath, s)
      return { set: { supervision: { ...s, status: 'answered', reply: { text: input.reply, at: now, by: caller.openId, byName: caller.name, role: s.to } } } }
    },
  })
  return viewOf(deps, o)
}

/** 延期: the responsible staff ask for 1–3 more working days; at most MAX_EXTENSIONS are granted per order. */
export async function requestExtension(deps: Deps, input: { id: string; workdays: number; reason: string }): Promise<OrderView> {
  const o = await transition(deps, input.id, 'requestExtension', {
    reason: input.reason,
    guard: () => ({ 'extension.status': deps.db.command.neq('pending') }),
    fields: ({ order, caller, now }) => {
      if (order.extension?.status === 'pending') throw new AppError('CONFLICT', '已有待审批的延期申请，请等待上级审批')
      if ((order.extensionsUsed ?? 0) >= MAX_EXTENSIONS) throw new AppError('INVALID_TRANSITION', `这条诉求已延期${MAX_EXTENSIONS}次，不能再延期`)
      const role = requireRequester(caller, order.scopePath, order.status)
      const extension: Extension = { by: caller.openId, byName: caller.name, role, reason: input.reason, workdays: input.workdays, at: now, status: 'pending' }
      return { set: { extension } }
    },
  })
  return viewOf(deps, o)
}

/** The level above the requester approves (the deadline moves; the villager is told) or refuses with a reason. */
export async function decideExtension(deps: Deps, input: { id: string; approve: boolean; reason?: string }): Promise<OrderView> {
  const o = await transition(deps, input.id, input.approve ? 'approveExtension' : 'refuseExtension', {
    reason: input.reason,
    guard: (order) => ({ 'extension.status': 'pending', 'extension.at': order.extension?.at }),
    fields: ({ order, caller, now, rules }) => {
      const ext = order.extension
      if (!ext || ext.status !== 'pending') throw new AppError('INVALID_TRANSITION', '这条诉求没有待审批的延期申请')
      const role = requireDecider(caller, order.scopePath, ext)
      const decided: Extension = {
        ...ext,
        status: input.approve ? 'approved' : 'refused',
        decision: { by: caller.openId, byName: caller.name, role, at: now, ...(input.reason ? { reason: input.reason } : {}) },
      }
      if (!input.approve || !order.clock) return { set: { extension: decided } }
      return {
        set: {
          extension: decided,
          extensionsUsed: (order.extensionsUsed ?? 0) + 1,
          clock: extendClock(order.clock, ext.workdays, now, rules.settings, rules.calendar),
        },
      }
    },
  })
  return viewOf(deps, o)
}

/** 收回: station or township staff take an order back from the volunteer who accepted it. */
export async function recall(deps: Deps, input: { id: string; reason: string }): Promise<OrderView> {
  return viewOf(deps, await transition(deps, input.id, 'recall', { reason: input.reason, fields: () => ({ unset: ['assignee', 'team'] }) }))
}

/** 退单: the volunteer hands an accepted order back before arriving. */
export async function handBack(deps: Deps, input: { id: string; reason: string }): Promise<OrderView> {
  const o = await transition(deps, input.id, 'handBack', { reason: input.reason, fields: () => ({ unset: ['assignee', 'team'] }) })
  return { ...(await viewOf(deps, o)), ...personalFor(o, deps.openId!) }
}

/** 回访: staff called the villager and record the answer for them (the history says 电话回访 and who). */
export async function followUp(deps: Deps, input: { id: string; fixed: boolean; note?: string; reason?: string }): Promise<OrderView> {
  if (input.fixed) {
    const note = input.note?.trim()
    return viewOf(deps, await transition(deps, input.id, 'followUpFixed', { ...(note ? { reason: note } : {}) }))
  }
  return viewOf(deps, await transition(deps, input.id, 'followUpNotFixed', { reason: input.reason, fields: () => ({ unset: ['assignee', 'team'] }) }))
}

