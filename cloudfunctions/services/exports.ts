// Exports as jobs: `start` records what to export (scope, filters, the partitions to read,
// a count), `step` advances it by a bounded amount of work, the clock sweep advances jobs
// whose owner left. Rows are read in pages of ≤ 100 documents, keyset-paged per partition
// (a village's orders, a township's month of points) so no query scans the whole county,
// and written as CSV part files `exports/<jobId>/part-NNNN.csv`; the last step assembles
// the file (CSV: BOM + header + parts; XLSX: exceljs's streaming writer fed from the parts)
// in /tmp and uploads it. Nothing is held in memory beyond one part.
//
// Resumable and idempotent: a part is stored before the cursor moves past it (one
// compare-and-set on the job's page number and lease), so a step that dies in between is
// repeated from the same cursor and rewrites the same part. A lease keeps the page's loop
// and the sweep from working on one job at once; a dead step's lease simply runs out.
import { randomBytes } from 'node:crypto'
import { createWriteStream, promises as fsp } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import {
  staffGrants,
  coversScope,
  AppError,
  BOM,
  cellText,
  type Cell,
  describeExportFilters,
  EXPORT_COLUMNS,
  EXPORT_KEEP_DAYS,
  EXPORT_KIND_LABEL,
  exportFileName,
  exportMonths,
  exportPercent,
  exportPeriod,
  exportRow,
  dayRange,
  MAX_EXPORT_ROWS,
  MAX_RUNNING_EXPORTS,
  maySeeFullPhones,
  STAFF_RANK,
  STAFF_ROLES,
  type Caller,
  type ExportFormat,
  type ExportJobView,
  type ExportKind,
  type ExportStartInput,
  type ExportState,
  type GridNode,
  type StaffRole,
} from '../../src/core'
import { loadCaller } from '../shared/caller'
import type { Db, Deps } from '../shared/context'
import { isDuplicateKey, notFound, unauthenticated } from '../shared/errors'
import type { FilesPort } from '../shared/files'
import { subtreeOf } from './gridQueries'

/** CSV records of neutralised cells (RFC 4180, CRLF line ends as Excel writes them): csv-stringify quotes, also any line break inside a cell. */
export const csvLines = (rows: readonly (readonly Cell[])[]): string => stringify(rows.map((r) => r.map(cellText)), { record_delimiter: 'windows', quoted_match: /[\r\n]/ })

/** documents per read (the platform's advice), rows per part file, and what one step may do */
const PAGE = 100
const PART_ROWS = 1000
export const STEP_ROWS = 5000
export const STEP_MS = 5000
/** a step's lease outlives its budget by this much; an assembly's lease covers a whole function run */
const LEASE_SLACK_MS = 60_000
const ASSEMBLE_LEASE_MS = 15 * 60_000
/** consecutive unexpected failures before a job is given up */
const MAX_ATTEMPTS = 5
/** a job nobody stepped for this long is the sweep's to finish */
const ABANDONED_MS = 60_000

type Cursor = { p: number; at: number | null; id: string | null }
/** What the rows are filtered by, beyond the partition (all plain values: it is stored). */
type JobQuery = {
  from?: number
  to?: number
  status?: string
  category?: string
  source?: string
  /** points: a village export's village (the partitions are its township's months) */
  villageId?: string
}

export type ExportJobDoc = {
  _id: string
  owner: string
  ownerName: string
  kind: ExportKind
  format: ExportFormat
  fullPhones: boolean
  nodeId: string
  nodeName: string
  nodePath: string[]
  query: JobQuery
  filtersText: string
  /** orders / volunteers: node ids matched on scopePath (villages); points: `<townshipId>|<month>` */
  parts: string[]
  /** points: township and village names by id */
  names: Record<string, string>
  cursor: Cursor
  /** part files written (the next one's number) */
  page: number
  rows: number
  total: number
  /** the fileID of part 0 without its file name: part i is partPrefix + partName(i) */
  partPrefix: string | null
  state: ExportState
  error: string | null
  attempts: number
  leaseId: string
  leaseUntil: Date
  fileName: string
  fileId: string | null
  bytes: number | null
  createdAt: Date
  updatedAt: Date
  finishedAt: Date | null
}

const JOBS = 'exportJobs'
const partName = (i: number) => `part-${String(i).padStart(4, '0')}.csv`
const partPath = (jobId: string, i: number) => `exports/${jobId}/${partName(i)}`
const EPOCH = new Date(0)

async function readJob(db: Db, id: string): Promise<ExportJobDoc | undefined> {
  return (await db.collection(JOBS).doc(id).get()).data[0] as ExportJobDoc | undefined
}

function toView(j: ExportJobDoc, url: string | null): ExportJobView {
  return {
    id: j._id,
    kind: j.kind,
    format: j.format,
    state: j.state,
    rows: j.rows,
    total: j.total,
    percent: exportPercent(j.state, j.rows, j.total),
    nodeName: j.nodeName,
    filters: j.filtersText,
    fullPhones: j.fullPhones,
    fileName: j.state === 'done' ? j.fileName : null,
    url,
    fileId: j.state === 'done' ? j.fileId : null,
    bytes: j.bytes,
    error: j.error,
    createdAt: new Date(j.createdAt).getTime(),
    finishedAt: j.finishedAt ? new Date(j.finishedAt).getTime() : null,
  }
}

/** Views with fresh temp URLs for the finished ones (one storage call for ≤ 50). */
async function viewsOf(files: FilesPort, jobs: ExportJobDoc[]): Promise<ExportJobView[]> {
  const ids = jobs.filter((j) => j.state === 'done' && j.fileId).map((j) => j.fileId!)
  const urls = ids.length ? await files.tempUrls(ids) : new Map<string, string>()
  return jobs.map((j) => toView(j, j.state === 'done' && j.fileId ? (urls.get(j.fileId) ?? null) : null))
}

// ---------- start ----------

/** The node an export covers: the one asked for (within the caller's subtree), else the caller's highest staff node. */
async function exportNode(db: Db, caller: Caller, nodeId: string | undefined): Promise<GridNode> {
  const grants = staffGrants(caller)
  if (grants.length === 0) throw new AppError('FORBIDDEN', '只有村实践站、乡镇实践所和县级工作人员可以导出数据')
  const id = nodeId ?? [...grants].sort((a, b) => STAFF_RANK[b.role as StaffRole] - STAFF_RANK[a.role as StaffRole])[0].nodeId
  const node = (await db.collection('grids').doc(id).get()).data[0] as GridNode | undefined
  if (!node) throw notFound('区域')
  if (!coversScope(caller, STAFF_ROLES, node.path)) throw new AppError('FORBIDDEN', `无权导出「${node.name}」的数据`)
  return node
}

/** Villages of the subtree (the partitions of order and volunteer exports); the node itself at village level or below. */
async function villagePartitions(db: Db, node: GridNode): Promise<string[]> {
  if (node.level !== 'county' && node.level !== 'township') return [node._id]
  const villages = await subtreeOf(db, node._id, { level: 'village' }, { _id: true })
  // a county whose tree stops above villages: its records hang below the node itself
  return villages.length ? villages.map((v) => v._id) : [node._id]
}

type Plan = Pick<ExportJobDoc, 'query' | 'parts' | 'names' | 'filtersText'> & { countWhere: Record<string, unknown> }

async function planOrders(deps: Deps, node: GridNode, f: Extract<ExportStartInput, { kind: 'orders' }>['filters']): Promise<Plan> {
  const _ = deps.db.command
  const period = exportPeriod(f, deps.now())
  const query: JobQuery = {}
  if (period) {
    const r = dayRange(period.from, period.to)
    query.from = r.start.getTime()
    query.to = r.end.getTime()
  }
  if (f.status) query.status = f.status
  if (f.category) query.category = f.category
  if (f.source) query.source = f.source
  const countWhere = { ...matchOf('orders', query, node._id), ...(period ? { createdAt: _.gte(new Date(query.from!)).and(_.lt(new Date(query.to!))) } : {}) }
  return {
    query,
    parts: await villagePartitions(deps.db, node),
    names: {},
    filtersText: describeExportFilters('orders', { period: period?.label ?? null, status: f.status, category: f.category, source: f.source }),
    countWhere,
  }
}

async function planVolunteers(deps: Deps, node: GridNode, f: Extract<ExportStartInput, { kind: 'volunteers' }>['filters']): Promise<Plan> {
  const query: JobQuery = f.status ? { status: f.status } : {}
  return {
    query,
    parts: await villagePartitions(deps.db, node),
    names: {},
    filtersText: describeExportFilters('volunteers', { status: f.status }),
    countWhere: matchOf('volunteers', query, node._id),
  }
}

async function planPoints(deps: Deps, node: GridNode, f: Extract<ExportStartInput, { kind: 'points' }>['filters']): Promise<Plan> {
  const _ = deps.db.command
  const months = exportMonths(f, deps.now())
  const names: Record<string, string> = {}
  let townships: string[]
  const query: JobQuery = {}
  if (node.level === 'county') {
    const nodes = await subtreeOf(deps.db, node._id, { level: _.in(['township', 'village']) }, { name: true, level: true })
    for (const n of nodes) names[n._id] = n.name
    townships = nodes.filter((n) => n.level === 'township').map((n) => n._id)
  } else if (node.level === 'township') {
    const nodes = await subtreeOf(deps.db, node._id, { level: _.in(['township', 'village']) }, { name: true })
    for (const n of nodes) names[n._id] = n.name
    townships = [node._id]
  } else if (node.level === 'village') {
    // the ledger knows a person's county, township and village, not their grid
    townships = [node.path[1]]
    names[node.path[1]] = node.pathNames[1]
    names[node._id] = node.name
    query.villageId = node._id
  } else {
    throw new AppError('VALIDATION', '积分明细只能按村（社区）、乡镇或全县导出，请选择上一级区域')
  }
  const parts = townships.flatMap((t) => months.map((m) => `${t}|${m}`))
  return {
    query,
    parts,
    names,
    filtersText: describeExportFilters('points', { months }),
    countWhere: { townshipId: townships.length === 1 ? townships[0] : _.in(townships), month: _.in(months), ...(query.villageId ? { villageId: query.villageId } : {}) },
  }
}

/**
 * export.start — staff, for their subtree (default: their own node). Records the job with a
 * count; the rows are read by `step`. A retried start (same requestId) answers with the job
 * it made. Round trips: caller + job (1), node (1), running jobs (1), partitions (1), count (1), insert (1).
 */
export async function startExport(deps: Deps, input: ExportStartInput): Promise<ExportJobView> {
  const { db, openId } = deps
  if (!openId) throw unauthenticated()
  const [caller, existing] = await Promise.all([deps.caller(), readJob(db, input.requestId)])
  if (existing) {
    if (existing.owner !== openId) throw new AppError('CONFLICT', '请求编号已被使用，请重新导出')
    return (await viewsOf(deps.files, [existing]))[0]
  }
  const node = await exportNode(db, caller, input.filters.nodeId)
  if (input.fullPhones && !maySeeFullPhones(caller, node.path)) throw new AppError('FORBIDDEN', '您无权导出完整手机号，请选择隐藏手机号中间四位')
  const _ = db.command
  const running = (await db.collection(JOBS).where({ owner: openId, state: _.in(['running', 'assembling']) }).count()).total as number
  if (running >= MAX_RUNNING_EXPORTS) throw new AppError('CONFLICT', `您已有 ${running} 个导出正在进行，请等它们完成后再导出`)

  const plan =
    input.kind === 'orders'
      ? await planOrders(deps, node, input.filters)
      : input.kind === 'volunteers'
        ? await planVolunteers(deps, node, input.filters)
        : await planPoints(deps, node, input.filters)
  const total = (await db.collection(input.kind).where(plan.countWhere).count()).total as number
  if (total > MAX_EXPORT_ROWS) {
    throw new AppError('VALIDATION', `符合条件的有 ${total} 条，超过一次导出的上限 ${MAX_EXPORT_ROWS} 条，请缩小时间范围或区域后再导出`)
  }
  const now = deps.now()
  const job: ExportJobDoc = {
    _id: input.requestId,
    owner: openId,
    ownerName: caller.name,
    kind: input.kind,
    format: input.format,
    fullPhones: input.fullPhones,
    nodeId: node._id,
    nodeName: node.name,
    nodePath: node.path,
    query: plan.query,
    filtersText: plan.filtersText,
    parts: plan.parts,
    names: plan.names,
    cursor: { p: 0, at: null, id: null },
    page: 0,
    rows: 0,
    total,
    partPrefix: null,
    state: 'running',
    error: null,
    attempts: 0,
    leaseId: '',
    leaseUntil: EPOCH,
    fileName: exportFileName(input.kind, node.name, now, input.format),
    fileId: null,
    bytes: null,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
  }
  try {
    await db.collection(JOBS).add(job)
  } catch (e) {
    if (!isDuplicateKey(e)) throw e
    const again = await readJob(db, input.requestId)
    if (!again || again.owner !== openId) throw new AppError('CONFLICT', '请求编号已被使用，请重新导出')
    return (await viewsOf(deps.files, [again]))[0]
  }
  return toView(job, null)
}

// ---------- reading rows ----------

/** The filter of one partition (without the cursor). */
function matchOf(kind: ExportKind, q: JobQuery, part: string): Record<string, unknown> {
  if (kind === 'points') {
    const [townshipId, month] = part.split('|')
    return { townshipId, month, ...(q.villageId ? { villageId: q.villageId } : {}) }
  }
  const w: Record<string, unknown> = { scopePath: part }
  if (q.status) w.status = q.status
  if (kind === 'orders') {
    if (q.category) w.category = q.category
    if (q.source) w.source = q.source
  }
  return w
}

/** Rows are read oldest first within a partition: by this field, then _id. */
const SORT_FIELD: Record<ExportKind, string> = { orders: 'createdAt', volunteers: 'createdAt', points: 'at' }

/** One page (≤ 100) of a partition after the cursor. One round trip. */
async function readPage(db: Db, job: ExportJobDoc, c: Cursor): Promise<Record<string, unknown>[]> {
  const _ = db.command
  const field = SORT_FIELD[job.kind]
  const conds: object[] = [matchOf(job.kind, job.query, job.parts[c.p])]
  if (job.kind === 'orders' && job.query.from !== undefined) conds.push({ createdAt: _.gte(new Date(job.query.from)).and(_.lt(new Date(job.query.to!))) })
  if (c.at !== null && c.id !== null) {
    const at = new Date(c.at)
    conds.push(_.or([{ [field]: _.gt(at) }, { [field]: at, _id: _.gt(c.id) }]))
  }
  const res = await db
    .collection(job.kind)
    .where(conds.length === 1 ? conds[0] : _.and(conds as Parameters<typeof _.and>[0]))
    .orderBy(field, 'asc')
    .orderBy('_id', 'asc')
    .limit(PAGE)
    .get()
  return res.data as Record<string, unknown>[]
}

/** Someone else holds the job now (the page and the sweep at once): stop quietly. */
class LostLease extends Error {}

type Ctx = { db: Db; files: FilesPort; now: () => Date }

/** Advance the job's compare-and-set: only the lease holder, only from the page it read. */
async function save(ctx: Ctx, job: ExportJobDoc, set: Partial<ExportJobDoc>): Promise<ExportJobDoc> {
  const res = await ctx.db.collection(JOBS).where({ _id: job._id, leaseId: job.leaseId, page: job.page, state: job.state }).update({ ...set, updatedAt: ctx.now() })
  if (!res.updated) throw new LostLease()
  return { ...job, ...set, updatedAt: ctx.now() }
}

/**
 * Read rows into parts until the step's budget (rows or time) is spent or every partition is
 * read; the part is stored first, then the cursor moves past it. Round trips per part: ≤ 10
 * reads, 1 upload (2 requests), 1 job write.
 */
async function readRows(ctx: Ctx, job: ExportJobDoc, budget: { ms: number; rows: number }): Promise<ExportJobDoc> {
  const t0 = Date.now()
  const spent = () => Date.now() - t0 >= budget.ms
  const rowCtx = { fullPhones: job.fullPhones, names: job.names ?? {} }
  let done = 0
  while (done < budget.rows && !spent() && job.cursor.p < job.parts.length) {
    let text = ''
    let n = 0
    let c = job.cursor
    while (n < PART_ROWS && c.p < job.parts.length) {
      const docs = await readPage(ctx.db, job, c)
      text += csvLines(docs.map((d) => exportRow(job.kind, d, rowCtx)))
      n += docs.length
      const last = docs[docs.length - 1]
      c = docs.length < PAGE ? { p: c.p + 1, at: null, id: null } : { p: c.p, at: new Date(last[SORT_FIELD[job.kind]] as Date).getTime(), id: String(last._id) }
      if (spent()) break
    }
    let partPrefix = job.partPrefix
    if (n > 0) {
      const fileId = await ctx.files.upload(partPath(job._id, job.page), Buffer.from(text, 'utf8'))
      partPrefix ??= fileId.slice(0, fileId.length - partName(job.page).length)
    }
    const finished = c.p >= job.parts.length
    job = await save(ctx, job, {
      cursor: c,
      page: job.page + (n > 0 ? 1 : 0),
      rows: job.rows + n,
      partPrefix,
      attempts: 0,
      ...(finished ? { state: 'assembling' as const } : {}),
    })
    done += n
  }
  return job
}

// ---------- assembling ----------

/** The parts' bytes in order, the next one fetched while the current one is written. */
async function* partsOf(ctx: Ctx, job: ExportJobDoc): AsyncGenerator<Buffer> {
  const ids = Array.from({ length: job.page }, (_x, i) => `${job.partPrefix}${partName(i)}`)
  let next = ids.length ? ctx.files.download(ids[0]) : null
  for (let i = 0; i < ids.length; i++) {
    const cur = await next!
    next = i + 1 < ids.length ? ctx.files.download(ids[i + 1]) : null
    yield cur
  }
}

async function writeCsv(ctx: Ctx, job: ExportJobDoc, file: string) {
  const out = createWriteStream(file)
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve)
    out.on('error', reject)
  })
  const write = (chunk: string | Buffer) => (out.write(chunk) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())))
  await write(BOM + csvLines([EXPORT_COLUMNS[job.kind].map((c) => c.header)]))
  for await (const part of partsOf(ctx, job)) await write(part)
  out.end()
  await done
}

async function writeXlsx(ctx: Ctx, job: ExportJobDoc, file: string) {
  // loaded only here: the clock sweep bundles the module but rarely assembles a workbook
  const mod = (await import('exceljs')) as typeof import('exceljs') & { default?: typeof import('exceljs') }
  // CommonJS under an ESM loader (tsx, node's import()) comes as `default` only
  const ExcelJS = mod.stream ? mod : mod.default!
  const columns = EXPORT_COLUMNS[job.kind]
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false })
  wb.creator = '幸福+码'
  const ws = wb.addWorksheet(EXPORT_KIND_LABEL[job.kind], { views: [{ state: 'frozen', ySplit: 1 }] })
  ws.columns = columns.map((c, i) => ({ key: `c${i}`, width: c.width }))
  const header = ws.addRow(columns.map((c) => c.header))
  header.font = { bold: true }
  header.commit()
  for await (const part of partsOf(ctx, job)) {
    // the parts hold cells as written (text already neutralised); numbers become numbers again
    const records = parse(part, { bom: false, relax_quotes: false }) as string[][]
    for (const r of records) ws.addRow(r.map((v, i) => (columns[i]?.number ? (v === '' ? null : Number(v)) : v))).commit()
  }
  ws.commit()
  await wb.commit()
}

/** Make the file from the parts in /tmp, upload it, record it, delete the parts. */
async function assemble(ctx: Ctx, job: ExportJobDoc): Promise<ExportJobDoc> {
  const tmp = path.join(os.tmpdir(), `xf-export-${job._id}-${randomBytes(4).toString('hex')}.${job.format}`)
  try {
    if (job.format === 'csv') await writeCsv(ctx, job, tmp)
    else await writeXlsx(ctx, job, tmp)
    const bytes = (await fsp.stat(tmp)).size
    const fileId = await ctx.files.uploadFile(`exports/${job._id}/${job.fileName}`, tmp)
    const after = await save(ctx, job, { state: 'done', fileId, bytes, finishedAt: ctx.now(), leaseUntil: EPOCH, attempts: 0 })
    const parts = Array.from({ length: job.page }, (_x, i) => `${job.partPrefix}${partName(i)}`)
    await ctx.files.remove(parts).catch((e) => console.error('[export] parts not deleted', job._id, (e as Error)?.message ?? e))
    return after
  } finally {
    await fsp.rm(tmp, { force: true })
  }
}

// ---------- advancing ----------

/** Take the job's lease unless someone holds it; null when busy. One round trip. */
async function claim(ctx: Ctx, job: ExportJobDoc, ms: number): Promise<ExportJobDoc | null> {
  const now = ctx.now()
  if (job.leaseUntil && new Date(job.leaseUntil).getTime() > now.getTime()) return null
  const leaseId = randomBytes(8).toString('hex')
  const leaseUntil = new Date(now.getTime() + ms)
  const res = await ctx.db.collection(JOBS).where({ _id: job._id, leaseId: job.leaseId ?? '' }).update({ leaseId, leaseUntil })
  return res.updated ? { ...job, leaseId, leaseUntil } : null
}

/** Stop a job with a reason (the owner lost the scope, or it kept failing). */
async function fail(ctx: Ctx, job: ExportJobDoc, message: string): Promise<ExportJobDoc> {
  const set = { state: 'failed' as const, error: message, finishedAt: ctx.now(), leaseUntil: EPOCH, updatedAt: ctx.now() }
  await ctx.db.collection(JOBS).where({ _id: job._id, state: job.state }).update(set)
  return { ...job, ...set }
}

/**
 * One bounded advance: rows for up to `budget`, or the assembly when every row is read.
 * Busy (someone else holds the lease) or lost the lease: the job as it is now. An unexpected
 * failure is counted and the lease released (the next step or sweep tries again); after
 * MAX_ATTEMPTS in a row the job fails.
 */
export async function advance(ctx: Ctx, job: ExportJobDoc, budget: { ms: number; rows: number }): Promise<ExportJobDoc> {
  if (job.state !== 'running' && job.state !== 'assembling') return job
  const held = await claim(ctx, job, job.state === 'assembling' ? ASSEMBLE_LEASE_MS : budget.ms + LEASE_SLACK_MS)
  if (!held) return (await readJob(ctx.db, job._id)) ?? job
  try {
    if (held.state === 'assembling') return await assemble(ctx, held)
    // the lease is released at once: the page's next call (or the sweep) goes on without waiting for it to run out
    return await save(ctx, await readRows(ctx, held, budget), { leaseUntil: EPOCH })
  } catch (e) {
    if (e instanceof LostLease) return (await readJob(ctx.db, job._id)) ?? job
    if (e instanceof AppError) return fail(ctx, held, e.message)
    console.error('[export] step failed', job._id, e)
    const attempts = (held.attempts ?? 0) + 1
    if (attempts >= MAX_ATTEMPTS) return fail(ctx, held, '导出多次出错，已停止，请重新导出')
    await ctx.db.collection(JOBS).where({ _id: held._id, leaseId: held.leaseId }).update({ attempts, leaseUntil: EPOCH, updatedAt: ctx.now() })
    throw new AppError('INTERNAL', '导出暂时出错，正在重试')
  }
}

/** The owner must still hold a staff role covering the export's node, or the job stops. */
function ownerMayExport(caller: Caller, job: ExportJobDoc): boolean {
  return coversScope(caller, STAFF_ROLES, job.nodePath) && (!job.fullPhones || maySeeFullPhones(caller, job.nodePath))
}
const NO_LONGER = '您已没有该区域的导出权限，导出已停止'

/**
 * export.step — the job's owner only: advance it by one bounded step (≤ STEP_ROWS rows or
 * ≈ STEP_MS), or assemble the file when every row is read; the URL once done. Calling it
 * again after a failure resumes where the job stands.
 */
export async function stepExport(deps: Deps, { jobId }: { jobId: string }): Promise<ExportJobView> {
  if (!deps.openId) throw unauthenticated()
  let job = await readJob(deps.db, jobId)
  if (!job) throw notFound('导出任务')
  if (job.owner !== deps.openId) throw new AppError('FORBIDDEN', '只能查看和下载自己发起的导出')
  const ctx: Ctx = { db: deps.db, files: deps.files, now: deps.now }
  if (job.state === 'running' || job.state === 'assembling') {
    job = ownerMayExport(await deps.caller(), job) ? await advance(ctx, job, { ms: STEP_MS, rows: STEP_ROWS }) : await fail(ctx, job, NO_LONGER)
  }
  return (await viewsOf(deps.files, [job]))[0]
}

/** export.jobs — my recent exports, newest first, with fresh download links. Round trips: 1 + storage. */
export async function myExports(deps: Deps, { limit }: { limit: number }): Promise<ExportJobView[]> {
  if (!deps.openId) throw unauthenticated()
  const res = await deps.db.collection(JOBS).where({ owner: deps.openId }).orderBy('createdAt', 'desc').limit(limit).get()
  return viewsOf(deps.files, res.data as ExportJobDoc[])
}

// ---------- the sweep ----------

export type ExportSweepReport = { advanced: number; finished: number; expired: number }

/**
 * From the clock sweep: finish jobs whose owner stopped stepping (left the page), within
 * `budgetMs`, a few jobs per run; and delete files older than EXPORT_KEEP_DAYS. Bounded:
 * the next run goes on where this one stopped.
 */
export async function sweepExports(ctx: Ctx, budgetMs = 30_000): Promise<ExportSweepReport> {
  const t0 = Date.now()
  const _ = ctx.db.command
  const now = ctx.now()
  const report: ExportSweepReport = { advanced: 0, finished: 0, expired: 0 }
  const stale = await ctx.db
    .collection(JOBS)
    .where({ state: _.in(['running', 'assembling']), updatedAt: _.lt(new Date(now.getTime() - ABANDONED_MS)) })
    .orderBy('updatedAt', 'asc')
    .limit(3)
    .get()
  for (let job of stale.data as ExportJobDoc[]) {
    if (Date.now() - t0 >= budgetMs) break
    const owner = await loadCaller(ctx.db, job.owner).catch(() => null)
    if (!owner || !ownerMayExport(owner, job)) {
      await fail(ctx, job, NO_LONGER)
      continue
    }
    while ((job.state === 'running' || job.state === 'assembling') && Date.now() - t0 < budgetMs) {
      const before = `${job.state}:${job.page}:${job.cursor.p}`
      try {
        job = await advance(ctx, job, { ms: Math.min(STEP_MS * 3, budgetMs - (Date.now() - t0)), rows: STEP_ROWS * 3 })
      } catch {
        break // counted on the job; the next run tries again
      }
      report.advanced++
      if (`${job.state}:${job.page}:${job.cursor.p}` === before) break // busy elsewhere
    }
    if (job.state === 'done') report.finished++
  }
  // files of old exports are deleted; the job stays as the record of who exported what
  const old = await ctx.db
    .collection(JOBS)
    .where({ state: 'done', finishedAt: _.lt(new Date(now.getTime() - EXPORT_KEEP_DAYS * 86_400_000)) })
    .limit(20)
    .get()
  for (const job of old.data as ExportJobDoc[]) {
    if (job.fileId) await ctx.files.remove([job.fileId]).catch(() => undefined)
    const r = await ctx.db.collection(JOBS).where({ _id: job._id, state: 'done' }).update({ state: 'expired', fileId: null, updatedAt: ctx.now() })
    report.expired += r.updated ? 1 : 0
  }
  return report
}
