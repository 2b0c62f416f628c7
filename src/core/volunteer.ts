import { z } from 'zod'
import { cursorMsSchema, idSchema, phoneSchema, PRIVACY_VERSION, requestIdSchema } from './schemas'
import { personNameSchema } from './tree'

// Volunteer registration, number plates (一人一号牌) and badges (亮码亮证).

/** Skills a volunteer can offer; services name the skill they need (catalogue). */
export const VOLUNTEER_SKILLS = ['水电', '家电', '跑腿', '陪护', '调解', '政策', '巡查', '保洁', '医疗', '理发'] as const
export const AVAILABILITY = ['工作日白天', '工作日晚上', '周末', '随叫随到'] as const
export const VOLUNTEER_STATUSES = ['pending', 'approved', 'rejected', 'suspended'] as const
export type VolunteerStatus = (typeof VOLUNTEER_STATUSES)[number]
export const VOLUNTEER_STATUS_LABEL: Record<VolunteerStatus, string> = {
  pending: '待审核',
  approved: '已通过',
  rejected: '未通过',
  suspended: '已暂停',
}

/** XF01-0217: township code, dash, 4-digit sequence within the township. */
export const PLATE_RE = /^[A-Z]{2,4}\d{2}-\d{4}$/
export const plateSchema = z.string().trim().toUpperCase().regex(PLATE_RE, '号牌格式不正确，如 XF01-0217')

const fileIdSchema = z.string().startsWith('cloud://', '照片文件不正确').max(300)

/** One registration per person (_id = openId); `phone` is unique too. */
export const volunteerDocSchema = z.object({
  _id: idSchema,
  openId: z.string(),
  name: z.string(),
  phone: z.string(),
  gridId: idSchema,
  gridName: z.string(),
  villageName: z.string(),
  townshipName: z.string(),
  /** the grid's ancestry: staff scope queries match any of it */
  scopePath: z.array(idSchema),
  skills: z.array(z.string()),
  availability: z.array(z.string()),
  photo: z.string().optional(),
  status: z.enum(VOLUNTEER_STATUSES),
  plate: z.string().optional(),
  teamId: z.string().optional(),
  teamName: z.string().optional(),
  reason: z.string().optional(),
  privacyVersion: z.string(),
  /** the registration's request id: a retried submission answers with what was stored */
  requestId: z.string().optional(),
  createdAt: z.date(),
  updatedAt: z.date(),
  /** append-only audit: who approved / rejected / suspended / restored, when, why */
  history: z.array(z.object({ at: z.date(), action: z.string(), by: z.string(), byName: z.string(), reason: z.string().optional() })),
})
export type VolunteerDoc = z.infer<typeof volunteerDocSchema>

export const registerInput = z.object({
  requestId: requestIdSchema,
  name: personNameSchema,
  phone: phoneSchema,
  gridId: idSchema,
  skills: z.array(z.enum(VOLUNTEER_SKILLS, { error: '请从列表中选择特长' })).min(1, '请至少选择一项特长').max(VOLUNTEER_SKILLS.length),
  availability: z.array(z.enum(AVAILABILITY, { error: '请从列表中选择服务时间' })).min(1, '请至少选择一个可服务时间'),
  photo: fileIdSchema.optional(),
  privacyVersion: z.literal(PRIVACY_VERSION, { error: '请先阅读并同意《用户隐私保护指引》' }),
})
export const volunteerListInput = z.object({
  status: z.enum(VOLUNTEER_STATUSES).default('pending'),
  /** a staff node of the caller; default the first */
  nodeId: idSchema.optional(),
  /** page by createdAt (ms), as order lists do */
  before: cursorMsSchema.optional(),
  limit: z.number().int().min(1).max(50).default(20),
  /** find one: a plate or a phone number (exact), or the start of a name */
  q: z.string().trim().max(20, '查找内容不能超过20字').optional(),
})
export const approveVolunteerInput = z.object({
  id: idSchema,
  /** the team to join; default: the team covering the volunteer's grid */
  teamId: idSchema.optional(),
})
export const volunteerReasonInput = z.object({
  id: idSchema,
  reason: z.string({ error: '请填写原因' }).trim().min(2, '请填写原因（至少2个字）').max(200, '原因不能超过200字'),
})
export const volunteerIdInput = z.object({ id: idSchema })
export const verifyInput = z
  .object({ token: z.string().trim().min(1).max(400).optional(), plate: plateSchema.optional() })
  .refine((v) => Boolean(v.token) !== Boolean(v.plate), { message: '请扫描志愿者胸牌上的二维码，或输入号牌' })

export type RegisterInput = z.infer<typeof registerInput>

// ---------- number plates ----------
/** The counter document that allocates a township's plate sequence. */
export const plateCounterId = (townshipId: string) => `plate_${townshipId}`

/** XF01-0217 → { townshipCode: 'XF01', seq: 217 }; null when it is not a plate. */
export function parsePlate(plate: string): { townshipCode: string; seq: number } | null {
  if (!PLATE_RE.test(plate)) return null
  const [townshipCode, seq] = plate.split('-')
  const n = Number(seq)
  return n >= 1 ? { townshipCode, seq: n } : null
}

/** Highest sequence issued per township code (seeds write these as the counters' start). */
export function highestPlateSeqs(plates: Iterable<string>): Map<string, number> {
  const out = new Map<string, number>()
  for (const p of plates) {
    const parsed = parsePlate(p)
    if (parsed && parsed.seq > (out.get(parsed.townshipCode) ?? 0)) out.set(parsed.townshipCode, parsed.seq)
  }
  return out
}

// ---------- badges (亮码亮证) ----------
/** A badge token lives this long: a screenshot passed around stops working soon. */
export const BADGE_TTL_MS = 10 * 60 * 1000
export const BADGE_TOKEN_VERSION = 'v1'
/** Key ids: short, URL-safe (they travel inside the token). */
export const BADGE_KID_RE = /^[A-Za-z0-9_-]{1,16}$/
/**
 * `v1.<kid>.<subject (the plate) base64url>.<expiry seconds base36>.<HMAC-SHA256 base64url>`; the HMAC
 * covers everything before the last dot. Signing needs a secret: cloudfunctions/shared/badge.ts.
 */
const TOKEN_RE = /^v1\.([A-Za-z0-9_-]{1,16})\.([A-Za-z0-9_-]{1,120})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{43})$/

export type BadgeTokenParts = { kid: string; subjectB64: string; exp: number; payload: string; sig: string }

/** The parts of a well-formed token (no signature check), or null. */
export function parseBadgeToken(token: string): BadgeTokenParts | null {
  const m = TOKEN_RE.exec(token)
  if (!m) return null
  const exp = parseInt(m[3], 36)
  if (!Number.isSafeInteger(exp) || exp <= 0) return null
  return { kid: m[1], subjectB64: m[2], exp, payload: token.slice(0, token.lastIndexOf('.')), sig: m[4] }
}

/** The signed part of a token: `v1.<kid>.<subject (the plate) base64url>.<expiry seconds base36>`. */
export const badgePayload = (kid: string, subjectB64: string, expSeconds: number) =>
  `${BADGE_TOKEN_VERSION}.${kid}.${subjectB64}.${expSeconds.toString(36)}`

/** The public check page a badge QR opens (H5, any scanner). */
export const verifyUrlFor = (publicUrl: string, token: string) => `${publicUrl}/#/join/verify/index?t=${encodeURIComponent(token)}`

/** 张三明 → 张*明, 张三 → 张*, 欧阳小明 → 欧**明: for public plate look-ups. */
export function maskPersonName(name: string): string {
  const chars = Array.from(name.trim())
  if (chars.length === 0) return '志愿者'
  if (chars.length === 1) return chars[0]
  if (chars.length === 2) return `${chars[0]}*`
  return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1]
}

// ---------- views ----------
/** What the volunteer and staff in scope see (full phone); `photoUrl` resolved by the caller. */
export function toVolunteerView(v: VolunteerDoc, photoUrl: string | null = null): VolunteerView {
  return {
    id: v._id,
    name: v.name,
    phone: v.phone,
    gridId: v.gridId,
    gridName: v.gridName,
    villageName: v.villageName,
    townshipName: v.townshipName,
    skills: v.skills,
    availability: v.availability,
    photo: v.photo ?? null,
    photoUrl: v.photo ? photoUrl : null,
    status: v.status,
    plate: v.plate ?? null,
    teamId: v.teamId ?? null,
    teamName: v.teamName ?? null,
    reason: v.reason ?? null,
    createdAt: new Date(v.createdAt).getTime(),
    updatedAt: new Date(v.updatedAt).getTime(),
  }
}

export type VolunteerView = {
  id: string
  name: string
  /** full only for the volunteer and staff in scope; masked otherwise */
  phone: string
  gridId: string
  gridName: string
  villageName: string
  townshipName: string
  skills: string[]
  availability: string[]
  photo: string | null
  photoUrl: string | null
  status: VolunteerStatus
  plate: string | null
  teamId: string | null
  teamName: string | null
  /** why rejected / suspended */
  reason: string | null
  createdAt: number
  updatedAt: number
}
