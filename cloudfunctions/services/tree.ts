import { parse } from 'csv-parse/sync'
import iconv from 'iconv-lite'
import {
  escapeRegExp,
  allocateChildCodes,
  AppError,
  assertMovable,
  childLevelFor,
  createNodeEntry,
  CSV_TEMPLATE_HINT,
  effectiveHotline,
  grantsCovering,
  GRID_LEVELS,
  LEVEL_LABEL,
  highestChildSeq,
  importBatches,
  importEntry,
  missingImportCounters,
  moveNodeEntry,
  ORDERABLE_LEVELS,
  placeNames,
  planImport,
  readImportHeader,
  movedNode,
  type PendingMove,
  setActiveEntry,
  STAFF_ROLES,
  staffGrants,
  toGridNodeView,
  updateNodeEntry,
  mayEditTree,
  requireImporter,
  requireTreeAdmin,
  validateImportRows,
  type CreateNodeInput,
  type GridNode,
  type GridNodeView,
  type GridOption,
  type ImportCsvInput,
  type ImportReport,
  type TreeView,
  type UpdateNodeInput,
} from '../../src/core'
import type { Db, Deps } from '../shared/context'
import { subtreeOf } from './gridQueries'
import { isDuplicateKey, notFound } from '../shared/errors'
import { auditContext, recordAudit } from './audit'
import { finishMove, finishMoveOf } from './moves'

// The grid tree's administration (county / township administrators, within their subtree).
// Rules live in src/core/tree.ts; this file does the I/O, counting round trips.

const grids = (db: Db) => db.collection('grids')

export async function loadNode(db: Db, id: string): Promise<GridNode | undefined> {
  return (await grids(db).doc(id).get()).data[0] as GridNode | undefined
}

async function mustLoad(db: Db, id: string, what = '节点'): Promise<GridNode> {
  const n = await loadNode(db, id)
  if (!n) throw notFound(what)
  return n
}

/** The nodes on `path` (ancestors and the node itself), one round trip. */
export async function nodesOn(db: Db, path: readonly string[]): Promise<GridNode[]> {
  if (path.length === 0) return []
  const res = await grids(db).where({ _id: db.command.in([...path]) }).limit(path.length).get()
  return res.data as GridNode[]
}

function viewOf(node: GridNode, chain: readonly GridNode[]): GridNodeView {
  return toGridNodeView(node, effectiveHotline(node.path.slice(0, -1), chain))
}

const rootOf = (chain: readonly GridNode[]) => chain.find((n) => n.parentId === null)

/**
 * The highest sequence allocated under `parent`, deriving it once from its children's codes
 * for nodes that have no counter yet (seeds). One round trip when deriving, none otherwise.
 */
async function currentSeq(db: Db, parent: GridNode): Promise<number> {
  if (parent.childSeq !== undefined) return parent.childSeq
  const res = await grids(db).where({ parentId: parent._id }).field({ code: true, formerCodes: true }).limit(100).get()
  return highestChildSeq(parent, (res.data as GridNode[]).flatMap((c) => [c.code, ...(c.formerCodes ?? [])]))
}

/** Compare-and-set the parent's counter from `from` (undefined: never set) to `to`. */
async function casSeq(db: Db, id: string, from: number | undefined, to: number): Promise<boolean> {
  const _ = db.command
  const res = await grids(db)
    .where({ _id: id, childSeq: from === undefined ? _.exists(false) : from })
    .update({ childSeq: to })
  return res.updated === 1
}

/**
 * Allocate `count` fresh child codes under `parent` (never reused): CAS on its counter,
 * re-reading and retrying when someone else allocated meanwhile. Usually one round trip.
 */
async function allocate(db: Db, parent: GridNode, count: number): Promise<string[]> {
  let p = parent
  for (let attempt = 0; attempt < 8; attempt++) {
    const highest = await currentSeq(db, p)
    const codes = allocateChildCodes(p, highest, count)
    if (await casSeq(db, p._id, p.childSeq, highest + count)) return codes
    p = await mustLoad(db, p._id, '上级节点')
  }
  throw new AppError('CONFLICT', '同时修改的人太多，请稍后重试')
}

/** Refuses a sibling of the same name; returns the sibling when it was made by `requestId` (a retried create). */
async function assertNoSibling(db: Db, parentId: string, name: string, exceptId?: string, requestId?: string): Promise<GridNode | null> {
  const _ = db.command
  const res = await grids(db)
    .where({ parentId, name, ...(exceptId ? { _id: _.neq(exceptId) } : {}) })
    .limit(1)
    .get()
  const same = (res.data as (GridNode & { requestId?: string })[])[0]
  if (!same) return null
  if (requestId && same.requestId === requestId) return same
  throw new AppError('CONFLICT', `同一上级下已有名为「${name}」的节点，请换个名称`)
}

/**
 * grid.tree — a node with its ancestors and children, or (no nodeId) the caller's own staff nodes.
 * Round trips: caller + node (1), ancestors + children (1).
 */
export async function tree(deps: Deps, input: { nodeId?: string; includeInactive?: boolean }): Promise<TreeView> {
  const { db } = deps
  const includeInactive = input.includeInactive ?? true
  if (!input.nodeId) {
    const caller = await deps.caller()
    const ids = [...new Set(staffGrants(caller).map((g) => g.nodeId))]
    if (ids.length === 0) throw new AppError('FORBIDDEN', '只有文明实践站（所）工作人员可以查看网格树')
    const nodes = (await grids(db).where({ _id: db.command.in(ids) }).limit(ids.length).get()).data as GridNode[]
    const chain = await nodesOn(db, [...new Set(nodes.flatMap((n) => n.path))])
    const root = rootOf(chain)
    return {
      node: null,
      ancestors: [],
      children: nodes.sort((a, b) => (a.code < b.code ? -1 : 1)).map((n) => viewOf(n, chain)),
      canEdit: nodes.some((n) => mayEditTree(caller, n.path)),
      maxLevel: root?.maxLevel ?? 'micro',
    }
  }
  const [caller, node] = await Promise.all([deps.caller(), loadNode(db, input.nodeId)])
  if (!node) throw notFound('节点')
  if (grantsCovering(caller, STAFF_ROLES, node.path).length === 0) throw new AppError('FORBIDDEN', '无权查看该区域的网格')
  const [chain, kids] = await Promise.all([
    nodesOn(db, node.path.slice(0, -1)),
    grids(db)
      .where({ parentId: node._id, ...(includeInactive ? {} : { active: true }) })
      .orderBy('code', 'asc')
      .limit(100)
      .get(),
  ])
  const all = [...chain, node]
  const nodeView = viewOf(node, all)
  const byId = new Map(chain.map((n) => [n._id, n]))
  return {
    node: nodeView,
    ancestors: node.path.slice(0, -1).flatMap((id) => {
      const a = byId.get(id)
      return a ? [{ id: a._id, code: a.code, name: a.name }] : []
    }),
    children: (kids.data as GridNode[]).map((c) => toGridNodeView(c, nodeView.effectiveHotline)),
    canEdit: mayEditTree(caller, node.path),
    maxLevel: rootOf(all)?.maxLevel ?? 'micro',
  }
}

/**
 * grid.create — a new child with the next never-used code of its parent.
 * Round trips: caller + parent (1), ancestors + name check (1), counter CAS (1), insert (1), audit entry (1).
 */
export async function createNode(deps: Deps, input: CreateNodeInput): Promise<GridNodeView> {
  const { db } = deps
  const [caller, parent] = await Promise.all([deps.caller(), loadNode(db, input.parentId)])
  if (!parent) throw notFound('上级节点')
  requireTreeAdmin(caller, parent.path)
  if (!parent.active) throw new AppError('VALIDATION', `「${parent.name}」已停用，请先启用再添加下级`)
  const [chain, retried] = await Promise.all([nodesOn(db, parent.path), assertNoSibling(db, parent._id, input.name, undefined, input.requestId)])
  if (retried) return viewOf(retried, chain)
  const level = childLevelFor(parent, rootOf(chain)?.maxLevel)
  for (let attempt = 0; attempt < 3; attempt++) {
    const [code] = await allocate(db, attempt === 0 ? parent : await mustLoad(db, parent._id, '上级节点'), 1)
    const _id = `g_${code}`
    const node: GridNode = {
      _id,
      code,
      name: input.name,
      level,
      parentId: parent._id,
      path: [...parent.path, _id],
      pathNames: [...parent.pathNames, input.name],
      active: true,
      childSeq: 0,
      ...(input.hotline ? { hotline: input.hotline } : {}),
      ...(input.leaderName ? { leaderName: input.leaderName } : {}),
      ...(input.requestId ? { requestId: input.requestId } : {}),
    }
    try {
      await grids(db).add(node)
      await recordAudit(db, createNodeEntry(auditContext(caller, parent.path, deps.now()), node, parent.name))
      return viewOf(node, chain)
    } catch (e) {
      // the unique code index is the backstop: a code taken outside the counter → allocate the next one
      if (!isDuplicateKey(e)) throw e
    }
  }
  throw new AppError('CONFLICT', '编码分配冲突，请稍后重试')
}

/**
 * grid.update — rename (the subtree's pathNames follow), own hotline (null: inherit), leader.
 * Round trips: caller + node (1), ancestors + name check (1), writes in parallel (1), audit entry (1, none when nothing changed).
 */
export async function updateNode(deps: Deps, input: UpdateNodeInput): Promise<GridNodeView> {
  const { db } = deps
  const _ = db.command
  const [caller, node] = await Promise.all([deps.caller(), loadNode(db, input.id)])
  if (!node) throw notFound('节点')
  requireTreeAdmin(caller, node.path)
  const rename = input.name !== undefined && input.name !== node.name
  const [chain] = await Promise.all([
    nodesOn(db, node.path.slice(0, -1)),
    rename && node.parentId ? assertNoSibling(db, node.parentId, input.name!, node._id) : null,
  ])
  const patch: Record<string, unknown> = {}
  const next: GridNode = { ...node }
  if (rename) {
    patch.name = next.name = input.name!
    next.pathNames = [...node.pathNames.slice(0, -1), input.name!]
  }
  if (input.hotline !== undefined) {
    patch.hotline = input.hotline === null ? _.remove() : input.hotline
    if (input.hotline === null) delete next.hotline
    else next.hotline = input.hotline
  }
  if (input.leaderName !== undefined) {
    patch.leaderName = input.leaderName === null ? _.remove() : input.leaderName
    if (input.leaderName === null) delete next.leaderName
    else next.leaderName = input.leaderName
  }
  if (input.maxLevel !== undefined && input.maxLevel !== (node.maxLevel ?? 'micro')) {
    if (node.parentId !== null) throw new AppError('VALIDATION', '最深层级只能在县级根节点设置')
    if (grantsCovering(caller, ['county'], node.path).length === 0) throw new AppError('FORBIDDEN', '只有县级管理员可以设置网格层级')
    const deeper = GRID_LEVELS.slice(GRID_LEVELS.indexOf(input.maxLevel) + 1)
    const below = await grids(db).where({ path: node._id, level: _.in(deeper) }).limit(1).get()
    if (below.data.length) {
      throw new AppError('VALIDATION', `已有「${LEVEL_LABEL[(below.data[0] as GridNode).level]}」，不能把最深层级改为「${LEVEL_LABEL[input.maxLevel]}」；请先停用并移走更深的节点`)
    }
    patch.maxLevel = next.maxLevel = input.maxLevel
  }
  const writes: Promise<unknown>[] = []
  if (Object.keys(patch).length) writes.push(grids(db).doc(node._id).update(patch))
  // every node of the subtree carries this node's name at the same depth of pathNames
  if (rename) writes.push(grids(db).where({ path: node._id }).update({ [`pathNames.${node.path.length - 1}`]: input.name }))
  await Promise.all(writes)
  const editable = (n: GridNode) => ({ name: n.name, hotline: n.hotline ?? null, leaderName: n.leaderName ?? null, maxLevel: n.maxLevel ?? null })
  await recordAudit(db, updateNodeEntry(auditContext(caller, node.path, deps.now()), node._id, editable(node), editable(next)))
  return viewOf(next, chain)
}

/**
 * grid.setActive — deactivating cascades to the whole subtree; reactivating restores only
 * the node itself, and only under an active parent.
 * Round trips: caller + node (1), (reactivate: parent) + ancestors (1), the write (1), audit entry (1).
 */
export async function setNodeActive(deps: Deps, input: { id: string; active: boolean }): Promise<GridNodeView> {
  const { db } = deps
  const [caller, node] = await Promise.all([deps.caller(), loadNode(db, input.id)])
  if (!node) throw notFound('节点')
  requireTreeAdmin(caller, node.path)
  if (!node.parentId) throw new AppError('VALIDATION', '县级根节点不能停用或启用')
  const chain = await nodesOn(db, node.path.slice(0, -1))
  if (input.active) {
    const parent = chain.find((n) => n._id === node.parentId)
    if (!parent?.active) throw new AppError('VALIDATION', `上级「${parent?.name ?? ''}」已停用，请先启用上级`)
    if (!node.active) await grids(db).doc(node._id).update({ active: true })
  } else {
    await grids(db).where({ path: node._id }).update({ active: false })
  }
  // an inactive node's subtree is inactive (reactivating needs an active parent): nothing changed then
  if (node.active !== input.active) await recordAudit(db, setActiveEntry(auditContext(caller, node.path, deps.now()), node, input.active))
  return viewOf({ ...node, active: input.active }, chain)
}

/**
 * grid.move — under a new parent one level up. The node keeps its _id and gets a fresh code
 * from the new parent; its subtree is recoded (prefix replaced), path/pathNames rebased and
 * old codes kept in formerCodes so old signboards still resolve.
 *
 * Not atomic, but never stuck half-done: the claim (a compare-and-set on the node) records
 * the move on the node itself, and finishMove does the rest in idempotent steps keyed off
 * that record. A crash anywhere after the claim is finished by whoever comes next: the same
 * move retried, any move whose node, new parent or subtree is involved, or the sweep.
 * Round trips: caller + both nodes (1), both chains + subtree (1), for seed parents without a
 * counter: setting the old parent's (1–2) and deriving the new one's (1), CAS (1), the claim and
 * its audit entry (2), then finishMove.
 */
export async function moveNode(deps: Deps, input: { id: string; parentId: string }): Promise<GridNodeView> {
  const { db } = deps
  const _ = db.command
  for (let round = 0; ; round++) {
    const [caller, found] = await Promise.all([deps.caller(), grids(db).where({ _id: _.in([input.id, input.parentId]) }).limit(2).get()])
    const docs = found.data as GridNode[]
    const node = docs.find((d) => d._id === input.id)
    const newParent = docs.find((d) => d._id === input.parentId)
    if (!node) throw notFound('节点')
    if (!newParent) throw notFound('目标上级')
    if (!node.parentId) throw new AppError('VALIDATION', '县级根节点不能移动')
    requireTreeAdmin(caller, node.path.slice(0, -1))
    requireTreeAdmin(caller, newParent.path)

    const [chain, subtree] = await Promise.all([nodesOn(db, [...new Set([...node.path, ...newParent.path])]), subtreeOf(db, node._id)])
    // an unfinished move above or below (this one retried, or another): its paths may be stale, so
    // finish it (ancestors first), then look again — the permission checks too
    const pending = [...new Map([...chain, ...subtree].filter((n) => n.move).map((n) => [n._id, n])).values()]
    if (pending.length) {
      if (round >= 3) throw new AppError('CONFLICT', '网格树正在调整，请稍后重试')
      for (const p of pending.sort((a, b) => a.path.length - b.path.length)) await finishMoveOf(deps, p._id)
      continue
    }
    const parentChain = chain.filter((n) => newParent.path.includes(n._id))
    // already there: a retried move whose answer was lost (or nothing to do)
    if (node.parentId === newParent._id) return viewOf(node, parentChain)
    assertMovable(node, newParent)

    const oldParent = chain.find((n) => n._id === node.parentId)
    // the old parent's counter must exist before the code leaves it, or a later derivation could reuse it
    if (oldParent && oldParent.childSeq === undefined) {
      await casSeq(db, oldParent._id, undefined, await currentSeq(db, oldParent))
    }
    const [code] = await allocate(db, newParent, 1)
    const at = deps.now()
    const move: PendingMove = { id: `mv_${at.getTime().toString(36)}_${Math.random().toString(36).slice(2, 8)}`, fromCode: node.code, fromParentId: node.parentId, toParentId: newParent._id, at }
    const me = movedNode(node, newParent, code, move)
    // the node itself first, compare-and-set on where it was: of two moves at once, one wins
    const claimed = await grids(db)
      .where({ _id: node._id, code: node.code, parentId: node.parentId, move: _.exists(false) })
      .update({ code: me.code, path: me.path, pathNames: me.pathNames, formerCodes: me.formerCodes, parentId: me.parentId, move: _.set(move) })
    if (!claimed.updated) throw new AppError('CONFLICT', `「${node.name}」刚被其他人移动或修改，请刷新后重试`)
    // recorded once the move is decided (the claim), before the subtree follows
    await recordAudit(
      db,
      moveNodeEntry(
        auditContext(caller, node.path, at),
        node,
        { parentId: node.parentId, parentName: oldParent?.name ?? '', code: node.code },
        { parentId: newParent._id, parentName: newParent.name, code: me.code },
      ),
    )
    deps.faults?.at('move.claimed')
    return viewOf(await finishMove(deps, { ...node, ...me }), parentChain)
  }
}

/**
 * grid.search — active grids (signboard levels) in the caller's subtree whose name contains q
 * or whose code starts with it; `anyLevel` (the tree's search box): nodes of every level,
 * deactivated ones too. Round trips: caller (1), one query on the path index (1).
 */
export async function searchGrids(deps: Deps, input: { q: string; limit: number; anyLevel?: boolean }): Promise<GridOption[]> {
  const { db } = deps
  const _ = db.command
  const caller = await deps.caller()
  const scope = [...new Set(staffGrants(caller).map((g) => g.nodeId))]
  if (scope.length === 0) throw new AppError('FORBIDDEN', '只有文明实践站（所）工作人员可以搜索网格')
  const esc = escapeRegExp(input.q)
  const res = await grids(db)
    .where(
      _.and([
        input.anyLevel ? { path: _.in(scope) } : { path: _.in(scope), level: _.in([...ORDERABLE_LEVELS]), active: true },
        _.or([{ name: db.RegExp({ regexp: esc, options: 'i' }) }, { code: db.RegExp({ regexp: `^${esc.toUpperCase()}` }) }]),
      ]),
    )
    .orderBy('code', 'asc')
    .limit(input.limit)
    .field({ code: true, name: true, level: true, pathNames: true, active: true })
    .get()
  return (res.data as GridNode[]).map((g) => ({ id: g._id, code: g.code, name: g.name, level: g.level, ...placeNames(g), active: g.active }))
}

/**
 * A spreadsheet's bytes as text: UTF-8 when they are valid UTF-8 (BOM or not), else GB18030
 * (a superset of GBK: what Excel writes as "CSV" on Chinese Windows).
 */
export function csvText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return iconv.decode(bytes, 'gb18030')
  }
}

/** Records of a CSV text with their 1-based line numbers (header = line 1). */
function parseCsv(csv: string): { line: number; cells: string[] }[] {
  const out = parse(csv, { bom: true, info: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true }) as unknown as {
    record: string[]
    info: { lines: number }
  }[]
  return out.map((r) => ({ line: r.info.lines, cells: r.record }))
}

/**
 * grid.importCsv — the tree from a spreadsheet (county administrators at the county root,
 * township administrators at their township: requireImporter). Everything is validated first; any bad row → nothing written and every error reported. Otherwise the
 * new nodes are inserted batch by batch tagged with an importId, each after the counters of
 * the existing parents it needs (CAS); the new parents' counters are set last. A failed batch
 * removes what this run wrote; a run killed between batches is completed by importing the same
 * file again (existing nodes are matched by name under their parent, never duplicated, and the
 * missing ones get the codes the first run planned).
 * Round trips: caller + parent (1), the county root at a township (1), the subtree (1–2), per batch of 500: CAS per parent (1, parallel) and the insert (1), counters (1 per 50 new parents), audit entry (1).
 */
export async function importCsv(deps: Deps, input: ImportCsvInput): Promise<ImportReport> {
  const t0 = Date.now()
  const { db } = deps
  const dryRun = input.dryRun ?? false
  const [caller, root] = await Promise.all([deps.caller(), loadNode(db, input.parentId)])
  if (!root) throw notFound('导入位置')
  requireImporter(caller, root)
  // the county's depth (maxLevel) is kept on its root
  const county = root.level === 'county' ? root : await loadNode(db, root.path[0])
  const maxLevel = county?.maxLevel ?? 'micro'
  const report = (over: Partial<ImportReport>): ImportReport => ({ dryRun, rows: 0, created: 0, existing: 0, errors: [], ms: Date.now() - t0, ...over })

  let records: { line: number; cells: string[] }[]
  try {
    records = parseCsv(input.csv ?? csvText(Buffer.from(input.csvBase64 ?? '', 'base64')))
  } catch (e) {
    const line = Number((e as { lines?: number }).lines) || 1
    return report({ errors: [{ line, reason: `CSV 格式有误（如引号不成对），请用表格软件另存为 CSV 后重试` }] })
  }
  const cols = records.length ? readImportHeader(records[0].cells) : null
  if (!cols) return report({ errors: [{ line: records[0]?.line ?? 1, reason: CSV_TEMPLATE_HINT }] })
  const { rows, errors, read } = validateImportRows(records.slice(1), cols, maxLevel)
  if (read === 0) return report({ errors: [{ line: 1, reason: '文件只有表头，没有数据行' }] })
  if (errors.length) return report({ rows: read, errors })

  const existingNodes = await subtreeOf(db, root._id)
  const plan = planImport(
    existingNodes.find((n) => n._id === root._id) ?? root,
    existingNodes.filter((n) => n._id !== root._id),
    rows,
    maxLevel,
  )
  if (plan.errors.length) return report({ rows: read, existing: plan.existing, errors: plan.errors })
  if (dryRun) return report({ rows: read, created: plan.docs.length, existing: plan.existing })

  // one batch after the other, parents first: a crash between two leaves nodes whose
  // parents exist, which a re-run of the same file finds by name and completes (importBatches)
  const importId = `imp_${t0.toString(36)}_${Math.random().toString(36).slice(2, 8)}`
  const { batches, counters } = importBatches(plan, 500)
  for (let i = 0; i < batches.length; i++) {
    if (i > 0) deps.faults?.at('import.batch')
    try {
      const moved = await Promise.all(batches[i].seqUpdates.map((u) => casSeq(db, u.id, u.from, u.to)))
      // a lost CAS only leaves unused sequence numbers behind (codes are never reused anyway)
      if (moved.includes(false)) throw new AppError('CONFLICT', '导入时网格树被他人同时修改，请重新导入')
      await grids(db).add(batches[i].docs.map((d) => ({ ...d, importId })))
    } catch (e) {
      // a failure the function lives through: what this run inserted goes again
      await grids(db).where({ importId }).remove()
      if (e instanceof AppError) throw e
      if (isDuplicateKey(e)) throw new AppError('CONFLICT', '导入时编码冲突（网格树被他人同时修改），已撤销本次导入，请重新导入')
      throw new AppError('INTERNAL', '写入中断，已撤销本次导入，请重试')
    }
  }
  deps.faults?.at('import.inserted')
  // the new parents' counters, and those an interrupted earlier run left unset (never lowered: only where unset)
  const _ = db.command
  const unset = [...counters, ...missingImportCounters(existingNodes)]
  for (let i = 0; i < unset.length; i += 50) {
    await Promise.all(unset.slice(i, i + 50).map((c) => grids(db).where({ _id: c.id, childSeq: _.exists(false) }).update({ childSeq: c.to })))
  }
  if (plan.docs.length) {
    await recordAudit(db, importEntry(auditContext(caller, root.path, deps.now()), root, { rows: read, created: plan.docs.length, existing: plan.existing }))
  }
  return report({ rows: read, created: plan.docs.length, existing: plan.existing })
}
