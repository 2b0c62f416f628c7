// 晒 — showcases: created by the villager (or the serving team's leader) of a
// fixed order, content-checked, public only once approved.
import {
  AppError,
  showcaseAuthor,
  showcaseId,
  type FeedInput,
  type Order,
  type Showcase,
  type ShowcaseInput,
  type ShowcaseView,
  type Team,
} from '../../src/core'
import type { Deps } from '../shared/context'
import { isDuplicateKey, notFound, unauthenticated } from '../shared/errors'
import { requireStoredPhotos, urlsFor } from '../shared/files'
import { toShowcaseView } from './views'

/** Refuse text the content check refuses (nothing is stored). */
export async function requireCleanText(deps: Deps, text: string): Promise<void> {
  if (!text.trim()) return
  const r = await deps.wechat.msgSecCheck(text, deps.openId)
  if (!r.ok) throw new AppError('VALIDATION', `内容未通过安全检测：${r.reason ?? '含有不适宜公开的内容'}，请修改后再提交`)
}

/**
 * Create (or resubmit a rejected) showcase; it waits for approval.
 * Round trips: caller + order (1, at once); content check + photos (one storage
 * call) + the team's name when the order went to one volunteer (1, at once);
 * the insert (1); the order's mirror (1).
 */
export async function createShowcase(deps: Deps, input: ShowcaseInput): Promise<ShowcaseView> {
  if (!deps.openId) throw unauthenticated()
  const { db } = deps
  const _ = db.command
  const [caller, order] = await Promise.all([
    deps.caller(),
    db
      .collection('orders')
      .doc(input.orderId)
      .get()
      .then((r) => r.data[0] as Order | undefined),
  ])
  if (!order) throw notFound('订单')
  const author = showcaseAuthor(order, caller)
  if (order.showcase && order.showcase.status !== 'rejected') throw new AppError('CONFLICT', '该订单已经晒过了，正在审核或已公开')
  // content check, photos in storage and (for an order dispatched to one volunteer) the team's name, at once
  const teamRead: Promise<Team | undefined> =
    !order.team && order.assignee?.teamId
      ? db
          .collection('teams')
          .doc(order.assignee.teamId)
          .get()
          .then((r) => r.data[0] as Team | undefined)
      : Promise.resolve(undefined)
  const [, urls, t] = await Promise.all([requireCleanText(deps, input.story), requireStoredPhotos(deps.files, input.photos, caller.openId), teamRead])
  const team = order.team ?? (t ? { id: t._id, name: t.name } : undefined)
  const now = deps.now()
  const sc: Showcase = {
    _id: showcaseId(order._id),
    orderId: order._id,
    orderNo: order.no,
    serviceName: order.serviceName,
    category: order.category,
    gridName: order.gridName,
    villageName: order.villageName,
    townshipName: order.townshipName,
    scopePath: order.scopePath,
    story: input.story,
    photos: input.photos,
    author:
      author.kind === 'villager'
        ? { id: caller.openId, name: order.contactName || caller.name, kind: 'villager' }
        : { id: caller.openId, name: caller.name, kind: 'team' },
    villagerId: order.villagerId,
    ...(team ? { team } : {}),
    ...(order.assignee ? { volunteerName: order.assignee.name } : {}),
    status: 'pending',
    createdAt: now,
    updatedAt: now,
  }
  try {
    await db.collection('showcases').add(sc)
  } catch (e) {
    if (!isDuplicateKey(e)) throw e
    // one showcase per order: a rejected one may be submitted again (compare-and-set on 'rejected')
    const { _id, reviews: _r, review: _rv, ...fresh } = sc
    const res = await db
      .collection('showcases')
      .where({ _id, status: 'rejected' })
      .update({ ...fresh, author: _.set(fresh.author), photos: _.set(fresh.photos), approvedAt: _.remove(), review: _.remove() })
    if (!res.updated) throw new AppError('CONFLICT', '该订单已经晒过了，正在审核或已公开')
  }
  await db
    .collection('orders')
    .doc(order._id)
    .update({ showcase: _.set({ id: sc._id, status: 'pending' }) })
  return toShowcaseView(sc, urls, 'own')
}

/** My showcases (any status, with the reason of a rejection). Round trips: 1 (+ one storage call). */
export async function myShowcases(deps: Deps, q: { before?: number; limit: number }): Promise<ShowcaseView[]> {
  if (!deps.openId) throw unauthenticated()
  const _ = deps.db.command
  const res = await deps.db
    .collection('showcases')
    .where({ 'author.id': deps.openId, ...(q.before ? { createdAt: _.lte(new Date(q.before)) } : {}) })
    .orderBy('createdAt', 'desc')
    .limit(q.limit)
    .get()
  const list = res.data as Showcase[]
  const urls = await urlsFor(deps.files, list.flatMap((s) => s.photos))
  return list.map((s) => toShowcaseView(s, urls, 'own'))
}

/**
 * The public feed: approved showcases of a village / township (any node of the
 * tree), newest approved first. No sign-in; no phone numbers, no user ids,
 * villager names masked. Round trips: 1 (+ one storage call).
 */
export async function feed(deps: Deps, q: FeedInput): Promise<ShowcaseView[]> {
  const _ = deps.db.command
  const res = await deps.db
    .collection('showcases')
    .where({ status: 'approved', ...(q.nodeId ? { scopePath: q.nodeId } : {}), ...(q.before ? { approvedAt: _.lte(new Date(q.before)) } : {}) })
    .orderBy('approvedAt', 'desc')
    .limit(q.limit)
    .get()
  const list = res.data as Showcase[]
  const urls = await urlsFor(deps.files, list.flatMap((s) => s.photos))
  return list.map((s) => toShowcaseView(s, urls, 'public'))
}
