// The service catalogue (服务清单) as the county edits it: a service's name, category,
// description, matching skill, extra fields, emergency note and sensitivity; its own time
// limits and base points live in the county's timeliness settings and points rules.
// Pure: no I/O. Admin pages and the functions import it (never the villager pages).
import { z } from 'zod'
import { AppError } from './errors'
import { idSchema, type Service } from './schemas'
import { stageLimitsSchema, type StageLimits } from './timeliness'
import { ruleFor, type PointRules, type RuleItem } from './points'
import { VOLUNTEER_SKILLS } from './volunteer'
import { EMERGENCY_NUMBERS, FIELD_TYPES, type ServiceField } from './serviceFields'

export const MAX_SERVICES = 100
export const MAX_FIELDS = 5

export const serviceFieldSchema = z
  .object({
    key: z
      .string({ error: '请填写字段编号' })
      .trim()
      .regex(/^[a-z][a-z0-9_]{0,19}$/, '字段编号只能用小写字母、数字和下划线，以字母开头，最多20位'),
    label: z.string({ error: '请填写附加信息的名称' }).trim().min(1, '请填写附加信息的名称').max(10, '附加信息的名称不能超过10字'),
    type: z.enum(FIELD_TYPES, { error: '附加信息的类型只能是文字、数字或单选' }),
    options: z.array(z.string().trim().min(1, '选项不能为空').max(20, '每个选项不能超过20字')).max(20, '选项最多20个').optional(),
    required: z.boolean().default(false),
  })
  .superRefine((f, ctx) => {
    if (f.type !== 'select') return
    const opts = f.options ?? []
    if (opts.length < 2) ctx.addIssue({ code: 'custom', message: `「${f.label}」是单选，请至少给出2个选项`, path: ['options'] })
    else if (new Set(opts).size !== opts.length) ctx.addIssue({ code: 'custom', message: `「${f.label}」的选项有重复`, path: ['options'] })
  })
  // only a select keeps options
  .transform((f): ServiceField => (f.type === 'select' ? f : { key: f.key, label: f.label, type: f.type, required: f.required }))

export const emergencySchema = z.object({
  number: z.enum(EMERGENCY_NUMBERS, { error: '紧急电话只能是 110、119、120 或 122' }),
  note: z.string({ error: '请填写紧急提示' }).trim().min(1, '请填写紧急提示').max(60, '紧急提示不能超过60字'),
})

/** A service as the editor sends it. */
export const serviceInputSchema = z.object({
  name: z.string({ error: '请填写服务名称' }).trim().min(1, '请填写服务名称').max(20, '服务名称不能超过20字'),
  category: z.string({ error: '请填写服务类别' }).trim().min(1, '请填写服务类别').max(10, '服务类别不能超过10字'),
  description: z.string().trim().max(100, '服务简介不能超过100字').default(''),
  /** the volunteer skill it needs (dispatch suggestions); '' for none */
  skill: z.union([z.enum(VOLUNTEER_SKILLS), z.literal('')], { error: '请从列表中选择擅长技能' }).default(''),
  fields: z
    .array(serviceFieldSchema)
    .max(MAX_FIELDS, `附加信息最多${MAX_FIELDS}项`)
    .refine((l) => new Set(l.map((f) => f.key)).size === l.length, '附加信息的字段编号不能重复')
    .refine((l) => new Set(l.map((f) => f.label)).size === l.length, '附加信息的名称不能重复')
    .default([]),
  emergency: emergencySchema.nullable().default(null),
  sensitive: z.boolean().default(false),
})
export type ServiceInput = z.infer<typeof serviceInputSchema>

/**
 * Create (no id) or edit a service. `limits`: its own time limits (null: the defaults; absent:
 * unchanged) with `timelinessBase`, the settings' updatedAt the edit started from. `basePoints`:
 * its own 服务办结 points (null: the category's or the general rule; absent: unchanged) with
 * `pointsVersion`, the rules' version the edit started from. A save by someone else since is refused.
 */
export const saveServiceInput = z
  .object({
    id: idSchema.optional(),
    service: serviceInputSchema,
    limits: stageLimitsSchema.nullable().optional(),
    timelinessBase: z.number().int().nonnegative().nullable().optional(),
    basePoints: z.number({ error: '基础积分应为整数' }).int('基础积分应为整数').min(0, '基础积分在0到100之间').max(100, '基础积分在0到100之间').nullable().optional(),
    pointsVersion: z.number().int().nonnegative().optional(),
  })
  .refine((i) => i.limits === undefined || i.timelinessBase !== undefined, { message: '缺少时限设置的版本，请刷新后重试', path: ['timelinessBase'] })
  .refine((i) => i.basePoints === undefined || i.pointsVersion !== undefined, { message: '缺少积分规则的版本，请刷新后重试', path: ['pointsVersion'] })
export type SaveServiceInput = z.infer<typeof saveServiceInput>

/** The new order of the catalogue: every service id, in order (categories follow their first service). */
export const reorderServicesInput = z.object({
  ids: z
    .array(idSchema)
    .min(1, '没有要排序的服务')
    .max(MAX_SERVICES * 2, '服务太多')
    .refine((l) => new Set(l).size === l.length, '排序里有重复的服务'),
})
export const setServiceActiveInput = z.object({ id: idSchema, active: z.boolean() })

/** Problems the schema cannot see: a name another service already has. */
export function serviceProblem(input: ServiceInput, id: string | undefined, all: readonly Service[]): string | null {
  const twin = all.find((s) => s._id !== id && s.name === input.name)
  if (twin) return twin.active ? `已经有名为「${input.name}」的服务` : `已经有名为「${input.name}」的服务（已停用），可以直接恢复它`
  return null
}

/** The stored service from the editor's input (sort and active are the caller's). */
export function toStoredService(id: string, input: ServiceInput, sort: number, active: boolean): Service {
  return {
    _id: id,
    name: input.name,
    category: input.category,
    ...(input.description ? { description: input.description } : {}),
    ...(input.skill ? { skill: input.skill } : {}),
    sort,
    active,
    fields: input.fields,
    emergency: input.emergency,
    sensitive: input.sensitive,
  }
}

/** The catalogue in a new order: `ids` must name every service exactly once. */
export function reorder(all: readonly Service[], ids: readonly string[]): { id: string; sort: number }[] {
  const known = new Set(all.map((s) => s._id))
  if (ids.length !== known.size || ids.some((id) => !known.has(id))) throw new AppError('CONFLICT', '服务清单刚刚被修改过，请刷新后再排序')
  return ids.map((id, i) => ({ id, sort: i + 1 })).filter(({ id, sort }) => all.find((s) => s._id === id)!.sort !== sort)
}

// ---------- time limits and base points of one service ----------

/** The county's per-service limits with this service's set (or removed); only services still in the catalogue are kept. */
export function withServiceLimits(own: Record<string, StageLimits>, serviceId: string, limits: StageLimits | null, keep: readonly string[]): Record<string, StageLimits> {
  const next = Object.fromEntries(Object.entries(own).filter(([id]) => id !== serviceId && keep.includes(id)))
  if (limits) next[serviceId] = limits
  return next
}

/** The rule item that gives this service its own base points (服务办结, for this service only). */
export const ownBaseItem = (rules: PointRules, serviceId: string): RuleItem | undefined =>
  rules.items.find((i) => i.trigger === 'service_fixed' && i.serviceId === serviceId)

/** Points a confirmed fix of this service earns now, and which rule gives them (its own, the category's, the general one). */
export function basePointsOf(rules: PointRules, service: Pick<Service, '_id' | 'category'>): { points: number | null; own: boolean; ruleName: string | null } {
  const item = ruleFor(rules, { trigger: 'service_fixed', serviceId: service._id, category: service.category })
  return { points: item?.points ?? null, own: !!item && item.serviceId === service._id, ruleName: item?.name ?? null }
}

/**
 * The rules with this service's own base points set (a new item, or the existing one changed) or
 * removed (null: the category's or the general rule applies again). Null when nothing changes.
 */
export function withBasePoints(rules: PointRules, service: Pick<Service, '_id' | 'name'>, points: number | null): PointRules | null {
  const current = ownBaseItem(rules, service._id)
  if (points === null) return current ? { ...rules, items: rules.items.filter((i) => i !== current) } : null
  if (current) {
    if (current.points === points && current.active) return null
    return { ...rules, items: rules.items.map((i) => (i === current ? { ...i, points, active: true } : i)) }
  }
  const taken = new Set(rules.items.map((i) => i.id))
  const base = `svc_${service._id.replace(/[^A-Za-z0-9_-]/g, '')}`.slice(0, 20)
  let id = base
  for (let n = 2; taken.has(id); n++) id = `${base.slice(0, 20)}_${n}`
  const item: RuleItem = {
    id,
    category: '基础积分',
    name: `完成一次「${service.name}」服务`.slice(0, 30),
    trigger: 'service_fixed',
    points,
    monthlyCap: null,
    serviceId: service._id,
    serviceCategory: null,
    level: null,
    active: true,
  }
  return { ...rules, items: [...rules.items, item] }
}
