import type { Result } from '../../src/core'
import { cloudMain } from '../shared/cloud'
import { toFailure, type Invocation } from '../shared/handler'
import { sweep, type SweepReport } from '../services/sweep'

/**
 * clock: timer-triggered (every 5 minutes, see scripts/build-functions.ts) — does what
 * the clocks of open orders say is due (催办, 超时 and automatic 上报, 回访, unconfirmed
 * close, overdue 督办). Second-generation CloudBase functions have no timers: then any
 * scheduler may call it (HTTP access service or another function); every step is
 * idempotent, so extra or overlapping calls only make due steps happen sooner.
 * The event and the caller are ignored.
 */
export async function run(_event: unknown, inv: Invocation): Promise<Result<SweepReport>> {
  try {
    return { ok: true, data: await sweep({ db: inv.db, now: inv.now ?? (() => new Date()), files: inv.files }) }
  } catch (e) {
    return toFailure(e)
  }
}
export const main = cloudMain(run)
