import { AppError } from './errors'

// The grid tree: county → township → village/community → basic grid → micro-grid.
// Depth is data (each node names its level); these are the levels we know of.
export const GRID_LEVELS = ['county', 'township', 'village', 'grid', 'micro'] as const
export type GridLevel = (typeof GRID_LEVELS)[number]

/**
 * Unified codes (一乡一编码): the county has a short letter code (e.g. XY);
 * each child's code is its parent's code plus a two-digit sequence, so a
 * grid code names its whole ancestry: XY03 (township) → XY0307 (village) →
 * XY030702 (grid) → XY03070211 (micro-grid).
 */
export const GRID_CODE_RE = /^[A-Z]{2,4}(\d{2}){0,6}$/
export const CHILD_SEQ_MAX = 99

/** What a person is told about a code that is none (gridCodeSchema in schemas.ts, checkGridCode in checks.ts). */
export const GRID_CODE_MESSAGE = { missing: '网格编码不能为空', format: '网格编码格式不正确：是字母加数字，印在网格标识牌的二维码下方' }

/**
 * The hint in a box where a grid code is typed. Any fixed example would be some real county's
 * code (XY… is 昔阳's), so the example is the last signboard this phone resolved, which is the
 * county's own format; without one, where to find the code instead.
 */
export function codeEntryHint(lastCode?: string | null): string {
  return lastCode && GRID_CODE_RE.test(lastCode) ? `标识牌上的编码，如 ${lastCode}` : '标识牌二维码下方的编码'
}

export function childCode(parentCode: string, seq: number): string {
  if (!Number.isInteger(seq) || seq < 1 || seq > CHILD_SEQ_MAX) throw new RangeError(`child sequence out of range: ${seq}`)
  return parentCode + String(seq).padStart(2, '0')
}

export function parentCodeOf(code: string): string | null {
  const m = /^([A-Z]{2,4})((?:\d{2})*)$/.exec(code)
  if (!m || m[2].length === 0) return null
  return m[1] + m[2].slice(0, -2)
}

/** Depth below the county: XY → 0, XY03 → 1, XY0307 → 2 … */
export function codeDepth(code: string): number {
  const digits = code.replace(/^[A-Z]+/, '')
  return digits.length / 2
}

export function isDescendantCode(code: string, ancestor: string): boolean {
  return code.length > ancestor.length && code.startsWith(ancestor)
}

/** Number plate (一人一号牌): township code + 4-digit sequence within the township, e.g. XY03-0217. */
export function formatPlate(townshipCode: string, seq: number): string {
  if (!Number.isInteger(seq) || seq < 1 || seq > 9999) throw new RangeError(`plate sequence out of range: ${seq}`)
  return `${townshipCode}-${String(seq).padStart(4, '0')}`
}

/**
 * The scan landing is opened with the grid code either as `code` (H5 URL,
 * signboard QR in the local runtime) or as WeChat's `scene` (mini-program code
 * from wxacode.getUnlimited, delivered URL-encoded). Returns the raw code or null.
 */
export function codeFromLaunchParams(params: Record<string, string | undefined>): string | null {
  const raw = params.code ?? params.scene
  if (!raw) return null
  let decoded = raw
  try {
    decoded = decodeURIComponent(raw)
  } catch {
    /* keep raw: a malformed escape is reported by validation */
  }
  // a scene may carry key=value pairs: "g=XY030702"
  const kv = /(?:^|&)g=([^&]*)/.exec(decoded)
  return (kv ? kv[1] : decoded).trim()
}

/** Levels a signboard (and so an order) can belong to. */
export const ORDERABLE_LEVELS: readonly GridLevel[] = ['grid', 'micro']

/** What the checks below read of a grid node (schemas.ts GridNode). */
type NodeFacts = { name: string; level: GridLevel; active: boolean; pathNames: string[] }

/** A signboard's grid must exist, be active and be a grid (not a village or township). */
export function assertOrderable<G extends NodeFacts>(grid: G | undefined, code: string): G {
  if (!grid) throw new AppError('NOT_FOUND', `没有找到编码为 ${code} 的网格，请核对标识牌上的编码`)
  if (!grid.active) {
    const [, township, village] = grid.pathNames
    throw new AppError('GRID_INACTIVE', `网格「${grid.name}」已停用，请联系${village || township || '所在村'}新时代文明实践站`)
  }
  if (!ORDERABLE_LEVELS.includes(grid.level)) {
    throw new AppError('NOT_FOUND', `编码 ${code} 是「${grid.name}」，不是网格编码，请扫描网格标识牌上的二维码`)
  }
  return grid
}

/** pathNames is [county, township, village, grid, …]: the names a villager recognises. */
export function placeNames(g: Pick<NodeFacts, 'pathNames'>) {
  return { townshipName: g.pathNames[1] ?? '', villageName: g.pathNames[2] ?? '' }
}
