// 评、晒 — approvals of ratings and showcases, showcase content, the public
// feed, dispatch suggestions. Pure rules and schemas: no I/O.
import { z } from 'zod'
import { AppError } from './errors'
import { reasonSchema } from './loop'
import type { Order } from './order'
import { isLeader, isStaff, isStaffCaller, type Caller } from './permissions'
import { cursorMsSchema, idSchema, type Role, type StaffRole } from './schemas'

// ---------- approvals ----------
export const APPROVAL_KINDS = ['rating', 'showcase'] as const
export type ApprovalKind = (typeof APPROVAL_KINDS)[number]
export const REVIEW_STATUSES = ['pending', 'approved', 'rejected'] as const
export type ReviewStatus = (typeof REVIEW_STATUSES)[number]

/** Who decided, when, why: the audit entry of an approval, kept on the reviewed document. */
export const reviewSchema = z.object({
  at: z.date(),
  by: z.string(),
  byName: z.string(),
  role: z.enum(['station', 'township', 'county']),
  decision: z.enum(['approved', 'rejected']),
  reason: z.string().optional(),
})
export type Review = z.infer<typeof reviewSchema>

const kindSchema = z.enum(APPROVAL_KINDS, { error: '请选择审核类型（评价或晒单）' })

export const approvalsInput = z.object({
  kind: kindSchema,
  /** the node whose subtree to list; default: the caller's (first) staff node */
  nodeId: idSchema.optional(),
  /** page through by submittedAt (ms): pass the last item's submittedAt */
  before: cursorMsSchema.optional(),
  limit: z.number().int().min(1).max(50).default(20),
})
export type ApprovalsInput = z.infer<typeof approvalsInput>

/** `id`: the order id for a rating, the showcase id for a showcase. */
export const approveInput = z.object({ kind: kindSchema, id: idSchema })
export const rejectApprovalInput = z.object({ kind: kindSchema, id: idSchema, reason: reasonSchema })

const REVIEWERS: readonly StaffRole[] = ['station', 'township', 'county']

/**
 * The staff role a caller reviews with, for something whose grid ancestry is
 * `scopePath`: station of the village, township, county — each within its subtree.
 */
export function reviewerRole(caller: Caller, scopePath: readonly string[]): StaffRole {
  const g = caller.roles.find((r) => isStaff(r.role) && REVIEWERS.includes(r.role as StaffRole) && scopePath.includes(r.nodeId))
  if (g) return g.role as StaffRole
  if (isStaffCaller(caller)) throw new AppError('FORBIDDEN', '无权审核其他区域的内容')
  throw new AppError('FORBIDDEN', '只有村站、乡镇所或县级管理员可以审核')
}

/** Say why a review cannot happen now (already decided). */
export function alreadyReviewed(kind: ApprovalKind, status: ReviewStatus | undefined): AppError {
  const what = kind === 'rating' ? '这条评价' : '这条晒单'
  if (status === 'approved') return new AppError('CONFLICT', `${what}已审核通过，无需重复审核`)
  if (status === 'rejected') return new AppError('CONFLICT', `${what}已被驳回，无需重复审核`)
  return new AppError('NOT_FOUND', `${what}不存在或还没有提交`)
}

/** Only approved ratings count: the score of a set of orders (average of approved stars). */
export function scores(orders: readonly Pick<Order, 'rating'>[]): { approved: number; pending: number; average: number | null; stars: [number, number, number, number, number] } {
  const stars: [number, number, number, number, number] = [0, 0, 0, 0, 0]
  let approved = 0
  let pending = 0
  let sum = 0
  for (const o of orders) {
    if (!o.rating) continue
    if (o.rating.status === 'pending') pending++
    if (o.rating.status !== 'approved') continue
    approved++
    sum += o.rating.stars
    stars[o.rating.stars - 1]++
  }
  return { approved, pending, average: approved ? Math.round((sum / approved) * 100) / 100 : null, stars }
}

// ---------- showcases (晒) ----------
export const MAX_SHOWCASE_PHOTOS = 9
/** cloud storage fileIDs of uploaded images */
export const photoIdsSchema = z.array(z.string().trim().min(1, '照片编号不能为空').max(512, '照片编号过长'))

export const showcaseInput = z.object({
  orderId: idSchema,
  story: z.string({ error: '请写几句服务故事' }).trim().min(10, '服务故事至少写10个字').max(500, '服务故事不能超过500字'),
  photos: photoIdsSchema.min(1, '请至少上传1张照片').max(MAX_SHOWCASE_PHOTOS, `照片最多${MAX_SHOWCASE_PHOTOS}张`),
})
export type ShowcaseInput = z.infer<typeof showcaseInput>

export const feedInput = z.object({
  /** a village or township (or the county); absent: everything approved */
  nodeId: idSchema.optional(),
  /** page through by approvedAt (ms): pass the last item's approvedAt */
  before: cursorMsSchema.optional(),
  limit: z.number().int().min(1).max(50).default(20),
})
export type FeedInput = z.infer<typeof feedInput>

export const myShowcasesInput = z.object({
  before: cursorMsSchema.optional(),
  limit: z.number().int().min(1).max(50).default(20),
})

export const showcaseSchema = z.object({
  _id: idSchema, // `sc_<orderId>`: one showcase per order
  orderId: idSchema,
  orderNo: z.string(),
  serviceName: z.string(),
  category: z.string(),
  gridName: z.string(),
  villageName: z.string(),
  townshipName: z.string(),
  scopePath: z.array(idSchema),
  story: z.string(),
  photos: z.array(z.string()).min(1).max(MAX_SHOWCASE_PHOTOS),
  author: z.object({ id: z.string(), name: z.string(), kind: z.enum(['villager', 'team']) }),
  /** the villager of the order (they are told of the decision) */
  villagerId: z.string(),
  team: z.object({ id: idSchema, name: z.string() }).optional(),
  volunteerName: z.string().optional(),
  status: z.enum(REVIEW_STATUSES),
  /** the latest decision, and every decision so far (append-only audit) */
  review: reviewSchema.optional(),
  reviews: z.array(reviewSchema).optional(),
  createdAt: z.date(),
  approvedAt: z.date().optional(),
  updatedAt: z.date(),
})
export type Showcase = z.infer<typeof showcaseSchema>

export const showcaseId = (orderId: string) => `sc_${orderId}`

/**
 * Who may showcase an order: its villager, or the leader of the team that
 * served it; only once the villager confirmed it fixed.
 */
export function showcaseAuthor(order: Order, caller: Caller): { kind: 'villager' | 'team'; role: Role } {
  const teamId = order.team?.id ?? order.assignee?.teamId ?? null
  const isVillager = order.villagerId === caller.openId
  const leadsTeam = !!teamId && caller.teamId === teamId && isLeader(caller)
  if (!isVillager && !leadsTeam) throw new AppError('FORBIDDEN', '只有下单的村民或服务队队长可以晒单')
  if (order.status !== 'fixed') throw new AppError('INVALID_TRANSITION', '订单确认解决后才能晒单')
  // disputes and people needing help are never made public
  if (order.sensitive) throw new AppError('FORBIDDEN', '涉及矛盾纠纷或困难群众的问题不能公开晒单')
  return isVillager ? { kind: 'villager', role: 'villager' } : { kind: 'team', role: 'leader' }
}

// ---------- dispatch suggestions ----------
export const suggestInput = z.object({ id: idSchema })

export type Candidate = {
  id: string
  name: string
  /** grid-tree node of the volunteer's grant */
  nodeId: string
  teamId: string | null
  skills: string[]
}

export type RankedVolunteer = Candidate & { sameGrid: boolean; skillMatch: boolean; load: number; reasons: string[] }

/**
 * Rank volunteers for an order: same grid first (their node is the order's grid,
 * or an ancestor below the village / the grid itself), then matching skill, then
 * least current load (accepted / in service), then name.
 */
export function rankVolunteers(order: Pick<Order, 'scopePath' | 'gridId'>, skill: string | undefined, candidates: Candidate[], load: Map<string, number>, limit = 10): RankedVolunteer[] {
  const gridLevel = order.scopePath.slice(3) // basic grid and below
  const ranked = candidates.map((c) => {
    const sameGrid = c.nodeId === order.gridId || gridLevel.includes(c.nodeId)
    const skillMatch = !!skill && c.skills.includes(skill)
    const n = load.get(c.id) ?? 0
    const reasons = [sameGrid ? '同网格' : '同村/服务队', ...(skillMatch ? [`擅长${skill}`] : []), n ? `手头${n}单` : '当前空闲']
    return { ...c, sameGrid, skillMatch, load: n, reasons }
  })
  ranked.sort((a, b) => Number(b.sameGrid) - Number(a.sameGrid) || Number(b.skillMatch) - Number(a.skillMatch) || a.load - b.load || a.name.localeCompare(b.name, 'zh'))
  return ranked.slice(0, limit)
}
