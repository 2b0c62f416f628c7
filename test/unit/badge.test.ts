import { createHmac } from 'node:crypto'
import { BADGE_TTL_MS, parseBadgeToken, verifyUrlFor } from '../../src/core'
import { badgeKeys, checkBadge, parseBadgeKeys, signBadge, type BadgeKey } from '../../cloudfunctions/shared/badge'

const OLD: BadgeKey = { kid: 'k1', secret: 'b2xkLXNlY3JldC0wMTIzNDU2Nzg5LXRoaXJ0eS10d28tYnl0ZXM=' }
const NEW: BadgeKey = { kid: 'k2', secret: 'bmV3LXNlY3JldC05ODc2NTQzMjEwLXRoaXJ0eS10d28tYnl0ZXM=' }
const T0 = new Date('2026-11-23T08:00:00Z')
const later = (ms: number) => new Date(T0.getTime() + ms)

/** Replace one dot-separated part of a token. */
const withPart = (token: string, i: number, value: string) => token.split('.').map((p, j) => (j === i ? value : p)).join('.')
const b64 = (s: string) => Buffer.from(s).toString('base64url')

describe('badge tokens (亮码)', () => {
  test('round trip: the signed user comes back, valid for 10 minutes', () => {
    const { token, expiresAt } = signBadge('u_vol_02', T0, [OLD])
    expect(token).toMatch(/^v1\.k1\.[A-Za-z0-9_-]+\.[0-9a-z]+\.[A-Za-z0-9_-]{43}$/)
    expect(expiresAt).toBe(T0.getTime() + BADGE_TTL_MS)
    expect(checkBadge(token, T0, [OLD])).toEqual({ ok: true, subject: 'u_vol_02', expiresAt })
    expect(checkBadge(token, later(BADGE_TTL_MS - 1000), [OLD])).toMatchObject({ ok: true, subject: 'u_vol_02' })
    // any id survives the encoding (openIds carry - and _; names never travel)
    const odd = 'oAbC-12_xyz.张'
    expect(checkBadge(signBadge(odd, T0, [OLD]).token, T0, [OLD])).toMatchObject({ ok: true, subject: odd })
  })

  test('expired tokens say so (and only when genuine)', () => {
    const { token } = signBadge('u_vol_02', T0, [OLD])
    expect(checkBadge(token, later(BADGE_TTL_MS), [OLD])).toEqual({ ok: false, reason: 'expired' })
    expect(checkBadge(token, later(BADGE_TTL_MS + 3600_000), [OLD])).toEqual({ ok: false, reason: 'expired' })
    // stretching the expiry breaks the signature
    const stretched = withPart(token, 3, (Math.floor(T0.getTime() / 1000) + 86400).toString(36))
    expect(checkBadge(stretched, later(BADGE_TTL_MS + 1000), [OLD])).toEqual({ ok: false, reason: 'bad_signature' })
  })

  test('forgeries are refused: edited user, edited signature, another key, unknown kid', () => {
    const { token } = signBadge('u_vol_02', T0, [OLD])
    expect(checkBadge(withPart(token, 2, b64('u_vol_01')), T0, [OLD])).toEqual({ ok: false, reason: 'bad_signature' })
    const sig = token.split('.')[4]
    const flipped = (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1)
    expect(checkBadge(withPart(token, 4, flipped), T0, [OLD])).toEqual({ ok: false, reason: 'bad_signature' })
    // signed with a secret the server does not have, under a kid it does know
    const payload = token.slice(0, token.lastIndexOf('.'))
    const foreign = `${payload}.${createHmac('sha256', 'attacker-secret-123456').update(payload).digest('base64url')}`
    expect(checkBadge(foreign, T0, [OLD])).toEqual({ ok: false, reason: 'bad_signature' })
    // a token made with another key set entirely
    expect(checkBadge(signBadge('u_vol_02', T0, [{ kid: 'k1', secret: 'ZGlmZmVyZW50LXNlY3JldC0wMDAtdGhpcnR5LXR3by1ieXRlcw==' }]).token, T0, [OLD])).toEqual({ ok: false, reason: 'bad_signature' })
    expect(checkBadge(withPart(token, 1, 'k9'), T0, [OLD])).toEqual({ ok: false, reason: 'unknown_key' })
  })

  test('malformed strings are refused without throwing', () => {
    const { token } = signBadge('u_vol_02', T0, [OLD])
    for (const bad of ['', 'v1', 'hello', 'v2' + token.slice(2), token + '.x', token.slice(0, -1), token.replace(/\./g, '_'), ' ' + token, 'v1.k1..abc.' + 'A'.repeat(43), `v1.k1.${b64('x')}.zzzzzzzzzzz.${'A'.repeat(43)}`]) {
      expect(checkBadge(bad, T0, [OLD])).toMatchObject({ ok: false })
    }
    expect(parseBadgeToken('v1.k1.' + 'a'.repeat(121) + '.1.' + 'A'.repeat(43))).toBeNull()
  })

  test('rotation: the new key signs, the old still verifies until removed', () => {
    const oldToken = signBadge('u_vol_02', T0, [OLD]).token
    const rotated = [NEW, OLD]
    const newToken = signBadge('u_vol_02', T0, rotated).token
    expect(newToken.split('.')[1]).toBe('k2')
    expect(checkBadge(oldToken, T0, rotated)).toMatchObject({ ok: true, subject: 'u_vol_02' })
    expect(checkBadge(newToken, T0, rotated)).toMatchObject({ ok: true, subject: 'u_vol_02' })
    // old key dropped: its tokens fail, new ones still pass
    expect(checkBadge(oldToken, T0, [NEW])).toEqual({ ok: false, reason: 'unknown_key' })
    expect(checkBadge(newToken, T0, [NEW])).toMatchObject({ ok: true })
  })

  test('XF_BADGE_KEYS: parsed in order; bad values refused; cloud without keys refuses', () => {
    expect(parseBadgeKeys(' k2:bmV3LXNlY3JldC05ODc2NTQzMjEwLXRoaXJ0eS10d28tYnl0ZXM= , k1:b2xkLXNlY3JldC0wMTIzNDU2Nzg5LXRoaXJ0eS10d28tYnl0ZXM=')).toEqual([NEW, OLD])
    expect(() => parseBadgeKeys('k1:short')).toThrow(/至少32字节/)
    // long, but a phrase a person made up rather than random bytes
    expect(() => parseBadgeKeys('k1:this is our county secret and it is long enough')).toThrow(/至少32字节/)
    expect(() => parseBadgeKeys(`k1:${'a'.repeat(42)}`)).toThrow(/至少32字节/)
    expect(() => parseBadgeKeys('nokid')).toThrow(/密钥编号/)
    expect(() => parseBadgeKeys('k.1:b2xkLXNlY3JldC0wMTIzNDU2Nzg5LXRoaXJ0eS10d28tYnl0ZXM=')).toThrow(/密钥编号/)
    expect(() => parseBadgeKeys('k1:b2xkLXNlY3JldC0wMTIzNDU2Nzg5LXRoaXJ0eS10d28tYnl0ZXM=,k1:bmV3LXNlY3JldC05ODc2NTQzMjEwLXRoaXJ0eS10d28tYnl0ZXM=')).toThrow(/重复/)
    expect(badgeKeys({ XF_BADGE_KEYS: 'k2:bmV3LXNlY3JldC05ODc2NTQzMjEwLXRoaXJ0eS10d28tYnl0ZXM=,k1:b2xkLXNlY3JldC0wMTIzNDU2Nzg5LXRoaXJ0eS10d28tYnl0ZXM=' })).toEqual([NEW, OLD])
    expect(() => badgeKeys({ TENCENTCLOUD_RUNENV: 'SCF' })).toThrow(/XF_BADGE_KEYS/)
    expect(() => badgeKeys({ SCF_FUNCTIONNAME: 'volunteer' })).toThrow(/XF_BADGE_KEYS/)
    // locally: a random per-process key, stable within the process, never a known constant
    const dev = badgeKeys({})
    expect(dev).toHaveLength(1)
    expect(dev[0].secret.length).toBeGreaterThanOrEqual(32)
    expect(badgeKeys({})).toEqual(dev)
  })

  test('the QR opens the public verify page with the token', () => {
    expect(verifyUrlFor('https://xf.example.cn', 'v1.k1.a.b.c')).toBe('https://xf.example.cn/#/join/verify/index?t=v1.k1.a.b.c')
  })
})
