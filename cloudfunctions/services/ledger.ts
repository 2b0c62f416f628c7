// The points ledger (一事一记录): append-only entries, one per event key, written in one
// transaction with the person's balance and the rollups that rankings and monthly
// summaries read (person and team, month and year). A replayed event finds its entry
// and adds nothing. The county's rules: `settings/points_<countyId>` (current version)
// and `pointRules/<countyId>:<version>` (every version, for the entries made under it).
import {
  AppError,
  DEFAULT_POINT_RULES,
  EARNING_KINDS,
  EMPTY_BALANCE,
  evaluate,
  monthOf,
  quarterOfMonth,
  type Balance,
  type EntryKind,
  type HoursKind,
  type Order,
  type PointEvent,
  type PointRules,
  type PointTrigger,
  type User,
  type VolunteerDoc,
} from '../../src/core'
import type { Db } from '../shared/context'

// ---------- rules ----------
export type RulesDoc = { version: number; rules: PointRules; updatedAt: Date | null; updatedByName: string | null }
export const rulesDocId = (countyId: string) => `points_${countyId}`
const TTL_MS = 60_000
const cache = new Map<string, { at: number; value: RulesDoc }>()

export async function readRules(db: Db, countyId: string): Promise<RulesDoc> {
  const doc = (await db.collection('settings').doc(rulesDocId(countyId)).get()).data[0] as RulesDoc | undefined
  return doc ? { version: doc.version, rules: doc.rules, updatedAt: doc.updatedAt ?? null, updatedByName: doc.updatedByName ?? null } : { version: 0, rules: DEFAULT_POINT_RULES, updatedAt: null, updatedByName: null }
}

/** The county's current rules. Round trips: 0 when cached, else 1. */
export async function loadRules(db: Db, countyId: string, nowMs: number): Promise<RulesDoc> {
  const hit = cache.get(countyId)
  if (hit && nowMs - hit.at < TTL_MS && nowMs >= hit.at) return hit.value
  const value = await readRules(db, countyId)
  cache.set(countyId, { at: nowMs, value })
  return value
}
export const forgetRules = (countyId: string) => cache.delete(countyId)

// ---------- who an entry counts for ----------
/** Name, plate, team and home (county, township, village): from the registration, else the user. */
export type Person = { id: string; name: string; plate: string | null; teamId: string | null; teamName: string | null; path: string[] }

/** Round trips: 1 (registration and user at once; the team only for an unregistered team member). */
export async function personOf(db: Db, userId: string, fallbackPath: string[]): Promise<Person> {
  const [vRes, uRes] = await Promise.all([db.collection('volunteers').doc(userId).get(), db.collection('users').doc(userId).get()])
  const v = vRes.data[0] as VolunteerDoc | undefined
  const u = uRes.data[0] as User | undefined
  if (!v && !u) throw new AppError('NOT_FOUND', '没有找到这位志愿者')
  const teamId = v?.teamId ?? u?.teamId ?? null
  let teamName = v?.teamName ?? null
  if (teamId && !teamName) teamName = ((await db.collection('teams').doc(teamId).get()).data[0] as { name?: string } | undefined)?.name ?? null
  return {
    id: userId,
    name: v?.name ?? u!.name,
    plate: v?.plate ?? u?.plate ?? null,
    teamId,
    teamName,
    path: v ? v.scopePath.slice(0, 3) : fallbackPath.slice(0, 3),
  }
}

// ---------- stored shapes ----------
export type EntryDoc = {
  _id: string
  userId: string
  userName: string
  plate: string | null
  kind: EntryKind
  trigger: PointTrigger | null
  ruleId: string | null
  ruleName: string
  category: string
  ruleVersion: number | null
  points: number
  capped: boolean
  hours: number
  hoursKind: HoursKind | null
  month: string
  quarter: string
  year: string
  orderId: string | null
  orderNo: string | null
  serviceName: string | null
  reason: string | null
  /** the entry this one corrects (objections) */
  corrects: string | null
  /** the village whose station organised the work (the order's), for the service record */
  workVillageId: string | null
  by: { id: string; name: string } | null
  countyId: string
  townshipId: string
  villageId: string
  teamId: string | null
  at: Date
  createdAt: Date
}
export type BalanceDoc = Balance & { _id: string; name: string; plate: string | null; teamId: string | null; teamName: string | null; countyId: string; townshipId: string; villageId: string; updatedAt: Date }
export type TotalDoc = {
  _id: string
  /** area: a village, township or county × month (the dashboards' volunteer figures), `id` the node */
  subject: 'person' | 'team' | 'area'
  period: string
  id: string
  name: string
  plate: string | null
  teamName: string | null
  countyId: string
  townshipId: string
  villageId: string
  points: number
  hours: number
  /** person-month only: points from each rule item so far (monthly caps) */
  byRule?: Record<string, number>
  /** area-month only: volunteers with an entry that month (each counted when their person-month begins) */
  people?: number
}
const TOTAL_PREFIX = { person: 'p', team: 't', area: 'a' } as const
export const totalId = (subject: TotalDoc['subject'], period: string, id: string) => `${TOTAL_PREFIX[subject]}:${period}:${id}`
/** The area-months an owner's entries of `month` add to: their village, township and county. */
export const areaIds = (o: Pick<Owner, 'countyId' | 'townshipId' | 'villageId'>, month: string) => [...new Set([o.villageId, o.townshipId, o.countyId])].map((n) => totalId('area', month, n))

/** A ledger line before the transaction decides its points (kinds other than earn bring their own). */
export type Line = Omit<EntryDoc, 'userName' | 'plate' | 'countyId' | 'townshipId' | 'villageId' | 'teamId' | 'createdAt' | 'quarter' | 'year'>

/** The line an event makes under the rules (null: no rule item applies). */
export function lineOf(e: PointEvent, rules: Pick<RulesDoc, 'version' | 'rules'>, used: (ruleId: string) => number, month: string): Line | null {
  const base = {
    _id: e.key,
    userId: e.userId,
    trigger: null,
    ruleVersion: rules.version,
    capped: false,
    hours: 0,
    hoursKind: null,
    month,
    orderId: e.orderId,
    orderNo: e.orderNo,
    serviceName: e.serviceName,
    reason: e.reason ?? null,
    corrects: null,
    workVillageId: e.path[2] ?? null,
    by: e.by ?? null,
    at: e.at,
  }
  if (e.trigger === 'hours') {
    const kind = e.hoursKind ?? 'unverified'
    return { ...base, kind: 'hours', ruleId: null, ruleName: kind === 'manual' ? '人工补录时长' : '服务时长', category: '服务时长', points: 0, hours: e.hours ?? 0, hoursKind: kind }
  }
  const v = evaluate(rules.rules, e, used)
  if (!v) return null
  return { ...base, kind: e.trigger === 'manual' ? 'manual' : 'earn', trigger: e.trigger, ruleId: v.ruleId, ruleName: v.ruleName, category: v.category, points: v.points, capped: v.capped }
}

/** Whom entries, balances and rollups name: the person, their team, their home (county, township, village). */
export type Owner = { id: string; name: string; plate: string | null; teamId: string | null; teamName: string | null; countyId: string; townshipId: string; villageId: string }
export const ownerOf = (p: Person): Owner => ({
  id: p.id,
  name: p.name,
  plate: p.plate,
  teamId: p.teamId,
  teamName: p.teamName,
  countyId: p.path[0],
  townshipId: p.path[1] ?? p.path[0],
  villageId: p.path[2] ?? p.path[1] ?? p.path[0],
})

export const emptyBalance = (o: Owner, at: Date): BalanceDoc => ({
  ...EMPTY_BALANCE,
  months: {},
  hours: { ...EMPTY_BALANCE.hours },
  _id: o.id,
  name: o.name,
  plate: o.plate,
  teamId: o.teamId,
  teamName: o.teamName,
  countyId: o.countyId,
  townshipId: o.townshipId,
  villageId: o.villageId,
  updatedAt: at,
})

/** The stored entry of a line, for its owner's balance (home, team, periods). */
export const entryFrom = (l: Line, o: Owner, createdAt: Date): EntryDoc => ({
  ...l,
  userName: o.name,
  plate: o.plate,
  countyId: o.countyId,
  townshipId: o.townshipId,
  villageId: o.villageId,
  teamId: o.teamId,
  quarter: quarterOfMonth(l.month),
  year: l.month.slice(0, 4),
  createdAt,
})

const isStore = (kind: EntryKind) => kind === 'redeem' || kind === 'refund'
const tenth = (h: number) => Math.round(h * 10) / 10

/**
 * Fold one entry into its owner's balance and rollups (both changed in place): the store's
 * entries are final at once, earned points wait by month for the month's review (unless
 * `settled`: the month is final already, as in a seeded past); hours by kind in the balance,
 * verified and manual hours in the rollups; person and team, month and year; `byRule` on
 * person-months (monthly caps). Returns the ids of the rollups it changed.
 */
export function foldEntry(b: BalanceDoc, totals: Map<string, TotalDoc>, e: EntryDoc, o: Owner, settled = false): string[] {
  b.updatedAt = e.createdAt
  if (isStore(e.kind) || (settled && e.points)) b.final += e.points
  else if (e.points) b.months[e.month] = (b.months[e.month] ?? 0) + e.points
  if (e.hoursKind) b.hours[e.hoursKind] = tenth(b.hours[e.hoursKind] + e.hours)
  if (isStore(e.kind)) return []
  const periods: ['person' | 'team', string][] = [['person', e.month], ['person', e.year]]
  if (o.teamId) periods.push(['team', e.month], ['team', e.year])
  const counted = EARNING_KINDS.includes(e.kind) ? e.points : 0
  const hours = e.hoursKind === 'verified' || e.hoursKind === 'manual' ? e.hours : 0
  // the person's first entry of the month makes them one more active volunteer of their areas
  const firstOfMonth = !totals.has(totalId('person', e.month, o.id))
  const areas = areaIds(o, e.month).map((key) => {
    const node = key.slice(key.lastIndexOf(':') + 1)
    const t = totals.get(key) ?? { _id: key, subject: 'area' as const, period: e.month, id: node, name: '', plate: null, teamName: null, countyId: o.countyId, townshipId: o.townshipId, villageId: o.villageId, points: 0, hours: 0, people: 0 }
    t.points += counted
    t.hours = tenth(t.hours + hours)
    if (firstOfMonth) t.people = (t.people ?? 0) + 1
    totals.set(key, t)
    return key
  })
  return [...areas, ...periods.map(([subject, period]) => {
    const id = subject === 'person' ? o.id : o.teamId!
    const key = totalId(subject, period, id)
    let t = totals.get(key)
    if (!t) {
      t = { _id: key, subject, period, id, name: subject === 'person' ? o.name : (o.teamName ?? ''), plate: subject === 'person' ? o.plate : null, teamName: o.teamName, countyId: o.countyId, townshipId: o.townshipId, villageId: o.villageId, points: 0, hours: 0 }
      totals.set(key, t)
    }
    t.points += counted
    t.hours = tenth(t.hours + hours)
    if (subject === 'person' && period.length === 7 && e.ruleId) t.byRule = { ...t.byRule, [e.ruleId]: (t.byRule?.[e.ruleId] ?? 0) + e.points }
    return key
  })]
}

/**
 * Record the events of one person (usually one transition's). Rules and the person
 * are read first (1 round trip, rules cached); then one transaction: read the events'
 * entries, the balance and the rollups (person and team × month and year, village, township and
 * county × month) at once, write whatever is new, commit.
 * Returns the entries written (none when every event was recorded before).
 */
export async function recordEvents(db: Db, events: readonly PointEvent[], now: Date): Promise<EntryDoc[]> {
  const out: EntryDoc[] = []
  const byUser = new Map<string, PointEvent[]>()
  for (const e of events) byUser.set(e.userId, [...(byUser.get(e.userId) ?? []), e])
  for (const [userId, list] of byUser) {
    const countyId = list[0].path[0]
    const [rules, person] = await Promise.all([loadRules(db, countyId, now.getTime()), personOf(db, userId, list[0].path)])
    out.push(...(await writeLines(db, person, now, (used) => {
      const month = monthOf(now)
      const lines: Line[] = []
      for (const e of list) {
        // caps see the lines of this batch too
        const line = lineOf(e, rules, (id) => used(id) + lines.filter((l) => l.ruleId === id).reduce((s, l) => s + l.points, 0), e.month ?? month)
        if (line) lines.push(line)
      }
      return lines
    })))
  }
  return out
}

/** What a transaction offers (single documents only, like the cloud). */
export type Tx = {
  collection(name: string): { doc(id: string): { get(): Promise<{ data: unknown }>; set(d: object): Promise<unknown>; update(d: object): Promise<unknown> } }
}

/**
 * The one write path of the ledger: in one transaction, skip lines whose entry exists,
 * add the rest with the balance and rollups. `make` builds the lines from what the
 * person already got from each rule item this month. `extra` lets the store write its
 * own documents (redemption, stock) in the same transaction, given the balance read.
 */
export async function writeLines(
  db: Db,
  person: Person,
  now: Date,
  make: (usedThisMonth: (ruleId: string) => number) => Line[],
  extra?: { reads: { coll: string; id: string }[]; apply: (read: unknown[], balance: BalanceDoc, tx: Tx) => Promise<void> | void },
): Promise<EntryDoc[]> {
  const month = monthOf(now)
  const year = month.slice(0, 4)
  const owner = ownerOf(person)
  return (await db.runTransaction(async (tx: Tx) => {
    const probe = make(() => 0)
    // the store's lines touch no rollup: only earning lines need them read
    const months = probe.some((l) => !isStore(l.kind)) ? [...new Set([month, ...probe.map((l) => l.month)])] : []
    const totalIds = months.length
      ? [
          ...months.map((m) => totalId('person', m, person.id)),
          totalId('person', year, person.id),
          ...(person.teamId ? [...months.map((m) => totalId('team', m, person.teamId!)), totalId('team', year, person.teamId)] : []),
          ...months.flatMap((m) => areaIds(owner, m)),
        ]
      : []
    const get = (coll: string, id: string) => tx.collection(coll).doc(id).get().then((r) => r.data as Record<string, unknown> | null)
    const reads = await Promise.all([
      get('pointBalances', person.id),
      ...totalIds.map((id) => get('pointTotals', id)),
      ...probe.map((l) => get('points', l._id)),
      ...(extra?.reads ?? []).map((r) => get(r.coll, r.id)),
    ])
    const stored = reads[0] as BalanceDoc | null
    const next: BalanceDoc = stored ? { ...stored, months: { ...stored.months }, hours: { ...stored.hours } } : emptyBalance(owner, now)
    const totals = new Map<string, TotalDoc>()
    totalIds.forEach((id, i) => {
      const t = reads[1 + i] as TotalDoc | null
      if (t) totals.set(id, { ...t })
    })
    const exists = new Set(probe.filter((_l, i) => reads[1 + totalIds.length + i]).map((l) => l._id))
    const pm = totals.get(totalId('person', month, person.id))
    const lines = make((ruleId) => pm?.byRule?.[ruleId] ?? 0).filter((l) => !exists.has(l._id))
    const extraRead = reads.slice(1 + totalIds.length + probe.length)
    // the balance keeps the home it was opened with
    const home: Owner = { ...owner, countyId: next.countyId, townshipId: next.townshipId, villageId: next.villageId }
    // a volunteer who moved: their entries still count for the home's areas (one more read, rarely)
    const homeAreas = months.flatMap((m) => areaIds(home, m)).filter((id) => !totalIds.includes(id))
    const moved = await Promise.all(homeAreas.map((id) => get('pointTotals', id)))
    homeAreas.forEach((id, i) => moved[i] && totals.set(id, { ...(moved[i] as TotalDoc) }))
    const entries = lines.map((l) => entryFrom(l, home, now))
    const touched = new Set(entries.flatMap((e) => foldEntry(next, totals, e, home)))
    if (extra) await extra.apply(extraRead, next, tx)
    if (entries.length === 0 && !extra) return []
    const { _id: balanceId, ...balanceData } = next
    await Promise.all([
      ...entries.map(({ _id, ...e }) => tx.collection('points').doc(_id).set(e)),
      tx.collection('pointBalances').doc(balanceId).set(balanceData),
      ...[...touched].map((id) => {
        const { _id, ...t } = totals.get(id)!
        return tx.collection('pointTotals').doc(_id).set(t)
      }),
    ])
    return entries
  })) as EntryDoc[]
}

// ---------- the loop's events, durably ----------

/**
 * A transition's point events ride on the order (`pointsDue`) in the same compare-and-set
 * as the transition; once recorded they are cleared (only if the order has not moved on:
 * otherwise the sweep records them again, which adds nothing). Nothing earned is lost when
 * the function dies between the two.
 */
export function dueFields(order: Order, events: PointEvent[], now: Date): Record<string, unknown> {
  if (!events.length) return {}
  return { pointsDue: [...(order.pointsDue ?? []), ...events], pointsDueAt: now }
}

/** Record what an order owes and clear it. Best effort after a transition: the sweep retries. */
export async function settleDue(db: Db, orderId: string, events: PointEvent[], stamp: Date, now: Date): Promise<void> {
  try {
    await recordEvents(db, events, now)
    const _ = db.command
    await db.collection('orders').where({ _id: orderId, pointsDueAt: stamp }).update({ pointsDue: _.remove(), pointsDueAt: _.remove() })
  } catch (e) {
    console.error('[points] recording failed; the sweep will retry', orderId, e)
  }
}

/** The sweep: orders whose points were not recorded after a minute. Round trips: 1 + per order as settleDue. */
export async function recordOverdueDue(db: Db, now: Date, limit = 50): Promise<number> {
  const _ = db.command
  const res = await db
    .collection('orders')
    .where({ pointsDueAt: _.lte(new Date(now.getTime() - 60_000)) })
    .limit(limit)
    .get()
  for (const o of res.data as Order[]) await settleDue(db, o._id, o.pointsDue ?? [], o.pointsDueAt!, now)
  return res.data.length
}
