// The pure points rules: which rule item an event falls under, caps, hours, the events
// of each transition, balances split by final months, review steps, certificates, codes.
import {
  certificateOf,
  codeFromBytes,
  DEFAULT_POINT_RULES,
  evaluate,
  monthEnd,
  monthOf,
  pointEventsFor,
  quarterEnd,
  quarterOf,
  ratingEvent,
  REDEEM_CODE_RE,
  requireFinalisable,
  requireObjectable,
  requirePublishable,
  ruleFor,
  rulesProblem,
  serviceHours,
  splitBalance,
  type Order,
  type PointEvent,
  type PointRules,
} from '../../src/core'

const T = new Date('2026-11-10T02:00:00Z')
const ev = (more: Partial<PointEvent>): PointEvent => ({
  key: 'k',
  trigger: 'service_fixed',
  userId: 'u',
  userName: '刘志刚',
  at: T,
  orderId: 'o',
  orderNo: 'XF1',
  serviceId: 'svc_01',
  serviceName: '水电维修',
  category: '生活帮扶',
  path: ['c', 't', 'v'],
  ...more,
})

describe('rule items', () => {
  test('the most specific active item wins: service, then category, then any', () => {
    const rules: PointRules = structuredClone(DEFAULT_POINT_RULES)
    rules.items.push({ id: 'svc01', category: '基础积分', name: '水电维修专项', trigger: 'service_fixed', points: 7, monthlyCap: null, serviceId: 'svc_01', serviceCategory: null, level: null, active: true })
    expect(ruleFor(rules, ev({}))?.id).toBe('svc01')
    expect(ruleFor(rules, ev({ serviceId: 'svc_05', category: '邻里调解' }))?.id).toBe('base_mediation')
    expect(ruleFor(rules, ev({ serviceId: 'svc_11', category: '文化健康' }))?.id).toBe('base')
    rules.items.find((i) => i.id === 'svc01')!.active = false
    expect(ruleFor(rules, ev({}))?.id).toBe('base')
    expect(ruleFor(rules, ev({ trigger: 'commendation', level: 'province' }))?.points).toBe(30)
  })

  test('deductions are negative; a trigger without an item earns nothing', () => {
    expect(evaluate(DEFAULT_POINT_RULES, ev({ trigger: 'not_fixed' }), () => 0)).toMatchObject({ ruleId: 'not_fixed', points: -3 })
    const none: PointRules = { ...DEFAULT_POINT_RULES, items: DEFAULT_POINT_RULES.items.filter((i) => i.trigger !== 'recalled') }
    expect(evaluate(none, ev({ trigger: 'recalled' }), () => 0)).toBeNull()
  })

  test('hours points: per verified hour, rounded', () => {
    expect(evaluate(DEFAULT_POINT_RULES, ev({ trigger: 'service_hours', hours: 1.5 }), () => 0)?.points).toBe(2)
    expect(evaluate(DEFAULT_POINT_RULES, ev({ trigger: 'service_hours', hours: 0.4 }), () => 0)?.points).toBe(0)
  })

  test('the monthly cap counts what the person already got from the item (either sign)', () => {
    const rules: PointRules = structuredClone(DEFAULT_POINT_RULES)
    rules.items.find((i) => i.id === 'rating')!.monthlyCap = 5
    expect(evaluate(rules, ev({ trigger: 'rating_approved' }), () => 4)).toMatchObject({ points: 1, capped: true })
    expect(evaluate(rules, ev({ trigger: 'rating_approved' }), () => 5)).toMatchObject({ points: 0, capped: true })
    expect(evaluate(rules, ev({ trigger: 'rating_approved' }), () => 0)).toMatchObject({ points: 2, capped: false })
    rules.items.find((i) => i.id === 'not_fixed')!.monthlyCap = 4
    expect(evaluate(rules, ev({ trigger: 'not_fixed' }), () => -3)).toMatchObject({ points: -1, capped: true })
  })

  test('manual entries carry the staff member’s points', () => {
    expect(evaluate(DEFAULT_POINT_RULES, ev({ trigger: 'manual', points: -4 }), () => 0)).toMatchObject({ ruleId: 'manual', points: -4 })
  })

  test('rules a schema cannot check', () => {
    expect(rulesProblem(DEFAULT_POINT_RULES)).toBeNull()
    const dup = structuredClone(DEFAULT_POINT_RULES)
    dup.items.push({ ...dup.items[0] })
    expect(rulesProblem(dup)).toContain('重复')
    const sign = structuredClone(DEFAULT_POINT_RULES)
    sign.items.find((i) => i.id === 'late_accept')!.points = 1
    expect(rulesProblem(sign)).toContain('扣分项')
    const bonus = structuredClone(DEFAULT_POINT_RULES)
    bonus.items.find((i) => i.id === 'rating')!.points = -1
    expect(rulesProblem(bonus)).toContain('加分项')
    const level = structuredClone(DEFAULT_POINT_RULES)
    level.items.find((i) => i.id === 'honor_city')!.level = null
    expect(rulesProblem(level)).toContain('表彰级别')
  })
})

describe('service hours', () => {
  const at = (m: number) => new Date(T.getTime() + m * 60_000)
  test('check-in to completion, 0.1 h steps, capped, verified as checked in', () => {
    expect(serviceHours({ at: T, verified: true }, at(95), 2)).toEqual({ hours: 1.6, verified: true, capped: false })
    expect(serviceHours({ at: T, verified: false }, at(300), 2)).toEqual({ hours: 2, verified: false, capped: true })
    expect(serviceHours(undefined, at(30), 2)).toEqual({ hours: 0, verified: false, capped: false })
    // a clock running backwards never gives negative hours
    expect(serviceHours({ at: at(10), verified: true }, T, 2).hours).toBe(0)
  })
})

describe('events of transitions', () => {
  const base = {
    _id: 'o1',
    no: 'XF1',
    scopePath: ['c', 't', 'v', 'g'],
    serviceId: 'svc_01',
    serviceName: '水电维修',
    category: '生活帮扶',
    assignee: { id: 'u1', name: '刘志刚', teamId: 'team' },
    history: [{}, {}, {}],
  } as unknown as Order
  const after = (more: Partial<Order> = {}) => ({ ...base, history: [...base.history, {}], ...more }) as Order

  test('confirmed fixed: base points, and hours points only for verified hours; keys are stable', () => {
    const verified = after({ completion: { note: '', photos: [], at: T, hours: 1.5, verified: true } })
    const e1 = pointEventsFor({ action: 'confirmFixed', before: base, after: verified, at: T })
    expect(e1.map((e) => `${e.key}:${e.trigger}:${e.userId}`)).toEqual(['o1:4:service_fixed:service_fixed:u1', 'o1:4:service_hours:service_hours:u1'])
    expect(pointEventsFor({ action: 'confirmFixed', before: base, after: verified, at: new Date(T.getTime() + 1) }).map((e) => e.key)).toEqual(e1.map((e) => e.key))
    const unverified = after({ completion: { note: '', photos: [], at: T, hours: 1.5, verified: false } })
    expect(pointEventsFor({ action: 'followUpFixed', before: base, after: unverified, at: T }).map((e) => e.trigger)).toEqual(['service_fixed'])
  })

  test('completion records the hours; late accept and late completion cost points; others nothing', () => {
    const due = new Date(T.getTime() - 1)
    const late = { ...base, clock: { stage: 'accept', dueAt: due } } as unknown as Order
    expect(pointEventsFor({ action: 'accept', before: late, after: after(), at: T }).map((e) => e.trigger)).toEqual(['accept_late'])
    expect(pointEventsFor({ action: 'accept', before: { ...late, clock: { ...late.clock!, dueAt: new Date(T.getTime() + 1) } } as Order, after: after(), at: T })).toEqual([])
    const completing = { ...base, clock: { stage: 'complete', dueAt: due } } as unknown as Order
    const done = after({ completion: { note: '', photos: [], at: T, hours: 1, verified: false } })
    expect(pointEventsFor({ action: 'complete', before: completing, after: done, at: T }).map((e) => `${e.trigger}:${e.hoursKind ?? ''}`)).toEqual(['hours:unverified', 'complete_late:'])
    expect(pointEventsFor({ action: 'recall', before: base, after: after({ assignee: undefined }), at: T }).map((e) => e.trigger)).toEqual(['recalled'])
    expect(pointEventsFor({ action: 'handBack', before: base, after: after(), at: T }).map((e) => e.trigger)).toEqual(['handed_back'])
    expect(pointEventsFor({ action: 'confirmNotFixed', before: base, after: after({ assignee: undefined }), at: T }).map((e) => e.userId)).toEqual(['u1'])
    expect(pointEventsFor({ action: 'dispatch', before: base, after: after(), at: T })).toEqual([])
  })

  test('an approved rating of 4–5 stars earns one bonus per order', () => {
    const rated = (stars: number, status: 'approved' | 'pending') => ({ ...base, rating: { fixed: true, stars, comment: '', status } }) as Order
    expect(ratingEvent(rated(5, 'approved'), T)?.key).toBe('o1:rating')
    expect(ratingEvent(rated(4, 'approved'), T)?.trigger).toBe('rating_approved')
    expect(ratingEvent(rated(3, 'approved'), T)).toBeNull()
    expect(ratingEvent(rated(5, 'pending'), T)).toBeNull()
  })
})

describe('periods, balances and the review', () => {
  test('months and quarters in Shanghai time', () => {
    expect(monthOf(new Date('2026-11-30T16:30:00Z'))).toBe('2026-12') // 00:30 on 1 December in Shanghai
    expect(quarterOf(new Date('2026-12-31T15:59:59Z'))).toBe('2026Q4')
    expect(quarterEnd('2026Q4').toISOString()).toBe('2026-12-31T16:00:00.000Z')
    expect(monthEnd('2026-11').toISOString()).toBe('2026-11-30T16:00:00.000Z')
  })

  test('final months fold into the final balance; the others stay pending', () => {
    const b = { final: -5, months: { '2026-10': 12, '2026-11': 7 }, hours: { verified: 0, unverified: 0, manual: 0 } }
    const s = splitBalance(b, (m) => m === '2026-10')
    expect(s).toMatchObject({ final: 7, pending: 7 })
    expect(s.settled).toMatchObject({ final: 7, months: { '2026-11': 7 } })
  })

  test('publish after the month; object during the window; finalise after it with no open objection', () => {
    expect(() => requirePublishable('2026-11', new Date('2026-11-30T15:00:00Z'), undefined)).toThrow('还没有结束')
    expect(() => requirePublishable('2026-11', new Date('2026-11-30T16:00:00Z'), undefined)).not.toThrow()
    const published = { state: 'published' as const, objectUntil: new Date('2026-12-06T00:00:00Z'), openObjections: 1 }
    expect(() => requirePublishable('2026-11', new Date('2026-12-02T00:00:00Z'), published)).toThrow('公示中')
    expect(() => requireObjectable(undefined, T)).toThrow('还没有公示')
    expect(() => requireObjectable(published, new Date('2026-12-05T23:59:59Z'))).not.toThrow()
    expect(() => requireObjectable(published, new Date('2026-12-06T00:00:00Z'))).toThrow('公示期已结束')
    expect(() => requireFinalisable(published, new Date('2026-12-05T00:00:00Z'))).toThrow('期满')
    expect(() => requireFinalisable(published, new Date('2026-12-07T00:00:00Z'))).toThrow('异议')
    expect(() => requireFinalisable({ ...published, openObjections: 0 }, new Date('2026-12-07T00:00:00Z'))).not.toThrow()
    expect(() => requireFinalisable({ state: 'final', openObjections: 0 }, new Date('2026-12-07T00:00:00Z'))).toThrow('已定稿')
  })
})

describe('certificate contents', () => {
  test('verified services oldest first, manual hours apart, unverified left out, totals and span', () => {
    const c = certificateOf({
      no: 'ZM20261202000001',
      issuedAt: new Date('2026-12-02T03:00:00Z'),
      name: '刘志刚',
      plate: 'XF01-0002',
      issuer: '幸福县新时代文明实践中心',
      contact: '0358-1234567',
      records: [
        { at: new Date('2026-11-12T02:00:00Z'), hours: 2, hoursKind: 'verified', serviceName: '助老陪护', reason: null, organiser: '东关村新时代文明实践站' },
        { at: new Date('2026-11-10T02:00:00Z'), hours: 1.5, hoursKind: 'verified', serviceName: '水电维修', reason: null, organiser: '东关村新时代文明实践站' },
        { at: new Date('2026-11-11T02:00:00Z'), hours: 1, hoursKind: 'unverified', serviceName: '代购代办', reason: null, organiser: '东关村新时代文明实践站' },
        { at: new Date('2026-11-20T02:00:00Z'), hours: 3, hoursKind: 'manual', serviceName: null, reason: '参加防汛值守', organiser: '东关村新时代文明实践站' },
      ],
    })
    expect(c.services.map((s) => `${s.date} ${s.content} ${s.hours}`)).toEqual(['2026年11月10日 水电维修 1.5', '2026年11月12日 助老陪护 2'])
    expect(c.manual.map((s) => s.content)).toEqual(['参加防汛值守'])
    expect(c).toMatchObject({ serviceHours: 3.5, manualHours: 3, span: { from: '2026年11月10日', to: '2026年11月20日' }, issuedOn: '2026年12月2日', plate: 'XF01-0002' })
  })
})

describe('redemption codes', () => {
  test('8 characters without look-alikes', () => {
    const code = codeFromBytes(Uint8Array.from([0, 1, 2, 3, 30, 31, 255, 128]))
    expect(code).toMatch(REDEEM_CODE_RE)
    expect(code).not.toMatch(/[01OIL]/)
  })
})
