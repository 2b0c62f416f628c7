// The team captain's desk (网格长 / 队长): the team's orders still to be taken, what each
// member holds, and 队长派单 — handing a team order to one member. The decision goes
// through the one gate (core authorize: role × state × "a team the caller captains"); the
// write is applyTransition's compare-and-set.
import {
  isLeader,
  activeVolunteerGrant,
  AppError,
  personalFor,
  startClock,
  type Caller,
  type Order,
  type OrderState,
  type OrderView,
  type TeamDeskView,
  type TeamMemberView,
  type Team,
  type User,
  viewFor,
} from '../../src/core'
import type { Db, Deps } from '../shared/context'
import { notFound, unauthenticated } from '../shared/errors'
import { applyTransition, readOrder } from './loop'
import { orderPhotoUrls, toOrderView, type UrlMap } from './views'

/** A captain leads a few teams at most (usually one: every grid leader captains their grid's team). */
const MAX_TEAMS = 20
/** Orders a member holds: dispatched to them (waiting for their accept), accepted, on site. */
const HELD: readonly OrderState[] = ['dispatched', 'accepted', 'in_service']
const WAITING: readonly OrderState[] = ['pooled', 'dispatched']
const MEMBERS_MAX = 1000
const ORDERS_MAX = 1000

/** The teams `openId` captains (index teams.captain). One round trip. */
async function captainedTeams(db: Db, openId: string): Promise<Team[]> {
  const res = await db.collection('teams').where({ captainId: openId }).limit(MAX_TEAMS).get()
  return (res.data as Team[]).sort((a, b) => a._id.localeCompare(b._id))
}

const withCaptaincy = (caller: Caller, teams: readonly Team[]): Caller => ({ ...caller, captainOf: teams.map((t) => t._id) })

/**
 * A team order as the captain (or another member) sees it: the villager's phone masked
 * unless they serve it now; a sensitive one (a dispute, a person needing help) without its
 * details unless they hold it — staff and the assigned volunteer see those.
 */
const deskView = (o: Order, me: string, urls?: UrlMap): OrderView => viewFor(o, { ...toOrderView(o, urls), ...personalFor(o, me) }, me)

/** Most urgent first: the earliest deadline of the current stage; orders without a clock last, newest first among those. */
function byUrgency(a: Order, b: Order): number {
  const da = a.clock?.dueAt ? new Date(a.clock.dueAt).getTime() : Infinity
  const db = b.clock?.dueAt ? new Date(b.clock.dueAt).getTime() : Infinity
  if (da !== db) return da - db
  return new Date(b.updatedAt).getTime() - new Date(a.updatedAt).getTime()
}

/**
 * 队长派单: the captain hands an order of their team (pooled, dispatched to the team, or
 * already given to a member who has not accepted) to one active member — or to themself.
 * The member gets the notice a dispatch sends and a fresh 接单 clock; the team stays on the
 * order (team reminders, rollups). Round trips: caller, order, the member and the caller's
 * teams (1, at once), then as applyTransition. The compare-and-set also requires the holder
 * read here, so a member's accept (or another assign) in between wins cleanly and this one
 * is refused.
 */
export async function assign(deps: Deps, input: { id: string; volunteerId: string }): Promise<OrderView> {
  if (!deps.openId) throw unauthenticated()
  const { db } = deps
  const [caller, order, memberRes, teams] = await Promise.all([
    deps.caller(),
    readOrder(db, input.id),
    db.collection('users').doc(input.volunteerId).get(),
    captainedTeams(db, deps.openId),
  ])
  const member = memberRes.data[0] as User | undefined
  const _ = db.command
  const after = await applyTransition({ db, now: deps.now() }, order, withCaptaincy(caller, teams), 'assign', {
    guard: (o) => ({ 'assignee.id': o.assignee ? o.assignee.id : _.exists(false) }),
    fields: ({ order: o, now, rules }) => {
      // authorize passed: the order is of a team the caller captains
      const team = o.team!
      if (!member) throw notFound('志愿者')
      if (member.teamId !== team.id) throw new AppError('FORBIDDEN', `${member.name}不是${team.name}的队员，只能派给本队队员`)
      if (!activeVolunteerGrant(member)) throw new AppError('FORBIDDEN', `${member.name}的志愿者身份已暂停，不能派单`)
      if (o.status === 'dispatched' && o.assignee?.id === member._id) throw new AppError('VALIDATION', `这条订单已经派给${member.name}，正在等他接单`)
      return {
        set: {
          assignee: { id: member._id, name: member.name, teamId: team.id },
          // a new volunteer gets the whole 接单 limit, as a dispatch gives
          clock: startClock({ status: 'dispatched', serviceId: o.serviceId, now, ...rules }),
        },
      }
    },
  })
  return deskView(after, deps.openId, await orderPhotoUrls(deps.files, [after]))
}

/**
 * The captain's desk of one team they captain (default: the first). Round trips: caller and
 * the caller's teams (1, at once); the team's open orders and its members (1, at once); what
 * the members hold (1, index assignee_status). Busy counts come from that last read.
 */
export async function teamDesk(deps: Deps, input: { teamId?: string }): Promise<TeamDeskView> {
  if (!deps.openId) throw unauthenticated()
  const { db } = deps
  const me = deps.openId
  const [caller, teams] = await Promise.all([deps.caller(), captainedTeams(db, me)])
  if (!isLeader(caller)) throw new AppError('FORBIDDEN', '队长工作台只对网格长（队长）开放')
  const team = input.teamId ? teams.find((t) => t._id === input.teamId) : teams[0]
  if (!team) throw new AppError('FORBIDDEN', input.teamId ? '您不是这支队伍的队长，不能查看它的队长工作台' : '您还没有带领志愿服务队，队长工作台只对队长开放')
  const _ = db.command
  const [teamRes, membersRes] = await Promise.all([
    db
      .collection('orders')
      .where({ 'team.id': team._id, status: _.in([...WAITING]) })
      .orderBy('updatedAt', 'desc')
      .limit(ORDERS_MAX)
      .get(),
    db.collection('users').where({ teamId: team._id }).field({ name: true, plate: true, roles: true, suspended: true, teamId: true }).limit(MEMBERS_MAX).get(),
  ])
  const members = (membersRes.data as User[]).filter((u) => !!activeVolunteerGrant(u))
  const waiting = (teamRes.data as Order[]).filter((o) => !o.assignee)
  const heldRes = members.length
    ? await db
        .collection('orders')
        .where({ 'assignee.id': _.in(members.map((m) => m._id)), status: _.in([...HELD]) })
        .limit(ORDERS_MAX)
        .get()
    : { data: [] }
  const held = heldRes.data as Order[]
  const busy = new Map<string, number>()
  for (const o of held) busy.set(o.assignee!.id, (busy.get(o.assignee!.id) ?? 0) + 1)
  const urls = await orderPhotoUrls(deps.files, [...waiting, ...held])
  const memberViews: TeamMemberView[] = members
    .map((u) => ({ id: u._id, name: u.name, plate: u.plate ?? null, captain: u._id === team.captainId, busy: busy.get(u._id) ?? 0 }))
    // least busy first (whom to give the next one), the captain first among equals
    .sort((a, b) => a.busy - b.busy || Number(b.captain) - Number(a.captain) || a.name.localeCompare(b.name, 'zh'))
  return {
    team: { id: team._id, name: team.name },
    waiting: waiting.sort(byUrgency).map((o) => deskView(o, me, urls)),
    held: held.sort(byUrgency).map((o) => deskView(o, me, urls)),
    members: memberViews,
  }
}
