// 积分超市: items of a county or township, redemption with final points (balance and
// stock in one transaction, idempotent per request), hand-over by the store keeper
// (station, township or county staff of the volunteer's village), and expiry at the end
// of the quarter with the points refunded.
import { randomBytes } from 'node:crypto'
import QRCode from 'qrcode'
import {
  adminGrants,
  coversScope,
  AppError,
  codeFromBytes,
  formatCode,
  formatShort,
  grantsCovering,
  monthOf,
  quarterEnd,
  quarterOf,
  requireAffordable,
  splitBalance,
  STAFF_ROLES,
  storeItemInput,
  type GridNode,
  type RedemptionState,
  type RedemptionView,
  type StoreItemView,
  type StoreView,
} from '../../src/core'
import type { z } from 'zod'
import type { Db, Deps } from '../shared/context'
import { notFound, unauthenticated } from '../shared/errors'
import { requireStoredPhotos, urlsFor } from '../shared/files'
import { personOf, writeLines, type BalanceDoc, type Line, type Person } from './ledger'
import { reviewId } from './points'

type ItemDoc = Omit<StoreItemView, 'id' | 'photoUrl' | 'open'> & { _id: string; countyId: string; createdAt: Date; updatedAt: Date }
type RedemptionDoc = {
  _id: string
  code: string
  userId: string
  userName: string
  plate: string | null
  itemId: string
  itemName: string
  place: string
  price: number
  state: RedemptionState
  quarter: string
  expiresAt: Date
  /** the volunteer's county, township, village: who may hand it over */
  path: string[]
  createdAt: Date
  collectedAt?: Date
  collectedBy?: string
}

const itemView = (d: ItemDoc, urls: Map<string, string>, quarter: string): StoreItemView => ({
  id: d._id,
  nodeId: d.nodeId,
  nodeName: d.nodeName,
  name: d.name,
  description: d.description,
  photo: d.photo,
  photoUrl: d.photo ? urls.get(d.photo) ?? null : null,
  price: d.price,
  stock: d.stock,
  place: d.place,
  quarters: d.quarters,
  active: d.active,
  open: d.active && d.quarters.includes(quarter),
})

async function redemptionView(r: RedemptionDoc, withQr: boolean): Promise<RedemptionView> {
  return {
    id: r._id,
    code: formatCode(r.code),
    itemId: r.itemId,
    itemName: r.itemName,
    place: r.place,
    price: r.price,
    state: r.state,
    userName: r.userName,
    plate: r.plate,
    createdAt: new Date(r.createdAt).getTime(),
    expiresAt: new Date(r.expiresAt).getTime(),
    collectedAt: r.collectedAt ? new Date(r.collectedAt).getTime() : null,
    collectedBy: r.collectedBy ?? null,
    qr: withQr && r.state === 'issued' ? await QRCode.toDataURL(r.code, { errorCorrectionLevel: 'M', margin: 1, width: 240 }) : null,
  }
}

/** Months of a township that are final (redeemable points), among `months`. Round trips: 1 (0 when none). */
async function finalMonths(db: Db, townshipId: string, months: string[]): Promise<Set<string>> {
  if (!months.length) return new Set()
  const _ = db.command
  const res = await db
    .collection('pointReviews')
    .where({ _id: _.in(months.map((m) => reviewId(townshipId, m))), state: 'final' })
    .limit(100)
    .get()
  return new Set((res.data as { month: string }[]).map((r) => r.month))
}

/**
 * Items: a volunteer sees their county's and township's active items and what they can
 * spend; staff (`all`) every item of the nodes they administer. Round trips: caller +
 * balance (1), items + final months (1), photo URLs (1, only with photos).
 */
export async function storeItems(deps: Deps, q: { nodeId?: string; all: boolean }): Promise<StoreView> {
  if (!deps.openId) throw unauthenticated()
  const { db } = deps
  const _ = db.command
  const now = deps.now()
  const quarter = quarterOf(now)
  const [caller, bRes] = await Promise.all([deps.caller(), db.collection('pointBalances').doc(deps.openId).get()])
  const balance = bRes.data[0] as BalanceDoc | undefined
  let nodes: string[]
  if (q.all) {
    nodes = adminGrants(caller).map((g) => g.nodeId)
    if (q.nodeId) nodes = nodes.includes(q.nodeId) ? [q.nodeId] : []
    if (!nodes.length) throw new AppError('FORBIDDEN', '只有县、乡镇管理员可以管理积分超市')
  } else {
    if (!balance) return { quarter, available: 0, items: [] }
    nodes = [balance.countyId, balance.townshipId]
  }
  const [res, finals] = await Promise.all([
    db
      .collection('storeItems')
      .where({ nodeId: _.in(nodes), ...(q.all ? {} : { active: true }) })
      .orderBy('price', 'asc')
      .limit(100)
      .get(),
    balance ? finalMonths(db, balance.townshipId, Object.keys(balance.months)) : Promise.resolve(new Set<string>()),
  ])
  const items = res.data as ItemDoc[]
  const urls = await urlsFor(deps.files, items.map((i) => i.photo).filter((p): p is string => !!p))
  const available = balance ? splitBalance(balance, (m) => finals.has(m)).final : 0
  return { quarter, available, items: items.map((i) => itemView(i, urls, quarter)).filter((i) => q.all || i.open) }
}

/** Add or change an item: county or township admins, for their own node. */
export async function saveItem(deps: Deps, input: z.infer<typeof storeItemInput>): Promise<StoreItemView> {
  if (!deps.openId) throw unauthenticated()
  const { db } = deps
  const [caller, node] = await Promise.all([deps.caller(), db.collection('grids').doc(input.nodeId).get().then((r) => r.data[0] as GridNode | undefined)])
  if (!node || (node.level !== 'county' && node.level !== 'township')) throw new AppError('VALIDATION', '积分超市只能设在县或乡镇')
  if (!grantsCovering(caller, ['county', 'township'], node.path).length) throw new AppError('FORBIDDEN', '只能管理本县、本乡镇的积分超市')
  const urls = input.photo ? await requireStoredPhotos(deps.files, [input.photo], caller.openId) : new Map<string, string>()
  const now = deps.now()
  const { id, ...fields } = input
  const data = { ...fields, nodeName: node.name, countyId: node.path[0], updatedAt: now }
  let doc: ItemDoc
  if (id) {
    const cur = (await db.collection('storeItems').doc(id).get()).data[0] as ItemDoc | undefined
    if (!cur) throw notFound('兑换物品')
    if (!grantsCovering(caller, ['county', 'township'], [cur.countyId, cur.nodeId]).length) throw new AppError('FORBIDDEN', '只能管理本县、本乡镇的积分超市')
    await db.collection('storeItems').doc(id).update(data)
    doc = { ...cur, ...data }
  } else {
    const res = await db.collection('storeItems').add({ ...data, createdAt: now })
    doc = { ...data, _id: res.id as string, createdAt: now }
  }
  return itemView(doc, urls, quarterOf(now))
}

class Replay extends Error {
  constructor(readonly doc: RedemptionDoc) {
    super('replay')
  }
}

/**
 * 兑换: one transaction reads the item, the redemption (by request: a retried or double
 * tap finds it) and the balance; settles the final months into the balance, checks
 * stock and final points, then writes stock − 1, balance − price, the redemption and a
 * ledger entry. Concurrent redemptions of the last item: one commits, the other retries
 * and finds no stock. Round trips: balance + person (1), final months (1), transaction (4).
 */
export async function redeem(deps: Deps, input: { itemId: string; requestId: string }): Promise<RedemptionView> {
  if (!deps.openId) throw unauthenticated()
  const { db } = deps
  const me = deps.openId
  const now = deps.now()
  const quarter = quarterOf(now)
  const rid = `${me}:${input.requestId}`
  const [bRes, iRes] = await Promise.all([db.collection('pointBalances').doc(me).get(), db.collection('storeItems').doc(input.itemId).get()])
  const balance = bRes.data[0] as BalanceDoc | undefined
  const seen = iRes.data[0] as ItemDoc | undefined
  if (!seen) throw notFound('兑换物品')
  if (!balance) throw new AppError('VALIDATION', '您还没有积分，参加志愿服务后才能兑换')
  const [person, finals] = await Promise.all([personOf(db, me, [balance.countyId, balance.townshipId, balance.villageId]), finalMonths(db, balance.townshipId, Object.keys(balance.months))])
  const code = codeFromBytes(randomBytes(8))
  let created: RedemptionDoc | undefined
  try {
    await writeLines(
      db,
      { ...person, path: [balance.countyId, balance.townshipId, balance.villageId] },
      now,
      () => [storeLine(`redeem:${rid}`, me, 'redeem', -seen.price, `兑换：${seen.name}`, now)],
      {
        reads: [
          { coll: 'storeItems', id: input.itemId },
          { coll: 'redemptions', id: rid },
        ],
        apply: async ([i, r], next, tx) => {
          if (r) throw new Replay({ ...(r as RedemptionDoc), _id: rid })
          const item = i as ItemDoc | null
          if (!item) throw notFound('兑换物品')
          if (![balance.countyId, balance.townshipId].includes(item.nodeId)) throw new AppError('FORBIDDEN', '只能兑换本县、本乡镇积分超市的物品')
          if (!item.active || !item.quarters.includes(quarter)) throw new AppError('VALIDATION', `「${item.name}」本季度不开放兑换`)
          if (item.stock <= 0) throw new AppError('CONFLICT', `「${item.name}」已兑完`)
          if (item.price !== seen.price) throw new AppError('CONFLICT', `「${item.name}」所需积分刚刚调整为 ${item.price} 分，请刷新后再兑换`)
          // the ledger line (− price) is already in `next`: final months fold in, and what is left must not go below zero
          const { final, settled } = splitBalance(next, (m) => finals.has(m))
          requireAffordable(final + item.price, item.price)
          Object.assign(next, settled)
          created = {
            _id: rid,
            code,
            userId: me,
            userName: person.name,
            plate: person.plate,
            itemId: input.itemId,
            itemName: item.name,
            place: item.place,
            price: item.price,
            state: 'issued',
            quarter,
            expiresAt: quarterEnd(quarter),
            path: [balance.countyId, balance.townshipId, balance.villageId],
            createdAt: now,
          }
          const { _id, ...data } = created
          await Promise.all([tx.collection('storeItems').doc(input.itemId).set({ ...withoutId(item), stock: item.stock - 1, updatedAt: now }), tx.collection('redemptions').doc(_id).set(data)])
        },
      },
    )
  } catch (e) {
    if (e instanceof Replay) return redemptionView(e.doc, true)
    throw e
  }
  return redemptionView(created!, true)
}

const withoutId = <T extends { _id: string }>(d: T): Omit<T, '_id'> => {
  const { _id, ...rest } = d
  void _id
  return rest
}

const storeLine = (id: string, userId: string, kind: 'redeem' | 'refund', points: number, title: string, now: Date): Line => ({
  _id: id,
  userId,
  kind,
  trigger: null,
  ruleId: null,
  ruleName: title,
  category: '积分超市',
  ruleVersion: null,
  points,
  capped: false,
  hours: 0,
  hoursKind: null,
  month: monthOf(now),
  orderId: null,
  orderNo: null,
  serviceName: null,
  reason: null,
  corrects: null,
  workVillageId: null,
  by: null,
  at: now,
})

export async function myRedemptions(deps: Deps): Promise<RedemptionView[]> {
  if (!deps.openId) throw unauthenticated()
  const res = await deps.db.collection('redemptions').where({ userId: deps.openId }).orderBy('createdAt', 'desc').limit(50).get()
  return Promise.all((res.data as RedemptionDoc[]).map((r) => redemptionView(r, true)))
}

async function byCode(deps: Deps, code: string): Promise<RedemptionDoc> {
  if (!deps.openId) throw unauthenticated()
  const [caller, res] = await Promise.all([deps.caller(), deps.db.collection('redemptions').where({ code }).limit(1).get()])
  const r = res.data[0] as RedemptionDoc | undefined
  if (!r) throw new AppError('NOT_FOUND', '没有这个兑换码，请核对后重新输入')
  if (!coversScope(caller, STAFF_ROLES, r.path)) throw new AppError('FORBIDDEN', '这个兑换码不是本站点志愿者的，请到志愿者所在村的实践站领取')
  return r
}

/** 核销前查询: what the code is for. */
export async function lookup(deps: Deps, input: { code: string }): Promise<RedemptionView> {
  return redemptionView(await byCode(deps, input.code), false)
}

/** 核销: hand the item over (once). */
export async function handover(deps: Deps, input: { code: string }): Promise<RedemptionView> {
  const r = await byCode(deps, input.code)
  const caller = await deps.caller()
  const now = deps.now()
  if (r.state === 'collected') throw new AppError('CONFLICT', `该兑换码已于${formatShort(r.collectedAt!)}领取`)
  if (r.state === 'expired' || now >= new Date(r.expiresAt)) throw new AppError('VALIDATION', '该兑换码已过期，积分已退回志愿者')
  const res = await deps.db.collection('redemptions').where({ _id: r._id, state: 'issued' }).update({ state: 'collected', collectedAt: now, collectedBy: caller.name })
  if (!res.updated) throw new AppError('CONFLICT', '该兑换码刚刚已被核销')
  return redemptionView({ ...r, state: 'collected', collectedAt: now, collectedBy: caller.name }, false)
}

/**
 * The sweep: codes not collected by the end of their quarter expire; the points come back
 * as a refund entry and the stock as well, in one transaction per code (idempotent).
 */
export async function expireRedemptions(db: Db, now: Date, limit = 50): Promise<number> {
  const _ = db.command
  const res = await db
    .collection('redemptions')
    .where({ state: 'issued', expiresAt: _.lte(now) })
    .limit(limit)
    .get()
  let n = 0
  for (const r of res.data as RedemptionDoc[]) {
    const person: Person = { id: r.userId, name: r.userName, plate: r.plate, teamId: null, teamName: null, path: r.path }
    try {
      await writeLines(db, person, now, () => [{ ...storeLine(`refund:${r._id}`, r.userId, 'refund', r.price, `兑换码过期退回：${r.itemName}`, now) }], {
        reads: [
          { coll: 'redemptions', id: r._id },
          { coll: 'storeItems', id: r.itemId },
        ],
        apply: async ([cur, item], _b, tx) => {
          if ((cur as RedemptionDoc | null)?.state !== 'issued') throw new Replay(r)
          await tx.collection('redemptions').doc(r._id).set({ ...withoutId(cur as RedemptionDoc), state: 'expired' })
          if (item) await tx.collection('storeItems').doc(r.itemId).set({ ...withoutId(item as ItemDoc), stock: (item as ItemDoc).stock + 1, updatedAt: now })
        },
      })
      n++
    } catch (e) {
      if (!(e instanceof Replay)) console.error('[store] expiry failed; next sweep retries', r._id, e)
    }
  }
  return n
}
