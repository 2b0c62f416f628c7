import type { PointEvent } from './points'
import { z } from 'zod'
import { placeNames } from './grid'
import { localDay } from './time'
// the rules of what a villager types: shared with the page-side checks (no zod in the main package)
import { CONSENT_MESSAGE, describeMessage, FAMILY_MESSAGE, FAMILY_NAME_MAX, ORDER_TEXT, VOICE_FILE_RE, VOICE_MAX_SECONDS, VOICE_MESSAGE, type VoiceNote } from './checks'
import { ACTOR_ROLES, cursorMsSchema, gridCodeSchema, idSchema, phoneSchema, PRIVACY_VERSION, requestIdSchema, ROLE_LABEL, type GridNode, type Role, type Service } from './schemas'
// type-only: the villager pages (main package) import this file; the clock and supervision
// modules stay in the subpackages and the functions
import type { Clock } from './timeliness'
import type { Extension, Supervision } from './supervision'
import type { ExtraValue } from './serviceFields'
import { nextState, ORDER_ACTIONS, ORDER_SOURCES, ORDER_STATES, type OrderAction } from './orderState'

// ---------- the order state machine (点、派、接、评、晒) ----------
// The states, their labels, TRANSITIONS (who may do what from which state) and where orders come
// from live in orderState.ts, which needs no schema library: the villager pages import them from
// there. They are part of this module's face all the same.
export * from './orderState'

// ---------- stored order ----------
export const historyEntrySchema = z.object({
  at: z.date(),
  action: z.enum(ORDER_ACTIONS as [OrderAction, ...OrderAction[]]),
  from: z.enum(ORDER_STATES).nullable(),
  to: z.enum(ORDER_STATES),
  by: z.string(), // openId
  byName: z.string(),
  role: z.enum(ACTOR_ROLES),
  reason: z.string().optional(),
})
export type HistoryEntry = z.infer<typeof historyEntrySchema>

export const orderSchema = z.object({
  _id: idSchema,
  no: z.string(), // human order number, e.g. 20261123-4F2A
  requestId: z.string(),
  status: z.enum(ORDER_STATES),
  source: z.enum(ORDER_SOURCES),
  gridId: idSchema,
  gridCode: z.string(),
  gridName: z.string(),
  villageName: z.string(),
  townshipName: z.string(),
  /** ancestors of the grid and the grid itself: scope queries match any of them */
  scopePath: z.array(idSchema),
  serviceId: idSchema,
  serviceName: z.string(),
  category: z.string(),
  description: z.string(),
  contactName: z.string().optional(),
  contactPhone: z.string(),
  preferredTime: z.string().optional(),
  /** a voice note with (or instead of) the description: staff and the serving volunteer only, never public */
  voice: z.object({ fileId: z.string(), seconds: z.number() }).optional(),
  /**
   * 帮家人点单: the family member the order is for. `userId`: their account, when exactly one
   * account holds that phone on record at placement (they then read the order and get its notices).
   */
  forFamily: z.object({ name: z.string(), phone: z.string(), userId: z.string().optional() }).optional(),
  privacyVersion: z.string().optional(), // absent on orders entered by staff for a hotline caller
  villagerId: z.string(), // openId of the villager (or of the staff who entered a hotline order)
  enteredBy: z.string().optional(),
  history: z.array(historyEntrySchema),
  /** the volunteer dispatched to or who accepted; absent while pending, pooled or dispatched to a whole team */
  assignee: z.object({ id: idSchema, name: z.string(), teamId: z.string().nullable() }).optional(),
  /** the team the order was dispatched or pooled to (absent when dispatched to one volunteer) */
  team: z.object({ id: idSchema, name: z.string() }).optional(),
  /** every volunteer who reported it completed (their "done" tab; survives a reopen) */
  servedBy: z.array(z.string()).optional(),
  completion: z
    .object({
      note: z.string(),
      photos: z.array(z.string()).max(9),
      at: z.date(),
      /** service hours, check-in to completion (capped), and whether the check-in was verified on site */
      hours: z.number().optional(),
      verified: z.boolean().optional(),
    })
    .optional(),
  /** 到场签到: when, and how it was verified (the villager's code, the signboard, or not at all) */
  arrival: z.object({ at: z.date(), verified: z.boolean(), method: z.enum(['villager', 'signboard', 'none']) }).optional(),
  /** the villager's rating; it counts only once an administrator approved it */
  rating: z
    .object({
      fixed: z.boolean(),
      stars: z.number().int().min(1).max(5),
      comment: z.string(),
      status: z.enum(['pending', 'approved', 'rejected']),
      /** when the villager rated (the approval queue's order) */
      at: z.date().optional(),
      /** the administrator's decision (audit) */
      review: z
        .object({ at: z.date(), by: z.string(), byName: z.string(), role: z.enum(['station', 'township', 'county']), decision: z.enum(['approved', 'rejected']), reason: z.string().optional() })
        .optional(),
      /** every decision so far (append-only audit) */
      reviews: z.array(z.object({ at: z.date(), by: z.string(), byName: z.string(), role: z.string(), decision: z.string(), reason: z.string().optional() })).optional(),
    })
    .optional(),
  /** 网格上报: what the reporter found — the kind, photos of it, and the household or spot */
  report: z.object({ kind: z.string(), photos: z.array(z.string()).max(9), spot: z.string().optional() }).optional(),
  /** disputes, people needing help…: never on public pages; details only for staff and the assigned volunteer */
  sensitive: z.boolean().optional(),
  /** the order's showcase (晒), mirrored from the showcases collection */
  showcase: z.object({ id: idSchema, status: z.enum(['pending', 'approved', 'rejected']), reason: z.string().optional() }).optional(),
  createdAt: z.date(),
  updatedAt: z.date(),
})
/** A stored order: the fields above, plus its clock and supervision (schemas in timeliness.ts and supervision.ts). */
export type Order = z.infer<typeof orderSchema> & {
  /** the current stage's deadline and what the sweep does next (absent or null once closed) */
  clock?: Clock | null
  /** set by the sweep the first time a stage ran over its limit (the clock forgets it; the 问题台账 filters on it) */
  everOverdue?: true
  /** the latest 督办 (earlier ones are in the history) */
  supervision?: Supervision
  /** the latest extension request, and how many were approved */
  extension?: Extension
  extensionsUsed?: number
  /** point events of a transition not yet in the ledger (see cloudfunctions/services/ledger.ts) */
  pointsDue?: PointEvent[]
  pointsDueAt?: Date
  /** answers to the service's extra fields, with their labels as they were when ordered */
  extras?: ExtraValue[]
}

// ---------- action inputs ----------
const descriptionSchema = z
  .string({ error: '请描述需要什么帮助' })
  .trim()
  .min(4, '请至少用4个字描述需要什么帮助')
  .max(500, '描述不能超过500字')

/** A voice note's longest recording (the recorder stops itself there). */
export { VOICE_MAX_SECONDS }
/**
 * 按住说话: a recording the villager uploaded under their own prefix (the function checks the
 * file is theirs and still stored). Staff and the assigned volunteer play it; it is never public.
 */
export const voiceNoteSchema = z.object({
  fileId: z.string().max(400).regex(VOICE_FILE_RE, VOICE_MESSAGE.file),
  seconds: z.number({ error: VOICE_MESSAGE.seconds }).int().min(1, VOICE_MESSAGE.tooShort).max(VOICE_MAX_SECONDS, VOICE_MESSAGE.tooLong),
})
export type { VoiceNote }

/** 帮家人点单: the family member the order is for (the grown child placing it is the order's villager). */
export const familySchema = z.object({
  name: z.string({ error: FAMILY_MESSAGE.name }).trim().min(1, FAMILY_MESSAGE.name).max(FAMILY_NAME_MAX, FAMILY_MESSAGE.nameTooLong),
  phone: phoneSchema,
})

export const placeOrderInput = z
  .object({
    requestId: requestIdSchema,
    gridCode: gridCodeSchema,
    serviceId: idSchema,
    /** at least 4 characters — or anything (even nothing) when a voice note says it */
    description: z.string().trim().max(ORDER_TEXT.descriptionMax, ORDER_TEXT.descriptionTooLong).default(''),
    voice: voiceNoteSchema.optional(),
    /** ordered for a family member at this grid (their name and phone) */
    forFamily: familySchema.optional(),
    contactPhone: phoneSchema,
    contactName: z.string().trim().max(ORDER_TEXT.contactNameMax, ORDER_TEXT.contactNameTooLong).optional(),
    preferredTime: z.string().trim().max(ORDER_TEXT.preferredTimeMax, ORDER_TEXT.preferredTimeTooLong).optional(),
    /** the version of 用户隐私保护指引 the villager agreed to before giving a phone number */
    privacyVersion: z.literal(PRIVACY_VERSION, { error: CONSENT_MESSAGE }),
    /** answers to the service's extra fields (附加信息); the function checks them against the live catalogue */
    extras: z
      .array(z.object({ key: z.string().max(ORDER_TEXT.extraKeyMax), value: z.string().max(ORDER_TEXT.extraValueMax, ORDER_TEXT.extraValueTooLong) }))
      .max(ORDER_TEXT.extrasMax)
      .optional(),
  })
  .superRefine((v, ctx) => {
    if (v.voice || v.description.length >= ORDER_TEXT.descriptionMin) return
    ctx.addIssue({ code: 'custom', path: ['description'], message: describeMessage(v.description) })
  })
export type PlaceOrderInput = z.infer<typeof placeOrderInput>

export const listQueryInput = z.object({
  status: z.enum(ORDER_STATES).optional(),
  /**
   * page through by createdAt: pass the last item's createdAt (ms). The next page
   * starts AT that instant (orders placed in the same millisecond are not skipped);
   * clients drop the ones they already have.
   */
  before: cursorMsSchema.optional(),
  limit: z.number().int().min(1).max(50).default(20),
})
export type ListQueryInput = z.infer<typeof listQueryInput>

/** Human order number: local day + 6 hex characters of the id (a county's day of orders practically never collides). */
export function orderNumber(day: string, id: string): string {
  return `${day}-${id.slice(-6).toUpperCase()}`
}

/** A new order as placed from a signboard (source 'scan'), entered by staff for a hotline caller, or reported on patrol ('patrol'). */
export function newOrder(p: {
  id: string
  now: Date
  grid: GridNode
  service: Service
  /** a hotline order has no privacyVersion: the caller gave the number on the phone */
  input: Pick<PlaceOrderInput, 'requestId' | 'description' | 'contactPhone' | 'contactName' | 'preferredTime'> & { privacyVersion?: string; voice?: VoiceNote }
  /** 帮家人点单: the family member, and their account when one is known by that phone */
  forFamily?: NonNullable<Order['forFamily']>
  by: { openId: string; name: string; role: Role }
  source: (typeof ORDER_SOURCES)[number]
  /** the dispatch stage's clock (see timeliness.ts) */
  clock: Clock | null
  /** the checked answers to the service's extra fields (serviceFields.ts requireOrderable) */
  extras?: ExtraValue[]
  /** how it is created: placed (default), or 网格上报 on patrol — reported, or handled on the spot */
  action?: 'place' | 'report' | 'handleOnSpot'
  /** 网格上报: what was found (kind, photos, spot) and whether it is about people (never public) */
  report?: NonNullable<Order['report']>
  sensitive?: boolean
}): Order {
  const { id, now, grid, service, input, by } = p
  const action = p.action ?? 'place'
  const to = nextState(action, null, by.role)
  return {
    _id: id,
    no: orderNumber(localDay(now), id),
    requestId: input.requestId,
    status: to,
    source: p.source,
    gridId: grid._id,
    gridCode: grid.code,
    gridName: grid.name,
    ...placeNames(grid),
    scopePath: grid.path,
    serviceId: service._id,
    serviceName: service.name,
    category: service.category,
    description: input.description,
    contactPhone: input.contactPhone,
    ...(input.contactName ? { contactName: input.contactName } : {}),
    ...(input.preferredTime ? { preferredTime: input.preferredTime } : {}),
    ...(input.privacyVersion ? { privacyVersion: input.privacyVersion } : {}),
    ...(input.voice ? { voice: { fileId: input.voice.fileId, seconds: input.voice.seconds } } : {}),
    ...(p.forFamily ? { forFamily: p.forFamily } : {}),
    villagerId: by.openId,
    ...(p.source === 'hotline' ? { enteredBy: by.openId } : {}),
    ...(p.extras?.length ? { extras: p.extras } : {}),
    ...(p.report ? { report: p.report } : {}),
    ...(p.sensitive ? { sensitive: true } : {}),
    history: [{ at: now, action, from: null, to, by: by.openId, byName: by.name, role: by.role }],
    clock: p.clock,
    createdAt: now,
    updatedAt: now,
  }
}

/** What a volunteer who lost the race for an order (抢单) is told: someone else accepted it first. */
export const TAKEN_MESSAGE = '已被其他志愿者接单'

/**
 * The name of the person the order is for, as the timeline and approvals show it: the
 * contact name given with the order, else the name it was placed under (the villager's
 * registered name). Null when neither is known; never a phone number.
 */
export function villagerNameOf(o: Pick<Order, 'contactName' | 'history'>): string | null {
  if (o.contactName?.trim()) return o.contactName.trim()
  const placed = o.history.find((h) => h.from === null && h.role === 'villager')
  return placed && placed.byName !== ROLE_LABEL.villager ? placed.byName : null
}

/** Mask a phone number for people who must not see it: 138****5678 */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return '****'
  return phone.slice(0, 3) + '****' + phone.slice(-4)
}

/** Station staff enter an order for a caller of the grid hotline (电话点单). */
export const hotlineOrderInput = z.object({
  requestId: requestIdSchema,
  gridId: idSchema,
  serviceId: idSchema,
  description: descriptionSchema,
  callerName: z.string({ error: '请填写来电人姓名' }).trim().min(1, '请填写来电人姓名').max(20, '姓名不能超过20字'),
  callerPhone: phoneSchema,
  preferredTime: placeOrderInput.shape.preferredTime,
  extras: placeOrderInput.shape.extras,
})
export type HotlineOrderInput = z.infer<typeof hotlineOrderInput>
