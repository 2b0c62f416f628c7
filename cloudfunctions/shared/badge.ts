// Badge tokens (亮码): HMAC-SHA256 over `v1.<kid>.<subject>.<expiry>` with a server secret.
// The subject is the volunteer's plate (public anyway), not the openId, which a scanner could read.
// The token format is pure (src/core/volunteer.ts); the secrets and the MAC live here.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { AppError, ARRIVAL_WINDOW_MS, BADGE_KID_RE, BADGE_TTL_MS, badgePayload, parseBadgeToken } from '../../src/core'

export type BadgeKey = { kid: string; secret: string }
export type BadgeCheck = { ok: true; subject: string; expiresAt: number } | { ok: false; reason: 'malformed' | 'unknown_key' | 'bad_signature' | 'expired' }

/** 32 random bytes as base64 (or 64 hex digits): `openssl rand -base64 32` */
export const MIN_SECRET_LENGTH = 43
const SECRET_RE = /^[A-Za-z0-9+/=_-]+$/

/**
 * XF_BADGE_KEYS = "kid1:secret1,kid0:secret0": the first key signs, every listed key verifies.
 * Rotation: put a new key first (old tokens still verify), drop the old one once its tokens
 * have expired (10 minutes). Secrets: at least 32 random bytes, written as base64 or hex
 * (≥ 43 characters); kids are [A-Za-z0-9_-]{1,16}.
 * A bad value is a deployment error: refuse clearly (never name the secret).
 */
export function parseBadgeKeys(value: string): BadgeKey[] {
  const keys: BadgeKey[] = []
  for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const i = part.indexOf(':')
    const kid = i > 0 ? part.slice(0, i).trim() : ''
    const secret = i > 0 ? part.slice(i + 1).trim() : ''
    if (!BADGE_KID_RE.test(kid)) throw new AppError('INTERNAL', '亮码密钥配置错误（XF_BADGE_KEYS 的密钥编号应为字母数字，如 k2:密钥），请联系管理员')
    if (secret.length < MIN_SECRET_LENGTH || !SECRET_RE.test(secret)) {
      throw new AppError('INTERNAL', `亮码密钥配置错误（密钥 ${kid} 应为至少32字节的随机数的 base64 编码，如 openssl rand -base64 32 的结果），请联系管理员`)
    }
    if (keys.some((k) => k.kid === kid)) throw new AppError('INTERNAL', `亮码密钥配置错误（密钥编号 ${kid} 重复），请联系管理员`)
    keys.push({ kid, secret })
  }
  if (keys.length === 0) throw new AppError('INTERNAL', '亮码密钥配置错误（XF_BADGE_KEYS 为空），请联系管理员')
  return keys
}

/** In a CloudBase / SCF function instance (not the local runtime, which sets neither). */
export const inCloud = (env: Record<string, string | undefined>) => Boolean(env.TENCENTCLOUD_RUNENV || env.SCF_FUNCTIONNAME)

// Locally, without XF_BADGE_KEYS: a random key per process (never a key anyone knows;
// tokens simply stop verifying when the runtime restarts — they live 10 minutes anyway).
let devKey: BadgeKey | undefined
let parsed: { value: string; keys: BadgeKey[] } | undefined

/** The configured keys. In the cloud a missing XF_BADGE_KEYS refuses rather than fall back. */
export function badgeKeys(env: Record<string, string | undefined> = process.env): BadgeKey[] {
  const value = env.XF_BADGE_KEYS?.trim()
  if (value) {
    if (parsed?.value !== value) parsed = { value, keys: parseBadgeKeys(value) }
    return parsed.keys
  }
  if (inCloud(env)) throw new AppError('INTERNAL', '亮码功能未配置密钥（XF_BADGE_KEYS），请联系管理员')
  devKey ??= { kid: 'dev', secret: randomBytes(32).toString('hex') }
  return [devKey]
}

const mac = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest('base64url')

/** A token for `subject` valid for BADGE_TTL_MS, signed with the first key. */
export function signBadge(subject: string, now: Date, keys: readonly BadgeKey[]): { token: string; expiresAt: number } {
  const key = keys[0]
  if (!key) throw new AppError('INTERNAL', '亮码功能未配置密钥（XF_BADGE_KEYS），请联系管理员')
  const exp = Math.ceil((now.getTime() + BADGE_TTL_MS) / 1000)
  const payload = badgePayload(key.kid, Buffer.from(subject, 'utf8').toString('base64url'), exp)
  return { token: `${payload}.${mac(key.secret, payload)}`, expiresAt: exp * 1000 }
}

/** Format, known key, MAC (constant time), then expiry — a forged expired token is 'bad_signature', not 'expired'. */
export function checkBadge(token: string, now: Date, keys: readonly BadgeKey[]): BadgeCheck {
  const t = parseBadgeToken(token)
  if (!t) return { ok: false, reason: 'malformed' }
  const key = keys.find((k) => k.kid === t.kid)
  if (!key) return { ok: false, reason: 'unknown_key' }
  const expected = Buffer.from(mac(key.secret, t.payload), 'utf8')
  const given = Buffer.from(t.sig, 'utf8')
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'bad_signature' }
  if (t.exp * 1000 <= now.getTime()) return { ok: false, reason: 'expired' }
  const subject = Buffer.from(t.subjectB64, 'base64url').toString('utf8')
  // base64url decoding is lenient: the id must encode back to exactly what was signed
  if (!subject || Buffer.from(subject, 'utf8').toString('base64url') !== t.subjectB64) return { ok: false, reason: 'malformed' }
  return { ok: true, subject, expiresAt: t.exp * 1000 }
}

// ---------- arrival codes (到场核验) ----------
// The villager's order page shows a 6-digit code the volunteer types or scans at the door:
// HMAC of the order and the 10-minute window, so it proves presence only while it is fresh.
const arrivalDigits = (secret: string, orderId: string, window: number) =>
  String(createHmac('sha256', secret).update(`arrive.${orderId}.${window}`).digest().readUInt32BE(0) % 1_000_000).padStart(6, '0')

/** The code for now (first key) and until when it is accepted (the end of the next window). */
export function arrivalCode(orderId: string, now: Date, keys: readonly BadgeKey[]): { code: string; validUntil: number } {
  const key = keys[0]
  if (!key) throw new AppError('INTERNAL', '核验功能未配置密钥（XF_BADGE_KEYS），请联系管理员')
  const w = Math.floor(now.getTime() / ARRIVAL_WINDOW_MS)
  return { code: arrivalDigits(key.secret, orderId, w), validUntil: (w + 2) * ARRIVAL_WINDOW_MS }
}

/** A code of this window or the one before, under any key (constant-time compare). */
export function checkArrivalCode(orderId: string, code: string, now: Date, keys: readonly BadgeKey[]): boolean {
  const w = Math.floor(now.getTime() / ARRIVAL_WINDOW_MS)
  const given = Buffer.from(code.padEnd(6, ' ').slice(0, 6))
  let ok = false
  for (const k of keys) for (const win of [w, w - 1]) ok = timingSafeEqual(Buffer.from(arrivalDigits(k.secret, orderId, win)), given) || ok
  return ok
}
