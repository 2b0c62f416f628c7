import { countyOf, requireCountyAdmin, toAuditView, type AuditActor, type AuditEntry, type AuditEntryView, type Caller } from '../../src/core'
import type { Db, Deps } from '../shared/context'

// The audit trail: the services that grant roles and edit the tree add one entry right
// after their write succeeds (builders in src/core/audit.ts). Not one transaction: a crash
// between the change and its entry loses the entry (the change stays); a retried action
// finds the change made and records nothing again.

const audit = (db: Db) => db.collection('audit')

/** Who did it and where: the county of the node `path` lies in, the caller, the instant. */
export const auditContext = (caller: Caller, path: readonly string[], now: Date): { countyId: string; at: Date; by: AuditActor } => ({
  countyId: countyOf({ scopePath: [...path] }),
  at: now,
  by: { openId: caller.openId, name: caller.name },
})

/** Adds an entry (none when the builder found nothing changed). One round trip. */
export async function recordAudit(db: Db, entry: AuditEntry | null): Promise<void> {
  if (entry) await audit(db).add(entry)
}

/**
 * user.audit — the county administrator's own county, newest first, paged by `before`
 * (strictly older); optionally one person's or node's entries. Round trips: caller (1), the page (1).
 */
export async function auditLog(deps: Deps, q: { before?: number; limit: number; targetId?: string }): Promise<AuditEntryView[]> {
  const { db } = deps
  const _ = db.command
  const countyId = requireCountyAdmin(await deps.caller(), '查看操作记录').nodeId
  const res = await audit(db)
    .where({ countyId, ...(q.targetId ? { 'target.id': q.targetId } : {}), ...(q.before ? { at: _.lt(new Date(q.before)) } : {}) })
    .orderBy('at', 'desc')
    .limit(q.limit)
    .get()
  return (res.data as (AuditEntry & { _id: string })[]).map(toAuditView)
}
