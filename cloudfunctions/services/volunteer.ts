// Volunteers: registration, approval with a number plate (一人一号牌), suspension,
// the badge (亮码) and its public check (亮证).
import QRCode from 'qrcode'
import {
  escapeRegExp,
  AppError,
  isVolunteerRole,
  assertOrderable,
  formatPlate,
  grantsCovering,
  maskPersonName,
  ORDERABLE_LEVELS,
  placeNames,
  plateCounterId,
  parsePlate,
  plateSchema,
  STAFF_ROLES,
  staffGrants,
  toVolunteerView,
  verifyUrlFor,
  VOLUNTEER_STATUS_LABEL,
  type BadgeView,
  type Caller,
  type GridNode,
  type RegisterInput,
  type Team,
  type User,
  type VerifyView,
  type VolunteerDoc,
  type VolunteerStatus,
  type VolunteerView,
} from '../../src/core'
import { badgeKeys, checkBadge, signBadge } from '../shared/badge'
import type { Db, Deps } from '../shared/context'
import { isDuplicateKey, notFound, unauthenticated } from '../shared/errors'
import { requireStoredPhotos, urlsFor } from '../shared/files'

type HistoryItem = VolunteerDoc['history'][number]
const ACTIVE: readonly VolunteerStatus[] = ['pending', 'approved', 'suspended']
const PHONE_TAKEN = '该手机号已注册为志愿者，请换一个手机号或联系所在村文明实践站'

async function readVolunteer(db: Db, id: string): Promise<VolunteerDoc | undefined> {
  return (await db.collection('volunteers').doc(id).get()).data[0] as VolunteerDoc | undefined
}

async function photoUrlOf(deps: Deps, v: VolunteerDoc): Promise<string | null> {
  if (!v.photo) return null
  return (await urlsFor(deps.files, [v.photo])).get(v.photo) ?? null
}

const alreadyRegistered = (v: VolunteerDoc) =>
  new AppError('CONFLICT', `您已提交过志愿者注册（${VOLUNTEER_STATUS_LABEL[v.status]}${v.plate ? `，号牌 ${v.plate}` : ''}），请勿重复提交`)

/**
 * 志愿者注册 — any signed-in villager applies for a grid (or micro-grid) of their village.
 * Round trips: own registration + users doc + grid + phone holder (1, at once), the photo
 * check (storage, if any), the write (1). A retry with the same requestId answers with what
 * was stored; a rejected applicant may apply again (the history is kept).
 */
export async function registerVolunteer(deps: Deps, input: RegisterInput): Promise<VolunteerView> {
  const { db, openId } = deps
  if (!openId) throw unauthenticated()
  const [existing, userRes, gridRes, phoneRes] = await Promise.all([
    readVolunteer(db, openId),
    db.collection('users').doc(openId).get(),
    db.collection('grids').doc(input.gridId).get(),
    db.collection('volunteers').where({ phone: input.phone }).field({ _id: true }).limit(2).get(),
  ])
  if (existing && existing.requestId === input.requestId) return toVolunteerView(existing, await photoUrlOf(deps, existing))
  if (existing && ACTIVE.includes(existing.status)) throw alreadyRegistered(existing)
  const user = userRes.data[0] as User | undefined
  if (user?.plate || user?.roles?.some((r) => isVolunteerRole(r.role))) {
    throw new AppError('CONFLICT', `您已提交过志愿者注册（已是注册志愿者${user.plate ? `，号牌 ${user.plate}` : ''}），请勿重复提交`)
  }
  if ((phoneRes.data as { _id: string }[]).some((v) => v._id !== openId)) throw new AppError('CONFLICT', PHONE_TAKEN)

  const grid = gridRes.data[0] as GridNode | undefined
  if (!grid) throw new AppError('NOT_FOUND', '没有找到所选网格，请重新选择')
  if (!ORDERABLE_LEVELS.includes(grid.level)) throw new AppError('VALIDATION', `「${grid.name}」不是网格，请选择您所在的网格或微网格`)
  assertOrderable(grid, grid.code)
  if (input.photo) await requireStoredPhotos(deps.files, [input.photo], deps.openId!)

  const now = deps.now()
  const entry: HistoryItem = { at: now, action: existing ? 'reapply' : 'register', by: openId, byName: input.name }
  const fields = {
    openId,
    name: input.name,
    phone: input.phone,
    gridId: grid._id,
    gridName: grid.name,
    ...placeNames(grid),
    scopePath: grid.path,
    skills: input.skills,
    availability: input.availability,
    status: 'pending' as const,
    privacyVersion: input.privacyVersion,
    requestId: input.requestId,
    createdAt: now,
    updatedAt: now,
  }
  try {
    if (!existing) {
      const doc: VolunteerDoc = { _id: openId, ...fields, ...(input.photo ? { photo: input.photo } : {}), history: [entry] }
      await db.collection('volunteers').add(doc)
      return toVolunteerView(doc, await photoUrlOf(deps, doc))
    }
    // re-application after a rejection: the same document, from 'rejected' only
    const _ = db.command
    const res = await db
      .collection('volunteers')
      .where({ _id: openId, status: 'rejected' })
      .update({ ...fields, photo: input.photo ? input.photo : _.remove(), reason: _.remove(), plate: _.remove(), teamId: _.remove(), teamName: _.remove(), history: _.push([entry]) })
    if (!res.updated) throw alreadyRegistered((await readVolunteer(db, openId)) ?? existing)
    const doc: VolunteerDoc = { ...existing, ...fields, history: [...existing.history, entry] }
    for (const f of ['photo', 'reason', 'plate', 'teamId', 'teamName'] as const) delete doc[f]
    if (input.photo) doc.photo = input.photo
    return toVolunteerView(doc, await photoUrlOf(deps, doc))
  } catch (e) {
    if (!isDuplicateKey(e)) throw e
    // a concurrent submission of mine (same _id), or the phone's unique index
    const mine = await readVolunteer(db, openId)
    if (mine && mine.requestId === input.requestId) return toVolunteerView(mine, await photoUrlOf(deps, mine))
    if (mine && !existing) throw alreadyRegistered(mine)
    throw new AppError('CONFLICT', PHONE_TAKEN)
  }
}

/** My registration, or null. One round trip (+ the photo URL). */
export async function myRegistration(deps: Deps): Promise<VolunteerView | null> {
  if (!deps.openId) throw unauthenticated()
  const v = await readVolunteer(deps.db, deps.openId)
  return v ? toVolunteerView(v, await photoUrlOf(deps, v)) : null
}

/**
 * Staff: registrations in the subtree of one of their nodes, newest first, paged by
 * createdAt (`before` = the last item's createdAt; the page starts AT that instant so
 * registrations of the same millisecond are not skipped — clients drop the ones they have). Round trips: caller (1), list (1), photos (storage).
 */
export async function volunteerList(
  deps: Deps,
  q: { status: VolunteerStatus; nodeId?: string; before?: number; limit: number; q?: string },
): Promise<VolunteerView[]> {
  const caller = await deps.caller()
  const grants = staffGrants(caller)
  if (grants.length === 0) throw new AppError('FORBIDDEN', '只有文明实践站（所）工作人员可以查看志愿者注册')
  if (q.nodeId && !grants.some((g) => g.nodeId === q.nodeId)) throw new AppError('FORBIDDEN', '无权查看该区域的志愿者注册')
  const _ = deps.db.command
  // one node asked for, else every node the caller holds a staff role at
  const nodes = q.nodeId ? [q.nodeId] : [...new Set(grants.map((g) => g.nodeId))]
  // a search: plate or phone exactly (indexed), else the start of the name (within the scope)
  const text = q.q?.trim() ?? ''
  const plate = plateSchema.safeParse(text)
  const search = !text
    ? {}
    : plate.success
      ? { plate: plate.data }
      : /^1\d{10}$/.test(text)
        ? { phone: text }
        : { name: deps.db.RegExp({ regexp: `^${escapeRegExp(text)}` }) }
  const res = await deps.db
    .collection('volunteers')
    .where({ scopePath: nodes.length === 1 ? nodes[0] : _.in(nodes), status: q.status, ...search, ...(q.before ? { createdAt: _.lte(new Date(q.before)) } : {}) })
    .orderBy('createdAt', 'desc')
    .limit(q.limit)
    .get()
  const list = res.data as VolunteerDoc[]
  const urls = await urlsFor(deps.files, list.flatMap((v) => (v.photo ? [v.photo] : [])))
  return list.map((v) => toVolunteerView(v, v.photo ? (urls.get(v.photo) ?? null) : null))
}

// ---------- staff decisions ----------
function requireVolunteerScope(caller: Caller, v: VolunteerDoc) {
  const g = grantsCovering(caller, STAFF_ROLES, v.scopePath)[0]
  if (!g) throw new AppError('FORBIDDEN', `无权处理${v.villageName || '该村'}的志愿者，请由所在村文明实践站或乡镇实践所办理`)
  return g
}

const refuse = (v: VolunteerDoc, what: string) =>
  new AppError('INVALID_TRANSITION', `${v.name}的志愿者注册${VOLUNTEER_STATUS_LABEL[v.status]}，不能${what}`)

/** Caller and registration at once (1 round trip), scope and state checked. */
async function decide(deps: Deps, id: string, from: VolunteerStatus, what: string) {
  if (!deps.openId) throw unauthenticated()
  const [caller, v] = await Promise.all([deps.caller(), readVolunteer(deps.db, id)])
  if (!v) throw notFound('志愿者注册')
  requireVolunteerScope(caller, v)
  if (v.status !== from) throw refuse(v, what)
  return { caller, v }
}

/**
 * Apply a decision with one compare-and-set on the status it was based on; a lost race
 * says what happened instead. Returns the stored document without reading it again.
 */
async function applyDecision(deps: Deps, v: VolunteerDoc, to: VolunteerStatus, entry: HistoryItem, set: Record<string, unknown>, what: string) {
  const _ = deps.db.command
  const res = await deps.db
    .collection('volunteers')
    .where({ _id: v._id, status: v.status })
    .update({ status: to, updatedAt: entry.at, history: _.push([entry]), ...set })
  if (!res.updated) throw refuse((await readVolunteer(deps.db, v._id)) ?? v, what)
  const after: VolunteerDoc = { ...v, status: to, updatedAt: entry.at, history: [...v.history, entry] }
  for (const [k, val] of Object.entries(set)) if (typeof val !== 'object' || val === null) (after as Record<string, unknown>)[k] = val
  return after
}

const entryOf = (deps: Deps, caller: Caller, action: string, reason?: string): HistoryItem => ({
  at: deps.now(),
  action,
  by: caller.openId,
  byName: caller.name,
  ...(reason ? { reason } : {}),
})

/** The team a volunteer joins: the one asked for (it must serve the grid or the village), else the grid's first. */
async function teamFor(db: Db, v: VolunteerDoc, teamId?: string): Promise<Team | undefined> {
  if (teamId) {
    const team = (await db.collection('teams').doc(teamId).get()).data[0] as Team | undefined
    if (!team) throw notFound('服务队')
    if (!team.gridIds.includes(v.gridId) && team.villageId !== v.scopePath[2]) {
      throw new AppError('VALIDATION', `「${team.name}」不服务${v.gridName}，请选择本村的服务队`)
    }
    return team
  }
  return (await db.collection('teams').where({ gridIds: v.gridId }).limit(1).get()).data[0] as Team | undefined
}

const PLATE_ATTEMPTS = 50
const pause = () => new Promise((r) => setTimeout(r, Math.floor(Math.random() * 15)))

/**
 * The next sequence of a township's plate counter, by compare-and-set (read seq, set seq+1
 * where seq is still what was read). A missing counter starts after the highest plate
 * already issued in the township. Round trips: 2 when uncontended.
 */
export async function nextPlateSeq(db: Db, townshipId: string, townshipCode: string): Promise<number> {
  const counters = db.collection('counters')
  const id = plateCounterId(townshipId)
  for (let attempt = 0; attempt < PLATE_ATTEMPTS; attempt++) {
    const c = (await counters.doc(id).get()).data[0] as { seq: number } | undefined
    if (!c) {
      const _ = db.command
      const top = await db
        .collection('plates')
        .where({ _id: _.gte(`${townshipCode}-0000`).and(_.lte(`${townshipCode}-9999`)) })
        .orderBy('_id', 'desc')
        .limit(1)
        .get()
      const seq = (parsePlate((top.data[0] as { _id: string } | undefined)?._id ?? '')?.seq ?? 0) + 1
      try {
        await counters.add({ _id: id, seq })
        return seq
      } catch (e) {
        if (!isDuplicateKey(e)) throw e
        continue // someone created it meanwhile: take the normal path
      }
    }
    const res = await counters.where({ _id: id, seq: c.seq }).update({ seq: c.seq + 1 })
    if (res.updated) return c.seq + 1
    await pause()
  }
  throw new AppError('CONFLICT', '同时审核的人较多，请稍后重试')
}

/**
 * A plate nobody ever had: the counter's next sequence, recorded in `plates` (_id = plate);
 * a plate already recorded (issued outside the counter) is skipped, never reused.
 */
async function issuePlate(deps: Deps, township: GridNode, userId: string): Promise<string> {
  for (let i = 0; i < PLATE_ATTEMPTS; i++) {
    const seq = await nextPlateSeq(deps.db, township._id, township.code)
    if (seq > 9999) throw new AppError('CONFLICT', `${township.name}的志愿者号牌已用完，请联系县级管理员`)
    // a crash here loses this number: never recorded, never handed out again (the counter moved on)
    deps.faults?.at('approve.seqTaken')
    const plate = formatPlate(township.code, seq)
    try {
      await deps.db.collection('plates').add({ _id: plate, userId, townshipId: township._id, at: deps.now() })
      return plate
    } catch (e) {
      if (!isDuplicateKey(e)) throw e
    }
  }
  throw new AppError('CONFLICT', '号牌分配繁忙，请稍后重试')
}

/**
 * The volunteer's users document: volunteer role at the grid (other roles kept), plate,
 * team, skills; created when the person has none. Idempotent. 1 round trip (2 on a race).
 */
async function grantVolunteer(deps: Deps, v: VolunteerDoc, user: User | undefined) {
  const _ = deps.db.command
  const users = deps.db.collection('users')
  const grant = { role: 'volunteer' as const, nodeId: v.gridId }
  const set = {
    name: v.name,
    phone: v.phone,
    plate: v.plate!,
    skills: v.skills,
    suspended: false,
    ...(v.teamId ? { teamId: v.teamId } : {}),
  }
  const update = async () => {
    await users.doc(v._id).update({ ...set, roles: _.addToSet(grant), ...(v.teamId ? {} : { teamId: _.remove() }) })
  }
  if (user) return update()
  try {
    await users.add({ _id: v._id, openId: v._id, ...set, roles: [grant], createdAt: deps.now() })
  } catch (e) {
    if (!isDuplicateKey(e)) throw e
    await update()
  }
}

/**
 * 审核通过 — staff whose subtree holds the grid. The registration is claimed first (CAS
 * pending → approved), so of two approvals at once only one goes on to issue a plate; then the
 * plate (counter CAS + `plates` insert) and the users doc (role, plate, team). Approving again
 * is refused — unless a failure left the approval without its plate or users doc, which is
 * then finished.
 * Round trips: caller + registration + users doc (1), township + team (1), CAS (1), plate (3–4), users (1).
 */
export async function approveVolunteer(deps: Deps, input: { id: string; teamId?: string }): Promise<VolunteerView> {
  if (!deps.openId) throw unauthenticated()
  const { db } = deps
  const [caller, v, userRes] = await Promise.all([deps.caller(), readVolunteer(db, input.id), db.collection('users').doc(input.id).get()])
  if (!v) throw notFound('志愿者注册')
  requireVolunteerScope(caller, v)
  const user = userRes.data[0] as User | undefined
  if (v.status === 'approved' && (!v.plate || user?.plate !== v.plate)) {
    const done = await finishApproval(deps, v, user, { resumed: true })
    return toVolunteerView(done, await photoUrlOf(deps, done))
  }
  if (v.status !== 'pending') throw refuse(v, '再审核通过')

  const team = await teamFor(db, v, input.teamId)
  const after = await applyDecision(deps, v, 'approved', entryOf(deps, caller, 'approve'), {
    reason: db.command.remove(),
    ...(team ? { teamId: team._id, teamName: team.name } : {}),
  }, '再审核通过')
  delete after.reason
  deps.faults?.at('approve.claimed')
  const done = await finishApproval(deps, after, user)
  return toVolunteerView(done, await photoUrlOf(deps, done))
}

/**
 * An approved registration gets its plate (once) and the users doc its volunteer role. Steps:
 * the counter (CAS), the plate recorded in `plates` for this person, the registration's plate
 * (CAS on having none), the users doc. Finishing an approval a crash left half-done
 * (`resumed`) first looks for a plate already recorded for the person, so a retry never
 * issues a second one: 1 round trip more, only then.
 */
async function finishApproval(deps: Deps, v: VolunteerDoc, user: User | undefined, opts: { resumed?: boolean } = {}): Promise<VolunteerDoc> {
  const { db } = deps
  let plate = v.plate
  if (!plate) {
    if (opts.resumed) plate = await recordedPlateOf(db, v._id)
    if (!plate) {
      const township = (await db.collection('grids').doc(v.scopePath[1] ?? '').get()).data[0] as GridNode | undefined
      if (!township || township.level !== 'township') throw new AppError('INTERNAL', '该网格不属于任何乡镇，无法分配号牌')
      plate = await issuePlate(deps, township, v._id)
      deps.faults?.at('approve.plateRecorded')
    }
    const set = await db.collection('volunteers').where({ _id: v._id, plate: db.command.exists(false) }).update({ plate })
    // another finisher set one first: keep theirs (the plate issued here stays recorded, never reused)
    if (!set.updated) plate = (await readVolunteer(db, v._id))?.plate ?? plate
    deps.faults?.at('approve.plateSet')
  }
  const done = { ...v, plate }
  await grantVolunteer(deps, done, user)
  return done
}

/** The plate recorded for a person (the first, should a race have recorded two), if any. */
async function recordedPlateOf(db: Db, userId: string): Promise<string | undefined> {
  const res = await db.collection('plates').where({ userId }).orderBy('_id', 'asc').limit(1).get()
  return (res.data[0] as { _id: string } | undefined)?._id
}

/** 不予通过 — from pending, with a reason the applicant sees. 2 round trips. */
export async function rejectVolunteer(deps: Deps, input: { id: string; reason: string }): Promise<VolunteerView> {
  const { caller, v } = await decide(deps, input.id, 'pending', '不予通过')
  const after = await applyDecision(deps, v, 'rejected', entryOf(deps, caller, 'reject', input.reason), { reason: input.reason }, '不予通过')
  return toVolunteerView(after, await photoUrlOf(deps, after))
}

/**
 * 暂停 — from approved: the person keeps the plate but loses the volunteer / leader roles
 * (shared/caller.ts) and the badge. The users flag goes first: a lost CAS can only mean
 * another suspension won, so both documents agree either way. 3 round trips.
 */
export async function suspendVolunteer(deps: Deps, input: { id: string; reason: string }): Promise<VolunteerView> {
  const { caller, v } = await decide(deps, input.id, 'approved', '暂停')
  await deps.db.collection('users').doc(v._id).update({ suspended: true })
  const after = await applyDecision(deps, v, 'suspended', entryOf(deps, caller, 'suspend', input.reason), { reason: input.reason }, '暂停')
  return toVolunteerView(after, await photoUrlOf(deps, after))
}

/** 恢复 — from suspended, roles back. 3 round trips. */
export async function restoreVolunteer(deps: Deps, input: { id: string }): Promise<VolunteerView> {
  const { caller, v } = await decide(deps, input.id, 'suspended', '恢复')
  await deps.db.collection('users').doc(v._id).update({ suspended: false })
  const after = await applyDecision(deps, v, 'approved', entryOf(deps, caller, 'restore'), { reason: deps.db.command.remove() }, '恢复')
  delete after.reason
  return toVolunteerView(after, await photoUrlOf(deps, after))
}

// ---------- 亮码亮证 ----------
/** My badge: a token signed now (10 minutes), the verify URL and its QR. Approved volunteers only. */
export async function myBadge(deps: Deps): Promise<BadgeView> {
  if (!deps.openId) throw unauthenticated()
  const v = await readVolunteer(deps.db, deps.openId)
  if (!v) throw new AppError('FORBIDDEN', '您还不是注册志愿者，请先提交志愿者注册')
  if (v.status === 'suspended') throw new AppError('FORBIDDEN', '您的志愿者身份已暂停，暂不能亮码，请联系所在村文明实践站')
  if (v.status !== 'approved') throw new AppError('FORBIDDEN', `您的志愿者注册${VOLUNTEER_STATUS_LABEL[v.status]}，审核通过后才能亮码`)
  if (!v.plate) throw new AppError('FORBIDDEN', '号牌还在发放中，请稍后再试')
  const { token, expiresAt } = signBadge(v.plate, deps.now(), badgeKeys())
  // a QR must carry an absolute link any phone camera can open
  if (!/^https?:\/\//.test(deps.publicUrl)) throw new AppError('INTERNAL', '亮码功能未配置网址（XF_PUBLIC_URL），请联系县级管理员')
  const verifyUrl = verifyUrlFor(deps.publicUrl, token)
  const [qr, photoUrl] = await Promise.all([QRCode.toDataURL(verifyUrl, { errorCorrectionLevel: 'M', margin: 1, width: 360 }), photoUrlOf(deps, v)])
  return { volunteer: toVolunteerView(v, photoUrl), token, verifyUrl, qr, expiresAt }
}

const EMPTY: Omit<VerifyView, 'result' | 'message'> = {
  name: null,
  plate: null,
  teamName: null,
  gridName: null,
  villageName: null,
  townshipName: null,
  photoUrl: null,
}
const INVALID: VerifyView = { result: 'invalid', message: '无法识别的志愿者码，请核对后重试，或拨打村服务热线核实', ...EMPTY }

/**
 * 亮证 — public (no sign-in): a scanned badge token (full name and photo: the door-step
 * check needs the face) or a typed plate (masked name, no photo). Never a phone.
 * Round trips: 1 (+ the photo URL for a token).
 */
export async function verifyBadge(deps: Deps, input: { token?: string; plate?: string }): Promise<VerifyView> {
  let plate = input.plate
  if (input.token) {
    const check = checkBadge(input.token, deps.now(), badgeKeys())
    if (!check.ok) {
      if (check.reason === 'expired') return { result: 'expired', message: '二维码已过期，请让志愿者刷新亮码页面后重新扫码', ...EMPTY }
      return INVALID
    }
    plate = check.subject
  }
  const v = (await deps.db.collection('volunteers').where({ plate }).limit(1).get()).data[0] as VolunteerDoc | undefined
  if (!v && !input.token) return { ...INVALID, message: `没有找到号牌为 ${input.plate} 的志愿者，请核对号牌` }
  if (!v || (v.status !== 'approved' && v.status !== 'suspended')) return INVALID
  const place = { plate: v.plate ?? null, teamName: v.teamName ?? null, gridName: v.gridName, villageName: v.villageName, townshipName: v.townshipName }
  if (v.status === 'suspended') {
    return { result: 'suspended', message: '该志愿者身份已暂停，请勿让其提供服务；如有疑问请联系村文明实践站', ...EMPTY, ...place, name: maskPersonName(v.name) }
  }
  const byToken = Boolean(input.token)
  return {
    result: 'verified',
    message: `已认证志愿者：${v.teamName ?? v.gridName}`,
    ...place,
    name: byToken ? v.name : maskPersonName(v.name),
    photoUrl: byToken ? await photoUrlOf(deps, v) : null,
  }
}
