import { z } from 'zod'
import { GRID_LEVELS, gridCodeSchema } from './grid'
import type { ServiceExtras } from './serviceFields'

// ---------- shared pieces ----------
export const idSchema = z.string().trim().min(1, '缺少编号').max(64, '编号过长')
export const phoneSchema = z
  .string({ error: '请填写联系电话' })
  .trim()
  .regex(/^(1\d{10}|0\d{2,3}-?\d{7,8})$/, '电话号码格式不正确，请填写11位手机号或带区号的座机号')
export const requestIdSchema = z
  .string({ error: '缺少请求编号' })
  .regex(/^[A-Za-z0-9_-]{8,64}$/, '请求编号格式不正确')

/** The latest instant a JS Date can hold (ms): a cursor beyond it would reach the database as an invalid date. */
export const MAX_DATE_MS = 8.64e15
/** A paging cursor: an instant in ms (the last item's time). */
export const cursorMsSchema = z.number().int().positive().max(MAX_DATE_MS, '分页参数不正确')

/**
 * Control characters (NUL and the other C0 codes but tab and line breaks) have no place in
 * anything a person types; the function boundary refuses any input that holds one.
 */
export function hasControlChars(v: unknown): boolean {
  if (typeof v === 'string') return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v)
  if (Array.isArray(v)) return v.some(hasControlChars)
  if (v !== null && typeof v === 'object') return Object.entries(v).some(([k, x]) => hasControlChars(k) || hasControlChars(x))
  return false
}

/** Version of 用户隐私保护指引 (src/pages/privacy); bump it when the text changes so people agree again. */
/** Text searched for literally in a database regular expression. */
export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

export const PRIVACY_VERSION = '2026-11'

// ---------- roles ----------
export const STAFF_ROLES = ['station', 'township', 'county'] as const
export const ROLES = ['villager', 'volunteer', 'leader', ...STAFF_ROLES] as const
export type Role = (typeof ROLES)[number]
export type StaffRole = (typeof STAFF_ROLES)[number]

export const ROLE_LABEL: Record<Role, string> = {
  villager: '村民',
  volunteer: '志愿者',
  leader: '网格长/队长',
  station: '村文明实践站',
  township: '乡镇实践所',
  county: '县级管理员',
}

/** Who can act on an order: a role holder, or the system (the sweep: reminders, deadlines). Nobody can be granted 'system'. */
export const ACTOR_ROLES = [...ROLES, 'system'] as const
export type ActorRole = (typeof ACTOR_ROLES)[number]
export const ACTOR_LABEL: Record<ActorRole, string> = { ...ROLE_LABEL, system: '系统' }

/** Staff levels, lowest first: the level above approves, supervises and takes over. */
export const STAFF_RANK: Record<StaffRole, number> = { station: 1, township: 2, county: 3 }

/** A role held at a node of the grid tree; the holder acts on that node's subtree. */
export const roleGrantSchema = z.object({
  role: z.enum(ROLES),
  nodeId: idSchema,
})
export type RoleGrant = z.infer<typeof roleGrantSchema>

// ---------- stored documents ----------
export const gridNodeSchema = z.object({
  _id: idSchema,
  code: gridCodeSchema,
  name: z.string().min(1).max(40),
  level: z.enum(GRID_LEVELS),
  parentId: idSchema.nullable(),
  /** ids of every ancestor from the root, then the node itself */
  path: z.array(idSchema).min(1),
  /** names along the path, for display without extra reads */
  pathNames: z.array(z.string()),
  /** own hotline; absent: the nearest ancestor's applies */
  hotline: z.string().optional(),
  leaderName: z.string().optional(),
  active: z.boolean(),
  /** highest child sequence ever allocated under this node: codes are never reused (see core/tree) */
  childSeq: z.number().int().min(0).optional(),
  /** codes this node had before it was moved: old signboards still resolve */
  formerCodes: z.array(z.string()).optional(),
  /** county root only: the deepest level the county uses (default 'micro') */
  maxLevel: z.enum(GRID_LEVELS).optional(),
  /** cloud: the stored mini-program code (wxacode.getUnlimited) for this grid's signboard */
  miniCodeFileId: z.string().optional(),
  /**
   * A move decided (this node already under its new parent) whose subtree, codes and orders
   * may not have followed yet; removed once they have (cloudfunctions/services/tree.ts finishMove).
   */
  move: z
    .object({ id: z.string(), fromCode: gridCodeSchema, fromParentId: idSchema, toParentId: idSchema, at: z.date() })
    .optional(),
})
export type GridNode = z.infer<typeof gridNodeSchema>
export type PendingMove = NonNullable<GridNode['move']>

export const userSchema = z.object({
  _id: idSchema, // = openId
  openId: z.string().min(1),
  name: z.string().min(1).max(20),
  phone: z.string().optional(),
  roles: z.array(roleGrantSchema),
  teamId: idSchema.optional(),
  plate: z.string().optional(),
  skills: z.array(z.string()).optional(),
  /** a suspended volunteer keeps the plate but loses volunteer / leader roles until restored */
  suspended: z.boolean().optional(),
  createdAt: z.date(),
})
export type User = z.infer<typeof userSchema>

export const serviceSchema = z.object({
  _id: idSchema,
  name: z.string().min(1).max(20),
  category: z.string().min(1).max(10),
  description: z.string().max(100).optional(),
  /** matching volunteer skill */
  skill: z.string().optional(),
  sort: z.number().int(),
  active: z.boolean(),
})
/** A stored service: the fields above, plus its extra fields, emergency note and sensitivity (see serviceFields.ts, catalogue.ts). */
export type Service = z.infer<typeof serviceSchema> & ServiceExtras

export const teamSchema = z.object({
  _id: idSchema,
  name: z.string(),
  gridIds: z.array(idSchema),
  villageId: idSchema,
  townshipId: idSchema,
  captainId: idSchema.optional(),
  skills: z.array(z.string()),
})
export type Team = z.infer<typeof teamSchema>
