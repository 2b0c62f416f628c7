import { AppError } from './errors'
import { STAFF_ROLES, type GridNode, type Role, type RoleGrant, type StaffRole, type User } from './schemas'

/** Who is calling, as resolved by the platform (never by the client). */
export type Caller = {
  openId: string
  name: string
  roles: RoleGrant[]
  /** the volunteer's team, if any */
  teamId?: string
  /**
   * Teams this caller captains (teams.captainId): filled only by the services that need it
   * (the captain's desk, 队长派单), which read the team anyway; absent means "none known".
   */
  captainOf?: string[]
  /** the phone on the person's user record (a registered volunteer's, say), if any */
  phone?: string
  /** the sweep (reminders, deadlines, follow-ups); only server code builds such a caller */
  system?: true
}

/** The sweep as a caller: it acts as role 'system' on every order (see TRANSITIONS). */
export const SYSTEM_CALLER: Caller = { openId: 'system', name: '系统', roles: [], system: true }

export const isStaff = (r: Role): r is StaffRole => (STAFF_ROLES as readonly Role[]).includes(r)

/** Roles that serve orders: a volunteer, or a grid leader (team captain). */
export const VOLUNTEER_ROLES: readonly Role[] = ['volunteer', 'leader']
export const isVolunteerRole = (r: Role) => VOLUNTEER_ROLES.includes(r)

/**
 * The grant under which a stored user may serve now: a volunteer or leader role, unless the
 * volunteer is suspended (暂停: they keep the plate, but are not suggested, dispatched to or
 * acting as a volunteer until restored). The one definition of "an active volunteer".
 */
export function activeVolunteerGrant(u: Pick<User, 'roles' | 'suspended'>): RoleGrant | undefined {
  if (u.suspended === true) return undefined
  return u.roles.find((g) => isVolunteerRole(g.role))
}

/** Does the caller act as a volunteer (loadCaller already dropped a suspended volunteer's roles)? */
export const actsAsVolunteer = (c: Pick<Caller, 'roles'>) => c.roles.some((g) => isVolunteerRole(g.role))

/** Grants of the given roles whose node lies on `scopePath` (the target's ancestry). */
export function grantsCovering(caller: Caller, roles: readonly Role[], scopePath: readonly string[]): RoleGrant[] {
  return caller.roles.filter((g) => roles.includes(g.role) && scopePath.includes(g.nodeId))
}

/**
 * Staff act only within the subtree of the node they hold the role at.
 * Returns the grant used, or refuses.
 */
export function requireScope(caller: Caller, roles: readonly Role[], scopePath: readonly string[]): RoleGrant {
  const g = grantsCovering(caller, roles, scopePath)[0]
  if (!g) throw new AppError('FORBIDDEN', '无权查看或处理该区域的订单')
  return g
}

/** A caller's grant for one of `roles` at exactly `nodeId`, or refuses. */
export function requireGrantAt(caller: Caller, roles: readonly Role[], nodeId: string): RoleGrant {
  const g = caller.roles.find((r) => roles.includes(r.role) && r.nodeId === nodeId)
  if (!g) throw new AppError('FORBIDDEN', '无权查看或处理该区域的订单')
  return g
}

export function staffGrants(caller: Caller): RoleGrant[] {
  return caller.roles.filter((g) => isStaff(g.role))
}

/**
 * Who may read an order: its villager, or staff whose subtree holds its grid.
 * `loadCaller` is only called when the reader is not the villager (saves a round trip).
 */
export async function requireOrderReader(
  order: { villagerId: string; scopePath: readonly string[]; forFamily?: { userId?: string } },
  openId: string,
  loadCaller: () => Promise<Caller>,
) {
  // 帮家人点单: the family member reads it too, through the account the order was linked to when placed
  if (order.villagerId === openId || isOrderedFor(order, openId)) return
  requireScope(await loadCaller(), STAFF_ROLES, order.scopePath)
}

/** 帮家人点单: `openId` is the family member the order was placed for (not the one who placed it). */
export const isOrderedFor = (order: { villagerId: string; forFamily?: { userId?: string } }, openId: string) =>
  order.villagerId !== openId && !!openId && order.forFamily?.userId === openId

/**
 * Who may see the full phone numbers of records (an order's caller, a volunteer) at
 * `scopePath`: staff whose subtree holds them — as order details, work lists and the
 * volunteer list show them. Volunteers see a villager's phone only while serving the order
 * (loop.ts phoneFor); the public never. Exports ask this before writing phones in full.
 */
export function maySeeFullPhones(caller: Caller, scopePath: readonly string[]): boolean {
  return coversScope(caller, STAFF_ROLES, scopePath)
}

/** The county administrator's grant (of `countyId` when given), for county-wide settings such as the service catalogue. */
export function requireCountyAdmin(caller: Caller, what: string, countyId?: string): RoleGrant {
  const g = countyGrantOf(caller, countyId)
  if (!g) throw new AppError('FORBIDDEN', `只有本县的县级管理员可以${what}`)
  return g
}

// ---------- role predicates: the one place that compares role names ----------

type Grants = Pick<Caller, 'roles'>

/** Does the caller hold `role` at any node? */
export const holdsRole = (c: Grants, role: Role) => c.roles.some((g) => g.role === role)

/** A grid leader (网格长): the role a team's captain serves under. */
export const isLeader = (c: Grants) => holdsRole(c, 'leader')

/** Staff of any level (station, township, county), wherever. */
export const isStaffCaller = (c: Grants) => c.roles.some((g) => isStaff(g.role))

/** The caller's volunteer and leader grants (where they serve). */
export const volunteerGrants = (c: Grants): RoleGrant[] => c.roles.filter((g) => isVolunteerRole(g.role))

/** Does a grant of one of `roles` lie on `scopePath` (the target's ancestry)? */
export const coversScope = (caller: Caller, roles: readonly Role[], scopePath: readonly string[]) => grantsCovering(caller, roles, scopePath).length > 0

/** The county administrator's grant (of `countyId` when given), if the caller holds one. */
export const countyGrantOf = (c: Grants, countyId?: string): RoleGrant | undefined =>
  c.roles.find((r) => r.role === 'county' && (!countyId || r.nodeId === countyId))

/** Roles that administer people and places below them: search users, see staff phones, run the points store. */
export const ADMIN_ROLES = ['county', 'township'] as const satisfies readonly StaffRole[]

/** Roles that may change the tree (create, rename, move, (de)activate) within their subtree. */
export const TREE_ADMIN_ROLES = ADMIN_ROLES

/** A county or township grant covering `path` (the node, or the parent a child goes under), or a clear refusal. */
export function requireTreeAdmin(caller: Caller, path: readonly string[]): RoleGrant {
  const g = grantsCovering(caller, TREE_ADMIN_ROLES, path)[0]
  if (!g) throw new AppError('FORBIDDEN', '只有县级管理员或所属乡镇实践所可以调整这一级网格')
  return g
}

/** Whether the caller may change the tree at `path` (the tree view's edit buttons). */
export const mayEditTree = (caller: Caller, path: readonly string[]) => coversScope(caller, TREE_ADMIN_ROLES, path)

/**
 * Who may import a spreadsheet where (else the refusal): at the county root, the county's
 * administrators; at a township, also that township's, whose rows must then all be of it
 * (planImport). Rows start at 乡镇, so nowhere else.
 */
export function requireImporter(caller: Caller, root: Pick<GridNode, 'level' | 'path' | 'name'>): void {
  if (root.level !== 'county' && root.level !== 'township') throw new AppError('VALIDATION', '请在县或乡镇一级导入：表格从乡镇一级写起')
  const roles = root.level === 'county' ? (['county'] as const) : TREE_ADMIN_ROLES
  if (grantsCovering(caller, roles, root.path).length > 0) return
  throw new AppError(
    'FORBIDDEN',
    root.level === 'county' ? '只有县级管理员可以导入全县的网格；乡镇管理员请在本乡镇导入' : `只有县级管理员或「${root.name}」的管理员可以在这里导入网格`,
  )
}

/** The caller's county and township grants. */
export const adminGrants = (c: Grants): RoleGrant[] => c.roles.filter((g) => (ADMIN_ROLES as readonly Role[]).includes(g.role))

/** Who may appoint each staff role (within their subtree): a station by its township or the county; the rest by the county. */
export const APPOINTERS: Record<StaffRole, readonly StaffRole[]> = { station: ['county', 'township'], township: ['county'], county: ['county'] }

/**
 * Where a caller sees the 红黑榜 draft from: county staff (preferred) or township staff (their
 * township's rows are marked in the county's list). Station staff and others are refused.
 */
export function honorViewer(roles: readonly RoleGrant[]): { nodeId: string; township: boolean } {
  const g = roles.find((r) => r.role === 'county') ?? roles.find((r) => r.role === 'township')
  if (!g) throw new AppError('FORBIDDEN', '只有乡镇和县级工作人员可以查看红黑榜草稿')
  return { nodeId: g.nodeId, township: g.role === 'township' }
}

/** Only the county's administrator publishes its 红黑榜. */
export const mayPublishHonor = (roles: readonly RoleGrant[], countyId: string) => countyGrantOf({ roles: [...roles] }, countyId) !== undefined
