// 评 / 晒 approvals and 派 suggestions (staff).
import {
  activeVolunteerGrant,
  AppError,
  alreadyReviewed,
  rankVolunteers,
  requireGrantAt,
  requireScope,
  reviewerRole,
  staffGrants,
  STAFF_ROLES,
  type ApprovalItemView,
  type ApprovalKind,
  type ApprovalsInput,
  type Candidate,
  type Notice,
  ratingEvent,
  type Order,
  type Review,
  type Showcase,
  type SuggestView,
  type Team,
  type User,
} from '../../src/core'
import type { Db, Deps } from '../shared/context'
import { notFound, unauthenticated } from '../shared/errors'
import { urlsFor } from '../shared/files'
import { activeServices } from './grid'
import { deliverAbout } from './inbox'
import { dueFields, settleDue } from './ledger'
import { ratingApprovalView, showcaseApprovalView } from './views'

const WHAT: Record<ApprovalKind, string> = { rating: '评价', showcase: '晒单' }

async function readDoc<T>(db: Db, collection: string, id: string, what: string): Promise<T> {
  const doc = (await db.collection(collection).doc(id).get()).data[0] as T | undefined
  if (!doc) throw notFound(what)
  return doc
}

/**
 * The approval queue: pending ratings or showcases in the caller's subtree
 * (or of `nodeId`, one of the caller's staff nodes), newest first.
 * Round trips: caller (1), list (1); showcases: one storage call for photo URLs.
 */
export async function approvals(deps: Deps, q: ApprovalsInput): Promise<ApprovalItemView[]> {
  if (!deps.openId) throw unauthenticated()
  const caller = await deps.caller()
  const grants = staffGrants(caller)
  if (grants.length === 0) throw new AppError('FORBIDDEN', '只有村站、乡镇所或县级管理员可以审核')
  const node = q.nodeId ? requireGrantAt(caller, STAFF_ROLES, q.nodeId).nodeId : grants[0].nodeId
  const _ = deps.db.command
  if (q.kind === 'rating') {
    const res = await deps.db
      .collection('orders')
      .where({ scopePath: node, 'rating.status': 'pending', ...(q.before ? { 'rating.at': _.lte(new Date(q.before)) } : {}) })
      .orderBy('rating.at', 'desc')
      .limit(q.limit)
      .get()
    return (res.data as Order[]).map(ratingApprovalView)
  }
  const res = await deps.db
    .collection('showcases')
    .where({ scopePath: node, status: 'pending', ...(q.before ? { createdAt: _.lte(new Date(q.before)) } : {}) })
    .orderBy('createdAt', 'desc')
    .limit(q.limit)
    .get()
  const list = res.data as Showcase[]
  const urls = await urlsFor(deps.files, list.flatMap((s) => s.photos))
  return list.map((s) => showcaseApprovalView(s, urls))
}

type Decision = { kind: ApprovalKind; id: string; decision: 'approved' | 'rejected'; reason?: string }

function resultNotice(userId: string, kind: ApprovalKind, serviceName: string, d: Decision): Notice {
  // to the villager: which request by its service, never by a number
  const what = `您对「${serviceName}」诉求的${WHAT[kind]}`
  const text =
    d.decision === 'approved'
      ? `${what}已审核通过${kind === 'showcase' ? '，已在村里的晒单栏公开' : '，感谢您的评价'}`
      : `${what}未通过审核，原因：${d.reason}`
  return { to: { userId }, kind: 'review_result', text }
}

/**
 * Approve or reject one pending rating / showcase: scope check, then one
 * compare-and-set on the pending status that also appends the audit entry
 * (`review`, `reviews`); then the author's inbox + outbox.
 * Round trips: caller + item (1, at once), the update (1), notifications
 * (1, inserts at once; a showcase also mirrors its status onto the order in
 * the same step). A lost race costs one more read.
 */
async function decide(deps: Deps, d: Decision): Promise<ApprovalItemView> {
  if (!deps.openId) throw unauthenticated()
  const { db } = deps
  const _ = db.command
  const now = deps.now()
  if (d.kind === 'rating') {
    const [caller, order] = await Promise.all([deps.caller(), readDoc<Order>(db, 'orders', d.id, '订单')])
    const role = reviewerRole(caller, order.scopePath)
    if (!order.rating || order.rating.status !== 'pending') throw alreadyReviewed('rating', order.rating?.status)
    const review: Review = { at: now, by: caller.openId, byName: caller.name, role, decision: d.decision, ...(d.reason ? { reason: d.reason } : {}) }
    const rated: Order = { ...order, rating: { ...order.rating, status: d.decision, review, reviews: [...(order.rating.reviews ?? []), review] } }
    // an approved good rating earns the volunteer a bonus: due on the order in the same step
    const bonus = ratingEvent(rated, now)
    const due = dueFields(order, bonus ? [bonus] : [], now)
    const res = await db
      .collection('orders')
      .where({ _id: d.id, 'rating.status': 'pending' })
      .update({ rating: { status: d.decision, review: _.set(review), reviews: _.push([review]) }, ...due, updatedAt: now })
    if (!res.updated) {
      const current = await readDoc<Order>(db, 'orders', d.id, '订单')
      throw alreadyReviewed('rating', current.rating?.status === 'pending' ? 'approved' : current.rating?.status)
    }
    const after: Order = { ...rated, ...due }
    if (after.pointsDue?.length) await settleDue(db, order._id, after.pointsDue, now, now)
    await deliverAbout(
      db,
      { orderId: order._id, orderNo: order.no, serviceName: order.serviceName, status: d.decision === 'approved' ? '评价已通过' : '评价未通过' },
      [resultNotice(order.villagerId, 'rating', order.serviceName, d)],
      now,
    )
    return ratingApprovalView(after)
  }

  const [caller, sc] = await Promise.all([deps.caller(), readDoc<Showcase>(db, 'showcases', d.id, '晒单')])
  const role = reviewerRole(caller, sc.scopePath)
  if (sc.status !== 'pending') throw alreadyReviewed('showcase', sc.status)
  const review: Review = { at: now, by: caller.openId, byName: caller.name, role, decision: d.decision, ...(d.reason ? { reason: d.reason } : {}) }
  const res = await db
    .collection('showcases')
    .where({ _id: d.id, status: 'pending' })
    .update({ status: d.decision, review: _.set(review), reviews: _.push([review]), updatedAt: now, ...(d.decision === 'approved' ? { approvedAt: now } : {}) })
  if (!res.updated) {
    const current = await readDoc<Showcase>(db, 'showcases', d.id, '晒单')
    throw alreadyReviewed('showcase', current.status === 'pending' ? 'approved' : current.status)
  }
  const after: Showcase = { ...sc, status: d.decision, review, reviews: [...(sc.reviews ?? []), review], updatedAt: now, ...(d.decision === 'approved' ? { approvedAt: now } : {}) }
  const mirror = { id: sc._id, status: d.decision, ...(d.reason ? { reason: d.reason } : {}) }
  const recipients = [...new Set([sc.villagerId, sc.author.id])]
  const [, , urls] = await Promise.all([
    db
      .collection('orders')
      .doc(sc.orderId)
      .update({ showcase: _.set(mirror) })
      .catch((e: unknown) => console.error('[showcase] order mirror failed', sc.orderId, e)),
    deliverAbout(
      db,
      { orderId: sc.orderId, orderNo: sc.orderNo, serviceName: sc.serviceName, status: d.decision === 'approved' ? '晒单已公开' : '晒单未通过' },
      recipients.map((u) => resultNotice(u, 'showcase', sc.serviceName, d)),
      now,
    ),
    urlsFor(deps.files, sc.photos),
  ])
  return showcaseApprovalView(after, urls)
}

export const approve = (deps: Deps, input: { kind: ApprovalKind; id: string }) => decide(deps, { ...input, decision: 'approved' })
export const rejectApproval = (deps: Deps, input: { kind: ApprovalKind; id: string; reason: string }) => decide(deps, { ...input, decision: 'rejected' })

// ---------- 派: suggestions ----------
/** suspended volunteers are never suggested */
const VOLUNTEER = activeVolunteerGrant

/**
 * Ranked volunteers (and teams) for an order: same grid first, matching
 * skill, least current load. Round trips: caller + order (1, at once);
 * teams serving the grid + volunteers of the village's grids (1, at once;
 * the catalogue is cached); team members + current load (1, at once).
 */
export async function suggest(deps: Deps, { id }: { id: string }): Promise<SuggestView> {
  if (!deps.openId) throw unauthenticated()
  const { db } = deps
  const _ = db.command
  const [caller, order] = await Promise.all([deps.caller(), readDoc<Order>(db, 'orders', id, '订单')])
  requireScope(caller, STAFF_ROLES, order.scopePath)
  const local = order.scopePath.slice(2) // the village and below
  const [services, teamsRes, localRes] = await Promise.all([
    activeServices(db, deps.now()),
    db.collection('teams').where({ gridIds: order.gridId }).limit(100).get(),
    db.collection('users').where({ 'roles.nodeId': _.in(local) }).limit(100).get(),
  ])
  const skill = services.find((s) => s._id === order.serviceId)?.skill
  const teams = teamsRes.data as Team[]
  const teamIds = teams.map((t) => t._id)
  const localUsers = (localRes.data as User[]).filter((u) => VOLUNTEER(u))
  const localIds = localUsers.map((u) => u._id)
  const $ = db.command.aggregate
  const [membersRes, loadRes] = await Promise.all([
    teamIds.length ? db.collection('users').where({ teamId: _.in(teamIds) }).limit(100).get() : Promise.resolve({ data: [] as User[] }),
    db
      .collection('orders')
      .aggregate()
      .match({ status: _.in(['accepted', 'in_service']) })
      .match(
        teamIds.length
          ? _.or([{ 'assignee.teamId': _.in(teamIds) }, { 'assignee.id': _.in(localIds.length ? localIds : ['-']) }])
          : { 'assignee.id': _.in(localIds.length ? localIds : ['-']) },
      )
      .group({ _id: '$assignee.id', n: $.sum(1) })
      .limit(1000)
      .end(),
  ])
  const load = new Map<string, number>(((loadRes as { data: { _id: string; n: number }[] }).data ?? []).map((r) => [r._id, r.n]))
  const byId = new Map<string, User>()
  for (const u of [...localUsers, ...((membersRes.data as User[]) ?? []).filter((u) => VOLUNTEER(u))]) byId.set(u._id, u)
  const candidates: Candidate[] = [...byId.values()].map((u) => ({
    id: u._id,
    name: u.name,
    nodeId: VOLUNTEER(u)!.nodeId,
    teamId: u.teamId ?? null,
    skills: u.skills ?? [],
  }))
  const teamName = new Map(teams.map((t) => [t._id, t.name]))
  const ranked = rankVolunteers(order, skill, candidates, load)
  const volunteers = ranked.map((r) => ({
    id: r.id,
    name: r.name,
    plate: byId.get(r.id)?.plate ?? null,
    teamId: r.teamId,
    teamName: r.teamId ? (teamName.get(r.teamId) ?? null) : null,
    sameGrid: r.sameGrid,
    skillMatch: r.skillMatch,
    load: r.load,
    reasons: r.reasons,
  }))
  const teamOptions = teams
    .map((t) => {
      const members = [...byId.values()].filter((u) => u.teamId === t._id)
      return {
        id: t._id,
        name: t.name,
        captainName: t.captainId ? (byId.get(t.captainId)?.name ?? null) : null,
        skillMatch: !!skill && t.skills.includes(skill),
        load: members.reduce((n, u) => n + (load.get(u._id) ?? 0), 0),
        memberCount: members.length,
      }
    })
    .sort((a, b) => Number(b.skillMatch) - Number(a.skillMatch) || a.load - b.load || a.name.localeCompare(b.name, 'zh'))
  return { skill: skill ?? null, volunteers, teams: teamOptions }
}
