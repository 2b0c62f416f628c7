import { isVolunteerRole, type Caller, type RoleGrant, roleGrantSchema } from '../../src/core'
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
  // Documents written straight from a mini-program carry `_openid`; ours are written only by
  // functions. Should the deny-all security rule ever be missing, a self-made user document
  // must not grant roles.
  if (!user || user._openid !== undefined) return { openId, name: '村民', roles: [] }
  // a suspended volunteer keeps the plate but acts as a villager until restored
  const suspended = user.suspended === true
  const roles = (user.roles ?? []).filter(
    (r: unknown) => roleGrantSchema.safeParse(r).success && !(suspended && isVolunteerRole((r as RoleGrant).role)),
  )
  return {
    openId,
    name: user.name ?? '村民',
    roles,
    ...(typeof user.teamId === 'string' && !suspended ? { teamId: user.teamId } : {}),
    ...(typeof user.phone === 'string' && user.phone ? { phone: user.phone } : {}),
  }
}

/** Memoize per request: the first use pays one round trip, later uses none. */
export function lazyCaller(db: Db, openId: string | null): () => Promise<Caller> {
  let p: Promise<Caller> | undefined
  return () => (p ??= loadCaller(db, openId))
}
