// Order clocks: stage deadlines, reminders (催办), overdue, follow-up (回访) and
// auto-close. Expected instants are counted by hand on the real 2026 calendar
// (comments show the count), not derived from the code under test.
import { CHINA_CALENDAR } from '../../cloudfunctions/shared/chinaCalendar'
import {
  clockAfter,
  countdown,
  DEFAULT_TIMELINESS,
  dueLine,
  extendClock,
  ORDER_STATES,
  relativeTime,
  stageOf,
  startClock,
  URGENT_LIMITS,
  urgencyOf,
  WorkCalendar,
  type Clock,
  type OrderState,
  type TimelinessSettings,
} from '../../src/core'

const calendar = new WorkCalendar(CHINA_CALENDAR, [], { start: '08:00', end: '18:00' })
/** An instant written as Shanghai wall-clock time. */
const at = (local: string) => new Date(local.length === 16 ? `${local}:00+08:00` : `${local}+08:00`)
const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR

// defaults: dispatch ½ working day, accept 1, complete 5; remind at 75 %; 回访 after 3 days, close 7 days later
const settings: TimelinessSettings = { ...DEFAULT_TIMELINESS, services: { svc_gas: URGENT_LIMITS } }
const start = (status: OrderState, now: Date, serviceId = 'svc_repair') => startClock({ status, serviceId, now, settings, calendar })

describe('stages', () => {
  test('every order state has its stage; closed states have none', () => {
    const expected: Record<OrderState, string | null> = {
      pending: 'dispatch',
      escalated: 'dispatch',
      dispatched: 'accept',
      pooled: 'accept',
      accepted: 'complete',
      in_service: 'complete',
      completed: 'confirm',
      fixed: null,
      rejected: null,
      referred: null,
      closed: null,
      cancelled: null,
      unconfirmed: null,
      handled: null,
    }
    // a state added to the machine without a decision here fails this test
    expect(Object.keys(expected).sort()).toEqual([...ORDER_STATES].sort())
    for (const s of ORDER_STATES) expect([s, stageOf(s)]).toEqual([s, expected[s]])
  })
})

describe('starting a clock', () => {
  test('a pending order must be dispatched within half a working day; the reminder comes at 75 %', () => {
    const c = start('pending', at('2026-11-27T17:00'))! // a Friday
    // due: Fri 17:00–18:00 = 60; Mon 08:00 + 240 = 12:00. remind after 225 min: Fri 60; Mon 08:00 + 165 = 10:45
    expect(c).toEqual({
      stage: 'dispatch',
      startedAt: at('2026-11-27T17:00'),
      limit: { value: 0.5, unit: 'workdays' },
      dueAt: at('2026-11-30T12:00'),
      remindAt: at('2026-11-30T10:45'),
      closeAt: null,
      next: 'remind',
      nextAt: at('2026-11-30T10:45'),
      armed: true,
      overdue: false,
      followUp: false,
    })
  })

  test('a dispatched order must be accepted within one working day', () => {
    const c = start('dispatched', at('2026-11-27T17:00'))!
    // due: Fri 60; Mon 08:00 + 540 = 17:00. remind after 450: Fri 60; Mon 08:00 + 390 = 14:30
    expect(c.stage).toBe('accept')
    expect(c.dueAt).toEqual(at('2026-11-30T17:00'))
    expect(c.remindAt).toEqual(at('2026-11-30T14:30'))
    expect(c.nextAt).toEqual(c.remindAt)
  })

  test('an accepted order must be done within 5 working days, across National Day', () => {
    const c = start('accepted', at('2026-09-30T09:00'))!
    // due (3000 min): Wed 09-30 540 · 10-01…07 off · Thu 10-08 600 · Fri 10-09 600 · Sat 10-10 (调休) 600 · Sun off
    //   · Mon 10-12 600 (2940) · Tue 10-13 08:00 + 60 = 09:00
    // remind (2250 min): 540 + 600 + 600 = 1740 by Fri 10-09; Sat 10-10 08:00 + 510 = 16:30
    expect(c.stage).toBe('complete')
    expect(c.dueAt).toEqual(at('2026-10-13T09:00'))
    expect(c.remindAt).toEqual(at('2026-10-10T16:30'))
  })

  test("a service's own limits win over the defaults: urgent gas leaks run round the clock", () => {
    const now = at('2026-10-01T23:50') // a holiday, near midnight
    const urgent = start('pending', now, 'svc_gas')!
    expect(urgent.limit).toEqual({ value: 0.5, unit: 'hours' })
    expect(urgent.dueAt).toEqual(at('2026-10-02T00:20'))
    expect(urgent.remindAt).toEqual(at('2026-10-02T00:12:30')) // 75 % of 30 min = 22.5 min
    // another service on the same night waits for working hours: Thu 10-08 08:00 + 300 = 13:00
    expect(start('pending', now, 'svc_repair')!.dueAt).toEqual(at('2026-10-08T13:00'))
  })

  test('a completed order waits 3 calendar days for the villager, then 7 more before closing unconfirmed', () => {
    const now = at('2026-10-02T10:00') // a holiday: confirm-stage days are calendar days
    const c = start('completed', now)!
    expect(c).toEqual({
      stage: 'confirm',
      startedAt: now,
      limit: null,
      dueAt: at('2026-10-05T10:00'),
      remindAt: null,
      closeAt: at('2026-10-12T10:00'),
      next: 'followUp',
      nextAt: at('2026-10-05T10:00'),
      armed: true,
      overdue: false,
      followUp: false,
    })
  })

  test('closed orders have no clock', () => {
    for (const s of ['fixed', 'closed', 'rejected', 'referred', 'cancelled', 'unconfirmed'] as const) {
      expect([s, start(s, at('2026-11-27T10:00'))]).toEqual([s, null])
    }
  })
})

describe('what the sweep does next', () => {
  test('remind → overdue → nothing left, and the clock is disarmed', () => {
    const c0 = start('dispatched', at('2026-11-27T17:00'))!
    const c1 = clockAfter(c0, 'remind')!
    expect(c1).toMatchObject({ next: 'overdue', nextAt: at('2026-11-30T17:00'), armed: true, overdue: false })
    const c2 = clockAfter(c1, 'overdue')!
    expect(c2).toMatchObject({ next: null, nextAt: null, armed: false, overdue: true })
    // the deadline itself does not move
    expect(c2.dueAt).toEqual(c0.dueAt)
  })

  test('confirm stage: 回访 due → waits to auto-close at dueAt + 7 days → closes', () => {
    const c0 = start('completed', at('2026-11-27T17:00'))!
    expect(c0).toMatchObject({ next: 'followUp', nextAt: at('2026-11-30T17:00') })
    const c1 = clockAfter(c0, 'followUp')!
    expect(c1).toMatchObject({ followUp: true, next: 'autoClose', nextAt: at('2026-12-07T17:00'), armed: true })
    expect(c1.nextAt!.getTime() - c0.dueAt.getTime()).toBe(settings.autoCloseDays * DAY)
    expect(clockAfter(c1, 'autoClose')).toBeNull()
  })
})

describe('extending a deadline (延期)', () => {
  test('before the deadline the extra working days count from the old deadline', () => {
    const c = clockAfter(start('pending', at('2026-11-27T17:00'))!, 'remind')! // due Mon 11-30 12:00
    const e = extendClock(c, 1, at('2026-11-30T10:00'), settings, calendar)
    // Mon 12:00–18:00 = 360; Tue 08:00 + 240 = 12:00. remind after 450: 360 + Tue 08:00 + 90 = 09:30
    expect(e.dueAt).toEqual(at('2026-12-01T12:00'))
    expect(e.remindAt).toEqual(at('2026-12-01T09:30'))
    expect(e).toMatchObject({ next: 'remind', nextAt: at('2026-12-01T09:30'), armed: true, overdue: false })
    // the stage, its start and its limit are those of the original clock
    expect(e).toMatchObject({ stage: 'dispatch', startedAt: c.startedAt, limit: c.limit })
  })

  test('after the deadline it counts from now, clears overdue and re-arms the clock', () => {
    const c = clockAfter(clockAfter(start('pending', at('2026-11-27T17:00'))!, 'remind')!, 'overdue')!
    expect(c).toMatchObject({ overdue: true, armed: false })
    const e = extendClock(c, 2, at('2026-12-02T15:00'), settings, calendar) // Wed, two days late
    // 1200 min: Wed 15:00–18:00 = 180 · Thu 600 (780) · Fri 08:00 + 420 = 15:00
    // remind after 900: 180 + 600 = 780 · Fri 08:00 + 120 = 10:00
    expect(e.dueAt).toEqual(at('2026-12-04T15:00'))
    expect(e.remindAt).toEqual(at('2026-12-04T10:00'))
    expect(e).toMatchObject({ overdue: false, armed: true, next: 'remind', nextAt: at('2026-12-04T10:00') })
  })
})

describe('urgency', () => {
  const dueAt = at('2026-11-30T12:00').getTime()
  const remindAt = at('2026-11-30T10:45').getTime()

  test('正常 until the reminder time, 即将超时 from it, 已超时 from the deadline', () => {
    expect(urgencyOf({ dueAt, remindAt, overdue: false }, remindAt - 1)).toBe('normal')
    expect(urgencyOf({ dueAt, remindAt, overdue: false }, remindAt)).toBe('soon')
    expect(urgencyOf({ dueAt, remindAt, overdue: false }, dueAt - 1)).toBe('soon')
    expect(urgencyOf({ dueAt, remindAt, overdue: false }, dueAt)).toBe('overdue')
  })

  test('once the sweep marked it overdue it stays overdue, even if the clock says otherwise', () => {
    expect(urgencyOf({ dueAt, remindAt, overdue: true }, remindAt - HOUR)).toBe('overdue')
  })

  test('without a reminder time an order is normal right up to its deadline', () => {
    expect(urgencyOf({ dueAt, remindAt: null, overdue: false }, dueAt - 1)).toBe('normal')
    expect(urgencyOf({ dueAt, remindAt: null, overdue: false }, dueAt)).toBe('overdue')
  })
})

describe('countdown', () => {
  const due = at('2026-11-30T12:00').getTime()
  test('says what is left, or how late it is', () => {
    expect(countdown(due, due - (3 * HOUR + 20 * MIN))).toBe('剩3小时20分')
    expect(countdown(due, due + DAY + 2 * HOUR)).toBe('超时1天2小时')
    expect(countdown(due, due - 15 * MIN)).toBe('剩15分')
    expect(countdown(due, due - 2 * HOUR)).toBe('剩2小时')
    expect(countdown(due, due - (2 * DAY + 4 * HOUR + 59 * MIN))).toBe('剩2天4小时') // days and hours only
    expect(countdown(due, due + 15 * MIN)).toBe('超时15分')
  })

  test('under a minute left still shows a minute, never 剩0分', () => {
    expect(countdown(due, due - 30_000)).toBe('剩1分')
  })
})

describe('relativeTime (Shanghai days, whatever zone the code runs in)', () => {
  // 2026-11-29T16:30Z: still Sunday in UTC, already Monday 00:30 in Shanghai
  const now = new Date('2026-11-29T16:30:00Z')

  test('today, tomorrow, the day after, then a date', () => {
    expect(relativeTime(at('2026-11-30T10:00'), now)).toBe('今天10:00') // Monday 02:00Z: a UTC count would say 明天
    expect(relativeTime(at('2026-12-01T09:00'), now)).toBe('明天09:00')
    expect(relativeTime(at('2026-12-02T09:00'), now)).toBe('后天09:00')
    expect(relativeTime(at('2026-12-03T09:00'), now)).toBe('12月3日 09:00')
  })

  test('just past Shanghai midnight is tomorrow, though UTC is still on the same day', () => {
    const lateSunday = at('2026-11-29T23:30') // 15:30Z Sunday
    expect(relativeTime(now, lateSunday)).toBe('明天00:30')
    expect(relativeTime(at('2026-11-29T23:59'), lateSunday)).toBe('今天23:59')
  })

  test('times in the past are dates', () => {
    expect(relativeTime(at('2026-11-29T09:00'), now)).toBe('11月29日 09:00')
  })

  test('accepts epoch milliseconds as well as dates', () => {
    expect(relativeTime(at('2026-12-01T09:00').getTime(), now.getTime())).toBe('明天09:00')
  })
})

describe('the villager’s due line', () => {
  const order = { villageName: '东关村', townshipName: '东关镇' }
  const now = at('2026-11-29T20:00').getTime() // Sunday evening
  const clock = (dueAt: string, overdue = false) => ({ dueAt: at(dueAt).getTime(), overdue, closeAt: null })

  test('pending: the village station is arranging it, by when, and that it goes up to the township if late', () => {
    const line = dueLine({ ...order, status: 'pending' }, clock('2026-11-30T12:00'), now)
    expect(line).toBe('东关村实践站正在安排志愿者，明天12:00前派单；超时会自动上报东关镇实践所')
  })

  test('pending and late: it says it was reported to the township', () => {
    const line = dueLine({ ...order, status: 'pending' }, clock('2026-11-29T12:00'), now)!
    expect(line).toContain('东关村实践站')
    expect(line).toContain('已上报东关镇实践所')
    expect(line).not.toContain('前派单')
  })

  test('dispatched: names the volunteer and the deadline to accept', () => {
    const line = dueLine({ ...order, status: 'dispatched', assignee: { name: '李红' } }, clock('2026-12-01T09:00'), now)!
    expect(line).toContain('志愿者李红')
    expect(line).toContain('后天09:00前接单')
    expect(line).toContain('东关村实践站')
  })

  test('completed: asks the villager to confirm and says when staff will call back (回访)', () => {
    const line = dueLine({ ...order, status: 'completed' }, { dueAt: at('2026-12-02T20:00').getTime(), overdue: false, closeAt: null }, now)!
    expect(line).toContain('12月2日 20:00前')
    expect(line).toContain('回访')
    expect(line).toContain('东关村实践站')
  })

  test('a closed order has no line', () => {
    expect(dueLine({ ...order, status: 'closed' }, null, now)).toBeNull()
    expect(dueLine({ ...order, status: 'fixed' }, clock('2026-11-30T12:00'), now)).toBeNull()
  })
})

describe('clock properties over 2,000 random starts', () => {
  test('every limited clock reminds after it starts and no later than its deadline', () => {
    let seed = 7
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    const from = at('2025-01-01T00:00').getTime()
    const span = at('2027-01-01T00:00').getTime() - from
    const states: OrderState[] = ['pending', 'escalated', 'dispatched', 'pooled', 'accepted', 'in_service']
    const failures: string[] = []
    for (let i = 0; i < 2000; i++) {
      const now = new Date(from + Math.floor(rand() * span))
      const status = states[Math.floor(rand() * states.length)]
      const c: Clock = start(status, now, rand() < 0.2 ? 'svc_gas' : 'svc_repair')!
      const ok = c.remindAt !== null && c.startedAt <= c.remindAt && c.remindAt < c.dueAt && c.nextAt === c.remindAt && c.armed
      if (!ok) failures.push(`${status} at ${now.toISOString()}: remind ${c.remindAt?.toISOString()} due ${c.dueAt.toISOString()}`)
    }
    expect(failures.slice(0, 10)).toEqual([])
  })
})
