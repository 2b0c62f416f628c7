// The team captain's desk through the local runtime with the real SDK: 王建国 captains
// 东关村网格服务队 (team_dg: u_vol_01 … u_vol_07); 张二虎 captains 西山村红袖箍巡逻队 (team_hxg).
// The captain hands a team order to a member who accepts it; refusals for another team's order,
// a non-member, a non-captain; the desk's lists and busy counts against a recount of the orders;
// a captain's assign racing a member's accept ends one way only.
import { PRIVACY_VERSION } from '../../src/core'
import { startTestRuntime, type TestRuntime } from '../helpers/runtime'

const VILLAGER = 'u_villager_zhang'
const STATION_DG = 'u_station_dg'
const STATION_XS = 'u_station_xs'
const CAPTAIN = 'u_vol_01' // 王建国, captain of team_dg
const MEMBER = 'u_vol_02' // 刘志刚
const MEMBER3 = 'u_vol_03'
const MEMBER4 = 'u_vol_04'
const CAPTAIN_HXG = 'u_vol_14' // 张二虎
const HSL = 'u_vol_09' // 和事佬调解队: serves 东关镇 but not of team_dg

// Tuesday 10 November 2026, 10:00 in Shanghai: a working day, inside working hours
const T0 = new Date('2026-11-10T02:00:00Z')
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000)

let rt: TestRuntime
beforeAll(async () => {
  rt = await startTestRuntime()
})
afterAll(() => rt.close())

const ok: TestRuntime['ok'] = (...a) => rt.ok(...a)
const fail: TestRuntime['fail'] = (...a) => rt.fail(...a)
const stored = async (id: string) => (await rt.db.collection('orders').doc(id).get()).data[0]
const inboxOf = async (userId: string, orderId: string) => (await rt.db.collection('inbox').where({ userId, orderId }).get()).data as any[]

let seq = 0
/** A villager's order at `gridCode`, sent by its station to the team (dispatched) or to the team's pool. */
async function teamOrder(opts: { gridCode?: string; station?: string; teamId?: string; pool?: boolean; when?: Date } = {}): Promise<string> {
  const when = opts.when ?? T0
  const r = await ok(
    'order',
    'place',
    { requestId: `cap_${++seq}_${when.getTime()}`, gridCode: opts.gridCode ?? 'XF010101', serviceId: 'svc_01', description: '院子里的灯不亮了，麻烦来看看', contactPhone: '13800001111', privacyVersion: PRIVACY_VERSION },
    VILLAGER,
    when,
  )
  const teamId = opts.teamId ?? 'team_dg'
  await ok('order', opts.pool ? 'openPool' : 'dispatch', { id: r.id, teamId }, opts.station ?? STATION_DG, new Date(when.getTime() + 60_000))
  return r.id
}

describe('the captain assigns within the team', () => {
  test('the captain hands a team order to a member, who is told and accepts it; the accept clock restarts', async () => {
    const id = await teamOrder()
    const before = await stored(id)
    expect(before).toMatchObject({ status: 'dispatched', team: { id: 'team_dg' } })
    expect(before.assignee).toBeUndefined()

    const view = await ok('order', 'assign', { id, volunteerId: MEMBER }, CAPTAIN, at(120))
    expect(view).toMatchObject({ status: 'dispatched', assignee: { id: MEMBER, name: '刘志刚', teamId: 'team_dg' }, team: { id: 'team_dg' } })
    // the captain does not serve it: the villager's phone stays masked
    expect(view.contactPhone).not.toBe('13800001111')
    const after = await stored(id)
    expect(after.history.at(-1)).toMatchObject({ action: 'assign', from: 'dispatched', to: 'dispatched', byName: '王建国', role: 'leader' })
    // a fresh 接单 clock from the moment of the assignment
    expect(after.clock.stage).toBe('accept')
    expect(new Date(after.clock.startedAt).getTime()).toBe(at(120).getTime())
    expect(new Date(after.clock.dueAt).getTime()).toBeGreaterThan(new Date(before.clock.dueAt).getTime())

    // the member is told as a dispatch tells them; it is in their 派给我, not in a team-mate's pool
    expect(await inboxOf(MEMBER, id)).toEqual([expect.objectContaining({ kind: 'task_assigned', read: false })])
    expect((await ok('order', 'tasks', { tab: 'assigned' }, MEMBER, at(121))).map((o: any) => o.id)).toContain(id)
    expect((await ok('order', 'tasks', { tab: 'pool' }, MEMBER3, at(121))).map((o: any) => o.id)).not.toContain(id)
    const taken = await fail('order', 'accept', { id }, MEMBER3, at(122))
    expect(taken).toMatchObject({ code: 'CONFLICT', message: '队长已把这条订单派给刘志刚' })

    const accepted = await ok('order', 'accept', { id }, MEMBER, at(125))
    expect(accepted).toMatchObject({ status: 'accepted', assignee: { id: MEMBER } })
    expect((await stored(id)).team).toEqual({ id: 'team_dg', name: '东关村网格服务队' })
    // once accepted the captain can no longer move it
    expect((await fail('order', 'assign', { id, volunteerId: MEMBER3 }, CAPTAIN, at(126))).code).toBe('INVALID_TRANSITION')
  })

  test('a pooled order too, and the captain may give it to another member before it is accepted (the first is told), or take it', async () => {
    const id = await teamOrder({ pool: true })
    await ok('order', 'assign', { id, volunteerId: MEMBER3 }, CAPTAIN, at(30))
    expect((await stored(id)).status).toBe('dispatched')
    // the same member again: nothing to do
    expect((await fail('order', 'assign', { id, volunteerId: MEMBER3 }, CAPTAIN, at(31))).code).toBe('VALIDATION')
    await ok('order', 'assign', { id, volunteerId: MEMBER4 }, CAPTAIN, at(32))
    expect((await inboxOf(MEMBER3, id)).map((m) => m.kind).sort()).toEqual(['task_assigned', 'task_withdrawn'])
    expect((await inboxOf(MEMBER4, id)).map((m) => m.kind)).toEqual(['task_assigned'])
    // the captain takes it themself
    await ok('order', 'assign', { id, volunteerId: CAPTAIN }, CAPTAIN, at(33))
    expect((await stored(id)).assignee).toEqual({ id: CAPTAIN, name: '王建国', teamId: 'team_dg' })
    expect((await ok('order', 'accept', { id }, CAPTAIN, at(34))).status).toBe('accepted')
  })

  test('refused: another team’s order, a member of another team, a non-captain, staff', async () => {
    const hxg = await teamOrder({ gridCode: 'XF020101', station: STATION_XS, teamId: 'team_hxg' })
    const other = await fail('order', 'assign', { id: hxg, volunteerId: MEMBER }, CAPTAIN, at(10))
    expect(other).toMatchObject({ code: 'FORBIDDEN', message: '这条订单不是派给您带领的队伍的，只有该队的队长可以分派' })
    // …and 张二虎 cannot reach into 东关村's team either
    const dg = await teamOrder()
    expect((await fail('order', 'assign', { id: dg, volunteerId: 'u_vol_15' }, CAPTAIN_HXG, at(10))).code).toBe('FORBIDDEN')

    // not a member of the team (和事佬调解队 serves the same township)
    const notMember = await fail('order', 'assign', { id: dg, volunteerId: HSL }, CAPTAIN, at(11))
    expect(notMember.code).toBe('FORBIDDEN')
    expect(notMember.message).toContain('不是东关村网格服务队的队员')
    expect((await fail('order', 'assign', { id: dg, volunteerId: 'u_nobody_here' }, CAPTAIN, at(11))).code).toBe('NOT_FOUND')

    // a member who is not the captain, and the station
    const member = await fail('order', 'assign', { id: dg, volunteerId: MEMBER3 }, MEMBER, at(12))
    expect(member).toMatchObject({ code: 'FORBIDDEN', message: '当前身份不能执行「队长派单」' })
    expect((await fail('order', 'assign', { id: dg, volunteerId: MEMBER3 }, STATION_DG, at(12))).code).toBe('FORBIDDEN')
    // nothing changed
    const o = await stored(dg)
    expect(o.assignee).toBeUndefined()
    expect(o.history.map((h: any) => h.action)).toEqual(['place', 'dispatch'])
  })

  test('a suspended member cannot be given an order', async () => {
    const id = await teamOrder()
    await rt.db.collection('users').doc('u_vol_07').update({ suspended: true })
    try {
      const r = await fail('order', 'assign', { id, volunteerId: 'u_vol_07' }, CAPTAIN, at(5))
      expect(r.code).toBe('FORBIDDEN')
      expect(r.message).toContain('暂停')
      // and is not on the desk
      expect((await ok('order', 'teamDesk', {}, CAPTAIN, at(5))).members.map((m: any) => m.id)).not.toContain('u_vol_07')
    } finally {
      await rt.db.collection('users').doc('u_vol_07').update({ suspended: false })
    }
  })
})

describe('the desk', () => {
  test('waiting, held and busy counts match a recount of the orders; most urgent first', async () => {
    // some more work of the team: one waiting in the pool, one the station gave 刘志刚 directly
    const pooled = await teamOrder({ pool: true, when: at(200) })
    const direct = (await ok('order', 'place', { requestId: `cap_direct_${++seq}`, gridCode: 'XF010102', serviceId: 'svc_01', description: '帮忙看看水管漏水', contactPhone: '13800001111', privacyVersion: PRIVACY_VERSION }, VILLAGER, at(200))).id
    await ok('order', 'dispatch', { id: direct, volunteerId: MEMBER }, STATION_DG, at(201))

    const desk = await ok('order', 'teamDesk', {}, CAPTAIN, at(210))
    expect(desk.team).toEqual({ id: 'team_dg', name: '东关村网格服务队' })

    // the recount: every order, read straight from the collection
    const all = (await rt.db.collection('orders').limit(1000).get()).data as any[]
    const memberIds = ['u_vol_01', 'u_vol_02', 'u_vol_03', 'u_vol_04', 'u_vol_05', 'u_vol_06', 'u_vol_07']
    const waiting = all.filter((o) => o.team?.id === 'team_dg' && ['pooled', 'dispatched'].includes(o.status) && !o.assignee).map((o) => o._id)
    const held = all.filter((o) => memberIds.includes(o.assignee?.id) && ['dispatched', 'accepted', 'in_service'].includes(o.status)).map((o) => o._id)
    expect(desk.waiting.map((o: any) => o.id).sort()).toEqual(waiting.sort())
    expect(desk.held.map((o: any) => o.id).sort()).toEqual(held.sort())
    expect(desk.waiting.map((o: any) => o.id)).toContain(pooled)
    expect(desk.held.map((o: any) => o.id)).toContain(direct)
    expect(waiting.length).toBeGreaterThan(1)
    expect(held.length).toBeGreaterThan(1)

    expect(desk.members.map((m: any) => m.id).sort()).toEqual(memberIds)
    for (const m of desk.members) expect({ id: m.id, busy: m.busy }).toEqual({ id: m.id, busy: all.filter((o) => o.assignee?.id === m.id && ['dispatched', 'accepted', 'in_service'].includes(o.status)).length })
    expect(desk.members.find((m: any) => m.id === MEMBER).busy).toBeGreaterThanOrEqual(2)
    expect(desk.members.find((m: any) => m.id === CAPTAIN)).toMatchObject({ name: '王建国', captain: true })
    expect(desk.members.filter((m: any) => m.captain)).toHaveLength(1)

    // most urgent first; the villager's phone masked on every one
    for (const list of [desk.waiting, desk.held]) {
      const due = list.map((o: any) => o.clock?.dueAt ?? Infinity)
      expect(due).toEqual([...due].sort((a, b) => a - b))
      for (const o of list) expect({ id: o.id, masked: o.contactPhone !== '13800001111' }).toEqual({ id: o.id, masked: !(o.assignee?.id === CAPTAIN && o.status !== 'dispatched') })
    }
  })

  test('only a captain opens a desk, and only of a team they captain', async () => {
    expect(await fail('order', 'teamDesk', {}, MEMBER, at(300))).toMatchObject({ code: 'FORBIDDEN', message: '队长工作台只对网格长（队长）开放' })
    expect((await fail('order', 'teamDesk', {}, STATION_DG, at(300))).code).toBe('FORBIDDEN')
    expect((await fail('order', 'teamDesk', { teamId: 'team_hxg' }, CAPTAIN, at(300))).code).toBe('FORBIDDEN')
    expect((await ok('order', 'teamDesk', { teamId: 'team_hxg' }, CAPTAIN_HXG, at(300))).team.name).toBe('西山村红袖箍巡逻队')
  })
})

describe('races', () => {
  test('the captain assigning while a member accepts from the pool ends one way only', async () => {
    const outcomes = new Set<string>()
    for (let i = 0; i < 8; i++) {
      // dispatched to the team (status unchanged by assign) and pooled (status changes)
      const id = await teamOrder({ pool: i % 2 === 1, when: at(400 + i * 10) })
      const when = at(405 + i * 10)
      // both read the order before either writes; which request starts first alternates
      const assign = () => rt.call('order', 'assign', { id, volunteerId: MEMBER3 }, CAPTAIN, when)
      const accept = () => rt.call('order', 'accept', { id }, MEMBER4, when)
      const [assigned, accepted] = i % 4 < 2 ? await Promise.all([assign(), accept()]) : (await Promise.all([accept(), assign()])).reverse()
      expect([assigned.ok, accepted.ok].filter(Boolean)).toHaveLength(1)
      const o = await stored(id)
      if (assigned.ok) {
        expect(o).toMatchObject({ status: 'dispatched', assignee: { id: MEMBER3 } })
        expect(accepted.code).toBe('CONFLICT')
        outcomes.add('assigned')
      } else {
        expect(o).toMatchObject({ status: 'accepted', assignee: { id: MEMBER4 } })
        expect(['CONFLICT', 'INVALID_TRANSITION']).toContain(assigned.code)
        outcomes.add('accepted')
      }
      // the history says one story
      const moves = o.history.map((h: any) => h.action).filter((a: string) => a === 'assign' || a === 'accept')
      expect(moves).toHaveLength(1)
    }
    console.log(`assign vs accept: ${[...outcomes].join(' / ')}`)
  })
})

describe('reminders', () => {
  test('a 催办 of a team order nobody holds goes to the captain; once handed to a member, to the member', async () => {
    const day = new Date('2026-11-17T02:00:00Z') // Tuesday a week later, 10:00
    const waiting = await teamOrder({ when: day })
    const handed = await teamOrder({ when: day })
    await ok('order', 'assign', { id: handed, volunteerId: MEMBER3 }, CAPTAIN, new Date(day.getTime() + 2 * 60_000))
    // 18:30: past 75 % of the 接单 limit (1 working day) of both
    const r = (await rt.invoke('clock', {}, null, () => new Date('2026-11-17T10:30:00Z'))) as { ok: boolean }
    expect(r.ok).toBe(true)
    expect((await inboxOf(CAPTAIN, waiting)).map((m) => m.kind).sort()).toEqual(['reminder', 'team_task'])
    expect((await inboxOf(CAPTAIN, handed)).map((m) => m.kind)).toEqual(['team_task'])
    expect((await inboxOf(MEMBER3, handed)).map((m) => m.kind).sort()).toEqual(['reminder', 'task_assigned'])
  })
})
