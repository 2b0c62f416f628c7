// 随手拍 (排查上报) and the problem ledger (问题台账). A volunteer or grid leader on patrol files
// what they found as an order with source 「网格上报」: reported, it waits for the station's
// dispatch like any order (the reporter is its villager and is told of each step); handled on
// the spot, it is closed at once as their work (就地处置, points). Staff of a subtree read every
// order and report of it as one ledger, filtered.
import {
  volunteerGrants,
  actsAsVolunteer,
  AppError,
  assertOrderable,
  newOrder,
  OPEN_STATES,
  patrolGrantCovers,
  patrolService,
  pointEventsFor,
  requirePatrolArea,
  SENSITIVE_PATROL_KINDS,
  staffGrants,
  TERMINAL_STATES,
  type GridNode,
  type LedgerInput,
  type Order,
  type OrderView,
  type PatrolGridView,
  type PatrolInput,
  type Team,
  type User,
  type VolunteerDoc,
} from '../../src/core'
import type { Deps } from '../shared/context'
import { unauthenticated } from '../shared/errors'
import { requireStoredPhotos } from '../shared/files'
import { dueFields, settleDue } from './ledger'
import { dispatchClock, grantOver, insertOrFind, orderIdFor } from './order'
import { orderPhotoUrls, toOrderView } from './views'

/**
 * The grids the caller may report in (the form's choice): under their volunteer or leader grant
 * and those their team serves, micro-grids included. Round trips: caller (1), team (1), grids (1).
 */
export async function patrolGrids(deps: Deps): Promise<PatrolGridView[]> {
  const { db } = deps
  const caller = await deps.caller()
  if (!actsAsVolunteer(caller)) throw new AppError('FORBIDDEN', '只有志愿者和网格长可以随手拍上报')
  const _ = db.command
  const own = volunteerGrants(caller).map((g) => g.nodeId)
  const team = caller.teamId ? ((await db.collection('teams').doc(caller.teamId).get()).data[0] as Team | undefined) : undefined
  const roots = [...new Set([...own, ...(team?.gridIds ?? [])])]
  const res = await db
    .collection('grids')
    .where({ path: _.in(roots), active: true, level: _.in(['grid', 'micro']) })
    .limit(100)
    .get()
  // own grid first, then its micro-grids, then the team's, in code order
  const rank = (n: GridNode) => (own.some((id) => n.path.includes(id)) ? 0 : 1)
  return (res.data as GridNode[])
    .sort((a, b) => rank(a) - rank(b) || a.code.localeCompare(b.code))
    .map((n) => ({ id: n._id, code: n.code, name: n.name, level: n.level }))
}

/**
 * 随手拍: report a problem found on patrol, or record it handled on the spot. Idempotent by
 * requestId (same reporter + request → same order). Round trips: caller, grid and the reporter's
 * records at once (1); their team, only when the grid is not under their own grant (1); the
 * photos (one storage call); the insert (1); on the spot, the points (one transaction).
 */
export async function patrol(deps: Deps, input: PatrolInput): Promise<OrderView> {
  const { db, openId } = deps
  if (!openId) throw unauthenticated()
  const now = deps.now()
  const [caller, gridRes, userRes, volRes] = await Promise.all([
    deps.caller(),
    db.collection('grids').doc(input.gridId).get(),
    db.collection('users').doc(openId).get(),
    db.collection('volunteers').doc(openId).get(),
  ])
  if (!actsAsVolunteer(caller)) throw new AppError('FORBIDDEN', '只有志愿者和网格长可以随手拍上报')
  const found = (gridRes.data as GridNode[])[0]
  if (!found) throw new AppError('NOT_FOUND', '没有找到所选网格，请重新选择')
  const grid = assertOrderable(found, found.code)
  // a grid of another grid of the village: only through a team that serves it
  const team =
    !patrolGrantCovers(caller, grid.path) && caller.teamId
      ? ((await db.collection('teams').doc(caller.teamId).get()).data[0] as Team | undefined)
      : undefined
  const role = requirePatrolArea(caller, grid, team)
  // every photo (and after-photo) must be the reporter's own upload, still in storage
  const urls = await requireStoredPhotos(deps.files, [...input.photos, ...(input.handled ? input.afterPhotos : [])], openId)

  const user = userRes.data[0] as User | undefined
  const registration = volRes.data[0] as VolunteerDoc | undefined
  const name = registration?.name ?? user?.name ?? caller.name
  const service = patrolService(input.kind)
  const base = newOrder({
    id: orderIdFor(openId, input.requestId),
    now,
    grid,
    service,
    input: { requestId: input.requestId, description: input.note, contactName: name, contactPhone: registration?.phone ?? user?.phone ?? '' },
    by: { openId, name, role },
    source: 'patrol',
    action: input.handled ? 'handleOnSpot' : 'report',
    // reported: the station's dispatch clock (a patrol service has the county's default limits); handled: closed, no clock
    clock: input.handled ? null : await dispatchClock(db, grid, service, now),
    report: { kind: input.kind, photos: input.photos, ...(input.spot ? { spot: input.spot } : {}) },
    sensitive: SENSITIVE_PATROL_KINDS.includes(input.kind),
  })
  let order: Order = base
  if (input.handled) {
    // the reporter is the one who served: it counts as their work
    order = {
      ...base,
      assignee: { id: openId, name, teamId: caller.teamId ?? null },
      servedBy: [openId],
      completion: { note: input.afterNote || input.note, photos: input.afterPhotos, at: now },
    }
    Object.assign(order, dueFields(order, pointEventsFor({ action: 'handleOnSpot', before: order, after: order, at: now }), now))
  }
  const { order: stored, inserted } = await insertOrFind(db, order)
  // the points ride on the stored order (the sweep records them if this dies first); a replay settles only what is still due
  if (stored.pointsDue?.length && stored.pointsDueAt) await settleDue(db, stored._id, stored.pointsDue, new Date(stored.pointsDueAt), now)
  return toOrderView(stored, inserted ? urls : await orderPhotoUrls(deps.files, [stored]), now.getTime())
}

/**
 * 问题台账: every order and patrol report of the caller's subtree (or of a node in it), newest
 * first, filtered by source, category, open / closed or one status, and whether a stage ever ran
 * late. Each filter has an index led by scopePath (database/collections.ts); one read of ≤ 50.
 * Round trips: caller (1), the node when it is below the caller's grant (1), orders (1), photo URLs (1).
 */
export async function ledger(deps: Deps, q: LedgerInput & { state: 'all' | 'open' | 'closed'; limit: number }): Promise<OrderView[]> {
  const caller = await deps.caller()
  const grants = staffGrants(caller)
  if (grants.length === 0) throw new AppError('FORBIDDEN', '只有文明实践站（所）和县级工作人员可以查看问题台账')
  const grant = q.nodeId ? await grantOver(deps, caller, q.nodeId) : grants[0]
  const area = q.nodeId ?? grant.nodeId
  const _ = deps.db.command
  const states = q.state === 'open' ? OPEN_STATES : q.state === 'closed' ? TERMINAL_STATES : null
  // one status that the open / closed choice excludes: nothing to list
  if (q.status && states && !states.includes(q.status)) return []
  const where: Record<string, unknown> = { scopePath: area }
  if (q.status) where.status = q.status
  else if (states) where.status = _.in([...states])
  if (q.source) where.source = q.source
  if (q.category) where.category = q.category
  if (q.overdue) where.everOverdue = true
  if (q.before) where.createdAt = _.lte(new Date(q.before))
  const res = await deps.db.collection('orders').where(where).orderBy('createdAt', 'desc').limit(q.limit).get()
  const list = res.data as Order[]
  const urls = await orderPhotoUrls(deps.files, list)
  const now = deps.now().getTime()
  return list.map((o) => toOrderView(o, urls, now))
}
