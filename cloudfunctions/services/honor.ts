// 红黑榜: the county's rules (settings/honor_<countyId>, versioned), the month's draft from the
// rollups (orderStats: village × month and team × month, kept by the sweep), publishing an
// immutable snapshot (honorLists/<countyId>:<YYYY-MM>), the public list and its poster.
import {
  AppError,
  broadcastText,
  DEFAULT_HONOR_RULES,
  honorInputOf,
  honorViewer,
  monthEnd,
  mayPublishHonor,
  monthLabel,
  rankHonor,
  requireCountyAdmin,
  requireHonorPublishable,
  summarize,
  type Caller,
  type GridNode,
  type HonorDraftView,
  type HonorInput,
  type HonorListView,
  type HonorPosterView,
  type HonorRow,
  type HonorRules,
  type HonorRulesView,
  type HonorSubject,
  type Team,
} from '../../src/core'
import type { Db, Deps } from '../shared/context'
import { isDuplicateKey, notFound } from '../shared/errors'
import { renderHonorPoster } from '../shared/poster'
import type { Tx } from './ledger'
import { STATS, WATERMARK_ID, type StatsDoc } from './stats'

export const HONOR_LISTS = 'honorLists'
const PAGE = 100
export const honorRulesId = (countyId: string) => `honor_${countyId}`
export const honorListId = (countyId: string, month: string) => `${countyId}:${month}`

type RulesDoc = { countyId: string; version: number; rules: HonorRules; updatedAt: Date | null; updatedBy: string | null; updatedByName: string | null }

/** A published month: what the public page, the poster and the 广播稿 read. Never changed, except the poster's fileID once drawn. */
export type HonorListDoc = {
  _id: string
  countyId: string
  countyName: string
  month: string
  rulesVersion: number
  rules: HonorRules
  villages: HonorRow[]
  teams: HonorRow[]
  /** the rollups' watermark at publication: order changes after it are not in the list */
  statsAt: Date | null
  publishedAt: Date
  publishedBy: { id: string; name: string }
  poster?: { fileId: string; width: number; height: number; bytes: number; at: Date }
}

// ---------- rules (county admin) ----------

async function readHonorRules(db: Db, countyId: string): Promise<RulesDoc> {
  const doc = (await db.collection('settings').doc(honorRulesId(countyId)).get()).data[0] as RulesDoc | undefined
  return doc ?? { countyId, version: 0, rules: DEFAULT_HONOR_RULES, updatedAt: null, updatedBy: null, updatedByName: null }
}

async function countyNode(db: Db, id: string): Promise<GridNode> {
  const node = (await db.collection('grids').doc(id).get()).data[0] as GridNode | undefined
  if (!node) throw notFound('本县网格')
  return node
}

async function countyAdmin(deps: Deps, what: string): Promise<{ caller: Caller; county: GridNode }> {
  const caller = await deps.caller()
  const grant = requireCountyAdmin(caller, what)
  return { caller, county: await countyNode(deps.db, grant.nodeId) }
}

const rulesView = (county: GridNode, d: RulesDoc): HonorRulesView => ({
  countyId: county._id,
  countyName: county.name,
  version: d.version,
  rules: d.rules,
  updatedAt: d.updatedAt ? new Date(d.updatedAt).getTime() : null,
  updatedBy: d.updatedByName,
})

/** The county's 红黑榜 rules. Round trips: caller (1), county (1), rules (1). */
export async function honorRules(deps: Deps): Promise<HonorRulesView> {
  const { county } = await countyAdmin(deps, '设置红黑榜规则')
  return rulesView(county, await readHonorRules(deps.db, county._id))
}

/**
 * Save the rules as the next version. `version` is the one the admin edited: a save by
 * someone else in between is refused rather than overwritten. A published list keeps the
 * rules (and version) it was made with.
 */
export async function saveHonorRules(deps: Deps, input: { rules: HonorRules; version: number }): Promise<HonorRulesView> {
  const { caller, county } = await countyAdmin(deps, '设置红黑榜规则')
  const now = deps.now()
  const doc: RulesDoc = { countyId: county._id, version: input.version + 1, rules: input.rules, updatedAt: now, updatedBy: caller.openId, updatedByName: caller.name }
  await deps.db.runTransaction(async (tx: Tx) => {
    const cur = (await tx.collection('settings').doc(honorRulesId(county._id)).get()).data as { version?: number } | null
    if ((cur?.version ?? 0) !== input.version) throw new AppError('CONFLICT', '其他管理员刚刚修改了红黑榜规则，请刷新后再改')
    await tx.collection('settings').doc(honorRulesId(county._id)).set(doc)
  })
  return rulesView(county, doc)
}

// ---------- the month's numbers ----------

async function readAll<T>(query: () => any): Promise<T[]> {
  const out: T[] = []
  for (let skip = 0; ; skip += PAGE) {
    const res = await query().skip(skip).limit(PAGE).get()
    out.push(...(res.data as T[]))
    if (res.data.length < PAGE) return out
  }
}

/** Documents by id, 100 per query, all at once. */
async function byIds<T>(db: Db, collection: string, ids: string[], field: Record<string, boolean>): Promise<Map<string, T>> {
  const _ = db.command
  const chunks: string[][] = []
  for (let i = 0; i < ids.length; i += PAGE) chunks.push(ids.slice(i, i + PAGE))
  const pages = await Promise.all(chunks.map((c) => db.collection(collection).where({ _id: _.in(c) }).field(field).limit(PAGE).get()))
  return new Map(pages.flatMap((p) => p.data as (T & { _id: string })[]).map((d) => [d._id, d]))
}

type Subjects = { village: HonorInput[]; team: HonorInput[] }

/**
 * Every village and team of the county with orders placed in the month, with their names.
 * Villages and teams without orders have no rollup and are not listed.
 * Round trips: the rollups (1 per 100, villages and teams at once), the names (1 per 100, at once), the teams' villages (1 per 100).
 */
async function monthInputs(db: Db, countyId: string, month: string, which: readonly HonorSubject[]): Promise<Subjects> {
  const q = (level: string, kind: string) => () => db.collection(STATS).where({ kind, countyId, level, period: 'month', key: month })
  const [villageDocs, teamDocs] = await Promise.all([
    which.includes('village') ? readAll<StatsDoc>(q('village', 'node')) : [],
    which.includes('team') ? readAll<StatsDoc>(q('team', 'team')) : [],
  ])
  const [villages, teams] = await Promise.all([
    byIds<GridNode>(db, 'grids', villageDocs.map((d) => d.id), { name: true, pathNames: true }),
    byIds<Team>(db, 'teams', teamDocs.map((d) => d.id), { name: true, villageId: true, townshipId: true }),
  ])
  const homes = await byIds<GridNode>(db, 'grids', [...new Set([...teams.values()].map((t) => t.villageId).filter(Boolean))], { name: true, pathNames: true })
  const village = villageDocs.map((d) => {
    const g = villages.get(d.id)
    return honorInputOf({ id: d.id, name: g?.name ?? '（已删除的村）', area: g?.pathNames?.[1] ?? '' }, summarize(d.s))
  })
  const team = teamDocs.map((d) => {
    const t = teams.get(d.id)
    const home = t ? homes.get(t.villageId) : undefined
    return honorInputOf({ id: d.id, name: t?.name ?? '（已解散的队伍）', area: home ? home.pathNames.slice(1, 3).join(' · ') : '' }, summarize(d.s))
  })
  return { village, team }
}

async function readList(db: Db, countyId: string, month: string): Promise<HonorListDoc | undefined> {
  return (await db.collection(HONOR_LISTS).doc(honorListId(countyId, month)).get()).data[0] as HonorListDoc | undefined
}

// ---------- the draft (county and township staff) ----------

/** Which rows lie in a township: villages under it, teams based in it. */
async function ownIds(db: Db, townshipId: string, rows: HonorRow[], subject: HonorSubject): Promise<Set<string>> {
  const ids = rows.map((r) => r.id)
  if (!ids.length) return new Set()
  if (subject === 'village') {
    const grids = await byIds<GridNode>(db, 'grids', ids, { path: true })
    return new Set([...grids.values()].filter((g) => g.path?.includes(townshipId)).map((g) => g._id))
  }
  const teams = await byIds<Team>(db, 'teams', ids, { townshipId: true })
  return new Set([...teams.values()].filter((t) => t.townshipId === townshipId).map((t) => t._id))
}

/**
 * The month's list as it stands (or as published). County staff see the county; township
 * staff see the same county-wide list with their own villages and teams marked: a rank means
 * something only against the whole county, and the list holds nothing that will not be public.
 * Round trips: caller (1), the grant's node (1), the county, the rules, the published list and
 * the watermark (1, at once), the month's numbers (see monthInputs), the township's own rows (1).
 */
export async function honorDraft(deps: Deps, input: { month: string; subject: HonorSubject }): Promise<HonorDraftView> {
  const { db } = deps
  const caller = await deps.caller()
  const viewer = honorViewer(caller.roles)
  const node = await countyNode(db, viewer.nodeId)
  const countyId = node.path[0]
  const [county, rulesDoc, published, wm] = await Promise.all([
    countyId === node._id ? node : countyNode(db, countyId),
    readHonorRules(db, countyId),
    readList(db, countyId, input.month),
    db.collection('settings').doc(WATERMARK_ID).get(),
  ])
  let rows: HonorRow[]
  if (published) rows = input.subject === 'village' ? published.villages : published.teams
  else rows = rankHonor((await monthInputs(db, countyId, input.month, [input.subject]))[input.subject], rulesDoc.rules)
  const township = viewer.township ? node : null
  const own = township ? await ownIds(db, township._id, rows, input.subject) : new Set<string>()
  const at = (wm.data[0] as { at?: Date } | undefined)?.at
  return {
    countyId,
    countyName: county.name,
    month: input.month,
    subject: input.subject,
    ended: deps.now() >= monthEnd(input.month),
    published: published ? { at: new Date(published.publishedAt).getTime(), byName: published.publishedBy.name, rulesVersion: published.rulesVersion } : null,
    rules: published ? published.rules : rulesDoc.rules,
    rulesVersion: published ? published.rulesVersion : rulesDoc.version,
    rows: rows.map((r) => ({ ...r, own: own.has(r.id) })),
    ownArea: township?.name ?? null,
    canPublish: mayPublishHonor(caller.roles, countyId),
    updatedAt: at ? new Date(at).getTime() : null,
  }
}

// ---------- publishing (county admin) ----------

/**
 * Publish the month: villages and teams ranked under the current rules, written once as
 * `honorLists/<countyId>:<month>` with the rules and their version, who and when. Only after
 * the month is over; a second publication is refused (the insert's unique _id settles a race).
 */
export async function honorPublish(deps: Deps, input: { month: string }): Promise<HonorListView> {
  const { caller, county } = await countyAdmin(deps, '发布红黑榜')
  const { db } = deps
  const now = deps.now()
  const [existing, rulesDoc, wm] = await Promise.all([readList(db, county._id, input.month), readHonorRules(db, county._id), db.collection('settings').doc(WATERMARK_ID).get()])
  requireHonorPublishable(input.month, now, existing)
  const inputs = await monthInputs(db, county._id, input.month, ['village', 'team'])
  const villages = rankHonor(inputs.village, rulesDoc.rules)
  const teams = rankHonor(inputs.team, rulesDoc.rules)
  if (![...villages, ...teams].some((r) => r.rank !== null)) {
    throw new AppError('VALIDATION', `${monthLabel(input.month)}没有达到办结件数、可以参加排名的村或服务队，不能发布`)
  }
  const at = (wm.data[0] as { at?: Date } | undefined)?.at
  const doc: HonorListDoc = {
    _id: honorListId(county._id, input.month),
    countyId: county._id,
    countyName: county.name,
    month: input.month,
    rulesVersion: rulesDoc.version,
    rules: rulesDoc.rules,
    villages,
    teams,
    statsAt: at ? new Date(at) : null,
    publishedAt: now,
    publishedBy: { id: caller.openId, name: caller.name },
  }
  try {
    await db.collection(HONOR_LISTS).add(doc)
  } catch (e) {
    if (isDuplicateKey(e)) requireHonorPublishable(input.month, now, (await readList(db, county._id, input.month)) ?? { publishedAt: now })
    throw e
  }
  return listView(doc, await publishedMonths(db, county._id))
}

// ---------- the public list and poster ----------

const listView = (d: HonorListDoc, months: string[]): HonorListView => ({
  countyId: d.countyId,
  countyName: d.countyName,
  month: d.month,
  publishedAt: new Date(d.publishedAt).getTime(),
  rulesVersion: d.rulesVersion,
  rules: d.rules,
  villages: d.villages,
  teams: d.teams,
  broadcast: broadcastText({ countyName: d.countyName, month: d.month, villages: d.villages, teams: d.teams, rules: d.rules }),
  months,
})

async function publishedMonths(db: Db, countyId: string): Promise<string[]> {
  const res = await db.collection(HONOR_LISTS).where({ countyId }).orderBy('month', 'desc').field({ month: true }).limit(24).get()
  return (res.data as { month: string }[]).map((d) => d.month)
}

/** The county asked for, else the signed-in caller's, else the first county. Round trips: 0–2. */
async function publicCounty(deps: Deps, countyId: string | undefined): Promise<string> {
  if (countyId) return countyId
  if (deps.openId) {
    const caller = await deps.caller()
    if (caller.roles[0]) {
      const node = (await deps.db.collection('grids').doc(caller.roles[0].nodeId).get()).data[0] as GridNode | undefined
      if (node) return node.path[0]
    }
  }
  const first = (await deps.db.collection('grids').where({ level: 'county' }).limit(1).get()).data[0] as GridNode | undefined
  if (!first) throw notFound('县')
  return first._id
}

async function publishedDoc(deps: Deps, countyId: string, month: string | undefined): Promise<{ doc: HonorListDoc; months: string[] }> {
  const months = await publishedMonths(deps.db, countyId)
  const wanted = month ?? months[0]
  const doc = wanted ? await readList(deps.db, countyId, wanted) : undefined
  if (!doc) throw new AppError('NOT_FOUND', month ? `${monthLabel(month)}的红黑榜还没有发布` : '还没有发布过红黑榜')
  return { doc, months }
}

/**
 * Public (no sign-in): a published month (default the latest) with the 广播稿.
 * Rows carry names of villages and teams, scores and rates: nobody's personal data.
 * Round trips: the county (0–2), the months (1), the list (1).
 */
export async function honorList(deps: Deps, input: { countyId?: string; month?: string }): Promise<HonorListView> {
  const countyId = await publicCounty(deps, input.countyId)
  const { doc, months } = await publishedDoc(deps, countyId, input.month)
  return listView(doc, months)
}

export const posterPath = (countyId: string, month: string) => `honor/${countyId}/${month}.png`

/**
 * Public: the published month's poster (PNG), drawn once and kept in storage; drawn again
 * only when the stored file is gone. Two first requests at once both draw the same picture
 * to the same path, so either answer is right.
 * Round trips: the list (2–4), the stored poster's temp URL (1); when drawn: the upload (1),
 * the list's poster field (1), the temp URL (1).
 */
export async function honorPoster(deps: Deps, input: { countyId?: string; month: string }): Promise<HonorPosterView> {
  const countyId = await publicCounty(deps, input.countyId)
  const { doc } = await publishedDoc(deps, countyId, input.month)
  const fileName = `${doc.countyName}${monthLabel(doc.month)}红黑榜.png`
  if (doc.poster) {
    const url = (await deps.files.tempUrls([doc.poster.fileId])).get(doc.poster.fileId)
    if (url) return { url, fileId: doc.poster.fileId, fileName, width: doc.poster.width, height: doc.poster.height }
  }
  const { png, width, height } = renderHonorPoster({ countyName: doc.countyName, month: doc.month, publishedAt: new Date(doc.publishedAt), rules: doc.rules, villages: doc.villages, teams: doc.teams })
  const fileId = await deps.files.upload(posterPath(countyId, doc.month), png)
  await deps.db
    .collection(HONOR_LISTS)
    .doc(doc._id)
    .update({ poster: { fileId, width, height, bytes: png.length, at: deps.now() } })
  const url = (await deps.files.tempUrls([fileId])).get(fileId)
  if (!url) throw new AppError('INTERNAL', '海报已生成，但暂时无法下载，请稍后重试')
  return { url, fileId, fileName, width, height }
}
