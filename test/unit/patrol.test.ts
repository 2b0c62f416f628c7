// 随手拍 in the core: what a patrol input must carry, the order it becomes (reported or
// handled on the spot), the points of handling it, where a volunteer may report, and what a
// volunteer kept from a sensitive report's details still sees.
import {
  DEFAULT_POINT_RULES,
  evaluate,
  hidesDetails,
  newOrder,
  orderTally,
  patrolInput,
  patrolService,
  pointEventsFor,
  requirePatrolArea,
  rulesProblem,
  summarize,
  sumTallies,
  withoutDetails,
  type Caller,
  type GridNode,
  type Order,
  type OrderView,
} from '../../src/core'

const T = new Date('2026-11-10T02:00:00Z')
const PHOTO = 'cloud://env.bucket/uploads/abc/1.png'
const AFTER = 'cloud://env.bucket/uploads/abc/2.png'
const valid = { requestId: 'patrol_0001', kind: 'hazard', gridId: 'g1', note: '路边电线杆倾斜', photos: [PHOTO], handled: false }

const grid: GridNode = { _id: 'g1', code: 'XF010101', name: '东关村第一网格', level: 'grid', parentId: 'v', path: ['c', 't', 'v', 'g1'], pathNames: ['幸福县', '东关镇', '东关村', '东关村第一网格'], active: true }
const reporter = { openId: 'u_vol_01', name: '王建国', role: 'leader' as const }
const input = { requestId: 'patrol_0001', description: '路边电线杆倾斜', contactPhone: '13900000001', contactName: '王建国' }

describe('patrolInput', () => {
  test('a report needs a kind, a note of 4+ characters and at least one photo', () => {
    expect(patrolInput.safeParse(valid).success).toBe(true)
    const msg = (v: object) => {
      const r = patrolInput.safeParse({ ...valid, ...v })
      return r.success ? null : r.error.issues[0].message
    }
    expect(msg({ photos: [] })).toBe('请至少拍一张现场照片')
    expect(msg({ note: '坏了' })).toBe('请至少用4个字说明发现的问题')
    expect(msg({ kind: 'fire' })).toBe('请选择问题类别')
    expect(msg({ photos: Array.from({ length: 10 }, (_x, i) => `${PHOTO}${i}`) })).toBe('照片最多9张')
    expect(msg({ spot: '很'.repeat(41) })).toBe('地点不能超过40字')
  })

  test('handled on the spot needs an after-photo; a report does not', () => {
    const handled = patrolInput.safeParse({ ...valid, handled: true })
    expect(handled.success).toBe(false)
    expect(handled.error?.issues[0]).toMatchObject({ message: '就地处置请拍一张处置后的照片', path: ['afterPhotos'] })
    expect(patrolInput.safeParse({ ...valid, handled: true, afterPhotos: [AFTER] }).success).toBe(true)
    const reported = patrolInput.parse(valid)
    expect(reported.afterPhotos).toEqual([])
  })
})

describe('the order a patrol report becomes', () => {
  test('reported: pending, source patrol, under the kind\'s service, the reporter as its villager', () => {
    const o = newOrder({ id: 'o1', now: T, grid, service: patrolService('hazard'), input, by: reporter, source: 'patrol', clock: null, action: 'report', report: { kind: 'hazard', photos: [PHOTO] } })
    expect(o).toMatchObject({ status: 'pending', source: 'patrol', serviceId: 'patrol_hazard', serviceName: '随手拍·安全隐患', category: '安全隐患', villagerId: 'u_vol_01', report: { kind: 'hazard', photos: [PHOTO] } })
    expect(o.history).toEqual([{ at: T, action: 'report', from: null, to: 'pending', by: 'u_vol_01', byName: '王建国', role: 'leader' }])
    expect(o.sensitive).toBeUndefined()
    expect(o.enteredBy).toBeUndefined()
  })

  test('handled on the spot: closed as 已就地处置 by the reporter; a villager cannot create either', () => {
    const o = newOrder({ id: 'o2', now: T, grid, service: patrolService('dispute'), input, by: reporter, source: 'patrol', clock: null, action: 'handleOnSpot', report: { kind: 'dispute', photos: [PHOTO] }, sensitive: true })
    expect(o).toMatchObject({ status: 'handled', sensitive: true })
    expect(o.history[0]).toMatchObject({ action: 'handleOnSpot', to: 'handled' })
    expect(() => newOrder({ id: 'o3', now: T, grid, service: patrolService('road'), input, by: { ...reporter, role: 'villager' }, source: 'patrol', clock: null, action: 'report' })).toThrow('当前身份不能执行「网格上报」')
    expect(patrolService('help').sensitive).toBe(true)
    expect(patrolService('environment').sensitive).toBeUndefined()
  })
})

describe('points for handling on the spot', () => {
  const handled = (id: string) =>
    ({
      ...newOrder({ id, now: T, grid, service: patrolService('environment'), input, by: reporter, source: 'patrol', clock: null, action: 'handleOnSpot' }),
      assignee: { id: 'u_vol_01', name: '王建国', teamId: 'team_dg' },
    }) as Order

  test('one patrol_handled event for the reporter, keyed by the order (a replay yields the same key)', () => {
    const o = handled('o9')
    const events = pointEventsFor({ action: 'handleOnSpot', before: o, after: o, at: T })
    expect(events.map((e) => `${e.key}:${e.trigger}:${e.userId}`)).toEqual(['o9:1:patrol_handled:patrol_handled:u_vol_01'])
    expect(events[0]).toMatchObject({ serviceId: 'patrol_environment', path: ['c', 't', 'v'] })
    expect(pointEventsFor({ action: 'handleOnSpot', before: o, after: o, at: new Date(T.getTime() + 5) })[0].key).toBe(events[0].key)
    // a report earns nothing when it is filed: the work is rewarded when it is done
    expect(pointEventsFor({ action: 'report', before: o, after: o, at: T })).toEqual([])
  })

  test('the default rule gives +2 up to 20 a month, and the defaults pass the rules check', () => {
    const [e] = pointEventsFor({ action: 'handleOnSpot', before: handled('o10'), after: handled('o10'), at: T })
    expect(evaluate(DEFAULT_POINT_RULES, e, () => 0)).toMatchObject({ ruleId: 'patrol_handled', points: 2, capped: false })
    expect(evaluate(DEFAULT_POINT_RULES, e, () => 19)).toMatchObject({ points: 1, capped: true })
    expect(evaluate(DEFAULT_POINT_RULES, e, () => 20)).toMatchObject({ points: 0, capped: true })
    expect(rulesProblem(DEFAULT_POINT_RULES)).toBeNull()
    const negative = { ...DEFAULT_POINT_RULES, items: DEFAULT_POINT_RULES.items.map((i) => (i.trigger === 'patrol_handled' ? { ...i, points: -2 } : i)) }
    expect(rulesProblem(negative)).toContain('是加分项')
  })

  test('handled counts as closed and on time, never as a confirmed fix, and adds no time to close', () => {
    const o = handled('o11')
    const s = summarize(sumTallies([orderTally(o)]))
    expect(s).toMatchObject({ total: 1, closed: 1, fixed: 0, fixedRate: 0, onTimeRate: 1, open: 0, bySource: { patrol: 1 } })
    expect(s.toClose.n).toBe(0)
  })
})

describe('where a volunteer may report', () => {
  const caller = (roles: Caller['roles'], teamId?: string): Caller => ({ openId: 'u', name: '王建国', roles, ...(teamId ? { teamId } : {}) })
  const micro = { name: '1号微网格', path: ['c', 't', 'v', 'g1', 'm1'] }
  const other = { name: '东关村第二网格', path: ['c', 't', 'v', 'g2'] }
  const west = { name: '西山村第一网格', path: ['c', 't2', 'v2', 'g9'] }

  test('their grant\'s grid and what is below it; another grid only through a team that serves it', () => {
    const leader = caller([{ role: 'leader', nodeId: 'g1' }], 'team_dg')
    expect(requirePatrolArea(leader, micro)).toBe('leader')
    expect(requirePatrolArea(caller([{ role: 'volunteer', nodeId: 'g1' }]), micro)).toBe('volunteer')
    expect(() => requirePatrolArea(leader, other)).toThrow('「东关村第二网格」不在您的服务范围内')
    expect(requirePatrolArea(leader, other, { _id: 'team_dg', gridIds: ['g1', 'g2'] })).toBe('leader')
    // another team's grids do not count
    expect(() => requirePatrolArea(leader, other, { _id: 'team_hsl', gridIds: ['g2'] })).toThrow('不在您的服务范围内')
    expect(() => requirePatrolArea(leader, west, { _id: 'team_dg', gridIds: ['g1', 'g2'] })).toThrow('不在您的服务范围内')
  })

  test('villagers and staff are refused', () => {
    expect(() => requirePatrolArea(caller([]), micro)).toThrow('只有志愿者和网格长可以随手拍上报')
    expect(() => requirePatrolArea(caller([{ role: 'station', nodeId: 'v' }]), micro)).toThrow('只有志愿者和网格长可以随手拍上报')
  })
})

describe('sensitive reports and volunteers', () => {
  const order = { sensitive: true, villagerId: 'rep', assignee: { id: 'vol', name: '刘志刚', teamId: 't' }, servedBy: ['old'] } as Order
  test('only the reporter, the assigned volunteer and those who served it see the details', () => {
    expect(['rep', 'vol', 'old', 'other'].map((id) => hidesDetails(order, id))).toEqual([false, false, false, true])
    expect(hidesDetails({ ...order, sensitive: undefined }, 'other')).toBe(false)
  })

  test('kept from the details: the kind, the grid and the status stay; the people, photos and reasons go', () => {
    const v = {
      id: 'o',
      status: 'pooled',
      gridName: '东关村第一网格',
      serviceName: '随手拍·矛盾纠纷',
      description: '张家和李家为宅基地吵架',
      contactName: '李秀英',
      contactPhone: '139****0001',
      preferredTime: null,
      extras: [{ label: 'x', value: 'y' }],
      report: { kind: 'dispute', kindLabel: '矛盾纠纷', spot: '3组李家门前', photos: [PHOTO], photoUrls: ['http://x/1.png'] },
      history: [{ action: 'report', from: null, to: 'pending', byName: '王建国', role: 'leader', at: 1, reason: '吵得很凶' }],
    } as unknown as OrderView
    const hidden = withoutDetails(v)
    expect(hidden).toMatchObject({ id: 'o', status: 'pooled', gridName: '东关村第一网格', serviceName: '随手拍·矛盾纠纷', report: { kind: 'dispute', kindLabel: '矛盾纠纷', spot: null, photos: [], photoUrls: [] } })
    const text = JSON.stringify(hidden)
    for (const secret of ['宅基地', '李秀英', '139', '3组', PHOTO, 'http://x', '吵得很凶', '"x"']) expect(text).not.toContain(secret)
    // who did what stays (the timeline): volunteers and staff, not the people involved
    expect(hidden.history[0]).toMatchObject({ action: 'report', byName: '王建国' })
  })
})
