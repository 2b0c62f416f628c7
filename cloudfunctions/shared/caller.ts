import { type Caller, roleGrantSchema } from '../../src/core'
import type { Db } from './context'
import { unauthenticated } from './errors'

/**
 * The caller's roles, from the users collection. Anyone signed in is at
 * least a villager; staff and volunteer roles come only from stored grants.
 */
export async function loadCaller(db: Db, openId: string | null): Promise<Caller> {
  if (!openId) throw unauthenticated()
  const res = await db.collection('users').doc(openId).get()
  const user = (res.data as any[])[0]
  if (!user) return { openId, name: '村民', roles: [] }
  const roles = (user.roles ?? []).filter((r: unknown) => roleGrantSchema.safeParse(r).success)
  return { openId, name: user.name ?? '村民', roles }
}

/** Memoize per request: the first use pays one round trip, later uses none. */
export function lazyCaller(db: Db, openId: string | null): () => Promise<Caller> {
  let p: Promise<Caller> | undefined
  return () => (p ??= loadCaller(db, openId))
}
