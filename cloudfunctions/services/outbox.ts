// The outbox sender: WeChat subscription messages for the outbox records the
// transitions wrote. A send never affects a transition (that happened already);
// failures are retried later, up to MAX_SEND_ATTEMPTS; nothing is lost (the
// inbox holds every message anyway).
import type { Db } from '../shared/context'
import type { WechatPort } from '../shared/wechat'
import type { OutboxDoc } from './inbox'
import { returnConsent, spendConsent } from './subscriptions'

export const MAX_SEND_ATTEMPTS = 5
/** Wait before retry n (1-based): 5, 10, 20, 40 minutes. */
export const retryDelayMs = (attempts: number) => 5 * 60_000 * 2 ** Math.max(0, attempts - 1)
/** A claim older than this is considered abandoned (the sender died mid-send) and is taken again. */
export const CLAIM_TIMEOUT_MS = 10 * 60_000
const BATCH = 100
const PARALLEL = 10

/** unsubscribed: records not pushed because their person had no consent on record for the template (the inbox has them). */
export type SendReport = { picked: number; sent: number; failed: number; gaveUp: number; skipped: number; unsubscribed: number }

/**
 * Send what is due: pending records, failed ones whose retry time has come
 * (attempts < MAX), abandoned claims. Each record is claimed with a
 * compare-and-set (status + attempts), so overlapping runs never send twice.
 * Round trips: the due list (1), then per record claim (1) + result (1).
 */
export async function sendDue(p: { db: Db; wechat: WechatPort; now: () => Date; limit?: number }): Promise<SendReport> {
  const { db, wechat } = p
  const _ = db.command
  const now = p.now()
  const due = await db
    .collection('outbox')
    .where(
      _.or([
        { status: 'pending' },
        { status: 'failed', attempts: _.lt(MAX_SEND_ATTEMPTS), nextAttemptAt: _.lte(now) },
        // abandoned claims, including one abandoned on its last attempt (given up below, never left as 'sending')
        { status: 'sending', claimedAt: _.lte(new Date(now.getTime() - CLAIM_TIMEOUT_MS)) },
      ]),
    )
    .orderBy('createdAt', 'asc')
    .limit(Math.min(p.limit ?? BATCH, BATCH))
    .get()
  const records = due.data as (OutboxDoc & { _id: string })[]
  const report: SendReport = { picked: records.length, sent: 0, failed: 0, gaveUp: 0, skipped: 0, unsubscribed: 0 }

  async function one(rec: OutboxDoc & { _id: string }) {
    if (rec.attempts >= MAX_SEND_ATTEMPTS) {
      // the sender died during the last attempt: whether it went out is unknown; stop here (the inbox has it)
      const r = await db
        .collection('outbox')
        .where({ _id: rec._id, status: rec.status, attempts: rec.attempts })
        .update({ status: 'failed', lastError: '最后一次发送中断，不再重试', nextAttemptAt: _.remove() })
      if (r.updated) report.gaveUp++
      else report.skipped++
      return
    }
    const attempts = rec.attempts + 1
    const claim = await db
      .collection('outbox')
      .where({ _id: rec._id, status: rec.status, attempts: rec.attempts })
      .update({ status: 'sending', attempts, claimedAt: now })
    if (!claim.updated) {
      report.skipped++ // another run took it
      return
    }
    // a kind sent with a template needs a consent on record, one spent per message (WeChat refuses the rest)
    const templateId = wechat.templateId?.(rec.kind) ?? null
    if (templateId && !(await spendConsent(db, rec.toOpenId, templateId, now))) {
      await db.collection('outbox').doc(rec._id).update({ status: 'unsubscribed', lastError: '对方未订阅此类消息（站内消息已送达）' })
      report.unsubscribed++
      return
    }
    let result: { ok: boolean; error?: string; recorded?: boolean }
    try {
      result = await wechat.sendSubscribeMessage({ _id: rec._id, kind: rec.kind, toOpenId: rec.toOpenId, orderId: rec.orderId, data: rec.data, attempts })
    } catch (e) {
      result = { ok: false, error: String((e as Error)?.message ?? e) }
    }
    if (result.ok) {
      await db
        .collection('outbox')
        .doc(rec._id)
        .update({ status: 'sent', sentAt: now, via: result.recorded ? 'recorded' : 'wechat', lastError: _.remove() })
      report.sent++
      return
    }
    const retry = attempts < MAX_SEND_ATTEMPTS
    // not sent: the consent was not used, unless WeChat said it was missing (43101)
    if (templateId && !/^43101\b/.test(result.error ?? '')) await returnConsent(db, rec.toOpenId, templateId, now).catch(() => {})
    await db
      .collection('outbox')
      .doc(rec._id)
      .update({
        status: 'failed',
        lastError: (result.error ?? '发送失败').slice(0, 200),
        ...(retry ? { nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)) } : { nextAttemptAt: _.remove() }),
      })
    if (retry) report.failed++
    else report.gaveUp++
  }

  for (let i = 0; i < records.length; i += PARALLEL) {
    const results = await Promise.allSettled(records.slice(i, i + PARALLEL).map(one))
    for (const r of results) if (r.status === 'rejected') console.error('[notify] outbox record', r.reason)
  }
  if (report.picked) console.log('[notify]', JSON.stringify(report))
  return report
}
