// 派、接、评 — every order action after 点 goes through `transition`: the core
// decides (role × state × scope × reason), the database applies it with one
// compare-and-set on the status the decision was based on.
import {
  activeVolunteerGrant,
  actsAsVolunteer,
  AppError,
  authorize,
  countyOf,
  startClock,
  TERMINAL_STATES,
  UNANSWERED,
  type ActorRole,
  historyEntry,
  movedOnMessage,
  noticesFor,
  personalFor,
  pointEventsFor,
  viewFor,
  serviceHours,
  type Caller,
  type Order,
  type OrderAction,
  type OrderView,
  type TasksInput,
  type Team,
  type User,
  isOrderedFor,
} from '../../src/core'
import type { Db, Deps } from '../shared/context'
import { notFound, unauthenticated } from '../shared/errors'
import { deliver, type StaffMemo } from './inbox'
import { requireStoredPhotos } from '../shared/files'
import { requireCleanText } from './showcase'
import { orderPhotoUrls, toOrderView, type UrlMap } from './views'
import { loadTimeliness, type Timeliness } from './timeliness'
import { dueFields, loadRules, settleDue } from './ledger'
import { arrivalCode, badgeKeys, checkArrivalCode } from '../shared/badge'
import QRCode from 'qrcode'

type Fields = Record<string, unknown>
export type Plan = {
  reason?: string
  /** extra fields to set (after authorization; may read what it needs) */
  fields?: (ctx: { order: Order; caller: Caller; role: ActorRole; now: Date; rules: Timeliness }) => Promise<Changes> | Changes
  /** extra conditions of the compare-and-set (e.g. "no 督办 open"), beyond the status read */
  guard?: (order: Order) => Fields
}
type Changes = { set?: Fields; unset?: string[]; addToSet?: Fields; captainId?: string }

export async function readOrder(db: Db, id: string): Promise<Order> {
  const order = (await db.collection('orders').doc(id).get()).data[0] as Order | undefined
  if (!order) throw notFound('订单')
  return order
}

/**
 * One transition of one order. Round trips: caller and order (1 + 1, at once),
 * then as `applyTransition`.
 */
export async function transition(deps: Deps, id: string, action: OrderAction, plan: Plan = {}): Promise<Order> {
  if (!deps.openId) throw unauthenticated()
  const [caller, order] = await Promise.all([deps.caller(), readOrder(deps.db, id)])
  return applyTransition({ db: deps.db, now: deps.now() }, order, caller, action, plan)
}

/**
 * Decide (core: role × state × scope × reason), then apply with one compare-and-set
 * on the status the decision was based on (plus the plan's guard). A move to
 * another state starts that stage's clock (county rules: cached, usually no round
 * trip). Round trips: whatever `plan.fields` reads, the conditional update (1),
 * notifications (inbox + outbox inserts, at once; best effort). A lost race costs
 * one more read (to say what happened).
 */
export async function applyTransition(ctx: { db: Db; now: Date; staff?: StaffMemo }, order: Order, caller: Caller, action: OrderAction, plan: Plan = {}): Promise<Order> {
  const { db, now } = ctx
  let decided: { role: ActorRole; to: Order['status'] }
  try {
    decided = authorize(order, caller, action, plan.reason)
  } catch (e) {
    // a volunteer of the team who arrives after the winner: say it's taken, not "wrong state"
    if (e instanceof AppError && e.code === 'INVALID_TRANSITION' && action === 'accept' && order.assignee && order.assignee.id !== caller.openId) {
      throw new AppError('CONFLICT', movedOnMessage(action, order, caller.openId))
    }
    // …or one the captain just gave to another member: say so
    if (e instanceof AppError && e.code === 'FORBIDDEN' && action === 'accept' && order.assignee && order.team && order.team.id === caller.teamId) {
      throw new AppError('CONFLICT', movedOnMessage(action, order, caller.openId))
    }
    throw e
  }
  const rules = await loadTimeliness(db, countyOf(order), now.getTime())
  const extra: Changes = plan.fields ? await plan.fields({ order, caller, role: decided.role, now, rules }) : {}
  const set: Fields = { ...extra.set }
  // a new stage (or a new volunteer) gets a fresh clock; the plan may set one itself
  if (!('clock' in set) && (decided.to !== order.status || action === 'redispatch')) {
    set.clock = startClock({ status: decided.to, serviceId: order.serviceId, now, ...rules })
  }
  if (decided.to !== order.status) {
    // an extension asked for the stage that just ended can no longer be decided
    if (order.extension?.status === 'pending' && !('extension' in set)) set.extension = { ...order.extension, status: 'lapsed' }
    // a 督办 of an order that has ended needs no answer any more
    if (TERMINAL_STATES.includes(decided.to) && order.supervision && UNANSWERED.includes(order.supervision.status) && !('supervision' in set)) {
      set.supervision = { ...order.supervision, status: 'closed' }
    }
  }
  const entry = historyEntry({ at: now, action, from: order.status, to: decided.to, caller, role: decided.role, reason: plan.reason })
  // the stored document after the update (no read back)
  const after: Order = { ...order, status: decided.to, updatedAt: now, history: [...order.history, entry], ...(set as Partial<Order>) }
  for (const f of extra.unset ?? []) delete (after as Fields)[f]
  for (const [k, v] of Object.entries(extra.addToSet ?? {})) {
    const cur = ((after as Fields)[k] as unknown[] | undefined) ?? []
    ;(after as Fields)[k] = cur.includes(v) ? cur : [...cur, v]
  }
  // points earned or lost ride on the order in the same compare-and-set (recorded below; the sweep retries)
  const points = pointEventsFor({ action, before: order, after, at: now })
  Object.assign(set, dueFields(order, points, now))
  Object.assign(after, dueFields(order, points, now))
  const _ = db.command
  const update: Fields = {
    status: decided.to,
    updatedAt: now,
    history: _.push([entry]),
  }
  // whole sub-documents replace what was there (a plain object would be merged field by field)
  for (const [k, v] of Object.entries(set)) update[k] = v !== null && typeof v === 'object' && !(v instanceof Date) && !Array.isArray(v) ? _.set(v) : v
  for (const f of extra.unset ?? []) update[f] = _.remove()
  for (const [k, v] of Object.entries(extra.addToSet ?? {})) update[k] = _.addToSet(v)
  const res = await db
    .collection('orders')
    .where({ ...plan.guard?.(order), _id: order._id, status: order.status })
    .update(update)
  if (!res.updated) {
    const current = await readOrder(db, order._id)
    throw new AppError('CONFLICT', movedOnMessage(action, current, caller.openId))
  }
  await deliver(db, after, noticesFor({ action, before: order, after, actorId: caller.openId, reason: plan.reason, captainId: extra.captainId }), now, ctx.staff)
  if (after.pointsDue?.length) await settleDue(db, after._id, after.pointsDue, now, now)
  return after
}

const view = (o: Order, urls?: UrlMap) => toOrderView(o, urls)
/** The view after a transition; completion photos (if any) get temp URLs (one storage call, only then). */
export const viewOf = async (deps: Deps, o: Order) =>
  toOrderView(o, o.completion?.photos.length || o.report?.photos.length ? await orderPhotoUrls(deps.files, [o]) : undefined)

// ---------- 派: station / township ----------

/**
 * Where a dispatch goes: one volunteer (of the order's grid, or of a team that
 * serves it) or a team that serves the order's grid. One round trip (two reads at once).
 */
async function resolveTarget(db: Db, order: Order, t: { volunteerId?: string; teamId?: string }) {
  if (t.teamId) {
    const team = (await db.collection('teams').doc(t.teamId).get()).data[0] as Team | undefined
    if (!team) throw notFound('志愿服务队')
    // a team of a grid serves its micro-grids too
    if (!team.gridIds.some((g) => order.scopePath.includes(g))) throw new AppError('FORBIDDEN', `${team.name}不服务${order.gridName}，请选择其他队伍`)
    return { team, volunteer: undefined }
  }
  const [userRes, teamsRes] = await Promise.all([
    db.collection('users').doc(t.volunteerId!).get(),
    db.collection('teams').where({ gridIds: db.command.in(order.scopePath) }).limit(100).get(),
  ])
  const volunteer = userRes.data[0] as User | undefined
  if (!volunteer) throw notFound('志愿者')
  const grant = activeVolunteerGrant(volunteer)
  if (!grant) throw new AppError('FORBIDDEN', volunteer.suspended ? `${volunteer.name}的志愿者身份已暂停，不能派单` : `${volunteer.name}不是志愿者`)
  const teams = teamsRes.data as Team[]
  const serves = order.scopePath.includes(grant.nodeId) || (!!volunteer.teamId && teams.some((tm) => tm._id === volunteer.teamId))
  if (!serves) throw new AppError('FORBIDDEN', `${volunteer.name}不在${order.villageName}的服务范围内，请选择本村的志愿者或队伍`)
  return { team: undefined, volunteer }
}

async function dispatchFields(db: Db, order: Order, t: { volunteerId?: string; teamId?: string }) {
  const { team, volunteer } = await resolveTarget(db, order, t)
  if (volunteer) {
    return { set: { assignee: { id: volunteer._id, name: volunteer.name, teamId: volunteer.teamId ?? null } }, unset: ['team'] }
  }
  return { set: { team: { id: team!._id, name: team!.name } }, unset: ['assignee'], captainId: team!.captainId }
}

export async function dispatch(deps: Deps, input: { id: string; volunteerId?: string; teamId?: string }): Promise<OrderView> {
  return viewOf(deps, await transition(deps, input.id, 'dispatch', { fields: ({ order }) => dispatchFields(deps.db, order, input) }))
}

export async function redispatch(deps: Deps, input: { id: string; volunteerId?: string; teamId?: string; reason?: string }): Promise<OrderView> {
  return viewOf(deps, await transition(deps, input.id, 'redispatch', { reason: input.reason, fields: ({ order }) => dispatchFields(deps.db, order, input) }))
}

/** 抢单: open the order to a team's grab pool; the first member to accept wins. */
export async function openPool(deps: Deps, input: { id: string; teamId: string }): Promise<OrderView> {
  return viewOf(deps, await transition(deps, input.id, 'openPool', { fields: ({ order }) => dispatchFields(deps.db, order, { teamId: input.teamId }) }))
}

const closing = (action: 'reject' | 'escalate' | 'refer' | 'close') => async (deps: Deps, input: { id: string; reason: string }) =>
  viewOf(deps, await transition(deps, input.id, action, { reason: input.reason }))
export const reject = closing('reject')
export const escalate = closing('escalate')
export const refer = closing('refer')
export const close = closing('close')

// ---------- villager ----------

export async function cancel(deps: Deps, input: { id: string; reason?: string }): Promise<OrderView> {
  return viewOf(deps, await transition(deps, input.id, 'cancel', { reason: input.reason }))
}

/** 评: fixed (with stars and a comment, waiting for approval) or not fixed (back to the station). */
export async function confirm(
  deps: Deps,
  input: { id: string; fixed: true; stars: number; comment: string } | { id: string; fixed: false; reason: string },
): Promise<OrderView> {
  if (input.fixed) {
    // the comment passes the content check before anything changes (it becomes public once approved)
    const o = await transition(deps, input.id, 'confirmFixed', {
      fields: async ({ now }) => {
        await requireCleanText(deps, input.comment)
        return { set: { rating: { fixed: true, stars: input.stars, comment: input.comment, status: 'pending' as const, at: now } } }
      },
    })
    return view(o, await orderPhotoUrls(deps.files, [o]))
  }
  return viewOf(
    deps,
    await transition(deps, input.id, 'confirmNotFixed', {
      reason: input.reason,
      fields: async () => ({ unset: ['assignee', 'team'] }),
    }),
  )
}

// ---------- 接: volunteer ----------

export async function accept(deps: Deps, input: { id: string }): Promise<OrderView> {
  const o = await transition(deps, input.id, 'accept', {
    // dispatched → dispatched moves (队长派单, 改派) keep the status: the holder read must still hold it
    guard: (order) => ({ 'assignee.id': order.assignee ? order.assignee.id : deps.db.command.exists(false) }),
    fields: async ({ order, caller }) =>
      order.assignee?.id === caller.openId ? {} : { set: { assignee: { id: caller.openId, name: caller.name, teamId: caller.teamId ?? null } } },
  })
  return { ...(await viewOf(deps, o)), ...personalFor(o, deps.openId!) }
}

export async function decline(deps: Deps, input: { id: string; reason: string }): Promise<OrderView> {
  const o = await transition(deps, input.id, 'decline', { reason: input.reason, fields: async () => ({ unset: ['assignee', 'team'] }) })
  return { ...(await viewOf(deps, o)), ...personalFor(o, deps.openId!) }
}

/**
 * 到场签到. Verified when the volunteer gives the villager's current arrival code or the
 * grid code of the order's signboard; without either it still works, unverified (the
 * hours then count as unverified). A wrong code is refused and changes nothing.
 */
export async function checkIn(deps: Deps, input: { id: string; arrivalCode?: string; gridCode?: string }): Promise<OrderView> {
  const o = await transition(deps, input.id, 'checkIn', {
    fields: ({ order, now }) => {
      let method: 'villager' | 'signboard' | 'none' = 'none'
      if (input.arrivalCode) {
        if (!checkArrivalCode(order._id, input.arrivalCode, now, badgeKeys())) throw new AppError('VALIDATION', '核验码不对或已过期，请让村民刷新订单页面后再输入')
        method = 'villager'
      } else if (input.gridCode) {
        const code = input.gridCode.trim().toUpperCase()
        if (code !== order.gridCode.toUpperCase()) throw new AppError('VALIDATION', `扫到的不是${order.gridName}的网格标识牌，请扫本网格的标识牌`)
        method = 'signboard'
      }
      return { set: { arrival: { at: now, verified: method !== 'none', method } } }
    },
  })
  return { ...(await viewOf(deps, o)), ...personalFor(o, deps.openId!) }
}

/**
 * The villager's arrival code for the volunteer at the door (their own order, while it is being served;
 * 帮家人点单: the family member it was ordered for too — the volunteer comes to their door).
 */
export async function arrivalCodeFor(deps: Deps, input: { id: string }): Promise<{ code: string; qr: string; validUntil: number }> {
  if (!deps.openId) throw unauthenticated()
  const order = await readOrder(deps.db, input.id)
  if (order.villagerId !== deps.openId && !isOrderedFor(order, deps.openId)) throw new AppError('FORBIDDEN', '只能查看自己订单的核验码')
  if (order.status !== 'accepted' && order.status !== 'in_service') throw new AppError('INVALID_TRANSITION', '志愿者接单后才有到场核验码')
  const { code, validUntil } = arrivalCode(order._id, deps.now(), badgeKeys())
  return { code, validUntil, qr: await QRCode.toDataURL(code, { errorCorrectionLevel: 'M', margin: 1, width: 240 }) }
}

/** Photos must be images in storage (one storage call, after authorization); the answer carries their temp URLs. */
export async function complete(deps: Deps, input: { id: string; note: string; photos: string[] }): Promise<OrderView> {
  let urls: UrlMap = new Map()
  const o = await transition(deps, input.id, 'complete', {
    fields: async ({ order, caller, now }) => {
      const [stored, rules] = await Promise.all([requireStoredPhotos(deps.files, input.photos, caller.openId), loadRules(deps.db, countyOf(order), now.getTime())])
      urls = stored
      const { hours, verified } = serviceHours(order.arrival, now, rules.rules.hoursCap)
      return {
        set: { completion: { note: input.note, photos: input.photos, at: now, hours, verified } },
        addToSet: { servedBy: caller.openId },
      }
    },
  })
  return { ...view(o, urls), ...personalFor(o, deps.openId!) }
}

/**
 * The volunteer's task lists: assigned to me (waiting for my accept), my team's
 * pool (pooled or dispatched to the team), in progress (accepted / on site), done
 * (I completed it). Round trips: caller (1), orders (1).
 */
export async function tasks(deps: Deps, q: TasksInput): Promise<OrderView[]> {
  const caller = await deps.caller()
  if (!actsAsVolunteer(caller)) {
    throw new AppError('FORBIDDEN', '只有注册志愿者可以查看任务')
  }
  const _ = deps.db.command
  const me = caller.openId
  let where: Fields
  switch (q.tab) {
    case 'assigned':
      where = { 'assignee.id': me, status: 'dispatched' }
      break
    case 'pool':
      if (!caller.teamId) return []
      // not those the captain already gave to one member (theirs to accept)
      where = { 'team.id': caller.teamId, status: _.in(['pooled', 'dispatched']), 'assignee.id': _.exists(false) }
      break
    case 'active':
      where = { 'assignee.id': me, status: _.in(['accepted', 'in_service']) }
      break
    case 'done':
      where = { servedBy: me }
      break
  }
  const res = await deps.db
    .collection('orders')
    .where({ ...where, ...(q.before ? { updatedAt: _.lte(new Date(q.before)) } : {}) })
    .orderBy('updatedAt', 'desc')
    .limit(q.limit)
    .get()
  const list = res.data as Order[]
  const urls = await orderPhotoUrls(deps.files, list)
  // a sensitive report in the team's pool shows its kind and grid only, until someone accepts it
  return list.map((o) => viewFor(o, { ...view(o, urls), ...personalFor(o, me) }, me))
}
