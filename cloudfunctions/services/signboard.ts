import {
  AppError,
  STAFF_ROLES,
  placeNames,
  requireScope,
  toLocal,
  type GridNode,
  type JobView,
  type SignboardResult,
  type Team,
  type User,
} from '../../src/core'
import type { Db, Deps } from '../shared/context'
import { isDuplicateKey, notFound, unauthenticated } from '../shared/errors'
import { openSignboardPdf, MAX_SERVICES, type SignboardPage } from '../shared/pdf'
import { activeServices } from './grid'
import { gridsWhere, PAGE } from './gridQueries'

/** The page the signboard code opens (mini-program path; the H5 route is the same). */
export const SCAN_PAGE = 'pages/scan/index'
/** Grids per progress write and per batch of codes fetched in parallel. */
const STEP = 10
/** CloudBase returns at most 1000 documents per get. */
/** ids per `_.in` query */
const IN_CHUNK = 100

type JobDoc = {
  _id: string
  owner: string
  nodeId?: string
  status: JobView['status']
  done: number
  total: number
  message?: string
  /** a finished job's PDF: a retried call (answer lost) gets it again instead of a second run */
  result?: Omit<SignboardResult, 'url' | 'ms'>
  createdAt: Date
  updatedAt?: Date
}

async function inChunks<T>(ids: readonly string[], load: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const chunks: string[][] = []
  for (let i = 0; i < ids.length; i += IN_CHUNK) chunks.push(ids.slice(i, i + IN_CHUNK))
  return (await Promise.all(chunks.map(load))).flat()
}

/**
 * The grids a signboard batch prints, and every node above them up to the county
 * (for hotlines and inactive ancestors). A grid or micro-grid prints itself; a
 * village / township / county prints its active basic grids (not micro-grids).
 * Round trips: ancestors (1) + intermediate levels (1) + grids (1 per 1000).
 */
async function batchOf(db: Db, node: GridNode): Promise<{ grids: GridNode[]; nodes: Map<string, GridNode> }> {
  const _ = db.command
  const nodes = new Map<string, GridNode>([[node._id, node]])
  if (node.level === 'grid' || node.level === 'micro') {
    if (!node.active) throw new AppError('GRID_INACTIVE', `网格「${node.name}」已停用，不能生成标识牌`)
    const ancestors = await db.collection('grids').where({ _id: _.in(node.path) }).limit(PAGE).get()
    for (const a of ancestors.data as GridNode[]) nodes.set(a._id, a)
    return { grids: [node], nodes }
  }
  const [ancestors, between, grids] = await Promise.all([
    db.collection('grids').where({ _id: _.in(node.path) }).limit(PAGE).get(),
    node.level === 'village' ? Promise.resolve([] as GridNode[]) : gridsWhere(db, { path: node._id, level: _.in(['township', 'village']) }),
    gridsWhere(db, { path: node._id, level: 'grid', active: true }),
  ])
  for (const n of [...(ancestors.data as GridNode[]), ...between]) nodes.set(n._id, n)
  // a grid under a deactivated village (or township) is out of service too
  const live = grids.filter((g) => g.path.every((id) => nodes.get(id)?.active !== false))
  return { grids: live, nodes }
}

/** Own hotline or the nearest ancestor's. */
function hotlineOf(grid: GridNode, nodes: Map<string, GridNode>): string | null {
  for (let i = grid.path.length - 1; i >= 0; i--) {
    const n = i === grid.path.length - 1 ? grid : nodes.get(grid.path[i])
    if (n?.hotline) return n.hotline
  }
  return null
}

/**
 * Leaders for grids without a leaderName: the captain of a team covering the grid
 * (or, for a micro-grid, its basic grid). Round trips: teams (1 per 100 grids) + captains (1 per 100).
 */
async function captainsFor(db: Db, grids: readonly GridNode[]): Promise<Map<string, string>> {
  const _ = db.command
  const need = grids.filter((g) => !g.leaderName)
  if (need.length === 0) return new Map()
  const keys = [...new Set(need.flatMap((g) => (g.level === 'micro' && g.parentId ? [g._id, g.parentId] : [g._id])))]
  const teams = await inChunks(keys, async (ids) => (await db.collection('teams').where({ gridIds: _.in(ids) }).limit(PAGE).get()).data as Team[])
  const captainIds = [...new Set(teams.map((t) => t.captainId).filter((c): c is string => !!c))]
  const users = await inChunks(
    captainIds,
    async (ids) => (await db.collection('users').where({ _id: _.in(ids) }).field({ name: true }).limit(PAGE).get()).data as Pick<User, '_id' | 'name'>[],
  )
  const names = new Map(users.map((u) => [u._id, u.name]))
  const byGrid = new Map<string, string>()
  // teams in a stable order: the one named first wins when several cover a grid
  for (const t of [...teams].sort((a, b) => a._id.localeCompare(b._id))) {
    const name = t.captainId ? names.get(t.captainId) : undefined
    if (!name) continue
    for (const id of t.gridIds) if (!byGrid.has(id)) byGrid.set(id, name)
  }
  const out = new Map<string, string>()
  for (const g of need) {
    const name = byGrid.get(g._id) ?? (g.level === 'micro' && g.parentId ? byGrid.get(g.parentId) : undefined)
    if (name) out.set(g._id, name)
  }
  return out
}

/**
 * Signboards for a grid, or every active basic grid under a village / township /
 * county: one A4 page each, uploaded to storage as one PDF. Staff whose grant covers
 * the node. The client polls `progress` with its jobId while this runs.
 * Round trips: node + caller (1), the batch (≈3), leaders (≤2), the job insert (1),
 * a progress write per 10 grids, the upload + temp URL (2), the final job write (1);
 * plus one code per grid from the WeChat port (cloud: cached in storage).
 */
export async function generateSignboards(deps: Deps, input: { nodeId: string; jobId: string }): Promise<SignboardResult> {
  const { db, openId } = deps
  if (!openId) throw unauthenticated()
  const t0 = Date.now()
  const [nodeRes, caller] = await Promise.all([db.collection('grids').doc(input.nodeId).get(), deps.caller()])
  const node = (nodeRes.data as GridNode[])[0]
  if (!node) throw notFound('网格')
  requireScope(caller, STAFF_ROLES, node.path)

  const { grids, nodes } = await batchOf(db, node)
  if (grids.length === 0) throw new AppError('VALIDATION', `「${node.name}」下没有启用的网格，无需生成标识牌`)
  const [leaders, services] = await Promise.all([captainsFor(db, grids), activeServices(db, deps.now())])
  // the live catalogue; emergency services are phoned (119, 120…), not ordered by scanning
  const serviceNames = services.filter((s) => !s.emergency).slice(0, MAX_SERVICES).map((s) => s.name)

  const jobs = db.collection('jobs')
  const job: JobDoc = { _id: input.jobId, owner: openId, nodeId: node._id, status: 'running', done: 0, total: grids.length, createdAt: deps.now() }
  try {
    await jobs.add(job)
  } catch (e) {
    if (!isDuplicateKey(e)) throw e
    return resultOfRetry(deps, input, t0)
  }

  try {
    const pdf = openSignboardPdf({ title: `${node.name} 网格服务标识牌` })
    for (let i = 0; i < grids.length; i += STEP) {
      const step = grids.slice(i, i + STEP)
      const images = await Promise.all(step.map((g) => deps.wechat.miniCode(g.code, SCAN_PAGE, deps.publicUrl)))
      step.forEach((g, k) => pdf.add(pageFor(g, nodes, leaders, serviceNames, images[k])))
      const done = Math.min(i + STEP, grids.length)
      if (done < grids.length) await jobs.doc(input.jobId).update({ done, updatedAt: deps.now() })
    }
    const bytes = await pdf.finish()

    const cloudPath = `signboards/${node.code}-${toLocal(deps.now()).format('YYYYMMDDHHmm')}.pdf`
    const fileId = await deps.files.upload(cloudPath, bytes)
    const url = (await deps.files.tempUrls([fileId])).get(fileId)
    if (!url) throw new AppError('INTERNAL', '标识牌已生成，但下载地址获取失败，请重试')
    const result = { fileId, pages: pdf.pages, bytes: bytes.length, fileName: `${node.name}-网格标识牌.pdf` }
    await jobs.doc(input.jobId).update({ status: 'done', done: grids.length, message: `已生成 ${grids.length} 张标识牌`, result, updatedAt: deps.now() })
    return { ...result, url, ms: Date.now() - t0 }
  } catch (e) {
    const why = e instanceof AppError ? e.message : '服务器开小差了，请稍后重试'
    await jobs
      .doc(input.jobId)
      .update({ status: 'failed', message: `生成失败：${why}`, updatedAt: deps.now() })
      .catch((err: unknown) => console.error('[signboard] could not mark the job failed', err))
    throw e
  }
}

/** The same jobId again: the caller's finished job answers with its PDF; anything else is refused. */
async function resultOfRetry(deps: Deps, input: { nodeId: string; jobId: string }, t0: number): Promise<SignboardResult> {
  const job = ((await deps.db.collection('jobs').doc(input.jobId).get()).data as JobDoc[])[0]
  if (!job || job.owner !== deps.openId || job.nodeId !== input.nodeId) throw new AppError('CONFLICT', '任务编号已被使用，请重新生成')
  if (job.status === 'running') throw new AppError('CONFLICT', '标识牌正在生成，请稍候查看进度')
  if (job.status !== 'done' || !job.result) throw new AppError('CONFLICT', job.message ?? '上次生成没有成功，请重新生成')
  const url = (await deps.files.tempUrls([job.result.fileId])).get(job.result.fileId)
  if (!url) throw new AppError('INTERNAL', '标识牌文件已失效，请重新生成')
  return { ...job.result, url, ms: Date.now() - t0 }
}

function pageFor(g: GridNode, nodes: Map<string, GridNode>, leaders: Map<string, string>, services: string[], codeImage: Buffer): SignboardPage {
  return {
    code: g.code,
    name: g.name,
    ...placeNames(g),
    hotline: hotlineOf(g, nodes),
    leaderName: g.leaderName || leaders.get(g._id) || null,
    services,
    codeImage,
  }
}

/** A signboard job's progress: its owner only. One round trip. */
export async function signboardProgress(deps: Deps, { jobId }: { jobId: string }): Promise<JobView> {
  if (!deps.openId) throw unauthenticated()
  const job = ((await deps.db.collection('jobs').doc(jobId).get()).data as JobDoc[])[0]
  if (!job) throw notFound('任务')
  if (job.owner !== deps.openId) throw new AppError('FORBIDDEN', '只能查看自己发起的任务')
  return { id: job._id, status: job.status, done: job.done, total: job.total, message: job.message ?? null }
}
