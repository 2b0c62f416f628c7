// Rollups for dashboards and 红黑榜, and the dashboard itself.
//
// `orderStats` holds three kinds of documents, each a Tally (src/core/stats.ts):
// - unit  `u:<gridId>:<day>`: the orders placed on one grid (and its micro-grids) on one
//   Shanghai day, recounted from those orders, with a breakdown by team;
// - node  `n:<nodeId>:<day|month>`: sums of the units below a grid, village, township or county;
// - team  `t:<teamId>:<month>`: sums of the teams' parts of the units.
// The sweep (clock) finds orders changed since its watermark (`settings/stats_watermark`)
// through an index on `updatedAt`, recounts each touched unit, and in one transaction
// writes the unit and adds the difference to every node and team above it — so a recount
// repeated or cut short leaves every sum right. Dashboards read a handful of these
// documents, never the orders.
import {
  AppError,
  addTally,
  areaRows,
  dayOf,
  dayStart,
  GRID_LEVELS,
  isEmptyTally,
  orderTally,
  periodPieces,
  requireScope,
  resolvePeriod,
  rollupNodes,
  STAFF_ROLES,
  staffGrants,
  STATS_FIELDS,
  sumTallies,
  summarize,
  teamOfOrder,
  trendOf,
  unitOfOrder,
  type DashboardInput,
  type DashboardView,
  type GridNode,
  type StatsOrder,
  type Tally,
} from '../../src/core'
import type { Db, Deps } from '../shared/context'
import { totalId, type TotalDoc } from './ledger'

export const STATS = 'orderStats'
export type StatsDoc = {
  _id: string
  kind: 'unit' | 'node' | 'team'
  /** the grid, node or team */
  id: string
  /** node: its parent (null for the county); unit: its path */
  parentId?: string | null
  level?: string
  path?: string[]
  countyId: string
  townshipId?: string | null
  period: 'day' | 'month'
  key: string
  s: Tally
  /** unit: each team's part */
  teams?: Record<string, Tally>
  updatedAt: Date
}
export const unitId = (grid: string, day: string) => `u:${grid}:${day}`
export const nodeStatsId = (node: string, key: string) => `n:${node}:${key}`
export const teamStatsId = (team: string, month: string) => `t:${team}:${month}`

type Sums = { s: Tally; teams: Record<string, Tally> }
function sumsOf(orders: StatsOrder[]): Sums {
  const s: Tally[] = []
  const teams: Record<string, Tally[]> = {}
  for (const o of orders) {
    const t = orderTally(o)
    s.push(t)
    const team = teamOfOrder(o)
    if (team) (teams[team] ??= []).push(t)
  }
  return { s: sumTallies(s), teams: Object.fromEntries(Object.entries(teams).map(([k, v]) => [k, sumTallies(v)])) }
}

/** The node and team documents a unit adds into, with the change to add to each. */
function deltasOf(path: string[], day: string, before: Sums, after: Sums): { doc: Omit<StatsDoc, 's' | 'updatedAt'>; delta: Tally }[] {
  const month = day.slice(0, 7)
  const out: { doc: Omit<StatsDoc, 's' | 'updatedAt'>; delta: Tally }[] = []
  const d = addTally(after.s, before.s, -1)
  if (!isEmptyTally(d)) {
    path.forEach((node, i) => {
      for (const [period, key] of [['day', day], ['month', month]] as const) {
        out.push({ doc: { _id: nodeStatsId(node, key), kind: 'node', id: node, parentId: path[i - 1] ?? null, level: GRID_LEVELS[i], countyId: path[0], period, key }, delta: d })
      }
    })
  }
  for (const team of new Set([...Object.keys(before.teams), ...Object.keys(after.teams)])) {
    const td = addTally(after.teams[team] ?? {}, before.teams[team] ?? {}, -1)
    if (!isEmptyTally(td)) out.push({ doc: { _id: teamStatsId(team, month), kind: 'team', id: team, level: 'team', countyId: path[0], townshipId: path[1] ?? null, period: 'month', key: month }, delta: td })
  }
  return out
}

const EMPTY: Sums = { s: {}, teams: {} }
type Change = ReturnType<typeof deltasOf>[number]
/** Changes to the same document added together (the nodes a moved grid keeps: their parent may change). */
function merge(changes: Change[], keepEmpty: boolean): Change[] {
  const byId = new Map<string, Change>()
  for (const c of changes) {
    const prev = byId.get(c.doc._id)
    byId.set(c.doc._id, prev ? { doc: c.doc, delta: addTally(prev.delta, c.delta) } : c)
  }
  return [...byId.values()].filter((c) => keepEmpty || !isEmptyTally(c.delta))
}

/**
 * Every rollup document the given orders make, from nothing: what the seed writes and
 * what a recount compares the stored rollups with.
 */
export function rollupsOf(orders: StatsOrder[], now: Date): Map<string, StatsDoc> {
  const units = new Map<string, { path: string[]; day: string; orders: StatsOrder[] }>()
  for (const o of orders) {
    const day = dayOf(o.createdAt)
    const id = unitId(unitOfOrder(o), day)
    const u = units.get(id) ?? { path: rollupNodes(o), day, orders: [] }
    u.orders.push(o)
    units.set(id, u)
  }
  const docs = new Map<string, StatsDoc>()
  for (const [id, u] of units) {
    const sums = sumsOf(u.orders)
    docs.set(id, unitDoc(id, u.path, u.day, sums, now))
    for (const { doc, delta } of deltasOf(u.path, u.day, EMPTY, sums)) {
      const prev = docs.get(doc._id)
      docs.set(doc._id, { ...doc, s: addTally(prev?.s ?? {}, delta), updatedAt: now })
    }
  }
  return docs
}

const unitDoc = (id: string, path: string[], day: string, sums: Sums, now: Date): StatsDoc => ({
  _id: id,
  kind: 'unit',
  id: path[path.length - 1],
  path,
  countyId: path[0],
  period: 'day',
  key: day,
  s: sums.s,
  teams: sums.teams,
  updatedAt: now,
})

const PAGE = 100
type Tx = { collection: (name: string) => { doc: (id: string) => { get: () => Promise<{ data: unknown }>; set: (d: object) => Promise<unknown> } } }

/**
 * Recount one grid-day from its orders and bring every sum above it in line.
 * Round trips: the orders (1 per 100), then one transaction reading the unit and the
 * documents that change and writing them (nothing when nothing changed).
 */
export async function recountUnit(db: Db, grid: string, day: string, now: Date): Promise<boolean> {
  const _ = db.command
  const start = dayStart(day)
  const end = new Date(start.getTime() + 86_400_000)
  const orders: StatsOrder[] = []
  for (let skip = 0; ; skip += PAGE) {
    const res = await db
      .collection('orders')
      .where({ scopePath: grid, createdAt: _.gte(start).and(_.lt(end)) })
      .orderBy('createdAt', 'asc')
      .skip(skip)
      .limit(PAGE)
      .field(Object.fromEntries(STATS_FIELDS.map((f) => [f, true])))
      .get()
    orders.push(...(res.data as StatsOrder[]))
    if (res.data.length < PAGE) break
  }
  const after = sumsOf(orders.filter((o) => unitOfOrder(o) === grid))
  const id = unitId(grid, day)
  return (await db.runTransaction(async (tx: Tx) => {
    const get = (docId: string) => tx.collection(STATS).doc(docId).get().then((r) => r.data as StatsDoc | null)
    const stored = await get(id)
    const path = orders[0] ? rollupNodes(orders[0]) : stored?.path
    if (!path) return false
    const before: Sums = { s: stored?.s ?? {}, teams: stored?.teams ?? {} }
    // a grid moved to another village (or township): its days leave the old sums for the new ones
    const moved = stored?.path && stored.path.join('/') !== path.join('/')
    const changes = moved ? merge([...deltasOf(stored.path!, day, before, EMPTY), ...deltasOf(path, day, EMPTY, after)], true) : deltasOf(path, day, before, after)
    if (!changes.length && !moved) return false
    const current = await Promise.all(changes.map((c) => get(c.doc._id)))
    await Promise.all([
      ...changes.map((c, i) => {
        const { _id, ...doc } = c.doc
        return tx.collection(STATS).doc(_id).set({ ...doc, s: addTally(current[i]?.s ?? {}, c.delta), updatedAt: now })
      }),
      (() => {
        const { _id, ...doc } = unitDoc(id, path, day, after, now)
        return tx.collection(STATS).doc(_id).set(doc)
      })(),
    ])
    return true
  })) as boolean
}

export const WATERMARK_ID = 'stats_watermark'
/** Orders written less than this long ago wait for the next run (a write still in flight is not missed). */
const SETTLE_MS = 10_000

export type RefreshReport = { orders: number; units: number; changed: number; drained: boolean }

/**
 * The sweep's part: recount the grid-days of every order changed since the watermark,
 * at most `maxUnits` per run (the next run goes on from where this one stopped).
 * Round trips: the watermark (1), changed orders (1 per 100), each unit's recount, the watermark (1).
 */
export async function refreshStats(db: Db, now: Date, maxUnits = 300): Promise<RefreshReport> {
  const _ = db.command
  const wmDoc = (await db.collection('settings').doc(WATERMARK_ID).get()).data[0] as { at: Date } | undefined
  let mark = wmDoc ? new Date(wmDoc.at) : new Date(0)
  const upTo = new Date(now.getTime() - SETTLE_MS)
  const report: RefreshReport = { orders: 0, units: 0, changed: 0, drained: false }
  if (upTo <= mark) return { ...report, drained: true }
  const units = new Map<string, { grid: string; day: string }>()
  let last: Date | null = null
  for (;;) {
    const res = await db
      .collection('orders')
      .where({ updatedAt: _.gt(last ?? mark).and(_.lte(upTo)) })
      .orderBy('updatedAt', 'asc')
      .limit(PAGE)
      .field({ scopePath: true, createdAt: true, updatedAt: true })
      .get()
    const page = res.data as { scopePath: string[]; createdAt: Date; updatedAt: Date }[]
    for (const o of page) {
      const grid = unitOfOrder(o)
      const day = dayOf(o.createdAt)
      units.set(unitId(grid, day), { grid, day })
      last = new Date(o.updatedAt)
      report.orders++
    }
    if (page.length < PAGE) {
      report.drained = true
      break
    }
    if (units.size >= maxUnits) break
  }
  for (const u of units.values()) {
    if (await recountUnit(db, u.grid, u.day, now)) report.changed++
    report.units++
  }
  mark = report.drained ? upTo : (last ?? mark)
  await db.collection('settings').doc(WATERMARK_ID).set({ at: mark })
  return report
}

// ---------- the dashboard ----------
async function readAll(query: () => any): Promise<StatsDoc[]> {
  const out: StatsDoc[] = []
  for (let skip = 0; ; skip += PAGE) {
    const res = await query().skip(skip).limit(PAGE).get()
    out.push(...(res.data as StatsDoc[]))
    if (res.data.length < PAGE) return out
  }
}

/**
 * Volunteers, points and hours of a village, township or county: the ledger keeps an area-month
 * total for each (cloudfunctions/services/ledger.ts), so a year is at most 13 documents. One read.
 */
async function volunteerSums(db: Db, node: GridNode, months: string[]): Promise<DashboardView['volunteers']> {
  if (!['county', 'township', 'village'].includes(node.level)) return null
  const ids = months.map((m) => totalId('area', m, node._id))
  const docs = (await db.collection('pointTotals').where({ _id: db.command.in(ids) }).limit(ids.length).get()).data as TotalDoc[]
  const total = (f: (d: TotalDoc) => number) => docs.reduce((a, d) => a + f(d), 0)
  return {
    // the mean per month when the period spans several (a volunteer active in two months counts in both)
    active: Math.round(total((d) => d.people ?? 0) / Math.max(1, months.length)),
    points: total((d) => d.points),
    hours: Math.round(total((d) => d.hours) * 10) / 10,
    months,
  }
}

/**
 * A staff member's dashboard of their node (or a node below it) for a period.
 * Round trips: caller (1), then at once: the node and its children (1), the node's day
 * rollups (1 per 100 days), the children's rollups (months and partial days, 1 per 100),
 * the volunteers' area totals (1), the watermark (1).
 */
export async function dashboard(deps: Deps, input: DashboardInput): Promise<DashboardView> {
  const { db } = deps
  const _ = db.command
  const caller = await deps.caller()
  const own = staffGrants(caller)[0]
  if (!own) throw new AppError('FORBIDDEN', '只有站所和乡镇、县级管理员可以查看统计')
  const nodeId = input.nodeId ?? own.nodeId
  const now = deps.now()
  const period = resolvePeriod(input, now)
  const pieces = periodPieces(period.from, period.to, dayOf(now))
  const months = [...new Set([...pieces.months, ...pieces.days.map((d) => d.slice(0, 7))])]
  const nodes = (await db.collection('grids').where(_.or([{ _id: nodeId }, { parentId: nodeId }])).limit(PAGE).get()).data as GridNode[]
  const node = nodes.find((n) => n._id === nodeId)
  if (!node) throw new AppError('NOT_FOUND', '没有找到这个区域')
  const grant = requireScope(caller, STAFF_ROLES, node.path)
  // micro-grids count in their grid: the grid is the finest area a dashboard shows
  const children = node.level === 'grid' ? [] : nodes.filter((n) => n._id !== nodeId)
  const [days, childDocs, volunteers, wm] = await Promise.all([
    readAll(() => db.collection(STATS).where({ kind: 'node', id: nodeId, period: 'day', key: _.gte(period.from).and(_.lte(period.to)) })),
    children.length
      ? Promise.all([
          pieces.months.length ? readAll(() => db.collection(STATS).where({ kind: 'node', parentId: nodeId, period: 'month', key: _.in(pieces.months) })) : [],
          pieces.days.length ? readAll(() => db.collection(STATS).where({ kind: 'node', parentId: nodeId, period: 'day', key: _.in(pieces.days) })) : [],
        ]).then(([a, b]) => [...a, ...b])
      : Promise.resolve([] as StatsDoc[]),
    volunteerSums(db, node, months),
    db.collection('settings').doc(WATERMARK_ID).get(),
  ])
  const byDay = new Map(days.map((d) => [d.key, d.s]))
  const byChild = new Map<string, Tally>()
  for (const d of childDocs) byChild.set(d.id, addTally(byChild.get(d.id) ?? {}, d.s))
  const start = node.path.indexOf(grant.nodeId)
  const at = (wm.data[0] as { at?: Date } | undefined)?.at
  return {
    node: { id: node._id, name: node.name, level: node.level, code: node.code },
    trail: node.path.slice(start).map((id, i) => ({ id, name: node.pathNames[start + i], level: GRID_LEVELS[start + i] })),
    period,
    updatedAt: at ? new Date(at).getTime() : null,
    summary: summarize(sumTallies([...byDay.values()])),
    trend: trendOf(period, byDay),
    areas: areaRows(
      children.map((c) => ({ id: c._id, name: c.name, level: c.level, code: c.code })),
      byChild,
    ),
    volunteers,
  }
}
