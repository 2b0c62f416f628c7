// A service's extra fields (附加信息, e.g. 家电维修 → 电器类型) and its emergency note
// (燃气泄漏 → 119): what an order of it must carry, and when it must not be ordered at all.
// Pure and free of zod: the villager's order page (main package) imports it.
import { AppError } from './errors'

export const FIELD_TYPES = ['text', 'number', 'select'] as const
export type FieldType = (typeof FIELD_TYPES)[number]
export const FIELD_TYPE_LABEL: Record<FieldType, string> = { text: '文字', number: '数字', select: '单选' }

/** One extra question an order of the service answers. */
export type ServiceField = {
  /** stable key, [a-z][a-z0-9_]* */
  key: string
  /** what the villager reads, ≤ 10 characters */
  label: string
  type: FieldType
  /** select: the choices */
  options?: string[]
  required: boolean
}

/** Numbers a service can send people to instead of waiting for a volunteer. */
export const EMERGENCY_NUMBERS = ['110', '119', '120', '122'] as const
export type EmergencyNumber = (typeof EMERGENCY_NUMBERS)[number]
export const EMERGENCY_LABEL: Record<EmergencyNumber, string> = { '110': '报警', '119': '火警', '120': '急救', '122': '交通事故报警' }
export type Emergency = { number: EmergencyNumber; note: string }

/** What a stored service carries beyond name, category, description, skill, sort and active. */
export type ServiceExtras = {
  fields?: ServiceField[]
  /** set: the service must not wait for a volunteer; ordering it is refused, the app offers the call */
  emergency?: Emergency | null
  /** disputes, people needing help: never published (Open311) */
  sensitive?: boolean
}

/** An answer as the order keeps it: the label travels with the value, so later edits of the field change nothing. */
export type ExtraValue = { key: string; label: string; value: string }
export type ExtraInput = { key: string; value: string }

export const MAX_EXTRA_TEXT = 50
const NUMBER_RE = /^-?\d{1,9}(\.\d{1,2})?$/

/**
 * Why an order of this service is refused, or null: an emergency service does not wait for a volunteer.
 * The sentence names the number to call.
 */
export function emergencyRefusal(s: { name: string; emergency?: Emergency | null }): string | null {
  if (!s.emergency) return null
  return `「${s.name}」不能等待志愿者，请立即拨打 ${s.emergency.number}`
}

export type ExtrasCheck = { ok: true; extras: ExtraValue[] } | { ok: false; key: string; message: string }

/**
 * The extra answers of an order checked against the service's fields (the live catalogue):
 * unknown or repeated keys, required answers missing, numbers that are not numbers, choices not
 * offered, text too long. Answers come back in the fields' order with their labels; empty
 * optional answers are left out.
 */
export function checkExtras(fields: readonly ServiceField[] | undefined, given: readonly ExtraInput[] | undefined): ExtrasCheck {
  const list = fields ?? []
  const answers = new Map<string, string>()
  for (const a of given ?? []) {
    const field = list.find((f) => f.key === a.key)
    if (!field) return { ok: false, key: a.key, message: '这项服务的附加信息已经更新，请返回重新选择服务' }
    if (answers.has(a.key)) return { ok: false, key: a.key, message: `「${field.label}」填写了两次` }
    answers.set(a.key, String(a.value ?? '').trim())
  }
  const extras: ExtraValue[] = []
  for (const f of list) {
    const value = answers.get(f.key) ?? ''
    if (!value) {
      if (f.required) return { ok: false, key: f.key, message: `${f.type === 'select' ? '请选择' : '请填写'}「${f.label}」` }
      continue
    }
    if (f.type === 'number' && !NUMBER_RE.test(value)) return { ok: false, key: f.key, message: `「${f.label}」请填写数字` }
    if (f.type === 'select' && !(f.options ?? []).includes(value)) return { ok: false, key: f.key, message: `「${f.label}」请从给出的选项中选择` }
    if (value.length > MAX_EXTRA_TEXT) return { ok: false, key: f.key, message: `「${f.label}」不能超过${MAX_EXTRA_TEXT}字` }
    extras.push({ key: f.key, label: f.label, value })
  }
  return { ok: true, extras }
}

/**
 * What an order of this service carries, or a refusal: an emergency service is never ordered
 * (the sentence names the number to call), and the extra answers must fit the service's fields.
 */
export function requireOrderable(service: { name: string; emergency?: Emergency | null; fields?: ServiceField[] }, given: readonly ExtraInput[] | undefined): ExtraValue[] {
  const refusal = emergencyRefusal(service)
  if (refusal) throw new AppError('VALIDATION', refusal)
  const checked = checkExtras(service.fields, given)
  if (!checked.ok) throw new AppError('VALIDATION', checked.message, { field: checked.key })
  return checked.extras
}
