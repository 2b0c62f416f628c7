import { dueLine, formatLimit, holderOf, PATROL_KIND_LABEL, type ApprovalItemView, type ClockView, type Order, type OrderView, type Service, type ServiceView, type Showcase, type ShowcaseView, ROLE_LABEL, villagerNameOf } from '../../src/core'
import { urlsFor, type FilesPort } from '../shared/files'

/** fileID → http(s) temp URL, as resolved by storage (see photos.ts); missing ids are left out of photoUrls. */
export type UrlMap = ReadonlyMap<string, string>
export const urlsOf = (ids: readonly string[], urls?: UrlMap): string[] => (urls ? ids.map((id) => urls.get(id)).filter((u): u is string => !!u) : [])

const ms = (d: Date | string | number) => new Date(d).getTime()

/** The clock as people see it; the villager's line is worded at `now`. */
export function toClockView(o: Order, now: number): ClockView | null {
  const c = o.clock
  if (!c) return null
  const plain = { dueAt: ms(c.dueAt), overdue: c.overdue, closeAt: c.closeAt ? ms(c.closeAt) : null, followUp: c.followUp }
  return {
    stage: c.stage,
    dueAt: plain.dueAt,
    remindAt: c.remindAt ? ms(c.remindAt) : null,
    overdue: c.overdue,
    followUp: c.followUp,
    limitText: c.limit ? `${formatLimit(c.limit)}${c.extendedDays ? ` + 延期${c.extendedDays}个工作日` : ''}` : null,
    holder: holderOf(o),
    line: dueLine(o, plain, now),
  }
}

export function toOrderView(o: Order, urls?: UrlMap, now = Date.now()): OrderView {
  const s = o.supervision
  const x = o.extension
  return {
    id: o._id,
    no: o.no,
    status: o.status,
    source: o.source,
    gridCode: o.gridCode,
    gridName: o.gridName,
    villageName: o.villageName,
    townshipName: o.townshipName,
    serviceName: o.serviceName,
    category: o.category,
    description: o.description,
    contactName: o.contactName ?? null,
    contactPhone: o.contactPhone,
    preferredTime: o.preferredTime ?? null,
    ...(o.voice ? { voice: { fileId: o.voice.fileId, seconds: o.voice.seconds, url: urls?.get(o.voice.fileId) ?? null } } : {}),
    ...(o.forFamily ? { forFamily: { name: o.forFamily.name, phone: o.forFamily.phone } } : {}),
    createdAt: new Date(o.createdAt).getTime(),
    updatedAt: new Date(o.updatedAt).getTime(),
    // a villager step stored without a name (no users document: just 村民) is named after the order's villager
    history: o.history.map(({ at, by: _by, ...h }) => ({
      ...h,
      ...(h.role === 'villager' && h.byName === ROLE_LABEL.villager ? { byName: villagerNameOf(o) ?? h.byName } : {}),
      at: new Date(at).getTime(),
    })),
    ...(o.extras?.length ? { extras: o.extras.map((x) => ({ label: x.label, value: x.value })) } : {}),
    report: o.report
      ? {
          kind: o.report.kind,
          kindLabel: PATROL_KIND_LABEL[o.report.kind as keyof typeof PATROL_KIND_LABEL] ?? o.report.kind,
          spot: o.report.spot ?? null,
          photos: o.report.photos,
          photoUrls: urlsOf(o.report.photos, urls),
        }
      : null,
    sensitive: o.sensitive === true,
    assignee: o.assignee ?? null,
    team: o.team ?? null,
    completion: o.completion
      ? {
          note: o.completion.note,
          photos: o.completion.photos,
          photoUrls: urlsOf(o.completion.photos, urls),
          at: new Date(o.completion.at).getTime(),
          hours: o.completion.hours ?? null,
          verified: o.completion.verified ?? null,
        }
      : null,
    arrival: o.arrival ? { at: ms(o.arrival.at), verified: o.arrival.verified, method: o.arrival.method } : null,
    rating: o.rating
      ? {
          fixed: o.rating.fixed,
          stars: o.rating.stars,
          comment: o.rating.comment,
          status: o.rating.status,
          at: o.rating.at ? new Date(o.rating.at).getTime() : null,
          reason: o.rating.review?.reason ?? null,
        }
      : null,
    showcase: o.showcase ? { id: o.showcase.id, status: o.showcase.status, reason: o.showcase.reason ?? null } : null,
    clock: toClockView(o, now),
    supervision: s
      ? {
          byName: s.byName,
          role: s.role,
          to: s.to,
          instruction: s.instruction,
          at: ms(s.at),
          replyBy: ms(s.replyBy),
          status: s.status,
          reply: s.reply ? { text: s.reply.text, at: ms(s.reply.at), byName: s.reply.byName } : null,
        }
      : null,
    extension: x
      ? {
          byName: x.byName,
          role: x.role,
          reason: x.reason,
          workdays: x.workdays,
          at: ms(x.at),
          status: x.status,
          decision: x.decision ? { byName: x.decision.byName, at: ms(x.decision.at), reason: x.decision.reason ?? null } : null,
        }
      : null,
    extensionsUsed: o.extensionsUsed ?? 0,
  }
}

export const toServiceView = (s: Service): ServiceView => ({
  id: s._id,
  name: s.name,
  category: s.category,
  description: s.description ?? null,
  ...(s.fields?.length ? { fields: s.fields } : {}),
  ...(s.emergency ? { emergency: s.emergency } : {}),
})

/** The completion photos (and a patrol report's own photos) of some orders, as temp URLs: one storage call (≤ 50 ids), best effort. */
export async function orderPhotoUrls(files: FilesPort, orders: readonly Order[]): Promise<UrlMap> {
  return urlsFor(files, orders.flatMap((o) => [...(o.report?.photos ?? []), ...(o.completion?.photos ?? []), ...(o.voice ? [o.voice.fileId] : [])]))
}

/** A showcase as its author or staff see it (`public`: the feed — villager name masked, no ids of people, no reason). */
export function toShowcaseView(s: Showcase, urls: UrlMap | undefined, audience: 'public' | 'own' | 'staff'): ShowcaseView {
  const authorName = audience === 'public' && s.author.kind === 'villager' ? maskName(s.author.name) : s.author.name
  return {
    id: s._id,
    orderId: s.orderId,
    orderNo: s.orderNo,
    serviceName: s.serviceName,
    category: s.category,
    gridName: s.gridName,
    villageName: s.villageName,
    townshipName: s.townshipName,
    story: s.story,
    photos: s.photos,
    photoUrls: urlsOf(s.photos, urls),
    author: { kind: s.author.kind, name: authorName },
    teamName: s.team?.name ?? null,
    volunteerName: s.volunteerName ?? null,
    status: s.status,
    reason: audience === 'public' ? null : (s.review?.decision === 'rejected' ? (s.review.reason ?? null) : null),
    createdAt: new Date(s.createdAt).getTime(),
    approvedAt: s.approvedAt ? new Date(s.approvedAt).getTime() : null,
  }
}

/** 张大爷 → 张** (public pages never show a villager's full name). */
export const maskName = (name: string) => (name ? `${Array.from(name)[0]}**` : '村民')

export function ratingApprovalView(o: Order): ApprovalItemView {
  const r = o.rating!
  return {
    kind: 'rating',
    id: o._id,
    orderId: o._id,
    orderNo: o.no,
    serviceName: o.serviceName,
    gridName: o.gridName,
    villageName: o.villageName,
    townshipName: o.townshipName,
    status: r.status,
    submittedAt: new Date(r.at ?? o.updatedAt).getTime(),
    authorName: villagerNameOf(o) ?? '村民',
    volunteerName: o.assignee?.name ?? null,
    rating: { fixed: r.fixed, stars: r.stars, comment: r.comment },
    showcase: null,
    reason: r.review?.reason ?? null,
    reviewedBy: r.review?.byName ?? null,
    reviewedAt: r.review ? new Date(r.review.at).getTime() : null,
  }
}

export function showcaseApprovalView(s: Showcase, urls?: UrlMap): ApprovalItemView {
  return {
    kind: 'showcase',
    id: s._id,
    orderId: s.orderId,
    orderNo: s.orderNo,
    serviceName: s.serviceName,
    gridName: s.gridName,
    villageName: s.villageName,
    townshipName: s.townshipName,
    status: s.status,
    submittedAt: new Date(s.createdAt).getTime(),
    authorName: s.author.kind === 'team' ? `${s.team?.name ?? '服务队'}（${s.author.name}）` : s.author.name,
    volunteerName: s.volunteerName ?? null,
    rating: null,
    showcase: { story: s.story, photos: s.photos, photoUrls: urlsOf(s.photos, urls) },
    reason: s.review?.reason ?? null,
    reviewedBy: s.review?.byName ?? null,
    reviewedAt: s.review ? new Date(s.review.at).getTime() : null,
  }
}
