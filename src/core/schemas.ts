import { z } from 'zod'
import { GRID_CODE_MESSAGE, GRID_CODE_RE, GRID_LEVELS } from './grid'
import { ID_MAX, ID_MESSAGE, PHONE_MESSAGE, PHONE_RE, REQUEST_ID_MESSAGE, REQUEST_ID_RE } from './checks'
import { ROLES } from './roles'
import type { ServiceExtras } from './serviceFields'

// the zod-free pieces (rules and messages of what people type, roles and their labels), beside the schemas built from them
export { PRIVACY_VERSION } from './checks'
export * from './roles'

// ---------- shared pieces ----------
export const idSchema = z.string().trim().min(1, ID_MESSAGE.empty).max(ID_MAX, ID_MESSAGE.tooLong)
export const phoneSchema = z.string({ error: PHONE_MESSAGE.missing }).trim().regex(PHONE_RE, PHONE_MESSAGE.format)
export const requestIdSchema = z.string({ error: REQUEST_ID_MESSAGE.missing }).regex(REQUEST_ID_RE, REQUEST_ID_MESSAGE.format)
/** A grid code as printed on a signboard (see grid.ts), read in capitals. */
export const gridCodeSchema = z.string({ error: GRID_CODE_MESSAGE.missing }).trim().toUpperCase().regex(GRID_CODE_RE, GRID_CODE_MESSAGE.format)

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

/** Text searched for literally in a database regular expression. */
export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

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
