import { z } from 'zod'
import { AppError } from './errors'
import { CHILD_SEQ_MAX, childCode, GRID_LEVELS, parentCodeOf, placeNames, type GridLevel } from './grid'
import { idSchema, STAFF_ROLES, type GridNode, type PendingMove, type StaffRole } from './schemas'

// Managing the grid tree (county and township administrators, within their subtree).
// Pure rules live here; cloudfunctions/services/tree.ts does the I/O.

export const nodeNameSchema = z
  .string({ error: '请填写名称' })
  .trim()
  .min(1, '名称不能为空')
  .max(40, '名称不能超过40字')
  .regex(/^[^,，\n\r"]+$/, '名称不能包含逗号、引号或换行')

/** A hotline: mobile, landline with area code, or a short service number (e.g. 12345). */
export const hotlineSchema = z
  .string({ error: '请填写服务热线' })
  .trim()
  .regex(/^(1\d{10}|0\d{2,3}-?\d{7,8}|\d{5,6})$/, '热线号码格式不正确，如 0354-1234567、13800001111 或 12345')

export const personNameSchema = z.string().trim().min(1, '姓名不能为空').max(20, '姓名不能超过20字')

export const treeInput = z.object({
  /** the node to open; absent: the caller's own staff nodes */
  nodeId: idSchema.optional(),
  /** also list deactivated children */
  includeInactive: z.boolean().default(true),
})
export const createNodeInput = z.object({
  parentId: idSchema,
  name: nodeNameSchema,
  hotline: hotlineSchema.optional(),
  leaderName: personNameSchema.optional(),
  /** client-made id: a retried create (answer lost) returns the node it made instead of a name clash */
  requestId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '请求编号格式不正确').optional(),
})
export const updateNodeInput = z.object({
  id: idSchema,
  name: nodeNameSchema.optional(),
  /** null clears it: the node then inherits its parent's hotline */
  hotline: hotlineSchema.nullable().optional(),
  leaderName: personNameSchema.nullable().optional(),
  /** county root only: the deepest level the county uses (village, grid or micro-grid) */
  maxLevel: z.enum(['village', 'grid', 'micro'], { error: '最深层级只能是村（社区）、网格或微网格' }).optional(),
})
export const moveNodeInput = z.object({ id: idSchema, parentId: idSchema })
export const setActiveInput = z.object({ id: idSchema, active: z.boolean() })
/** Grids (signboard levels) in the caller's subtree whose name or code contains `q` (hotline entry, pickers). */
export const searchGridsInput = z.object({
  q: z.string().trim().min(1, '请输入网格名称或编码').max(20, '搜索词过长'),
  limit: z.number().int().min(1).max(50).default(20),
  /** the tree's search: nodes of every level, deactivated ones too */
  anyLevel: z.boolean().default(false),
})
/** CSV columns: 乡镇,村(社区),网格,微网格,服务热线,网格长 (header row required; see core/tree CSV_COLUMNS). */
export const importCsvInput = z.object({
  /** the node the rows hang under (usually the county) */
  parentId: idSchema,
  /** the file as text … */
  csv: z.string().min(1, '文件是空的').max(2_000_000, '文件过大（不超过2MB）').optional(),
  /** … or its bytes, base64: UTF-8 or GBK/GB18030 (Excel's "CSV" on Chinese Windows), detected by the server */
  csvBase64: z.string().min(1, '文件是空的').max(2_800_000, '文件过大（不超过2MB）').optional(),
  /** validate and report only, write nothing */
  dryRun: z.boolean().default(false),
}).refine((v) => (v.csv === undefined) !== (v.csvBase64 === undefined), { message: '请选择要导入的表格文件' })
export const grantInput = z.object({ userId: idSchema, role: z.enum(STAFF_ROLES), nodeId: idSchema })
export const staffListInput = z.object({ nodeId: idSchema })
export const userSearchInput = z.object({ q: z.string().trim().min(2, '请输入至少2个字').max(20) })

export type CreateNodeInput = z.infer<typeof createNodeInput>
export type UpdateNodeInput = z.infer<typeof updateNodeInput>
export type ImportCsvInput = z.infer<typeof importCsvInput>

// ---------- signboards ----------
/** One PDF for a grid, or for every active grid under a village / township / county. */
export const signboardInput = z.object({
  nodeId: idSchema,
  /** client-made id; poll `progress` with it while this call runs */
  jobId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '任务编号格式不正确'),
})
export const signboardProgressInput = z.object({ jobId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '任务编号格式不正确') })

// ---------- tree rules (pure) ----------

export const LEVEL_LABEL: Record<GridLevel, string> = { county: '县', township: '乡镇', village: '村（社区）', grid: '网格', micro: '微网格' }

/** The role a staff grant needs at a node of this level (station → village, township → township, county → county). */
export const STAFF_ROLE_LEVEL: Record<StaffRole, GridLevel> = { station: 'village', township: 'township', county: 'county' }

export const levelIndex = (level: GridLevel) => GRID_LEVELS.indexOf(level)

/** The level of a new child of `parent`, or a clear refusal when the county's depth (maxLevel) forbids it. */
export function childLevelFor(parent: Pick<GridNode, 'name' | 'level'>, maxLevel: GridLevel = 'micro'): GridLevel {
  const next = GRID_LEVELS[levelIndex(parent.level) + 1]
  if (!next || levelIndex(next) > levelIndex(maxLevel)) {
    throw new AppError('VALIDATION', `「${parent.name}」是${LEVEL_LABEL[parent.level]}，本县网格最多分到「${LEVEL_LABEL[maxLevel]}」，不能再往下建`)
  }
  return next
}

/** The two-digit sequence of a direct child's code, or null if `code` is not a direct child of `parentCode`. */
export function childSeqOf(parentCode: string, code: string): number | null {
  if (code.length !== parentCode.length + 2 || !code.startsWith(parentCode)) return null
  const n = Number(code.slice(-2))
  return Number.isInteger(n) ? n : null
}

/**
 * Highest sequence ever allocated under a parent: its `childSeq` counter, or — for nodes
 * without one (seeds) — the highest sequence among its children's codes (current and former).
 */
export function highestChildSeq(parent: Pick<GridNode, 'code' | 'childSeq'>, childCodes: readonly string[]): number {
  if (parent.childSeq !== undefined) return parent.childSeq
  let max = 0
  for (const c of childCodes) {
    const s = childSeqOf(parent.code, c)
    if (s !== null && s > max) max = s
  }
  return max
}

/** The next `count` child codes after `highest`; codes are never reused, so exhaustion (99) is final. */
export function allocateChildCodes(parent: Pick<GridNode, 'code' | 'name'>, highest: number, count: number): string[] {
  if (highest + count > CHILD_SEQ_MAX) {
    throw new AppError(
      'CONFLICT',
      `「${parent.name}」下的编码已用完：每一级最多${CHILD_SEQ_MAX}个编号（已用${highest}个，含已停用或迁出的），编码不会重复使用`,
    )
  }
  return Array.from({ length: count }, (_, i) => childCode(parent.code, highest + i + 1))
}

/** Own hotline, else the nearest ancestor's. `chain` holds (at least) the nodes on `path`. */
export function effectiveHotline(path: readonly string[], chain: readonly Pick<GridNode, '_id' | 'hotline'>[]): string | null {
  const byId = new Map(chain.map((n) => [n._id, n]))
  for (let i = path.length - 1; i >= 0; i--) {
    const h = byId.get(path[i])?.hotline
    if (h) return h
  }
  return null
}

/** Refuses a move that would break the tree: under itself / a descendant, or to the wrong level. */
export function assertMovable(node: Pick<GridNode, '_id' | 'name' | 'level' | 'parentId'>, newParent: Pick<GridNode, '_id' | 'name' | 'level' | 'path' | 'active'>) {
  if (newParent.path.includes(node._id)) throw new AppError('VALIDATION', `不能把「${node.name}」移到它自己或它的下级「${newParent.name}」之下`)
  if (node.parentId === newParent._id) throw new AppError('VALIDATION', `「${node.name}」已在「${newParent.name}」之下`)
  if (levelIndex(node.level) !== levelIndex(newParent.level) + 1) {
    throw new AppError('VALIDATION', `「${node.name}」是${LEVEL_LABEL[node.level]}，只能移到${LEVEL_LABEL[GRID_LEVELS[levelIndex(node.level) - 1] ?? 'county']}之下，「${newParent.name}」是${LEVEL_LABEL[newParent.level]}`)
  }
  if (!newParent.active) throw new AppError('VALIDATION', `「${newParent.name}」已停用，不能移入`)
}

/**
 * The moved node's own document under its new parent: a fresh code from the new parent, path
 * and names rebased, the old code kept in `formerCodes` (old signboards still resolve), and
 * the move recorded until its subtree has followed (`subtreeRebase`, `codeAfterMove`).
 */
export function movedNode(
  node: Pick<GridNode, '_id' | 'name' | 'code' | 'formerCodes'>,
  newParent: Pick<GridNode, 'path' | 'pathNames'>,
  newCode: string,
  move: PendingMove,
): Pick<GridNode, 'code' | 'path' | 'pathNames' | 'formerCodes' | 'parentId'> & { move: PendingMove } {
  return {
    code: newCode,
    parentId: move.toParentId,
    path: [...newParent.path, node._id],
    pathNames: [...newParent.pathNames, node.name],
    formerCodes: [...(node.formerCodes ?? []), node.code],
    move,
  }
}

/**
 * What everything below a moved node shares with it: the ancestors above it (a move keeps the
 * depth), as dotted fields of one update — `grids` for the subtree's nodes, `scope` for the
 * orders, registrations and showcases whose scopePath runs through it (with the place names
 * that come from above it). Taken from the node as stored, so repeating it changes nothing.
 */
export function subtreeRebase(node: Pick<GridNode, 'path' | 'pathNames'>): { grids: Record<string, string>; scope: Record<string, string> } {
  const above = node.path.length - 1
  const grids: Record<string, string> = {}
  const scope: Record<string, string> = {}
  for (let i = 0; i < above; i++) {
    grids[`path.${i}`] = scope[`scopePath.${i}`] = node.path[i]
    grids[`pathNames.${i}`] = node.pathNames[i]
  }
  for (const [field, name] of Object.entries(placeNames({ pathNames: node.pathNames.slice(0, above) }))) if (name) scope[field] = name
  return { grids, scope }
}

/** The code a node below a moved one gets (old prefix replaced), or null when it has it already. */
export function codeAfterMove(code: string, move: Pick<PendingMove, 'fromCode'>, newCode: string): string | null {
  return code.startsWith(move.fromCode) ? newCode + code.slice(move.fromCode.length) : null
}

export type GridNodeView = {
  id: string
  code: string
  name: string
  level: string
  parentId: string | null
  active: boolean
  /** the node's own hotline (null: inherits) and the one in effect (own or nearest ancestor's) */
  hotline: string | null
  effectiveHotline: string | null
  leaderName: string | null
  /** names from the county down to this node */
  pathNames: string[]
  /** codes this node had before a move (old signboards still resolve) */
  formerCodes: string[]
}

/** GridNodeView; `inherited` is the effective hotline of the node's parent. */
export function toGridNodeView(n: GridNode, inherited: string | null): GridNodeView {
  return {
    id: n._id,
    code: n.code,
    name: n.name,
    level: n.level,
    parentId: n.parentId,
    active: n.active,
    hotline: n.hotline ?? null,
    effectiveHotline: n.hotline || inherited,
    leaderName: n.leaderName ?? null,
    pathNames: n.pathNames,
    formerCodes: n.formerCodes ?? [],
  }
}

// ---------- CSV import (pure: the service parses the file and does the I/O) ----------

/** The template's header. 村 may also be written 村(社区) / 村（社区） / 社区. */
export const CSV_COLUMNS = ['乡镇', '村(社区)', '网格', '微网格', '服务热线', '网格长'] as const
/** Column key → accepted header spellings (after normalising full-width brackets and spaces). */
const HEADER_ALIASES: Record<'township' | 'village' | 'grid' | 'micro' | 'hotline' | 'leader', string[]> = {
  township: ['乡镇', '乡镇(街道)', '乡(镇)', '乡镇街道'],
  village: ['村', '村(社区)', '社区', '村/社区', '村社区', '行政村'],
  grid: ['网格'],
  micro: ['微网格'],
  hotline: ['服务热线', '热线'],
  leader: ['网格长'],
}
export type ImportColumns = Partial<Record<keyof typeof HEADER_ALIASES, number>>
export const CSV_TEMPLATE_HINT = `无法识别表头，请使用模板：第一行为「${CSV_COLUMNS.join(',')}」（表头须含「乡镇」「村(社区)」两列；文件请存为 UTF-8 编码的 CSV，暂不支持 GBK）`

const normaliseHeader = (s: string) => s.replace(/^\uFEFF/, '').replace(/\s/g, '').replace(/（/g, '(').replace(/）/g, ')')

/** Where each known column is, or null when the header is not the template's. */
export function readImportHeader(cells: readonly string[]): ImportColumns | null {
  const cols: ImportColumns = {}
  cells.forEach((c, i) => {
    const h = normaliseHeader(c)
    for (const [key, names] of Object.entries(HEADER_ALIASES) as [keyof ImportColumns, string[]][]) {
      if (names.includes(h) && cols[key] === undefined) cols[key] = i
    }
  })
  return cols.township === undefined || cols.village === undefined ? null : cols
}

/** One valid data row: the names from the township down, and the hotline and leader of its 网格 (see importOwnerDepth). */
export type ImportRow = { line: number; names: string[]; hotline?: string; leaderName?: string }
export type ImportError = { line: number; reason: string }

const NAME_COLUMNS = ['township', 'village', 'grid', 'micro'] as const
const NAME_LABEL = { township: '乡镇', village: '村(社区)', grid: '网格', micro: '微网格' } as const

/**
 * Whose 服务热线 and 网格长 a row gives: its 网格 (the third column), whether or not the row
 * goes on to a 微网格; a row that stops above the grids gives them to its last level (a
 * township's or village's hotline). So 「东关镇,东关村,第一网格,一组,0354-…,张建国」 makes
 * 张建国 the leader of 第一网格, not of its micro-grid 一组. The number of names, from the
 * township down, that lead to that node.
 */
export const importOwnerDepth = (names: readonly string[]) => Math.min(names.length, NAME_COLUMNS.indexOf('grid') + 1)

/**
 * Validates every data row (all errors, not just the first). `records` are the parsed
 * rows after the header with their 1-based line numbers. Rows whose cells are all empty
 * are skipped (not counted).
 */
export function validateImportRows(
  records: readonly { line: number; cells: readonly string[] }[],
  cols: ImportColumns,
  maxLevel: GridLevel = 'micro',
): { rows: ImportRow[]; errors: ImportError[]; read: number } {
  const rows: ImportRow[] = []
  const errors: ImportError[] = []
  const seen = new Map<string, ImportRow>()
  const owners = new Map<string, { hotline?: { value: string; line: number }; leader?: { value: string; line: number } }>()
  const maxDepth = levelIndex(maxLevel)
  let read = 0
  for (const { line, cells } of records) {
    const cell = (k: keyof ImportColumns) => (cols[k] === undefined ? '' : (cells[cols[k]!] ?? '').trim())
    if (cells.every((c) => c.trim() === '')) continue
    read++
    const reasons: string[] = []
    const names: string[] = []
    let gapAt: string | null = null
    NAME_COLUMNS.forEach((k, i) => {
      const raw = cell(k)
      if (!raw) {
        if (i === 0) reasons.push(`「${NAME_LABEL[k]}」不能为空`)
        else gapAt ??= NAME_LABEL[k]
        return
      }
      if (gapAt) reasons.push(`填写了「${NAME_LABEL[k]}」但缺少「${gapAt}」`)
      else if (i + 1 > maxDepth) reasons.push(`本县网格最多分到「${LEVEL_LABEL[maxLevel]}」，不能导入「${NAME_LABEL[k]}」`)
      const parsed = nodeNameSchema.safeParse(raw)
      if (!parsed.success) reasons.push(`「${NAME_LABEL[k]}」${parsed.error.issues[0].message}`)
      else names.push(parsed.data)
    })
    const row: ImportRow = { line, names }
    const hotline = cell('hotline')
    if (hotline) {
      const p = hotlineSchema.safeParse(hotline)
      if (p.success) row.hotline = p.data
      else reasons.push(`「服务热线」${p.error.issues[0].message}`)
    }
    const leader = cell('leader')
    if (leader) {
      const p = personNameSchema.safeParse(leader)
      if (p.success) row.leaderName = p.data
      else reasons.push(`「网格长」${p.error.issues[0].message}`)
    }
    if (reasons.length === 0) {
      // rows naming the same 网格 (its micro-grids too) must agree on its hotline and leader
      const owner = names.slice(0, importOwnerDepth(names))
      const what = `「${owner.join(' / ')}」`
      const given = owners.get(owner.join('\u0000'))
      if (given?.hotline && row.hotline && given.hotline.value !== row.hotline) {
        reasons.push(`${what}在第${given.hotline.line}行的服务热线是 ${given.hotline.value}，这里是 ${row.hotline}，请只保留一个`)
      } else if (given?.leader && row.leaderName && given.leader.value !== row.leaderName) {
        reasons.push(`${what}在第${given.leader.line}行的网格长是${given.leader.value}，这里是${row.leaderName}，请只保留一个`)
      } else {
        const key = names.join('\u0000')
        const prev = seen.get(key)
        if (prev) reasons.push(`与第${prev.line}行重复`)
        else {
          seen.set(key, row)
          const o = given ?? {}
          if (row.hotline) o.hotline ??= { value: row.hotline, line }
          if (row.leaderName) o.leader ??= { value: row.leaderName, line }
          owners.set(owner.join('\u0000'), o)
        }
      }
    }
    if (reasons.length) errors.push({ line, reason: reasons.join('；') })
    else rows.push(row)
  }
  return { rows, errors, read }
}

export type ImportPlan = {
  /** new nodes, ready to insert (ids `g_<code>`) */
  docs: GridNode[]
  /** existing parents whose counter advances: CAS from `from` (undefined: never set) to `to` */
  seqUpdates: { id: string; from: number | undefined; to: number }[]
  /** distinct existing nodes the file names */
  existing: number
  errors: ImportError[]
}

/**
 * Matches the rows against the existing subtree of `root` (by name under the same parent;
 * existing nodes are reused, never duplicated) and plans the new nodes with their codes.
 * Rows start at 乡镇: under the county root they may name any township, under a township
 * root only that one. Hotline and leader go to the row's 网格 (importOwnerDepth) when that
 * node is new. `maxLevel`: the county's depth (it is kept on the county root).
 */
export function planImport(root: GridNode, existingNodes: readonly GridNode[], rows: readonly ImportRow[], maxLevel: GridLevel = root.maxLevel ?? 'micro'): ImportPlan {
  const childrenOf = new Map<string, GridNode[]>()
  for (const n of existingNodes) {
    if (n.parentId === null) continue
    const list = childrenOf.get(n.parentId)
    if (list) list.push(n)
    else childrenOf.set(n.parentId, [n])
  }
  /** parentId → name → node (existing or planned); the first active one by code wins among namesakes */
  const byName = new Map<string, Map<string, GridNode>>()
  const namesUnder = (parentId: string) => {
    let m = byName.get(parentId)
    if (!m) {
      m = new Map()
      const kids = [...(childrenOf.get(parentId) ?? [])].sort((a, b) => Number(b.active) - Number(a.active) || (a.code < b.code ? -1 : 1))
      for (const k of kids) if (!m.has(k.name)) m.set(k.name, k)
      byName.set(parentId, m)
    }
    return m
  }
  const highest = new Map<string, number>()
  const stored = new Map<string, number | undefined>()
  const nextSeq = (parent: GridNode, isNew: boolean) => {
    if (!highest.has(parent._id)) {
      const h = isNew ? 0 : highestChildSeq(parent, [...(childrenOf.get(parent._id) ?? []).flatMap((c) => [c.code, ...(c.formerCodes ?? [])])])
      highest.set(parent._id, h)
      if (!isNew) stored.set(parent._id, parent.childSeq)
    }
    const h = highest.get(parent._id)! + 1
    highest.set(parent._id, h)
    return h
  }
  const planned = new Map<string, GridNode>()
  const existingSeen = new Set<string>()
  const errors: ImportError[] = []
  // the names of a row the root already is: none at the county, the township at a township
  const above = root.pathNames.slice(1)
  for (const row of rows) {
    if (above.some((name, i) => row.names[i] !== name)) {
      errors.push({ line: row.line, reason: `「${row.names.slice(0, above.length).join(' / ')}」不在「${root.name}」：在「${root.name}」导入时，每一行都要从「${above.join(' / ')}」写起` })
      continue
    }
    // the township the rows name is one of the existing nodes the file names, as at the county
    if (above.length) existingSeen.add(root._id)
    let cur = root
    /** the row's nodes from the root down, as far as it got */
    const walked: GridNode[] = []
    for (let d = above.length; d < row.names.length; d++) {
      const name = row.names[d]
      const found = namesUnder(cur._id).get(name)
      if (found) {
        if (!planned.has(found._id)) existingSeen.add(found._id)
        cur = found
        walked.push(cur)
        continue
      }
      if (!cur.active) {
        errors.push({ line: row.line, reason: `「${cur.pathNames.slice(1).join(' / ')}」已停用，不能在其下导入新的下级` })
        break
      }
      let level: GridLevel
      try {
        level = childLevelFor(cur, maxLevel)
      } catch (e) {
        errors.push({ line: row.line, reason: (e as Error).message })
        break
      }
      const seq = nextSeq(cur, planned.has(cur._id))
      if (seq > CHILD_SEQ_MAX) {
        errors.push({ line: row.line, reason: `「${cur.name}」下的编码已用完（每一级最多${CHILD_SEQ_MAX}个，编码不会重复使用），不能再新增「${name}」` })
        break
      }
      const code = childCode(cur.code, seq)
      const _id = `g_${code}`
      const node: GridNode = { _id, code, name, level, parentId: cur._id, path: [...cur.path, _id], pathNames: [...cur.pathNames, name], active: true, childSeq: 0 }
      if (planned.has(cur._id)) cur.childSeq = seq
      planned.set(_id, node)
      namesUnder(cur._id).set(name, node)
      cur = node
      walked.push(cur)
    }
    const owner = walked.find((n) => n.pathNames.length === importOwnerDepth(row.names) + 1)
    if (owner && planned.has(owner._id) && cur.pathNames.length === row.names.length + 1) {
      if (row.hotline) owner.hotline = row.hotline
      if (row.leaderName) owner.leaderName = row.leaderName
    }
  }
  const seqUpdates = [...stored.entries()].map(([id, from]) => ({ id, from, to: highest.get(id)! }))
  return { docs: [...planned.values()], seqUpdates, existing: existingSeen.size, errors }
}

export type ImportBatch = {
  /** new nodes, parents before children; those that get children here carry no counter yet */
  docs: GridNode[]
  /** existing parents of this batch's nodes: their counters advance (CAS) right before it is inserted */
  seqUpdates: ImportPlan['seqUpdates']
}

/**
 * The plan's writes, `size` nodes at a time, so that a crash between two batches leaves what a
 * re-run of the same file completes as if nothing had happened: an existing parent's counter
 * moves only as far as the batch about to be inserted needs, and a new parent is inserted
 * without a counter (derived from its children until `counters` sets it, once every batch is
 * in), so the re-run gives the missing children the codes this run planned for them.
 */
export function importBatches(plan: Pick<ImportPlan, 'docs' | 'seqUpdates'>, size: number): { batches: ImportBatch[]; counters: { id: string; to: number }[] } {
  const stored = new Map(plan.seqUpdates.map((u) => [u.id, u.from]))
  const batches: ImportBatch[] = []
  for (let i = 0; i < plan.docs.length; i += size) {
    const docs = plan.docs.slice(i, i + size)
    const top = new Map<string, number>()
    for (const d of docs) {
      if (!d.parentId || !stored.has(d.parentId)) continue
      const seq = childSeqOf(parentCodeOf(d.code) ?? '', d.code) ?? 0
      if (seq > (top.get(d.parentId) ?? 0)) top.set(d.parentId, seq)
    }
    const seqUpdates = [...top].map(([id, to]) => ({ id, from: stored.get(id), to }))
    for (const u of seqUpdates) stored.set(u.id, u.to)
    batches.push({ seqUpdates, docs: docs.map(({ childSeq, ...d }) => (childSeq ? d : { ...d, childSeq })) })
  }
  return { batches, counters: plan.docs.flatMap((d) => (d.childSeq ? [{ id: d._id, to: d.childSeq }] : [])) }
}

/**
 * Nodes an interrupted import inserted whose counters it never set (see importBatches):
 * each with the highest sequence among its children, for the next run to set.
 */
export function missingImportCounters(existing: readonly (GridNode & { importId?: string })[]): { id: string; to: number }[] {
  const codesUnder = new Map<string, string[]>()
  for (const n of existing) {
    if (!n.parentId) continue
    const codes = codesUnder.get(n.parentId) ?? []
    codes.push(n.code, ...(n.formerCodes ?? []))
    codesUnder.set(n.parentId, codes)
  }
  return existing.filter((n) => n.importId && n.childSeq === undefined).map((n) => ({ id: n._id, to: highestChildSeq(n, codesUnder.get(n._id) ?? []) }))
}
