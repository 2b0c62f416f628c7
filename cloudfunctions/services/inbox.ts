import {
  STATE_LABEL,
  type InboxItemView,
  type InboxView,
  type Notice,
  type NoticeKind,
  type Order,
  type User,
} from '../../src/core'
import type { Db, Deps } from '../shared/context'
import { unauthenticated } from '../shared/errors'

/** An in-app message: the record that never loses a notification. */
export type InboxDoc = {
  _id?: string
  userId: string
  orderId: string
  orderNo: string
  kind: NoticeKind
  text: string
  read: boolean
  createdAt: Date
}

/**
 * A WeChat subscription message waiting to be sent (one template per kind).
 * The notify function (timer) claims it (`sending`), then marks it `sent` or
 * `failed` (retried after `nextAttemptAt` until MAX_SEND_ATTEMPTS).
 */
export type OutboxDoc = {
  _id?: string
  kind: NoticeKind
  toOpenId: string
  orderId: string
  data: Record<string, string>
  /** unsubscribed: not pushed, no consent on record for the template (the inbox has it) */
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'unsubscribed'
  attempts: number
  createdAt: Date
  claimedAt?: Date
  nextAttemptAt?: Date
  sentAt?: Date
  /** 'wechat' when sent, 'recorded' when the local port recorded it instead */
  via?: 'wechat' | 'recorded'
  lastError?: string
}

/** What a notification is about (an order, or a rating / showcase of one). */
export type About = { orderId: string; orderNo: string; serviceName: string; status: string }

/** Who holds which staff role where, remembered for one run of many deliveries (the sweep). */
export type StaffMemo = Map<string, Promise<string[]>>

/** Staff holding `role` at `nodeId` (for notices addressed to a station or township). */
async function staffAt(db: Db, role: string, nodeId: string): Promise<string[]> {
  const res = await db.collection('users').where({ 'roles.nodeId': nodeId }).limit(100).get()
  return (res.data as User[]).filter((u) => u.roles.some((r) => r.role === role && r.nodeId === nodeId)).map((u) => u._id)
}
function staffAtMemo(db: Db, role: string, nodeId: string, memo?: StaffMemo): Promise<string[]> {
  if (!memo) return staffAt(db, role, nodeId)
  const key = `${role}@${nodeId}`
  let p = memo.get(key)
  if (!p) memo.set(key, (p = staffAt(db, role, nodeId)))
  return p
}

/**
 * Write the inbox and outbox records of a transition. Best effort: the
 * transition has happened already; a failure here is logged, never thrown.
 * Round trips: one insert per collection (both at once), plus one users query
 * when a notice is addressed to a station or township rather than a person.
 */
export async function deliver(db: Db, order: Order, notices: Notice[], now: Date, memo?: StaffMemo): Promise<void> {
  return deliverAbout(db, { orderId: order._id, orderNo: order.no, serviceName: order.serviceName, status: STATE_LABEL[order.status] }, notices, now, memo)
}

export async function deliverAbout(db: Db, order: About, notices: Notice[], now: Date, memo?: StaffMemo): Promise<void> {
  if (notices.length === 0) return
  try {
    const resolved: { userId: string; kind: NoticeKind; text: string }[] = []
    for (const n of notices) {
      if ('userId' in n.to) resolved.push({ userId: n.to.userId, kind: n.kind, text: n.text })
      else for (const userId of await staffAtMemo(db, n.to.role, n.to.nodeId, memo)) resolved.push({ userId, kind: n.kind, text: n.text })
    }
    if (resolved.length === 0) return
    const inbox: InboxDoc[] = resolved.map((r) => ({ userId: r.userId, orderId: order.orderId, orderNo: order.orderNo, kind: r.kind, text: r.text, read: false, createdAt: now }))
    const outbox: OutboxDoc[] = resolved.map((r) => ({
      kind: r.kind,
      toOpenId: r.userId,
      orderId: order.orderId,
      data: { orderNo: order.orderNo, serviceName: order.serviceName, status: order.status, text: r.text.slice(0, 20) },
      status: 'pending',
      attempts: 0,
      createdAt: now,
    }))
    const results = await Promise.allSettled([db.collection('inbox').add(inbox as any), db.collection('outbox').add(outbox as any)])
    for (const r of results) {
      if (r.status === 'rejected') console.error('[notify] failed to record a notification', order.orderId, r.reason)
      else if ((r.value as { code?: unknown }).code) console.error('[notify] failed to record a notification', order.orderId, r.value)
    }
  } catch (e) {
    console.error('[notify] failed to record a notification', order.orderId, e)
  }
}

const toItem = (d: Required<Pick<InboxDoc, '_id'>> & InboxDoc): InboxItemView => ({
  id: d._id,
  orderId: d.orderId,
  orderNo: d.orderNo,
  kind: d.kind,
  text: d.text,
  read: d.read,
  createdAt: new Date(d.createdAt).getTime(),
})

async function unreadCount(deps: Deps, userId: string): Promise<number> {
  return (await deps.db.collection('inbox').where({ userId, read: false }).count()).total
}

/** My messages, newest first, and how many are unread. Round trips: 2 (list and count, at once). */
export async function myInbox(deps: Deps, q: { unreadOnly: boolean; before?: number; limit: number }): Promise<InboxView> {
  const userId = deps.openId
  if (!userId) throw unauthenticated()
  const _ = deps.db.command
  const [list, unread] = await Promise.all([
    deps.db
      .collection('inbox')
      .where({ userId, ...(q.unreadOnly ? { read: false } : {}), ...(q.before ? { createdAt: _.lte(new Date(q.before)) } : {}) })
      .orderBy('createdAt', 'desc')
      .limit(q.limit)
      .get(),
    unreadCount(deps, userId),
  ])
  return { items: (list.data as any[]).map(toItem), unread }
}

/** Mark messages read (only my own: the user id is part of the condition). Round trips: 2. */
export async function readInbox(deps: Deps, { ids }: { ids?: string[] }): Promise<{ updated: number; unread: number }> {
  const userId = deps.openId
  if (!userId) throw unauthenticated()
  const _ = deps.db.command
  const res = await deps.db
    .collection('inbox')
    .where({ userId, read: false, ...(ids ? { _id: _.in(ids) } : {}) })
    .update({ read: true })
  return { updated: res.updated ?? 0, unread: await unreadCount(deps, userId) }
}
