import { z } from 'zod'
import type { GridNodeView } from './api'
import { AppError } from './errors'
import { CHILD_SEQ_MAX, childCode, GRID_LEVELS, type GridLevel } from './grid'
import { idSchema, STAFF_ROLES, type GridNode, type StaffRole } from './schemas'

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

/** Roles that may change the tree (create, rename, move, (de)activate) within their subtree. */
export const TREE_ADMIN_ROLES = ['county', 'township'] as const

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

export type RecodedNode = { _id: string; code: string; path: string[]; pathNames: string[]; formerCodes: string[] }

/**
 * A moved node and its subtree under the new parent: the node's code prefix is replaced by
 * `newCode` everywhere below, path/pathNames are rebased, and every old code is kept in
 * `formerCodes` so old signboards still resolve.
 */
export function recodeSubtree(
  subtree: readonly Pick<GridNode, '_id' | 'code' | 'path' | 'pathNames' | 'formerCodes'>[],
  node: Pick<GridNode, '_id' | 'code' | 'path'>,
  newParent: Pick<GridNode, 'path' | 'pathNames'>,
  newCode: string,
): RecodedNode[] {
  const depth = node.path.length - 1
  return subtree.map((n) => {
    if (n.path[depth] !== node._id || !n.code.startsWith(node.code)) throw new Error(`${n._id} is not in the subtree of ${node._id}`)
    return {
      _id: n._id,
      code: newCode + n.code.slice(node.code.length),
      path: [...newParent.path, ...n.path.slice(depth)],
      pathNames: [...newParent.pathNames, ...n.pathNames.slice(depth)],
      formerCodes: [...(n.formerCodes ?? []), n.code],
    }
  })
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

/** One valid data row: the names from the township down, and what applies to the deepest of them. */
export type ImportRow = { line: number; names: string[]; hotline?: string; leaderName?: string }
export type ImportError = { line: number; reason: string }

const NAME_COLUMNS = ['township', 'village', 'grid', 'micro'] as const
const NAME_LABEL = { township: '乡镇', village: '村(社区)', grid: '网格', micro: '微网格' } as const

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
      const key = names.join('\u0000')
      const prev = seen.get(key)
      if (prev) {
        const what = `「${names.join(' / ')}」`
        if (prev.hotline && row.hotline && prev.hotline !== row.hotline) reasons.push(`${what}在第${prev.line}行的服务热线是 ${prev.hotline}，这里是 ${row.hotline}，请只保留一个`)
        else if (prev.leaderName && row.leaderName && prev.leaderName !== row.leaderName) reasons.push(`${what}在第${prev.line}行的网格长是${prev.leaderName}，这里是${row.leaderName}，请只保留一个`)
        else reasons.push(`与第${prev.line}行重复`)
      } else seen.set(key, row)
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
 * Hotline and leader apply to the deepest node of a row when that node is new.
 */
export function planImport(root: GridNode, existingNodes: readonly GridNode[], rows: readonly ImportRow[]): ImportPlan {
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
  const maxLevel = root.maxLevel ?? 'micro'
  for (const row of rows) {
    let cur = root
    for (let d = 0; d < row.names.length; d++) {
      const name = row.names[d]
      const found = namesUnder(cur._id).get(name)
      if (found) {
        if (!planned.has(found._id)) existingSeen.add(found._id)
        cur = found
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
    }
    const deepest = cur
    if (deepest !== root && planned.has(deepest._id) && deepest.pathNames.length === row.names.length + 1) {
      if (row.hotline) deepest.hotline = row.hotline
      if (row.leaderName) deepest.leaderName = row.leaderName
    }
  }
  const seqUpdates = [...stored.entries()].map(([id, from]) => ({ id, from, to: highest.get(id)! }))
  return { docs: [...planned.values()], seqUpdates, existing: existingSeen.size, errors }
}
