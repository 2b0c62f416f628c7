import { createHash } from 'node:crypto'
import {
  AppError,
  newOrder,
  OPEN_STATES,
  TERMINAL_STATES,
  personalFor,
  viewFor,
  volunteerMayRead,
  requireOrderReader,
  staffGrants,
  STAFF_ROLES,
  assertOrderable,
  requireScope,
  type Caller,
  type GridNode,
  type HotlineOrderInput,
  type ListQueryInput,
  type Order,
  type OrderView,
  type PlaceOrderInput,
  type Role,
  type RoleGrant,
  type Service,
  type SupervisionStatus,
  type WorkList,
  startClock,
  requireOrderable,
  isOrderedFor,
} from '../../src/core'
import type { Db, Deps } from '../shared/context'
import { loadTimeliness } from './timeliness'
import { isDuplicateKey, notFound, unauthenticated } from '../shared/errors'
import { activeServices, findOrderableGrid } from './grid'
import { orderPhotoUrls, toOrderView } from './views'
import { requireStoredVoice } from '../shared/files'

/** Same caller + same request id → same order id: a retried submission cannot create a duplicate. */
export const orderIdFor = (openId: string, requestId: string) =>
  createHash('sha256').update(`${openId}\n${requestId}`).digest('hex').slice(0, 32)

/**
 * 点 — a villager orders a service at a grid (from its signboard code).
 * Round trips: the grid and the caller (1, in parallel), the insert (1); the catalogue is cached.
 */
export async function placeOrder(deps: Deps, input: PlaceOrderInput): Promise<OrderView> {
  const { db, openId } = deps
  if (!openId) throw unauthenticated()
  const now = deps.now()
  // the caller's registered name (the users document) names the order when the villager left no contact name
  const [grid, services, caller, family] = await Promise.all([
    findOrderableGrid(db, input.gridCode),
    activeServices(db, now),
    deps.caller(),
    input.forFamily ? familyAccount(db, input.forFamily.phone, openId) : undefined,
    input.voice ? requireStoredVoice(deps.files, input.voice.fileId, openId) : undefined,
  ])
  const service = services.find((s) => s._id === input.serviceId)
  if (!service) throw new AppError('NOT_FOUND', '所选服务不存在或已下架，请重新选择')
  // an emergency service is phoned (119, 120…), never ordered; extra answers must fit the live catalogue
  const extras = requireOrderable(service, input.extras)

  const id = orderIdFor(openId, input.requestId)
  const clock = await dispatchClock(db, grid, service, now)
  const forFamily = input.forFamily ? { name: input.forFamily.name, phone: input.forFamily.phone, ...(family ? { userId: family } : {}) } : undefined
  const order = newOrder({ id, now, grid, service, input, by: { openId, name: input.contactName || caller.name, role: 'villager' }, source: 'scan', clock, extras, forFamily })
  return insertOnce(deps, order)
}

/**
 * 帮家人点单: the account of the family member an order is for — the one account that holds
 * `phone` on its record (set by the system: seeding, an approved registration), never a number
 * someone merely typed. Anyone could type a phone, so typing one never lets its owner's account
 * be chosen by guesswork: two accounts with that phone, or none, link nobody (staff then call the
 * number), and the orderer's own account is not linked twice. One round trip.
 */
async function familyAccount(db: Db, phone: string, orderer: string): Promise<string | undefined> {
  const res = await db.collection('users').where({ phone }).field({ _id: true }).limit(2).get()
  const found = res.data as { _id: string }[]
  return found.length === 1 && found[0]._id !== orderer ? found[0]._id : undefined
}

/**
 * 点 by hotline — station (or township) staff enter the order for a caller of the
 * grid hotline. The order is marked 'hotline', carries the caller's name and phone,
 * and is owned by the staff member who entered it (they get the villager's notices
 * and confirm the result after calling back). Round trips: grid + caller in
 * parallel (1), the insert (1); the catalogue is cached.
 */
export async function placeHotlineOrder(deps: Deps, input: HotlineOrderInput): Promise<OrderView> {
  const { db, openId } = deps
  if (!openId) throw unauthenticated()
  const now = deps.now()
  const [gridRes, caller, services] = await Promise.all([db.collection('grids').doc(input.gridId).get(), deps.caller(), activeServices(db, now)])
  const found = (gridRes.data as GridNode[])[0]
  if (!found) throw new AppError('NOT_FOUND', '没有找到所选网格，请重新搜索')
  const grid = assertOrderable(found, found.code)
  const grant = requireScope(caller, ['station', 'township'], grid.path)
  const service = services.find((s) => s._id === input.serviceId)
  if (!service) throw new AppError('NOT_FOUND', '所选服务不存在或已下架，请重新选择')
  const extras = requireOrderable(service, input.extras)

  const id = orderIdFor(openId, input.requestId)
  const order = newOrder({
    extras,
    id,
    now,
    grid,
    service,
    input: { ...input, contactName: input.callerName, contactPhone: input.callerPhone },
    by: { openId, name: caller.name, role: grant.role },
    source: 'hotline',
    clock: await dispatchClock(db, grid, service, now),
  })
  return insertOnce(deps, order)
}

/** The first stage's clock (the county's rules are cached: usually no round trip). */
export async function dispatchClock(db: Db, grid: GridNode, service: Service, now: Date) {
  const rules = await loadTimeliness(db, grid.path[0], now.getTime())
  return startClock({ status: 'pending', serviceId: service._id, now, ...rules })
}

/** Insert a new order; a retry of a submission that already landed answers with what was stored. */
async function insertOnce({ db }: Deps, order: Order): Promise<OrderView> {
  return toOrderView((await insertOrFind(db, order)).order)
}

/**
 * Insert a new order, or find the one a retry of the same submission stored before (same id):
 * `inserted` says which, so that what follows a creation (points) happens once.
 */
export async function insertOrFind(db: Db, order: Order): Promise<{ order: Order; inserted: boolean }> {
  try {
    await db.collection('orders').add(order)
    return { order, inserted: true }
  } catch (e) {
    if (!isDuplicateKey(e)) throw e
    const existing = (await db.collection('orders').doc(order._id).get()).data[0] as Order | undefined
    if (!existing) throw e
    return { order: existing, inserted: false }
  }
}

function pageQuery(deps: Deps, q: ListQueryInput) {
  const _ = deps.db.command
  return {
    ...(q.status ? { status: q.status } : {}),
    ...(q.before ? { createdAt: _.lte(new Date(q.before)) } : {}),
  }
}

/** The villager's own orders and those placed for them by family (帮家人点单), newest first. One round trip. */
export async function myOrders(deps: Deps, q: ListQueryInput): Promise<OrderView[]> {
  if (!deps.openId) throw unauthenticated()
  const _ = deps.db.command
  const res = await deps.db
    .collection('orders')
    .where(_.and([_.or([{ villagerId: deps.openId }, { 'forFamily.userId': deps.openId }]), pageQuery(deps, q)]))
    .orderBy('createdAt', 'desc')
    .limit(q.limit)
    .get()
  const list = res.data as Order[]
  const urls = await orderPhotoUrls(deps.files, list)
  return list.map((o) => toOrderView(o, urls, deps.now().getTime()))
}

/** One order: its villager, or staff whose subtree holds its grid. */
export async function orderDetail(deps: Deps, { id }: { id: string }): Promise<OrderView> {
  if (!deps.openId) throw unauthenticated()
  const order = (await deps.db.collection('orders').doc(id).get()).data[0] as Order | undefined
  if (!order) throw notFound('订单')
  try {
    await requireOrderReader(order, deps.openId, deps.caller)
  } catch (e) {
    // volunteers read what they were given or served, with the villager's phone masked unless serving it now
    const caller = await deps.caller()
    if (!(e instanceof AppError) || !volunteerMayRead(order, caller)) throw e
    // a sensitive report: its details only for the volunteer it is assigned to (or who served it)
    return viewFor(order, { ...toOrderView(order, await orderPhotoUrls(deps.files, [order]), deps.now().getTime()), ...personalFor(order, caller.openId) }, caller.openId)
  }
  const view = toOrderView(order, await orderPhotoUrls(deps.files, [order]), deps.now().getTime())
  return isOrderedFor(order, deps.openId) ? { ...view, orderedForYou: true } : view
}

/** Each work list: its conditions (beyond scope) and the field it is sorted and paged by. */
function workList(
  deps: Deps,
  q: { list: WorkList; supervision?: SupervisionStatus },
  role: Role,
): { where: Fields[]; sort: string; key: (o: Order) => Date | undefined; desc?: boolean } {
  const _ = deps.db.command
  const open = { status: _.in([...OPEN_STATES]) }
  const due = (o: Order) => o.clock?.dueAt
  switch (q.list) {
    case 'dispatch':
      // a station dispatches its village's pending orders; a township also those escalated to it
      return { where: [{ status: role === 'station' ? 'pending' : _.in(['pending', 'escalated']) }], sort: 'clock.dueAt', key: due }
    case 'open':
      return { where: [open], sort: 'clock.dueAt', key: due }
    case 'overdue':
      // past a stage's deadline, or with a 督办 nobody answered in time
      return { where: [open, _.or([{ 'clock.overdue': true }, { 'supervision.status': 'overdue' }])], sort: 'clock.dueAt', key: due }
    case 'followUp':
      return { where: [{ status: 'completed', 'clock.followUp': true }], sort: 'clock.dueAt', key: due }
    case 'supervision':
      return {
        where: [{ 'supervision.status': q.supervision ?? _.in(['open', 'overdue', 'answered', 'closed']) }],
        sort: 'supervision.replyBy',
        key: (o) => o.supervision?.replyBy,
      }
    case 'extension':
      return { where: [{ 'extension.status': 'pending' }], sort: 'extension.at', key: (o) => o.extension?.at }
    case 'closed':
      // finished orders, the latest first: how each one ended
      return { where: [{ status: _.in([...TERMINAL_STATES]) }], sort: 'updatedAt', key: (o) => o.updatedAt, desc: true }
    case 'all':
      // every order of the area whatever its state, the newest first (index scope_created, read backwards)
      return { where: [], sort: 'createdAt', key: (o) => o.createdAt, desc: true }
  }
}
/** A query condition: a plain filter or a command such as `_.or([...])`. */
type Fields = Record<string, unknown> | ReturnType<Deps['db']['command']['or']>

/** A work-list cursor: the sort key (ms) and the id of the last item, so equal keys never repeat or get lost. */
const cursorOf = (key: Date | undefined, id: string) => `${key ? new Date(key).getTime() : 0}:${id}`

/**
 * The caller's staff grant for listing `nodeId`: one held at exactly that node (no round
 * trip), else one above it; a node outside every grant is refused. Round trip: the node (1).
 */
export async function grantOver(deps: Deps, caller: Caller, nodeId: string): Promise<RoleGrant> {
  const exact = staffGrants(caller).find((r) => r.nodeId === nodeId)
  if (exact) return exact
  const node = (await deps.db.collection('grids').doc(nodeId).get()).data[0] as GridNode | undefined
  if (!node) throw new AppError('NOT_FOUND', '没有找到这个区域')
  return requireScope(caller, STAFF_ROLES, node.path)
}

/**
 * Staff lists of the caller's subtree (or of one node in it: `nodeId`). Without `list`: open orders (or one status),
 * newest first. With `list`: a work list, most urgent first (see WORK_LISTS), paged by
 * (sort key, _id). Round trips: caller (1), orders (1), photo URLs when any (1).
 */
export async function incomingOrders(
  deps: Deps,
  q: ListQueryInput & { nodeId?: string; list?: WorkList; supervision?: SupervisionStatus; after?: string },
): Promise<OrderView[]> {
  const caller = await deps.caller()
  const grants = staffGrants(caller)
  if (grants.length === 0) throw new AppError('FORBIDDEN', '只有文明实践站（所）工作人员可以查看待办订单')
  const grant = q.nodeId ? await grantOver(deps, caller, q.nodeId) : grants[0]
  // the area listed: the grant's own node, or a node below it (a dashboard's drill-down to one grid)
  const area = q.nodeId ?? grant.nodeId
  const _ = deps.db.command
  const now = deps.now().getTime()
  if (q.list) {
    const l = workList(deps, { list: q.list, supervision: q.supervision }, grant.role)
    const conds: Fields[] = [{ scopePath: area }, ...l.where]
    if (q.after) {
      const [ms, id] = [Number(q.after.slice(0, q.after.indexOf(':'))), q.after.slice(q.after.indexOf(':') + 1)]
      const at = new Date(ms)
      const past = l.desc ? _.lt : _.gt
      conds.push(_.or([{ [l.sort]: past(at) }, { [l.sort]: at, _id: past(id) }]))
    }
    const dir = l.desc ? 'desc' : 'asc'
    const res = await deps.db
      .collection('orders')
      .where(_.and(conds as Parameters<typeof _.and>[0]))
      .orderBy(l.sort, dir)
      .orderBy('_id', dir)
      .limit(q.limit)
      .get()
    const list = res.data as Order[]
    const urls = await orderPhotoUrls(deps.files, list)
    return list.map((o) => ({ ...toOrderView(o, urls, now), cursor: cursorOf(l.key(o), o._id) }))
  }
  const res = await deps.db
    .collection('orders')
    .where({
      scopePath: area,
      ...(q.status ? {} : { status: _.in([...OPEN_STATES]) }),
      ...pageQuery(deps, q),
    })
    .orderBy('createdAt', 'desc')
    .limit(q.limit)
    .get()
  const list = res.data as Order[]
  const urls = await orderPhotoUrls(deps.files, list)
  return list.map((o) => toOrderView(o, urls, now))
}
