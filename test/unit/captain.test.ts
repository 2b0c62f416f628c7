// 队长派单 through the one gate: only the captain of the team an order went to may hand it
// to a member; once given, it is that member's to accept, not the team pool's.
import { AppError, authorize, movedOnMessage, noticesFor, type Caller, type Order } from '../../src/core'
import { orderAt } from '../helpers/orderFixture'

const order = orderAt

const CAPTAIN_DG: Caller = { openId: 'u_vol_01', name: '王建国', roles: [{ role: 'leader', nodeId: 'g_XF010101' }], teamId: 'team_dg', captainOf: ['team_dg'] }
const CAPTAIN_HXG: Caller = { openId: 'u_vol_14', name: '张二虎', roles: [{ role: 'leader', nodeId: 'g_XF020101' }], teamId: 'team_hxg', captainOf: ['team_hxg'] }
/** a grid leader in the team who does not captain it (the service found no team of theirs) */
const LEADER_NOT_CAPTAIN: Caller = { openId: 'u_vol_09', name: '程丽娟', roles: [{ role: 'leader', nodeId: 'g_XF010102' }], teamId: 'team_dg', captainOf: [] }
const MEMBER: Caller = { openId: 'u_vol_02', name: '刘志刚', roles: [{ role: 'volunteer', nodeId: 'g_XF010101' }], teamId: 'team_dg' }
const MEMBER2: Caller = { openId: 'u_vol_03', name: '马春花', roles: [{ role: 'volunteer', nodeId: 'g_XF010102' }], teamId: 'team_dg' }
const STATION: Caller = { openId: 'u_station_dg', name: '刘站长', roles: [{ role: 'station', nodeId: 'g_XF0101' }] }
const COUNTY: Caller = { openId: 'u_county', name: '周主任', roles: [{ role: 'county', nodeId: 'g_XF' }] }

const refusal = (o: Order, c: Caller, action: Parameters<typeof authorize>[2] = 'assign') => {
  try {
    authorize(o, c, action)
  } catch (e) {
    if (!(e instanceof AppError)) throw e
    return { code: e.code, message: e.message }
  }
  return null
}
const given = (to: Caller) => ({ id: to.openId, name: to.name, teamId: 'team_dg' })

describe('authorize: 队长派单 (assign)', () => {
  test('the captain of the order’s team assigns a pooled order, one dispatched to the team, or one given to a member who has not accepted', () => {
    expect(authorize(order('pooled'), CAPTAIN_DG, 'assign')).toEqual({ role: 'leader', to: 'dispatched' })
    expect(authorize(order('dispatched'), CAPTAIN_DG, 'assign')).toEqual({ role: 'leader', to: 'dispatched' })
    expect(authorize(order('dispatched', { assignee: given(MEMBER) }), CAPTAIN_DG, 'assign')).toEqual({ role: 'leader', to: 'dispatched' })
  })

  test('not once a member accepted it, nor before the station sent it', () => {
    expect(refusal(order('accepted', { assignee: given(MEMBER) }), CAPTAIN_DG)?.code).toBe('INVALID_TRANSITION')
    expect(refusal(order('in_service', { assignee: given(MEMBER) }), CAPTAIN_DG)?.code).toBe('INVALID_TRANSITION')
    expect(refusal(order('pending', { team: undefined }), CAPTAIN_DG)?.code).toBe('FORBIDDEN')
  })

  test('another team’s captain is refused, in plain words', () => {
    const r = refusal(order('dispatched'), CAPTAIN_HXG)
    expect(r).toEqual({ code: 'FORBIDDEN', message: '这条订单不是派给您带领的队伍的，只有该队的队长可以分派' })
  })

  test('an order the station dispatched to one volunteer (no team) is not the captain’s to assign', () => {
    expect(refusal(order('dispatched', { team: undefined, assignee: given(MEMBER) }), CAPTAIN_DG)?.code).toBe('FORBIDDEN')
  })

  test('a grid leader in the team who is not its captain is refused', () => {
    expect(refusal(order('pooled'), LEADER_NOT_CAPTAIN)?.code).toBe('FORBIDDEN')
    // no captaincy loaded at all: refused too
    const { captainOf: _none, ...unloaded } = CAPTAIN_DG
    expect(refusal(order('pooled'), unloaded)?.code).toBe('FORBIDDEN')
  })

  test('a plain volunteer of the team and staff are refused: the action is the captain’s', () => {
    expect(refusal(order('pooled'), MEMBER)).toEqual({ code: 'FORBIDDEN', message: '当前身份不能执行「队长派单」' })
    expect(refusal(order('pooled'), STATION)).toEqual({ code: 'FORBIDDEN', message: '当前身份不能执行「队长派单」' })
    expect(refusal(order('pooled'), COUNTY)?.code).toBe('FORBIDDEN')
  })
})

describe('after the captain assigned it', () => {
  const assigned = order('dispatched', { assignee: given(MEMBER) })

  test('the member accepts it; a team-mate cannot take it from the pool', () => {
    expect(authorize(assigned, MEMBER, 'accept')).toEqual({ role: 'volunteer', to: 'accepted' })
    expect(refusal(assigned, MEMBER2, 'accept')?.code).toBe('FORBIDDEN')
    expect(movedOnMessage('accept', assigned, MEMBER2.openId)).toBe('队长已把这条订单派给刘志刚')
    // the captain may still take it themself by assigning it to themself, not by accepting over the member
    expect(refusal(assigned, CAPTAIN_DG, 'accept')?.code).toBe('FORBIDDEN')
  })

  test('team-mates still accept what nobody holds', () => {
    expect(authorize(order('pooled'), MEMBER2, 'accept').to).toBe('accepted')
    expect(authorize(order('dispatched'), CAPTAIN_DG, 'accept').to).toBe('accepted')
  })

  test('the member may decline it (back to the station)', () => {
    expect(authorize(assigned, MEMBER, 'decline', '今天不在村里').to).toBe('pending')
  })
})

describe('who is told', () => {
  const before = order('pooled')
  test('the member gets the notice a dispatch to them sends', () => {
    const after = order('dispatched', { assignee: given(MEMBER) })
    const n = noticesFor({ action: 'assign', before, after, actorId: CAPTAIN_DG.openId })
    expect(n).toEqual([{ to: { userId: 'u_vol_02' }, kind: 'task_assigned', text: '您有新的派单：「水电维修」订单（20261123-000001），请尽快接单' }])
  })
  test('given to someone else: the first member is told it moved on', () => {
    const n = noticesFor({ action: 'assign', before: order('dispatched', { assignee: given(MEMBER) }), after: order('dispatched', { assignee: given(MEMBER2) }), actorId: CAPTAIN_DG.openId })
    expect(n.map((x) => [(x.to as { userId: string }).userId, x.kind])).toEqual([
      ['u_vol_02', 'task_withdrawn'],
      ['u_vol_03', 'task_assigned'],
    ])
  })
  test('the captain taking it themself is told nothing', () => {
    const n = noticesFor({ action: 'assign', before, after: order('dispatched', { assignee: given(CAPTAIN_DG) }), actorId: CAPTAIN_DG.openId })
    expect(n).toEqual([])
  })
})
