// Supervision of open orders: 督办 (the level above instructs and sets a reply
// deadline; the responsible level answers), 延期 (the responsible staff ask for
// more time; the level above decides; at most MAX_EXTENSIONS), 回访 (staff call
// a villager who has not confirmed). Who may do each is in TRANSITIONS; the rank
// rules between the two parties are here. Pure: no I/O.
import { z } from 'zod'
import { AppError } from './errors'
import { type TimeLimit } from './calendar'
import { idSchema, STAFF_RANK, STAFF_ROLES, type ActorRole, type StaffRole } from './schemas'

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
  instruction: z.string(),
  at: z.date(),
  replyBy: z.date(),
  status: z.enum(['open', 'answered', 'overdue']),
  reply: z.object({ text: z.string(), at: z.date(), by: z.string(), byName: z.string(), role: staffRole }).optional(),
})
export type Supervision = z.infer<typeof supervisionSchema>
export type SupervisionStatus = Supervision['status']
export const SUPERVISION_LABEL: Record<SupervisionStatus, string> = { open: '待答复', answered: '已答复', overdue: '超期未答复' }

export const extensionSchema = z.object({
  by: z.string(),
  byName: z.string(),
  role: staffRole,
  reason: z.string(),
  workdays: z.number().int().min(1).max(MAX_EXTENSION_DAYS),
  at: z.date(),
  status: z.enum(['pending', 'approved', 'refused']),
  decision: z.object({ by: z.string(), byName: z.string(), role: staffRole, at: z.date(), reason: z.string().optional() }).optional(),
})
export type Extension = z.infer<typeof extensionSchema>
export const EXTENSION_LABEL: Record<Extension['status'], string> = { pending: '待审批', approved: '已同意', refused: '未同意' }

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
export const followUpInput = z.discriminatedUnion(
  'fixed',
  [
    z.object({ id: idSchema, fixed: z.literal(true), note: z.string().trim().max(200, '回访记录不能超过200字').optional() }),
    z.object({ id: idSchema, fixed: z.literal(false), reason: text('村民反映的情况', 2, 200) }),
  ],
  { error: '请选择村民说「已解决」还是「未解决」' },
)

export const SUPERVISION_FILTERS = ['open', 'answered', 'overdue'] as const

// ---------- rank rules ----------
const rankOf = (r: ActorRole) => (r in STAFF_RANK ? STAFF_RANK[r as StaffRole] : 0)

/** Only a level above the one that asked may decide (station → township or county; township → county). */
export function requireAbove(actor: ActorRole, other: StaffRole, what: string): void {
  if (rankOf(actor) <= STAFF_RANK[other]) throw new AppError('FORBIDDEN', `${what}须由上一级审批或答复`)
}

/** A 督办 is answered by a level below the one that opened it. */
export function requireBelow(actor: ActorRole, supervisor: StaffRole): void {
  if (rankOf(actor) >= STAFF_RANK[supervisor]) throw new AppError('FORBIDDEN', '督办由被督办的下级单位答复')
}
