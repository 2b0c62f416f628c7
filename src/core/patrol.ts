// 排查上报、随手拍 and the team captain's desk: grid teams report what they find on patrol
// (a new order with source 「网格上报」, or handled on the spot and closed at once), staff keep
// one problem ledger (问题台账) of their subtree, and a captain hands team orders to members.
import { z } from 'zod'
import { MAX_PHOTOS } from './loop'
import { ORDER_SOURCES, ORDER_STATES, type Order } from './order'
import { cursorMsSchema, idSchema, requestIdSchema, type GridNode, type Service, type Team } from './schemas'
import { AppError } from './errors'
import { coversScope, isLeader, volunteerGrants, VOLUNTEER_ROLES, type Caller } from './permissions'

export const PATROL_KINDS = ['hazard', 'environment', 'road', 'dispute', 'help', 'other'] as const
export type PatrolKind = (typeof PATROL_KINDS)[number]
export const PATROL_KIND_LABEL: Record<PatrolKind, string> = {
  hazard: '安全隐患',
  environment: '环境卫生',
  road: '道路照明',
  dispute: '矛盾纠纷',
  help: '困难帮扶',
  other: '其他问题',
}
/** Kinds about people (a dispute, someone who needs help): never on public pages; details only for staff and the assigned volunteer. */
export const SENSITIVE_PATROL_KINDS: readonly PatrolKind[] = ['dispute', 'help']

/**
 * The service a patrol report is filed under: not in the catalogue (nobody orders it), named
 * after its kind, so that lists, time limits (the defaults) and rollups treat it like any order.
 */
export const patrolService = (kind: PatrolKind): Service => ({
  _id: `patrol_${kind}`,
  name: `随手拍·${PATROL_KIND_LABEL[kind]}`,
  category: PATROL_KIND_LABEL[kind],
  sort: 0,
  active: true,
  ...(SENSITIVE_PATROL_KINDS.includes(kind) ? { sensitive: true } : {}),
})

const photoIds = z.array(z.string().trim().min(1).max(512))

/** 随手拍: what was found, where, and whether the reporter handled it on the spot (then with an after-photo) or reports it. */
export const patrolInput = z
  .object({
    requestId: requestIdSchema,
    kind: z.enum(PATROL_KINDS, { error: '请选择问题类别' }),
    /** the grid or micro-grid (of the reporter's area) */
    gridId: idSchema,
    note: z.string({ error: '请简单说明发现的问题' }).trim().min(4, '请至少用4个字说明发现的问题').max(300, '说明不能超过300字'),
    /** the household or spot, e.g. 3组李家门前 */
    spot: z.string().trim().max(40, '地点不能超过40字').optional(),
    photos: photoIds.min(1, '请至少拍一张现场照片').max(MAX_PHOTOS, `照片最多${MAX_PHOTOS}张`),
    /** true: 就地处置 (closed at once); false: 上报 to the station */
    handled: z.boolean(),
    /** 就地处置: what was done, and a photo after */
    afterNote: z.string().trim().max(300, '处置说明不能超过300字').optional(),
    afterPhotos: photoIds.max(MAX_PHOTOS, `照片最多${MAX_PHOTOS}张`).default([]),
  })
  .refine((p) => !p.handled || p.afterPhotos.length > 0, { message: '就地处置请拍一张处置后的照片', path: ['afterPhotos'] })
export type PatrolInput = z.infer<typeof patrolInput>

/** The grids a reporter may choose: their own grid (or grids) and micro-grids, and those their team serves. */
export const patrolGridsInput = z.object({})
export type PatrolGridView = { id: string; code: string; name: string; level: string }

/** The captain hands a team order to one member of the team (or to themself). */
export const assignInput = z.object({ id: idSchema, volunteerId: idSchema })

/** The captain's desk of one team (default: the team the caller captains). */
export const teamDeskInput = z.object({ teamId: idSchema.optional() })

/** 问题台账: every order and patrol report of the caller's subtree (or a node in it), filtered. */
export const ledgerInput = z.object({
  nodeId: idSchema.optional(),
  source: z.enum(ORDER_SOURCES, { error: '来源不正确' }).optional(),
  category: z.string().trim().min(1).max(10).optional(),
  /** open: not finished yet; closed: finished (how it ended shows on each entry) */
  state: z.enum(['all', 'open', 'closed']).default('all'),
  /** only those that ran over a time limit (open or closed) */
  overdue: z.boolean().optional(),
  status: z.enum(ORDER_STATES).optional(),
  /** page through by createdAt (ms), like the other lists */
  before: cursorMsSchema.optional(),
  limit: z.number().int().min(1).max(50).default(20),
})
export type LedgerInput = z.input<typeof ledgerInput>

// ---------- sensitive reports: who sees the details ----------

/**
 * Must `openId` (not staff: staff of the area see everything) be kept from a sensitive order's
 * details? Only its reporter (the order's villager), the volunteer it is assigned to and those
 * who served it see them; a team member looking at the pool, or a captain before handing it
 * out, sees the kind and the grid only.
 */
export function hidesDetails(order: Pick<Order, 'sensitive' | 'villagerId' | 'assignee' | 'servedBy'>, openId: string): boolean {
  if (order.sensitive !== true) return false
  return order.villagerId !== openId && order.assignee?.id !== openId && !(order.servedBy ?? []).includes(openId)
}

export const HIDDEN_DETAILS = '涉及群众隐私，接单后可见详情'

/** The parts of an order's view (api.ts OrderView) that tell about people. */
type DetailedView = {
  description: string
  contactName: string | null
  contactPhone: string
  preferredTime: string | null
  extras?: unknown
  voice?: unknown
  forFamily?: unknown
  report?: { spot: string | null; photos: string[]; photoUrls: string[] } | null
  completion?: unknown
  rating?: unknown
  history: { reason?: string | null }[]
}

/** A sensitive order as someone kept from its details sees it: the kind, the grid, the status and the clock — nothing about people. */
export function withoutDetails<V extends DetailedView>(v: V): V {
  const { extras: _extras, voice: _voice, forFamily: _family, ...rest } = v
  return {
    ...rest,
    description: HIDDEN_DETAILS,
    contactName: null,
    contactPhone: '',
    preferredTime: null,
    report: v.report ? { ...v.report, spot: null, photos: [], photoUrls: [] } : null,
    completion: null,
    rating: null,
    history: v.history.map(({ reason: _reason, ...h }) => h),
  } as V
}

/** The view `openId` may have of an order (volunteers' lists and details). */
export const viewFor = <V extends DetailedView>(order: Pick<Order, 'sensitive' | 'villagerId' | 'assignee' | 'servedBy'>, v: V, openId: string): V =>
  hidesDetails(order, openId) ? withoutDetails(v) : v

// ---------- where a volunteer may report ----------

/**
 * The role a volunteer or grid leader reports under at `grid`, which must be in their area: the
 * grid of their grant or one below it (a micro-grid), or a grid their team serves (a team of a
 * grid serves its micro-grids too). `team`: the caller's team, when read. Refuses anyone else.
 */
export function requirePatrolArea(caller: Caller, grid: Pick<GridNode, 'name' | 'path'>, team?: Pick<Team, '_id' | 'gridIds'> | null): 'volunteer' | 'leader' {
  const grants = volunteerGrants(caller)
  if (grants.length === 0) throw new AppError('FORBIDDEN', '只有志愿者和网格长可以随手拍上报')
  const role = isLeader(caller) ? 'leader' : 'volunteer'
  if (patrolGrantCovers(caller, grid.path)) return role
  const ofTeam = !!team && team._id === caller.teamId && team.gridIds.some((id) => grid.path.includes(id))
  if (!ofTeam) throw new AppError('FORBIDDEN', `「${grid.name}」不在您的服务范围内，只能上报本网格或本队服务网格的问题`)
  return role
}

/** Does a volunteer or leader grant of the caller lie on `path` (no team needed)? */
export const patrolGrantCovers = (caller: Caller, path: readonly string[]) => coversScope(caller, VOLUNTEER_ROLES, path)
