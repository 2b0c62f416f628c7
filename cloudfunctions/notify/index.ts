import type { Result } from '../../src/core'
import { cloudMain } from '../shared/cloud'
import { toFailure, type Invocation } from '../shared/handler'
import { localWechat } from '../shared/wechat'
import { sendDue, type SendReport } from '../services/outbox'

/**
 * notify: timer-triggered (every 5 minutes, see scripts/build-functions.ts) —
 * sends due outbox records as WeChat subscription messages through the port.
 * The event (a timer's { Type, TriggerName, Time }) is ignored; so is the caller
 * (a timer has none, and a client calling it can only make due messages go out sooner).
 */
export async function run(_event: unknown, inv: Invocation): Promise<Result<SendReport>> {
  try {
    return { ok: true, data: await sendDue({ db: inv.db, wechat: inv.wechat ?? localWechat(), now: inv.now ?? (() => new Date()) }) }
  } catch (e) {
    return toFailure(e)
  }
}
export const main = cloudMain(run)
