// What a person types, checked with no schema library. The villager pages live in the weapp main
// package, which cannot carry the full zod; they check what they send here, and the function
// checks it again with the full schema (the server's word is final). The rules both share —
// patterns, limits, the Chinese messages — have one home: here (or in the concept's own leaf
// module, e.g. grid codes in grid.ts), and schemas.ts builds its zod schemas from them.
// test/unit/checks.test.ts holds each check to its schema's answers on generated input.
import { GRID_CODE_MESSAGE, GRID_CODE_RE } from './grid'

export type Issue = { path: (string | number)[]; message: string }
/** Shaped like zod's `safeParse` result, so a form reads either the same way. */
export type Checked<T> = { success: true; data: T } | { success: false; error: { issues: Issue[] } }

/** Version of 用户隐私保护指引 (src/pages/privacy); bump it when the text changes so people agree again. */
export const PRIVACY_VERSION = '2026-11'
export const CONSENT_MESSAGE = '请先阅读并同意《用户隐私保护指引》'

/** A mobile number, or a landline with its area code. */
export const PHONE_RE = /^(1\d{10}|0\d{2,3}-?\d{7,8})$/
export const PHONE_MESSAGE = { missing: '请填写联系电话', format: '电话号码格式不正确，请填写11位手机号或带区号的座机号' }
/** A client-made idempotency key: a retry with the same one is the same request. */
export const REQUEST_ID_RE = /^[A-Za-z0-9_-]{8,64}$/
export const REQUEST_ID_MESSAGE = { missing: '缺少请求编号', format: '请求编号格式不正确' }
export const ID_MAX = 64
export const ID_MESSAGE = { empty: '缺少编号', tooLong: '编号过长' }

/** What the order form asks a villager to type: limits and messages. */
export const ORDER_TEXT = {
  descriptionMin: 4,
  descriptionMax: 500,
  descriptionTooLong: '描述不能超过500字',
  contactNameMax: 20,
  contactNameTooLong: '姓名不能超过20字',
  preferredTimeMax: 40,
  preferredTimeTooLong: '期望时间不能超过40字',
  extrasMax: 5,
  extraKeyMax: 20,
  extraValueMax: 100,
  extraValueTooLong: '附加信息每项不能超过100字',
} as const

/** The description the order needs: 4 characters at least — unless a voice note says it. */
export const describeMessage = (description: string) =>
  description ? '请至少用4个字描述需要什么帮助，或按住说话录一段语音' : '请描述需要什么帮助，或按住说话录一段语音'

/** A voice note (按住说话): a stored recording and its length. */
export const VOICE_MAX_SECONDS = 60
export const VOICE_FILE_RE = /^cloud:\/\/\S+\.(mp3|aac|m4a|webm|ogg)$/i
export const VOICE_MESSAGE = {
  file: '语音文件不正确，请重新录音',
  seconds: '语音时长不正确',
  tooShort: '语音太短了，请按住多说几句',
  tooLong: `语音不能超过${VOICE_MAX_SECONDS}秒`,
}
/** 帮家人点单: the family member's name (their phone is checked as any phone). */
export const FAMILY_NAME_MAX = 20
export const FAMILY_MESSAGE = { name: '请填写家人的称呼', nameTooLong: '家人称呼不能超过20字' }

// ---------- the checks ----------
/** zod's wording of a wrong type, for the fields whose schema gives no Chinese one (never typed by a person). */
const WRONG = '输入不正确'
type Path = (string | number)[]
type Text = { missing?: string; trim?: boolean; upper?: boolean; min?: [number, string]; max?: [number, string]; re?: [RegExp, string] }

/**
 * The issues of one value, in the order zod reports them. `aborted`: the value is of the wrong
 * type (zod then skips the object's own refinements); an issue of a check does not abort.
 */
class Run {
  issues: Issue[] = []
  aborted = false
  wrong(path: Path, message = WRONG) {
    this.issues.push({ path, message })
    this.aborted = true
  }
  text(v: unknown, path: Path, r: Text): string | undefined {
    if (typeof v !== 'string') return void this.wrong(path, r.missing)
    let s = r.trim ? v.trim() : v
    if (r.upper) s = s.toUpperCase()
    if (r.min && s.length < r.min[0]) this.issues.push({ path, message: r.min[1] })
    if (r.max && s.length > r.max[0]) this.issues.push({ path, message: r.max[1] })
    if (r.re && !r.re[0].test(s)) this.issues.push({ path, message: r.re[1] })
    return s
  }
  /** a key that may be left out (undefined): kept out of the answer */
  optional<T>(out: Record<string, unknown>, input: Record<string, unknown>, key: string, check: (v: unknown) => T) {
    if (!(key in input)) return
    out[key] = input[key] === undefined ? undefined : check(input[key])
  }
  object(v: unknown, path: Path): Record<string, unknown> | undefined {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>
    this.wrong(path)
  }
  done<T>(data: T): Checked<T> {
    return this.issues.length ? { success: false, error: { issues: this.issues } } : { success: true, data }
  }
}

const gridCodeText: Text = { missing: GRID_CODE_MESSAGE.missing, trim: true, upper: true, re: [GRID_CODE_RE, GRID_CODE_MESSAGE.format] }
const phoneText: Text = { missing: PHONE_MESSAGE.missing, trim: true, re: [PHONE_RE, PHONE_MESSAGE.format] }
const idText: Text = { trim: true, min: [1, ID_MESSAGE.empty], max: [ID_MAX, ID_MESSAGE.tooLong] }

/** A typed or scanned grid code as the server reads it (trimmed, in capitals), or why it is none. */
export function checkGridCode(v: unknown): Checked<string> {
  const run = new Run()
  const code = run.text(v, [], gridCodeText)
  return run.done(code as string)
}

function family(run: Run, x: unknown, path: Path): Family | unknown {
  const o = run.object(x, path)
  if (!o) return x
  const name = run.text(o.name, [...path, 'name'], { missing: FAMILY_MESSAGE.name, trim: true, min: [1, FAMILY_MESSAGE.name], max: [FAMILY_NAME_MAX, FAMILY_MESSAGE.nameTooLong] })
  const phone = run.text(o.phone, [...path, 'phone'], phoneText)
  return { name, phone }
}

/** 帮家人点单: the family member's name and phone, as `familySchema` of order.ts answers. */
export function checkFamily(v: unknown): Checked<Family> {
  const run = new Run()
  const data = family(run, v, [])
  return run.done(data as Family)
}

export type VoiceNote = { fileId: string; seconds: number }
export type Family = { name: string; phone: string }

/** What the order form sends, before sending: as `placeOrderInput` of order.ts answers. */
export type PlaceOrderDraft = {
  requestId: string
  gridCode: string
  serviceId: string
  description: string
  voice?: VoiceNote
  forFamily?: Family
  contactPhone: string
  contactName?: string
  preferredTime?: string
  privacyVersion: typeof PRIVACY_VERSION
  extras?: { key: string; value: string }[]
}

/**
 * The order form's input checked as the function will check it: the first issue, its path
 * and its message are the ones `placeOrderInput.safeParse` gives. Keys this check does not
 * know pass through untouched for the server to judge.
 */
export function checkPlaceOrder(input: unknown): Checked<PlaceOrderDraft> {
  const run = new Run()
  const v = run.object(input, [])
  if (!v) return run.done(null as never)
  const out: Record<string, unknown> = { ...v }
  out.requestId = run.text(v.requestId, ['requestId'], { missing: REQUEST_ID_MESSAGE.missing, re: [REQUEST_ID_RE, REQUEST_ID_MESSAGE.format] })
  out.gridCode = run.text(v.gridCode, ['gridCode'], gridCodeText)
  out.serviceId = run.text(v.serviceId, ['serviceId'], idText)
  out.description = v.description === undefined ? '' : run.text(v.description, ['description'], { trim: true, max: [ORDER_TEXT.descriptionMax, ORDER_TEXT.descriptionTooLong] })
  run.optional(out, v, 'voice', (x) => {
    const o = run.object(x, ['voice'])
    if (!o) return x
    const fileId = run.text(o.fileId, ['voice', 'fileId'], { max: [400, WRONG], re: [VOICE_FILE_RE, VOICE_MESSAGE.file] })
    const seconds = o.seconds
    if (typeof seconds !== 'number' || !Number.isFinite(seconds)) run.wrong(['voice', 'seconds'], VOICE_MESSAGE.seconds)
    else {
      if (!Number.isSafeInteger(seconds)) run.issues.push({ path: ['voice', 'seconds'], message: VOICE_MESSAGE.seconds })
      if (seconds < 1) run.issues.push({ path: ['voice', 'seconds'], message: VOICE_MESSAGE.tooShort })
      if (seconds > VOICE_MAX_SECONDS) run.issues.push({ path: ['voice', 'seconds'], message: VOICE_MESSAGE.tooLong })
    }
    return { fileId, seconds }
  })
  run.optional(out, v, 'forFamily', (x) => family(run, x, ['forFamily']))
  out.contactPhone = run.text(v.contactPhone, ['contactPhone'], phoneText)
  run.optional(out, v, 'contactName', (x) => run.text(x, ['contactName'], { trim: true, max: [ORDER_TEXT.contactNameMax, ORDER_TEXT.contactNameTooLong] }))
  run.optional(out, v, 'preferredTime', (x) => run.text(x, ['preferredTime'], { trim: true, max: [ORDER_TEXT.preferredTimeMax, ORDER_TEXT.preferredTimeTooLong] }))
  if (v.privacyVersion !== PRIVACY_VERSION) run.wrong(['privacyVersion'], CONSENT_MESSAGE)
  run.optional(out, v, 'extras', (x) => {
    if (!Array.isArray(x)) return run.wrong(['extras'])
    // too many: zod looks no further into the list
    if (x.length > ORDER_TEXT.extrasMax) return run.wrong(['extras'])
    return x.map((e, i) => {
      const o = run.object(e, ['extras', i])
      if (!o) return e
      const key = run.text(o.key, ['extras', i, 'key'], { max: [ORDER_TEXT.extraKeyMax, WRONG] })
      const value = run.text(o.value, ['extras', i, 'value'], { max: [ORDER_TEXT.extraValueMax, ORDER_TEXT.extraValueTooLong] })
      return { key, value }
    })
  })
  // the object's own rule runs only when no value was of the wrong type (as zod's refinements)
  const description = out.description
  if (!run.aborted && !out.voice && typeof description === 'string' && description.length < ORDER_TEXT.descriptionMin)
    run.issues.push({ path: ['description'], message: describeMessage(description) })
  return run.done(out as PlaceOrderDraft)
}
