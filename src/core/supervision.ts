// Supervision of open orders: 督办 (the level above instructs and sets a reply
// deadline; the responsible level answers), 延期 (the responsible staff ask for
// more time; the level above decides; at most MAX_EXTENSIONS), 回访 (staff call
// a villager who has not confirmed). Who may do each is in TRANSITIONS; the rank
// rules between the two parties are here. Pure: no I/O.
import { z } from 'zod'
import { AppError } from './errors'
import { type TimeLimit } from './calendar'
import { grantsCovering, type Caller } from './permissions'
import { idSchema, STAFF_RANK, STAFF_ROLES, type StaffRole } from './schemas'
import type { OrderState } from './orderState'

export const MAX_EXTENSIONS = 3
export const MAX_EXTENSION_DAYS = 3

const text = (what: string, min: number, max: number) =>
  z
    .string({ error: `请填写${what}` })
    .trim()
    .min(min, `请填写${what}（至少${min}个字）`)
    .max(max, `${what}不能超过${max}字`)

// ---------- stored ----------
const staffRole = z.enum(STAFF_ROLES)
export const supervisionSchema = z.object({
  by: z.string(),
  byName: z.string(),
  role: staffRole,
  /** the level that must answer (the one responsible for the order when it was opened) */
  to: staffRole,
  instruction: z.string(),
  at: z.date(),
  replyBy: z.date(),
  /** closed: the order ended before anyone answered */
  status: z.enum(['open', 'answered', 'overdue', 'closed']),
  reply: z.object({ text: z.string(), at: z.date(), by: z.string(), byName: z.string(), role: staffRole }).optional(),
})
export type Supervision = z.infer<typeof supervisionSchema>
export type SupervisionStatus = Supervision['status']
export const SUPERVISION_LABEL: Record<SupervisionStatus, string> = { open: '待答复', answered: '已答复', overdue: '超期未答复', closed: '已办结' }
/** 督办 still waiting for an answer */
export const UNANSWERED: readonly SupervisionStatus[] = ['open', 'overdue']

export const extensionSchema = z.object({
  by: z.string(),
  byName: z.string(),
  role: staffRole,
  reason: z.string(),
  workdays: z.number().int().min(1).max(MAX_EXTENSION_DAYS),
  at: z.date(),
  /** lapsed: the order moved to another stage before anyone decided */
  status: z.enum(['pending', 'approved', 'refused', 'lapsed']),
  decision: z.object({ by: z.string(), byName: z.string(), role: staffRole, at: z.date(), reason: z.string().optional() }).optional(),
})
export type Extension = z.infer<typeof extensionSchema>
export const EXTENSION_LABEL: Record<Extension['status'], string> = { pending: '待审批', approved: '已同意', refused: '未同意', lapsed: '已失效（环节已变）' }

// ---------- inputs ----------
/** How long the responsible level has to answer a 督办. */
export const REPLY_WITHIN = {
  '4h': { value: 4, unit: 'hours' },
  '1d': { value: 1, unit: 'workdays' },
  '2d': { value: 2, unit: 'workdays' },
  '3d': { value: 3, unit: 'workdays' },
} as const satisfies Record<string, TimeLimit>
export type ReplyWithin = keyof typeof REPLY_WITHIN
export const REPLY_WITHIN_LABEL: Record<ReplyWithin, string> = { '4h': '4小时内', '1d': '1个工作日内', '2d': '2个工作日内', '3d': '3个工作日内' }

export const superviseInput = z.object({
  id: idSchema,
  instruction: text('督办要求', 4, 200),
  replyWithin: z.enum(Object.keys(REPLY_WITHIN) as [ReplyWithin, ...ReplyWithin[]], { error: '请选择答复期限' }),
})
export const answerSupervisionInput = z.object({ id: idSchema, reply: text('办理情况', 4, 300) })
export const requestExtensionInput = z.object({
  id: idSchema,
  workdays: z
    .number({ error: '请选择延期天数' })
    .int('延期天数应为整数')
    .min(1, `每次可延期1到${MAX_EXTENSION_DAYS}个工作日`)
    .max(MAX_EXTENSION_DAYS, `每次可延期1到${MAX_EXTENSION_DAYS}个工作日`),
  reason: text('延期原因', 2, 200),
})
export const decideExtensionInput = z
  .object({ id: idSchema, approve: z.boolean({ error: '请选择同意或不同意' }), reason: z.string().trim().max(200, '原因不能超过200字').optional() })
  .refine((v) => v.approve || (v.reason ?? '').length >= 2, { message: '不同意延期需要填写原因（至少2个字）', path: ['reason'] })
/** fixed: a note is optional; not fixed: what the villager said is required */
export const followUpInput = z
  .object({
    id: idSchema,
    fixed: z.boolean({ error: '请选择村民说「已解决」还是「未解决」' }),
    note: z.string().trim().max(200, '回访记录不能超过200字').optional(),
    reason: text('村民反映的情况', 2, 200).optional(),
  })
  .refine((v) => v.fixed || !!v.reason, { message: '请填写村民反映的情况（至少2个字）', path: ['reason'] })

export const SUPERVISION_FILTERS = ['open', 'answered', 'overdue', 'closed'] as const

// ---------- who answers, who decides ----------
/** The staff level responsible for an order now: its village station, or the township once escalated. */
export const responsibleLevel = (status: OrderState): StaffRole => (status === 'escalated' ? 'township' : 'station')

/** The highest staff level the caller holds over this order (a person may hold several). */
export function levelOn(caller: Caller, scopePath: readonly string[]): StaffRole | null {
  const held = grantsCovering(caller, STAFF_ROLES, scopePath).map((g) => g.role as StaffRole)
  return held.sort((a, b) => STAFF_RANK[b] - STAFF_RANK[a])[0] ?? null
}

/** 督办 comes from above the responsible level: a township cannot 督办 an order it holds itself. */
export function requireSupervisor(level: StaffRole | null, to: StaffRole): StaffRole {
  if (!level || STAFF_RANK[level] <= STAFF_RANK[to]) throw new AppError('FORBIDDEN', '督办由上级发起：这条诉求正由本级负责办理')
  return level
}

/** The level the 督办 was sent to answers it, and never the person who opened it. */
export function requireAnswerer(caller: Caller, scopePath: readonly string[], s: { to: StaffRole; by: string }): void {
  if (s.by === caller.openId) throw new AppError('FORBIDDEN', '不能答复自己发起的督办')
  if (grantsCovering(caller, [s.to], scopePath).length === 0) throw new AppError('FORBIDDEN', '督办由被督办的单位答复')
}

/** The responsible level asks for more time. */
export function requireRequester(caller: Caller, scopePath: readonly string[], status: OrderState): StaffRole {
  const to = responsibleLevel(status)
  if (grantsCovering(caller, [to], scopePath).length === 0) throw new AppError('FORBIDDEN', '延期由正在负责办理的单位申请')
  return to
}

/** The level above the requester decides, and never the requester. */
export function requireDecider(caller: Caller, scopePath: readonly string[], ext: { role: StaffRole; by: string }): StaffRole {
  if (ext.by === caller.openId) throw new AppError('FORBIDDEN', '不能审批自己提交的延期申请')
  const level = levelOn(caller, scopePath)
  if (!level || STAFF_RANK[level] <= STAFF_RANK[ext.role]) throw new AppError('FORBIDDEN', '延期申请须由上一级审批')
  return level
}
