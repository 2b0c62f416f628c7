import { AppError, rateCounter, rateLimitMessage, type RateLimit } from '../../src/core'
import type { Db } from './context'
import { isDuplicateKey } from './errors'

/**
 * Count one call of `action` by `caller` against its limits, or refuse with RATE_LIMITED.
 * One conditional update: every window's field of the counter is below its maximum
 * (`$ne max` — a field never passes max, and `$ne` also matches a bucket not yet counted)
 * and all are incremented together, so concurrent calls cannot overshoot. Round trips: 1;
 * 2 on a caller's first call in the longest window (the insert); a refusal adds an insert
 * attempt and one read to say which window is full. A refusal counts nothing.
 */
export async function consumeRateLimit(db: Db, action: string, caller: string, limit: RateLimit, at: Date): Promise<void> {
  const _ = db.command
  const c = rateCounter(action, caller, limit, at)
  const coll = db.collection('rateLimits')
  const bump = async () => {
    const guard = Object.fromEntries(c.fields.map((f) => [f.field, _.neq(f.max)]))
    const inc = Object.fromEntries(c.fields.map((f) => [f.field, _.inc(1)]))
    return (await coll.where({ _id: c.id, ...guard }).update({ ...inc, expiresAt: c.expiresAt })).updated === 1
  }
  if (await bump()) return
  try {
    await coll.add({ _id: c.id, ...Object.fromEntries(c.fields.map((f) => [f.field, 1])), expiresAt: c.expiresAt })
    return
  } catch (e) {
    if (!isDuplicateKey(e)) throw e
  }
  // it exists: full, or a concurrent first call inserted it just now
  if (await bump()) return
  const doc = ((await coll.doc(c.id).get()).data[0] ?? {}) as Record<string, unknown>
  const full = c.fields.find((f) => Number(doc[f.field] ?? 0) >= f.max) ?? c.fields[0]
  throw new AppError('RATE_LIMITED', rateLimitMessage(full.window, at))
}

/** The key of a caller: the openId; anonymous callers by their address when the platform gives one. */
export function rateCaller(openId: string | null, clientIp: string | undefined): string {
  if (openId) return openId
  return clientIp ? `ip_${clientIp}` : 'anon'
}
