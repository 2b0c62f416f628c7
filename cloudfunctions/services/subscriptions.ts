// Subscription-message consents (订阅消息). WeChat allows one message per acceptance of a
// one-time template, so each acceptance is counted per person and template, and the outbox
// sender spends one before each send (services/outbox.ts). The inbox stays the record: a notice
// without consent is simply not pushed.
import { NOTICE_KINDS, SUBSCRIBE_AT, type MeView, type SubscribeMoment } from '../../src/core'
import type { Db, Deps } from '../shared/context'
import { unauthenticated, isDuplicateKey } from '../shared/errors'
import type { WechatPort } from '../shared/wechat'

/** _id = openId; counts: template id → messages WeChat still allows. */
export type SubscriptionDoc = { _id: string; counts: Record<string, number>; updatedAt: Date }

/** A person's allowance never grows past this: a stored count is only an estimate of WeChat's own. */
export const MAX_CONSENTS_PER_TEMPLATE = 50

/** The template ids to ask for at each tap, deduplicated, at most 3 (empty when none are configured). */
export function subscribeTemplates(wechat: WechatPort): NonNullable<MeView['subscribe']> {
  const out = {} as Record<SubscribeMoment, string[]>
  for (const [moment, kinds] of Object.entries(SUBSCRIBE_AT) as [SubscribeMoment, readonly string[]][]) {
    const ids = kinds.map((k) => wechat.templateId?.(k) ?? null).filter((id): id is string => !!id)
    out[moment] = [...new Set(ids)].slice(0, 3)
  }
  return out
}

/**
 * user.subscribe — record what the person accepted in WeChat's consent dialog: one more allowed
 * message per accepted template. Ids that are not this deployment's templates are ignored.
 * Round trips: the increment (1); the first time, the insert (1).
 */
export async function recordSubscriptions(deps: Deps, { accepted }: { accepted: string[] }): Promise<{ recorded: string[] }> {
  const openId = deps.openId
  if (!openId) throw unauthenticated()
  const known = new Set(NOTICE_KINDS.map((k) => deps.wechat.templateId?.(k)).filter(Boolean))
  const ids = [...new Set(accepted)].filter((id) => known.has(id))
  if (ids.length === 0) return { recorded: [] }
  const { db } = deps
  const _ = db.command
  const now = deps.now()
  const inc = async () => {
    let updated = 0
    // one conditional increment per template: a count at the cap stays there
    for (const id of ids) {
      const r = await db
        .collection('subscriptions')
        .where({ _id: openId, [`counts.${id}`]: _.exists(false).or(_.lt(MAX_CONSENTS_PER_TEMPLATE)) })
        .update({ [`counts.${id}`]: _.inc(1), updatedAt: now })
      updated += r.updated ?? 0
    }
    return updated
  }
  const exists = (await db.collection('subscriptions').doc(openId).get()).data.length > 0
  if (exists) {
    await inc()
    return { recorded: ids }
  }
  try {
    const doc: SubscriptionDoc = { _id: openId, counts: Object.fromEntries(ids.map((id) => [id, 1])), updatedAt: now }
    await db.collection('subscriptions').add(doc)
  } catch (e) {
    // a concurrent first acceptance created it: count on it instead
    if (!isDuplicateKey(e)) throw e
    await inc()
  }
  return { recorded: ids }
}

/**
 * Spend one of `openId`'s consents to `templateId`: true when one was on record. A single
 * conditional decrement, so two senders never spend the same consent. Round trips: 1.
 */
export async function spendConsent(db: Db, openId: string, templateId: string, now: Date): Promise<boolean> {
  const _ = db.command
  const r = await db
    .collection('subscriptions')
    .where({ _id: openId, [`counts.${templateId}`]: _.gte(1) })
    .update({ [`counts.${templateId}`]: _.inc(-1), updatedAt: now })
  return (r.updated ?? 0) === 1
}

/** Give a consent back when the send did not happen (WeChat never saw it): the next retry may spend it. */
export async function returnConsent(db: Db, openId: string, templateId: string, now: Date): Promise<void> {
  const _ = db.command
  await db
    .collection('subscriptions')
    .where({ _id: openId })
    .update({ [`counts.${templateId}`]: _.inc(1), updatedAt: now })
}
