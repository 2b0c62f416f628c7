import {
  adminGrants,
  holdsRole,
  coversScope,
  APPOINTERS,
  ADMIN_ROLES,
  escapeRegExp,
  AppError,
  grantEntry,
  isStaff,
  LEVEL_LABEL,
  maskPhone,
  revokeEntry,
  ROLE_LABEL,
  STAFF_ROLE_LEVEL,
  STAFF_ROLES,
  type Caller,
  type GridNode,
  type MeView,
  type RoleGrant,
  type StaffRole,
  type StaffView,
  type User,
  type UserOption,
} from '../../src/core'
import type { Deps } from '../shared/context'
import { uploadPrefix } from '../shared/files'
import { notFound, unauthenticated } from '../shared/errors'
import { auditContext, recordAudit } from './audit'
import { subtreeOf } from './gridQueries'
import { maskName } from './views'
import { subscribeTemplates } from './subscriptions'

type GrantInput = { userId: string; role: StaffRole; nodeId: string }

/**
 * Who am I, with the names of the nodes my roles are held at, and the phone to prefill the
 * order form with: the one given on my latest own order (from a signboard; a hotline order
 * belongs to the staff member who typed the caller's number), else my user record's.
 * Round trips: the caller and the latest order in parallel (1), the role nodes' names (1, only with roles).
 */
export async function me(deps: Deps): Promise<MeView> {
  const [caller, lastPhone] = await Promise.all([deps.caller(), lastOrderPhone(deps)])
  const ids = [...new Set(caller.roles.map((r) => r.nodeId))]
  let names = new Map<string, string>()
  if (ids.length) {
    const _ = deps.db.command
    const res = await deps.db.collection('grids').where({ _id: _.in(ids) }).field({ name: true }).limit(100).get()
    names = new Map((res.data as GridNode[]).map((g) => [g._id, g.name]))
  }
  return {
    openId: caller.openId,
    name: caller.name,
    roles: caller.roles.map((r) => ({ role: r.role, nodeId: r.nodeId, nodeName: names.get(r.nodeId) ?? '' })),
    uploadPrefix: uploadPrefix(caller.openId),
    phone: lastPhone ?? caller.phone ?? null,
    subscribe: subscribeTemplates(deps.wechat),
  }
}

async function lastOrderPhone({ db, openId }: Deps): Promise<string | null> {
  if (!openId) return null
  const res = await db.collection('orders').where({ villagerId: openId, source: 'scan' }).orderBy('createdAt', 'desc').limit(1).field({ contactPhone: true }).get()
  const phone = (res.data[0] as { contactPhone?: unknown } | undefined)?.contactPhone
  return typeof phone === 'string' && phone ? phone : null
}

/**
 * user.wxPhone — the phone number WeChat vouches for, from the one-time code the phone-number
 * button hands the mini-program (phonenumber.getPhoneNumber). Only returned to fill the form:
 * it is stored when an order carrying it is placed, as any typed number is. Round trips: WeChat (1).
 */
export async function wxPhone(deps: Deps, { code }: { code: string }): Promise<{ phone: string }> {
  if (!deps.openId) throw unauthenticated()
  return { phone: await deps.wechat.phoneNumber(code) }
}


const toStaffView = (u: User, g: RoleGrant, nodeName: string, showPhone: boolean): StaffView => ({
  userId: u._id,
  name: u.name,
  phone: u.phone ? (showPhone ? u.phone : maskPhone(u.phone)) : null,
  role: g.role,
  nodeId: g.nodeId,
  nodeName,
})

/**
 * user.search — people by phone (exact 11 digits) or name (contains), for appointing staff.
 * County / township administrators only, and only people of their own subtree: someone who
 * holds a role there (in full, phone masked); someone who holds no role anywhere only by the
 * exact phone number they gave (name masked, e.g. 李**, for a township). People whose roles
 * are all elsewhere are not found. Round trips: caller (1), users (1), their role nodes (1).
 */
export async function searchUsers(deps: Deps, { q }: { q: string }): Promise<UserOption[]> {
  const { db } = deps
  const _ = db.command
  const caller = await deps.caller()
  const admin = adminGrants(caller)
  if (admin.length === 0) throw new AppError('FORBIDDEN', '只有县级管理员或乡镇实践所可以查找人员')
  const byPhone = /^1\d{10}$/.test(q)
  const esc = escapeRegExp(q)
  const res = await db.collection('users').where(byPhone ? { phone: q } : { name: db.RegExp({ regexp: esc }) }).limit(50).get()
  const users = res.data as User[]
  const nodeIds = [...new Set(users.flatMap((u) => (u.roles ?? []).map((r) => r.nodeId)))]
  const nodes = nodeIds.length ? ((await db.collection('grids').where({ _id: _.in(nodeIds) }).field({ path: true }).limit(1000).get()).data as GridNode[]) : []
  const pathOf = new Map(nodes.map((n) => [n._id, n.path]))
  const mine = (nodeId: string) => admin.some((g) => (pathOf.get(nodeId) ?? []).includes(g.nodeId))
  const county = holdsRole(caller, 'county')
  const out: UserOption[] = []
  for (const u of users) {
    const roles = u.roles ?? []
    const inScope = roles.some((r) => mine(r.nodeId))
    // nobody's roles are elsewhere; a person without roles is found only by the phone they gave
    if (!inScope && (roles.length > 0 || !byPhone)) continue
    out.push({
      id: u._id,
      name: inScope || county ? u.name : maskName(u.name),
      phone: u.phone ? maskPhone(u.phone) : null,
      plate: inScope ? (u.plate ?? null) : null,
      roles: roles.filter((r) => mine(r.nodeId)).map((r) => ({ role: r.role, nodeId: r.nodeId })),
    })
    if (out.length === 20) break
  }
  return out
}

/**
 * Who may grant / revoke `role` at `node`: a county grant covering it, or a township grant
 * covering it for station roles (a township appoints the stations of its villages); and the
 * role must fit the node's level.
 */
function requireGranter(caller: Caller, role: StaffRole, node: GridNode) {
  if (node.level !== STAFF_ROLE_LEVEL[role]) {
    throw new AppError('VALIDATION', `「${ROLE_LABEL[role]}」只能设在${LEVEL_LABEL[STAFF_ROLE_LEVEL[role]]}一级，「${node.name}」是${LEVEL_LABEL[node.level]}`)
  }
  if (!coversScope(caller, APPOINTERS[role], node.path)) {
    throw new AppError('FORBIDDEN', role === 'station' ? '只有县级管理员或所属乡镇实践所可以任命村实践站人员' : '只有县级管理员可以任命乡镇、县级管理人员')
  }
}

async function grantTargets(deps: Deps, input: GrantInput) {
  const [caller, nodeRes, userRes] = await Promise.all([
    deps.caller(),
    deps.db.collection('grids').doc(input.nodeId).get(),
    deps.db.collection('users').doc(input.userId).get(),
  ])
  const node = nodeRes.data[0] as GridNode | undefined
  const user = userRes.data[0] as User | undefined
  if (!node) throw notFound('节点')
  requireGranter(caller, input.role, node)
  if (!user) throw notFound('用户')
  return { caller, node, user }
}

const facts = (user: User, input: GrantInput, node: GridNode) => ({ user: { id: user._id, name: user.name }, role: input.role, nodeId: node._id, nodeName: node.name })

/** user.grant — idempotent. Round trips: caller + node + user (1), the write and its audit entry (2, none when held already). */
export async function grantRole(deps: Deps, input: GrantInput): Promise<StaffView> {
  const { caller, node, user } = await grantTargets(deps, input)
  const grant: RoleGrant = { role: input.role, nodeId: input.nodeId }
  if (!(user.roles ?? []).some((r) => r.role === grant.role && r.nodeId === grant.nodeId)) {
    const _ = deps.db.command
    // compare-and-set on "not held yet": of two identical grants at once only one matches, and only it records
    // the grant (an unchanged document may count as updated, so addToSet alone could not tell them apart)
    const res = await deps.db
      .collection('users')
      .where(_.and([{ _id: user._id }, _.nor([{ roles: _.elemMatch({ role: grant.role, nodeId: grant.nodeId }) }])]))
      .update({ roles: _.addToSet(grant) })
    if (res.updated === 1) await recordAudit(deps.db, grantEntry(auditContext(caller, node.path, deps.now()), facts(user, input, node)))
  }
  // masked: granting a role must not be a way to read someone's number
  return toStaffView(user, grant, node.name, false)
}

/** user.revoke — removes exactly that grant. Round trips: caller + node + user (1), the write and its audit entry (2). */
export async function revokeRole(deps: Deps, input: GrantInput): Promise<{ removed: boolean }> {
  const { caller, node, user } = await grantTargets(deps, input)
  if (user._id === caller.openId && input.role === 'county' && caller.roles.filter((r) => r.role === 'county').length <= 1) {
    throw new AppError('VALIDATION', '不能撤销自己唯一的县级管理员身份，请先由其他县级管理员接手')
  }
  if (!(user.roles ?? []).some((r) => r.role === input.role && r.nodeId === input.nodeId)) return { removed: false }
  // compare-and-set on "still held": of two revocations at once only one matches and reports the removal
  const _ = deps.db.command
  const res = await deps.db
    .collection('users')
    .where({ _id: user._id, roles: _.elemMatch({ role: input.role, nodeId: input.nodeId }) })
    .update({ roles: _.pull({ role: input.role, nodeId: input.nodeId }) })
  if (res.updated === 1) await recordAudit(deps.db, revokeEntry(auditContext(caller, node.path, deps.now()), facts(user, input, node)))
  return { removed: res.updated === 1 }
}

/**
 * user.staff — staff grants at the node or below (any staff role covering the node may look;
 * phones in full only for county / township). Staff grants sit at county, township and village
 * nodes only, so the subtree is read at those levels. Round trips: caller + node (1), subtree (1), users (1).
 */
export async function staffOf(deps: Deps, { nodeId }: { nodeId: string }): Promise<StaffView[]> {
  const { db } = deps
  const _ = db.command
  const [caller, nodeRes] = await Promise.all([deps.caller(), db.collection('grids').doc(nodeId).get()])
  const node = nodeRes.data[0] as GridNode | undefined
  if (!node) throw notFound('节点')
  if (!coversScope(caller, STAFF_ROLES, node.path)) throw new AppError('FORBIDDEN', '无权查看该区域的工作人员')
  const showPhone = coversScope(caller, ADMIN_ROLES, node.path)
  const levels = [...new Set(Object.values(STAFF_ROLE_LEVEL))]
  const nodes = await subtreeOf(db, node._id, { level: _.in(levels) }, { name: true })
  const names = new Map(nodes.map((n) => [n._id, n.name]))
  const ids = [...names.keys()]
  const res = await db.collection('users').where({ 'roles.nodeId': _.in(ids) }).limit(1000).get()
  const out: StaffView[] = []
  for (const u of res.data as User[]) {
    for (const g of u.roles ?? []) {
      if (isStaff(g.role) && names.has(g.nodeId)) out.push(toStaffView(u, g, names.get(g.nodeId)!, showPhone))
    }
  }
  const rank = (r: string) => STAFF_ROLES.indexOf(r as StaffRole)
  return out.sort((a, b) => rank(b.role) - rank(a.role) || a.nodeName.localeCompare(b.nodeName, 'zh') || a.name.localeCompare(b.name, 'zh'))
}
