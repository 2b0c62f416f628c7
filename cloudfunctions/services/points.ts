// 积分: my points, the county's rules, staff entries, the monthly review (公示 → 异议 →
// 定稿) and rankings. Every write goes through the ledger (ledger.ts); nothing is
// edited or deleted: a correction is a new entry.
import {
  countyGrantOf,
  coversScope,
  AppError,
  maskPersonName,
  monthLabel,
  manualPointsInput,
  rankingInput,
  resolveObjectionInput,
  reviewListInput,
  quarterOfMonth,
  requireFinalisable,
  requireObjectable,
  requirePublishable,
  requireScope,
  rulesProblem,
  splitBalance,
  STAFF_ROLES,
  type Caller,
  type GridNode,
  type MonthSummary,
  type MyPointsView,
  type PointEntryView,
  type PointEvent,
  type PointRules,
  type PointRulesView,
  type RankingView,
  type ReviewDoc,
  type ReviewState,
  type ReviewView,
} from '../../src/core'
import { z } from 'zod'
import type { Db, Deps } from '../shared/context'
import { isDuplicateKey, notFound, unauthenticated } from '../shared/errors'
import { activeServices, allServices } from './grid'
import { forgetRules, personOf, readRules, recordEvents, writeLines, type BalanceDoc, type EntryDoc, type TotalDoc, type Tx } from './ledger'

type Objection = { _id: string; userId: string; townshipId: string; month: string; reason: string; status: 'open' | 'accepted' | 'refused'; answer: string | null; at: Date; answeredAt?: Date; answeredBy?: string }
type StoredReview = ReviewDoc & { _id: string; townshipId: string; month: string }
export const reviewId = (townshipId: string, month: string) => `${townshipId}:${month}`

function entryView(e: EntryDoc, objection: Objection | undefined, review: StoredReview | undefined, now: Date, owner: boolean): PointEntryView {
  let objectable = false
  if (owner && !objection && e.kind !== 'redeem' && e.kind !== 'refund') {
    try {
      requireObjectable(review, now)
      objectable = true
    } catch {
      objectable = false
    }
  }
  return {
    id: e._id,
    kind: e.kind,
    trigger: e.trigger,
    title: e.ruleName,
    category: e.category,
    points: e.points,
    hours: e.hoursKind ? e.hours : null,
    hoursKind: e.hoursKind,
    month: e.month,
    orderId: e.orderId,
    orderNo: e.orderNo,
    serviceName: e.serviceName,
    reason: e.reason,
    capped: e.capped,
    at: new Date(e.createdAt).getTime(),
    userName: e.userName,
    plate: e.plate,
    by: e.by?.name ?? null,
    objection: objection ? { status: objection.status, reason: objection.reason, answer: objection.answer } : null,
    objectable,
  }
}

const stateOf = (r: StoredReview | undefined): ReviewState => r?.state ?? 'open'

/** Reviews of one township for some months, and objections to some entries. Round trips: 1 (both at once). */
async function reviewsAndObjections(db: Db, townshipId: string, months: string[], entryIds: string[]) {
  const _ = db.command
  const [r, o] = await Promise.all([
    months.length ? db.collection('pointReviews').where({ _id: _.in(months.map((m) => reviewId(townshipId, m))) }).limit(100).get() : { data: [] },
    entryIds.length ? db.collection('pointObjections').where({ _id: _.in(entryIds) }).limit(100).get() : { data: [] },
  ])
  return {
    reviews: new Map((r.data as StoredReview[]).map((x) => [x.month, x])),
    objections: new Map((o.data as Objection[]).map((x) => [x._id, x])),
  }
}

async function entriesPage(db: Db, userId: string, q: { before?: number; limit: number }): Promise<EntryDoc[]> {
  const _ = db.command
  const res = await db
    .collection('points')
    .where({ userId, ...(q.before ? { createdAt: _.lt(new Date(q.before)) } : {}) })
    .orderBy('createdAt', 'desc')
    .limit(q.limit)
    .get()
  return res.data as EntryDoc[]
}

/**
 * 我的积分. Round trips: balance + month/year totals + latest entries (1, at once), then
 * the reviews of the months involved + objections to those entries (1, at once).
 */
export async function myPoints(deps: Deps): Promise<MyPointsView> {
  if (!deps.openId) throw unauthenticated()
  const { db } = deps
  const me = deps.openId
  const [bRes, tRes, entries] = await Promise.all([
    db.collection('pointBalances').doc(me).get(),
    db.collection('pointTotals').where({ subject: 'person', id: me }).orderBy('period', 'desc').limit(100).get(),
    entriesPage(db, me, { limit: 20 }),
  ])
  const balance = bRes.data[0] as BalanceDoc | undefined
  const totals = (tRes.data as TotalDoc[]).filter((t) => t.period.length === 7)
  if (!balance) {
    const u = await deps.caller()
    return { name: u.name, plate: null, final: 0, pending: 0, hours: { verified: 0, unverified: 0, manual: 0 }, months: [], quarters: [], entries: [] }
  }
  const months = [...new Set([...Object.keys(balance.months), ...totals.map((t) => t.period), ...entries.map((e) => e.month)])]
  const { reviews, objections } = await reviewsAndObjections(db, balance.townshipId, months, entries.map((e) => e._id))
  const now = deps.now()
  const { final, pending } = splitBalance(balance, (m) => stateOf(reviews.get(m)) === 'final')
  const monthRows: MonthSummary[] = totals.map((t) => ({ month: t.period, points: t.points, hours: t.hours, state: stateOf(reviews.get(t.period)) }))
  const quarters = new Map<string, { quarter: string; points: number; hours: number }>()
  for (const m of monthRows) {
    const q = quarterOfMonth(m.month)
    const cur = quarters.get(q) ?? { quarter: q, points: 0, hours: 0 }
    quarters.set(q, { quarter: q, points: cur.points + m.points, hours: Math.round((cur.hours + m.hours) * 10) / 10 })
  }
  return {
    name: balance.name,
    plate: balance.plate,
    final,
    pending,
    hours: balance.hours,
    months: monthRows,
    quarters: [...quarters.values()],
    entries: entries.map((e) => entryView(e, objections.get(e._id), reviews.get(e.month), now, true)),
  }
}

/** More of my entries (older than `before`). Round trips: 2. */
export async function myEntries(deps: Deps, q: { before?: number; limit: number }): Promise<PointEntryView[]> {
  if (!deps.openId) throw unauthenticated()
  const entries = await entriesPage(deps.db, deps.openId, q)
  if (!entries.length) return []
  const { reviews, objections } = await reviewsAndObjections(deps.db, entries[0].townshipId, [...new Set(entries.map((e) => e.month))], entries.map((e) => e._id))
  return entries.map((e) => entryView(e, objections.get(e._id), reviews.get(e.month), deps.now(), true))
}

async function readEntry(db: Db, id: string): Promise<EntryDoc> {
  const e = (await db.collection('points').doc(id).get()).data[0] as EntryDoc | undefined
  if (!e) throw notFound('积分记录')
  return e
}


/** 异议: the owner of an entry, while its month is published. One objection per entry. */
export async function objectTo(deps: Deps, input: { entryId: string; reason: string }): Promise<PointEntryView> {
  if (!deps.openId) throw unauthenticated()
  const { db } = deps
  const entry = await readEntry(db, input.entryId)
  if (entry.userId !== deps.openId) throw new AppError('FORBIDDEN', '只能对自己的积分记录提出异议')
  if (entry.kind === 'redeem' || entry.kind === 'refund') throw new AppError('VALIDATION', '兑换记录不能提出异议')
  const now = deps.now()
  const rid = reviewId(entry.townshipId, entry.month)
  const objection: Objection = { _id: entry._id, userId: entry.userId, townshipId: entry.townshipId, month: entry.month, reason: input.reason, status: 'open', answer: null, at: now }
  const review = await db.runTransaction(async (tx: Tx) => {
    const [r, o] = await Promise.all([tx.collection('pointReviews').doc(rid).get(), tx.collection('pointObjections').doc(entry._id).get()])
    const rv = (r.data ?? undefined) as StoredReview | undefined
    requireObjectable(rv, now)
    if (o.data) throw new AppError('CONFLICT', '您已对这条记录提出过异议，请等待处理')
    const { _id, ...data } = objection
    await Promise.all([
      tx.collection('pointObjections').doc(_id).set(data),
      tx.collection('pointReviews').doc(rid).update({ openObjections: rv!.openObjections + 1 }),
    ])
    return { ...rv!, openObjections: rv!.openObjections + 1 }
  })
  return entryView(entry, objection, review as StoredReview, now, true)
}

// ---------- rules (county admin) ----------

async function countyGrant(deps: Deps): Promise<{ caller: Caller; node: GridNode }> {
  const caller = await deps.caller()
  const grant = countyGrantOf(caller)
  if (!grant) throw new AppError('FORBIDDEN', '只有县级管理员可以设置积分规则')
  const node = (await deps.db.collection('grids').doc(grant.nodeId).get()).data[0] as GridNode | undefined
  if (!node) throw notFound('本县网格')
  return { caller, node }
}

export async function getRules(deps: Deps): Promise<PointRulesView> {
  const { node } = await countyGrant(deps)
  const [doc, services] = await Promise.all([readRules(deps.db, node._id), activeServices(deps.db, deps.now())])
  return { countyId: node._id, countyName: node.name, ...doc, updatedAt: doc.updatedAt ? new Date(doc.updatedAt).getTime() : null, updatedBy: doc.updatedByName, services: services.map((s) => ({ id: s._id, name: s.name, category: s.category })) }
}

/**
 * Save the rules as a new version (the old versions stay, entries keep the version they
 * were made under). `version` is the version the admin edited: another admin's save in
 * between is refused rather than overwritten.
 */
export async function saveRules(deps: Deps, input: { rules: PointRules; version: number }): Promise<PointRulesView> {
  const { caller, node } = await countyGrant(deps)
  const problem = rulesProblem(input.rules)
  if (problem) throw new AppError('VALIDATION', problem)
  const now = deps.now()
  const services = await activeServices(deps.db, now)
  // an item may name a stopped service (it earns nothing until the service is restored), not an unknown one
  const known = await allServices(deps.db, now)
  const unknown = input.rules.items.find((i) => i.serviceId && !known.some((s) => s._id === i.serviceId))
  if (unknown) throw new AppError('VALIDATION', `「${unknown.name}」指定的服务不存在`)
  const version = input.version + 1
  const doc = { countyId: node._id, version, rules: input.rules, updatedAt: now, updatedBy: caller.openId, updatedByName: caller.name }
  await deps.db.runTransaction(async (tx: Tx) => {
    const cur = (await tx.collection('settings').doc(`points_${node._id}`).get()).data as { version?: number } | null
    if ((cur?.version ?? 0) !== input.version) throw new AppError('CONFLICT', '其他管理员刚刚修改了积分规则，请刷新后再改')
    await Promise.all([tx.collection('settings').doc(`points_${node._id}`).set(doc), tx.collection('pointRules').doc(`${node._id}:${version}`).set(doc)])
  })
  forgetRules(node._id)
  return { countyId: node._id, countyName: node.name, version, rules: input.rules, updatedAt: now.getTime(), updatedBy: caller.name, services: services.map((s) => ({ id: s._id, name: s.name, category: s.category })) }
}

// ---------- staff entries ----------

/** 人工加减分 / 表彰 / 补录时长: staff whose subtree holds the volunteer. Idempotent by requestId. */
export async function manualEntry(deps: Deps, input: z.infer<typeof manualPointsInput>): Promise<PointEntryView> {
  if (!deps.openId) throw unauthenticated()
  const [caller, person] = await Promise.all([deps.caller(), personOf(deps.db, input.userId, [])])
  if (!person.path.length) throw new AppError('VALIDATION', `${person.name}还不是本县的注册志愿者`)
  requireScope(caller, STAFF_ROLES, person.path)
  const base: PointEvent = {
    key: `manual:${input.requestId}`,
    trigger: 'manual',
    userId: person.id,
    userName: person.name,
    at: deps.now(),
    orderId: null,
    orderNo: null,
    serviceId: null,
    serviceName: null,
    category: null,
    path: person.path,
    reason: input.reason,
    by: { id: caller.openId, name: caller.name },
  }
  let event: PointEvent
  if (input.kind === 'points') {
    if (!input.points) throw new AppError('VALIDATION', '请填写加减的分值（不能为0）')
    event = { ...base, points: input.points }
  } else if (input.kind === 'commendation') {
    if (!input.level) throw new AppError('VALIDATION', '请选择表彰级别')
    event = { ...base, trigger: 'commendation', level: input.level }
  } else {
    if (!input.hours) throw new AppError('VALIDATION', '请填写补录的时长')
    event = { ...base, trigger: 'hours', hours: input.hours, hoursKind: 'manual' }
  }
  const written = await recordEvents(deps.db, [event], deps.now())
  if (!written.length) {
    // the same request again (a retry): answer with what was stored
    const stored = (await deps.db.collection('points').doc(event.key).get()).data[0] as EntryDoc | undefined
    if (!stored) throw new AppError('VALIDATION', input.kind === 'commendation' ? '积分规则里没有这一级别的表彰，请先在积分规则中添加' : '没有适用的积分规则')
    return entryView(stored, undefined, undefined, deps.now(), false)
  }
  return entryView(written[0], undefined, undefined, deps.now(), false)
}

// ---------- monthly review (township / county) ----------

async function township(deps: Deps, townshipId: string): Promise<{ caller: Caller; node: GridNode }> {
  const [caller, node] = await Promise.all([deps.caller(), deps.db.collection('grids').doc(townshipId).get().then((r) => r.data[0] as GridNode | undefined)])
  if (!node || node.level !== 'township') throw notFound('乡镇')
  requireScope(caller, ['township', 'county'], node.path)
  return { caller, node }
}

async function readReview(db: Db, townshipId: string, month: string): Promise<StoredReview | undefined> {
  return (await db.collection('pointReviews').doc(reviewId(townshipId, month)).get()).data[0] as StoredReview | undefined
}

function reviewView(node: GridNode, month: string, r: StoredReview | undefined, entries: PointEntryView[], next: string | null): ReviewView {
  return {
    townshipId: node._id,
    townshipName: node.name,
    month,
    state: stateOf(r),
    publishedAt: r?.publishedAt ? new Date(r.publishedAt).getTime() : null,
    objectUntil: r?.objectUntil ? new Date(r.objectUntil).getTime() : null,
    finalAt: r?.finalAt ? new Date(r.finalAt).getTime() : null,
    openObjections: r?.openObjections ?? 0,
    entries,
    next,
  }
}

/**
 * A township's entries of one month (by id, paged), or only the entries with an open
 * objection. Round trips: caller + township (1), review + entries (1), objections (1).
 */
export async function reviewList(deps: Deps, q: z.infer<typeof reviewListInput>): Promise<ReviewView> {
  const { node } = await township(deps, q.townshipId)
  const { db } = deps
  const _ = db.command
  let entries: EntryDoc[]
  let review: StoredReview | undefined
  let objections: Map<string, Objection>
  if (q.objections) {
    const [r, o] = await Promise.all([
      readReview(db, node._id, q.month),
      db.collection('pointObjections').where({ townshipId: node._id, month: q.month, status: 'open' }).limit(q.limit).get(),
    ])
    review = r
    objections = new Map((o.data as Objection[]).map((x) => [x._id, x]))
    entries = objections.size ? ((await db.collection('points').where({ _id: _.in([...objections.keys()]) }).limit(q.limit).get()).data as EntryDoc[]) : []
  } else {
    const [r, e] = await Promise.all([
      readReview(db, node._id, q.month),
      db
        .collection('points')
        .where({ townshipId: node._id, month: q.month, ...(q.after ? { _id: _.gt(q.after) } : {}) })
        .orderBy('_id', 'asc')
        .limit(q.limit)
        .get(),
    ])
    review = r
    entries = e.data as EntryDoc[]
    objections = (await reviewsAndObjections(db, node._id, [], entries.map((x) => x._id))).objections
  }
  const now = deps.now()
  const next = !q.objections && entries.length === q.limit ? entries[entries.length - 1]._id : null
  return reviewView(node, q.month, review, entries.map((e) => entryView(e, objections.get(e._id), review, now, false)), next)
}

/** 公示: once the month is over; volunteers may object until the window ends. */
export async function publish(deps: Deps, input: { townshipId: string; month: string }): Promise<ReviewView> {
  const { node } = await township(deps, input.townshipId)
  const now = deps.now()
  const [current, rules] = await Promise.all([readReview(deps.db, node._id, input.month), readRules(deps.db, node.path[0])])
  requirePublishable(input.month, now, current)
  const doc: StoredReview = {
    _id: reviewId(node._id, input.month),
    townshipId: node._id,
    month: input.month,
    state: 'published',
    publishedAt: now,
    objectUntil: new Date(now.getTime() + rules.rules.publicationDays * 86_400_000),
    openObjections: 0,
  }
  try {
    await deps.db.collection('pointReviews').add(doc)
  } catch (e) {
    if (isDuplicateKey(e)) throw new AppError('CONFLICT', `${monthLabel(input.month)}的积分刚刚已公示`)
    throw e
  }
  return reviewList(deps, { townshipId: node._id, month: input.month, objections: false, limit: 50 })
}

/**
 * Answer an objection: accepted with a correcting entry (a new entry in the reviewed
 * month) or refused with a reason. One transaction: objection, review count, ledger.
 */
export async function resolve(deps: Deps, input: z.infer<typeof resolveObjectionInput>): Promise<PointEntryView> {
  if (!deps.openId) throw unauthenticated()
  const { db } = deps
  const entry = await readEntry(db, input.entryId)
  const { caller } = await township(deps, entry.townshipId)
  if (input.accept && !input.points) throw new AppError('VALIDATION', '同意异议时请填写更正的分值（不能为0）')
  const now = deps.now()
  const person = await personOf(db, entry.userId, [entry.countyId, entry.townshipId, entry.villageId])
  const rid = reviewId(entry.townshipId, entry.month)
  let answered: Objection | undefined
  let review: StoredReview | undefined
  await writeLines(
    db,
    person,
    now,
    () =>
      input.accept
        ? [
            {
              _id: `correct:${entry._id}`,
              userId: entry.userId,
              kind: 'correction',
              trigger: null,
              ruleId: null,
              ruleName: `更正：${entry.ruleName}`,
              category: entry.category,
              ruleVersion: entry.ruleVersion,
              points: input.points!,
              capped: false,
              hours: 0,
              hoursKind: null,
              month: entry.month,
              orderId: entry.orderId,
              orderNo: entry.orderNo,
              serviceName: entry.serviceName,
              reason: input.reason,
              corrects: entry._id,
              workVillageId: entry.workVillageId ?? null,
              by: { id: caller.openId, name: caller.name },
              at: now,
            },
          ]
        : [],
    {
      reads: [
        { coll: 'pointObjections', id: entry._id },
        { coll: 'pointReviews', id: rid },
      ],
      apply: async ([o, r], _balance, tx) => {
        const objection = o as Objection | null
        const rv = r as StoredReview | null
        if (!objection || objection.status !== 'open') throw new AppError('CONFLICT', '这条异议已经处理过了')
        if (!rv || rv.state !== 'published') throw new AppError('CONFLICT', '该月积分已定稿，不能再更正')
        answered = { ...objection, _id: entry._id, status: input.accept ? 'accepted' : 'refused', answer: input.reason, answeredAt: now, answeredBy: caller.name }
        review = { ...rv, _id: rid, openObjections: Math.max(0, rv.openObjections - 1) }
        await Promise.all([
          tx.collection('pointObjections').doc(entry._id).update({ status: answered.status, answer: input.reason, answeredAt: now, answeredBy: caller.name }),
          tx.collection('pointReviews').doc(rid).update({ openObjections: review.openObjections }),
        ])
      },
    },
  )
  return entryView(entry, answered, review, now, false)
}

/** 定稿: after the window, with no open objection; the month's points become final (and redeemable). */
export async function finalise(deps: Deps, input: { townshipId: string; month: string }): Promise<ReviewView> {
  const { node } = await township(deps, input.townshipId)
  const now = deps.now()
  const current = await readReview(deps.db, node._id, input.month)
  requireFinalisable(current, now)
  const res = await deps.db
    .collection('pointReviews')
    .where({ _id: reviewId(node._id, input.month), state: 'published', openObjections: 0 })
    .update({ state: 'final', finalAt: now })
  if (!res.updated) throw new AppError('CONFLICT', '该月积分刚刚有变化（新的异议或已定稿），请刷新后重试')
  return reviewList(deps, { townshipId: node._id, month: input.month, objections: false, limit: 50 })
}

// ---------- rankings ----------

const SCOPE_FIELD: Record<string, keyof TotalDoc> = { county: 'countyId', township: 'townshipId', village: 'villageId' }

/**
 * Volunteers or teams of a county, township or village by points of a month or year,
 * from the rollups (never the ledger). Staff of the scope see full names and plates;
 * everyone else masked names. Round trips: caller + node (1), the rollups (1).
 */
export async function ranking(deps: Deps, q: z.infer<typeof rankingInput>): Promise<RankingView> {
  const { db } = deps
  const caller = deps.openId ? await deps.caller() : null
  const nodeId = q.nodeId ?? caller?.roles[0]?.nodeId
  let node: GridNode | undefined
  if (nodeId) node = (await db.collection('grids').doc(nodeId).get()).data[0] as GridNode | undefined
  if (node && !SCOPE_FIELD[node.level]) node = (await db.collection('grids').doc(node.path[Math.min(2, node.path.length - 1)]).get()).data[0] as GridNode | undefined
  if (!node) node = (await db.collection('grids').where({ level: 'county' }).limit(1).get()).data[0] as GridNode | undefined
  if (!node) throw notFound('县')
  const field = SCOPE_FIELD[node.level]
  const res = await db
    .collection('pointTotals')
    .where({ subject: q.subject, period: q.period, [field]: node._id })
    .orderBy('points', 'desc')
    .limit(q.limit)
    .get()
  const full = !!caller && coversScope(caller, STAFF_ROLES, node!.path)
  const rows = (res.data as TotalDoc[]).map((t, i) => ({
    rank: i + 1,
    id: full ? t.id : String(i + 1),
    name: full || q.subject === 'team' ? t.name : maskPersonName(t.name),
    plate: full ? t.plate : null,
    teamName: t.teamName,
    points: t.points,
    hours: t.hours,
  }))
  // equal points share a rank
  for (let i = 1; i < rows.length; i++) if (rows[i].points === rows[i - 1].points) rows[i].rank = rows[i - 1].rank
  return { period: q.period, subject: q.subject, scopeName: node.name, full, rows }
}
