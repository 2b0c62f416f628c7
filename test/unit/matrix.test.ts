// The full (state × action × role) matrix of the order state machine, checked
// against a table written out by hand here (NOT derived from TRANSITIONS), plus
// the scope rules of `authorize`.
import {
  AppError,
  authorize,
  canTransition,
  nextState,
  ORDER_ACTIONS,
  ORDER_STATES,
  ACTOR_ROLES,
  SYSTEM_CALLER,
  type ActorRole,
  type Caller,
  type Order,
  type OrderAction,
  type OrderState,
} from '../../src/core'
import { orderAt as teamOrderAt } from '../helpers/orderFixture'

// Read as: action → "roles may do it from states → to". Written from PRODUCT.md / issue 3.
const ST = ['station', 'township'] as const
const VOL = ['volunteer', 'leader'] as const
const ABOVE = ['township', 'county'] as const
const SYS = ['system'] as const
// timeliness (issue: a clock on every open order): states with a time limit, and every open state
const TIMED = ['pending', 'escalated', 'dispatched', 'pooled', 'accepted', 'in_service'] as const
const OPEN = [...TIMED, 'completed'] as const
const EXPECTED: Record<OrderAction, { roles: readonly ActorRole[]; from: readonly (OrderState | null)[]; to: OrderState | 'same'; reason: boolean }> = {
  place: { roles: ['villager', 'station', 'township'], from: [null], to: 'pending', reason: false },
  // issue 14: 随手拍 on patrol, and the captain's desk
  report: { roles: VOL, from: [null], to: 'pending', reason: false },
  handleOnSpot: { roles: VOL, from: [null], to: 'handled', reason: false },
  assign: { roles: ['leader'], from: ['dispatched', 'pooled'], to: 'dispatched', reason: false },
  cancel: { roles: ['villager'], from: ['pending', 'escalated', 'dispatched', 'pooled'], to: 'cancelled', reason: false },
  dispatch: { roles: ST, from: ['pending', 'escalated'], to: 'dispatched', reason: false },
  openPool: { roles: ST, from: ['pending', 'escalated'], to: 'pooled', reason: false },
  redispatch: { roles: ST, from: ['dispatched', 'pooled'], to: 'dispatched', reason: false },
  reject: { roles: ST, from: ['pending', 'escalated'], to: 'rejected', reason: true },
  escalate: { roles: ['station'], from: ['pending'], to: 'escalated', reason: true },
  refer: { roles: ST, from: ['pending', 'escalated', 'dispatched', 'pooled'], to: 'referred', reason: true },
  close: { roles: ST, from: ['pending', 'escalated', 'dispatched', 'pooled'], to: 'closed', reason: true },
  accept: { roles: VOL, from: ['dispatched', 'pooled'], to: 'accepted', reason: false },
  decline: { roles: VOL, from: ['dispatched'], to: 'pending', reason: true },
  checkIn: { roles: VOL, from: ['accepted'], to: 'in_service', reason: false },
  complete: { roles: VOL, from: ['accepted', 'in_service'], to: 'completed', reason: false },
  confirmFixed: { roles: ['villager'], from: ['completed'], to: 'fixed', reason: false },
  confirmNotFixed: { roles: ['villager'], from: ['completed'], to: 'pending', reason: true },
  recall: { roles: ST, from: ['accepted', 'in_service'], to: 'pending', reason: true },
  handBack: { roles: VOL, from: ['accepted'], to: 'pending', reason: true },
  followUpFixed: { roles: ST, from: ['completed'], to: 'fixed', reason: false },
  followUpNotFixed: { roles: ST, from: ['completed'], to: 'pending', reason: true },
  supervise: { roles: ABOVE, from: OPEN, to: 'same', reason: true },
  answerSupervision: { roles: ST, from: OPEN, to: 'same', reason: true },
  requestExtension: { roles: ST, from: TIMED, to: 'same', reason: true },
  approveExtension: { roles: ABOVE, from: TIMED, to: 'same', reason: false },
  refuseExtension: { roles: ABOVE, from: TIMED, to: 'same', reason: true },
  remind: { roles: SYS, from: TIMED, to: 'same', reason: false },
  markOverdue: { roles: SYS, from: TIMED, to: 'same', reason: false },
  autoEscalate: { roles: SYS, from: ['pending'], to: 'escalated', reason: false },
  superviseOverdue: { roles: SYS, from: OPEN, to: 'same', reason: false },
  followUpDue: { roles: SYS, from: ['completed'], to: 'same', reason: false },
  autoClose: { roles: SYS, from: ['completed'], to: 'unconfirmed', reason: false },
}
const STATES_AND_NEW: (OrderState | null)[] = [null, ...ORDER_STATES]

// ---------- fixtures: an order at 东关村第一网格 and a caller who is in scope for each role ----------
/** assigned to 刘志刚 unless the patch says otherwise */
const orderAt = (status: OrderState, patch: Partial<Order> = {}): Order =>
  teamOrderAt(status, { assignee: { id: 'u_vol', name: '刘志刚', teamId: 'team_dg' }, ...patch })
const IN_SCOPE: Record<ActorRole, Caller> = {
  system: SYSTEM_CALLER,
  villager: { openId: 'u_villager', name: '张大爷', roles: [] },
  volunteer: { openId: 'u_vol', name: '刘志刚', roles: [{ role: 'volunteer', nodeId: 'g_XF010101' }], teamId: 'team_dg' },
  leader: { openId: 'u_vol', name: '王建国', roles: [{ role: 'leader', nodeId: 'g_XF010101' }], teamId: 'team_dg', captainOf: ['team_dg'] },
  station: { openId: 'u_station', name: '刘站长', roles: [{ role: 'station', nodeId: 'g_XF0101' }] },
  township: { openId: 'u_township', name: '陈所长', roles: [{ role: 'township', nodeId: 'g_XF01' }] },
  county: { openId: 'u_county', name: '周主任', roles: [{ role: 'county', nodeId: 'g_XF' }] },
}
const codeOf = (f: () => unknown): string => {
  try {
    f()
    return 'OK'
  } catch (e) {
    if (!(e instanceof AppError)) throw e
    return e.code
  }
}

describe('the full matrix', () => {
  const combos: [OrderState | null, OrderAction, ActorRole][] = []
  for (const s of STATES_AND_NEW) for (const a of ORDER_ACTIONS) for (const r of ACTOR_ROLES) combos.push([s, a, r])

  test('the table covers every action of the machine, and no more', () => {
    expect([...ORDER_ACTIONS].sort()).toEqual(Object.keys(EXPECTED).sort())
  })

  test(`every (state × action × role) combination: ${STATES_AND_NEW.length} × ${ORDER_ACTIONS.length} × ${ACTOR_ROLES.length} = ${STATES_AND_NEW.length * ORDER_ACTIONS.length * ACTOR_ROLES.length}`, () => {
    let allowed = 0
    for (const [s, a, r] of combos) {
      const e = EXPECTED[a]
      const roleOk = e.roles.includes(r)
      const stateOk = e.from.includes(s)
      const want = roleOk && stateOk
      expect({ s, a, r, allowed: canTransition(a, s, r) }).toEqual({ s, a, r, allowed: want })
      // with a reason: OK, or refused with the right code (role first, then state)
      const got = codeOf(() => nextState(a, s, r, '原因说明'))
      expect({ s, a, r, got }).toEqual({ s, a, r, got: want ? 'OK' : roleOk ? 'INVALID_TRANSITION' : 'FORBIDDEN' })
      if (want) {
        allowed++
        expect(nextState(a, s, r, '原因说明')).toBe(e.to === 'same' ? s : e.to)
        // without a reason, actions that need one refuse
        expect({ s, a, r, got: codeOf(() => nextState(a, s, r)) }).toEqual({ s, a, r, got: e.reason ? 'VALIDATION' : 'OK' })
      }
      // the same decision through authorize(), with a caller in scope for the role
      if (s !== null && a !== 'place') {
        const viaAuthorize = codeOf(() => authorize(orderAt(s), IN_SCOPE[r], a, '原因说明'))
        expect({ s, a, r, viaAuthorize }).toEqual({ s, a, r, viaAuthorize: want ? 'OK' : roleOk ? 'INVALID_TRANSITION' : 'FORBIDDEN' })
      }
    }
    expect(combos).toHaveLength(3465)
    // the loop: 3+4+4+4+4+4+1+8+8+4+2+2+4+1+1 = 54; keeping orders moving: 4+2+2+2+14+14+12+12+12+6+6+1+7+1+1 = 96
    // patrol and the captain's desk (issue 14): report 2, handleOnSpot 2, assign 2
    expect(allowed).toBe(156)
    console.log(`state-machine matrix: ${combos.length} combinations (${STATES_AND_NEW.length} states incl. "not created" × ${ORDER_ACTIONS.length} actions × ${ACTOR_ROLES.length} roles incl. the system), ${allowed} allowed, ${combos.length - allowed} refused`)
  })
})

describe('scope (authorize)', () => {
  const stranger = (role: Exclude<ActorRole, 'system'>, nodeId: string, teamId?: string): Caller => ({ openId: 'u_other', name: '某人', roles: [{ role, nodeId }], ...(teamId ? { teamId } : {}) })
  const forbidden = (o: Order, c: Caller, a: OrderAction) => expect(codeOf(() => authorize(o, c, a, '原因说明'))).toBe('FORBIDDEN')
  const allowed = (o: Order, c: Caller, a: OrderAction) => expect(codeOf(() => authorize(o, c, a, '原因说明'))).toBe('OK')

  test('villagers act only on their own orders', () => {
    forbidden(orderAt('pending'), { openId: 'u_someone', name: '李奶奶', roles: [] }, 'cancel')
    forbidden(orderAt('completed'), { openId: 'u_someone', name: '李奶奶', roles: [] }, 'confirmFixed')
  })

  test('staff act only within their subtree', () => {
    forbidden(orderAt('pending'), stranger('station', 'g_XF0201'), 'dispatch') // 西山村
    forbidden(orderAt('pending'), stranger('township', 'g_XF02'), 'dispatch') // 西山乡
    allowed(orderAt('pending'), stranger('township', 'g_XF01'), 'dispatch')
    allowed(orderAt('pending'), stranger('station', 'g_XF0101'), 'escalate')
  })

  test('volunteers: assigned to them, their team’s pool, the accepted assignee', () => {
    const pooled = orderAt('pooled', { assignee: undefined })
    allowed(pooled, stranger('volunteer', 'g_XF010102', 'team_dg'), 'accept')
    forbidden(pooled, stranger('volunteer', 'g_XF010101', 'team_hsl'), 'accept') // same grid, other team
    forbidden(pooled, stranger('volunteer', 'g_XF010101'), 'accept') // no team

    const toSomeoneElse = orderAt('dispatched', { team: undefined })
    forbidden(toSomeoneElse, stranger('volunteer', 'g_XF010101', 'team_dg'), 'accept')
    forbidden(toSomeoneElse, stranger('leader', 'g_XF010101', 'team_dg'), 'decline')
    allowed(toSomeoneElse, IN_SCOPE.volunteer, 'accept')

    // dispatched to the team: members accept, only the leader declines for the team
    const toTeam = orderAt('dispatched', { assignee: undefined })
    allowed(toTeam, stranger('volunteer', 'g_XF010102', 'team_dg'), 'accept')
    forbidden(toTeam, stranger('volunteer', 'g_XF010102', 'team_dg'), 'decline')
    allowed(toTeam, stranger('leader', 'g_XF010102', 'team_dg'), 'decline')

    // check-in and complete: the accepted assignee only, not a team-mate
    for (const a of ['checkIn', 'complete'] as const) {
      allowed(orderAt('accepted'), IN_SCOPE.volunteer, a)
      forbidden(orderAt('accepted'), stranger('volunteer', 'g_XF010101', 'team_dg'), a)
      forbidden(orderAt('accepted'), stranger('leader', 'g_XF010101', 'team_dg'), a)
    }
  })

  test('a late team-mate on a taken pool order is told the state, not "not yours"', () => {
    const taken = orderAt('accepted')
    expect(codeOf(() => authorize(taken, stranger('volunteer', 'g_XF010102', 'team_dg'), 'accept'))).toBe('INVALID_TRANSITION')
  })

  test('refusals are Chinese sentences', () => {
    expect(() => authorize(orderAt('pending'), stranger('station', 'g_XF0201'), 'dispatch')).toThrow('无权查看或处理该区域的订单')
    expect(() => authorize(orderAt('dispatched', { team: undefined }), stranger('volunteer', 'g_XF010101', 'team_dg'), 'accept')).toThrow('该订单没有派给您或您的队伍')
    expect(() => authorize(orderAt('pending'), { openId: 'x', name: 'x', roles: [] }, 'cancel')).toThrow('只能处理自己的订单')
    expect(() => authorize(orderAt('pending'), IN_SCOPE.county, 'dispatch')).toThrow('当前身份不能执行「派单」')
  })
})
