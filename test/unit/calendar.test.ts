// Working-time arithmetic, checked against the real 2026 arrangement published by
// the State Council. Every expected instant below was counted by hand on a paper
// calendar (the comments show the count); none is derived from the code under test.
import { CHINA_CALENDAR } from '../../cloudfunctions/shared/chinaCalendar'
import { formatLimit, WorkCalendar, type CalendarEntry, type TimeLimit } from '../../src/core'

const HOURS = { start: '08:00', end: '18:00' } // a working day is 600 minutes
const cal = (own: CalendarEntry[] = []) => new WorkCalendar(CHINA_CALENDAR, own, HOURS)
const national = cal()

/** An instant written as Shanghai wall-clock time. */
const at = (local: string) => new Date(`${local}:00+08:00`)
const wd = (value: number): TimeLimit => ({ value, unit: 'workdays' })
const hrs = (value: number): TimeLimit => ({ value, unit: 'hours' })

describe('a working day', () => {
  test('is 600 minutes long with 08:00–18:00 hours', () => {
    expect(national.dayMinutes).toBe(600)
  })

  test('weekdays work, weekends rest, official holidays rest, adjusted weekends (调休) work', () => {
    expect(national.isWorkday('2026-11-27')).toBe(true) // Friday
    expect(national.isWorkday('2026-11-28')).toBe(false) // Saturday
    expect(national.isWorkday('2026-11-29')).toBe(false) // Sunday
    expect(national.isWorkday('2026-10-01')).toBe(false) // National Day, a Thursday
    expect(national.isWorkday('2026-10-07')).toBe(false) // last day of the National Day break, a Wednesday
    expect(national.isWorkday('2026-10-08')).toBe(true) // back to work
    expect(national.isWorkday('2026-10-10')).toBe(true) // Saturday, 调休
    expect(national.isWorkday('2026-09-20')).toBe(true) // Sunday, 调休
    expect(national.isWorkday('2026-02-14')).toBe(true) // Saturday before 春节, 调休
    expect(national.isWorkday('2026-02-16')).toBe(false) // Monday in 春节
    expect(national.isWorkday('2026-02-23')).toBe(false) // Monday, last day of 春节
    expect(national.isWorkday('2026-02-28')).toBe(true) // Saturday after 春节, 调休
    expect(national.isWorkday('2026-01-02')).toBe(false) // Friday in the New Year break
    expect(national.isWorkday('2026-01-04')).toBe(true) // Sunday, 调休
  })
})

describe('counting working time', () => {
  test('weekends are skipped: Friday 17:00 + half a working day ends Monday 12:00', () => {
    // Fri 17:00–18:00 = 60 min; Sat, Sun off; Mon 08:00 + the remaining 240 min = 12:00
    expect(national.addLimit(at('2026-11-27T17:00'), wd(0.5))).toEqual(at('2026-11-30T12:00'))
  })

  test('weekends are skipped: Friday 10:00 + one working day ends Monday 10:00', () => {
    // Fri 10:00–18:00 = 480 min; Mon 08:00 + 120 min = 10:00
    expect(national.addLimit(at('2026-11-27T10:00'), wd(1))).toEqual(at('2026-11-30T10:00'))
  })

  test('before working hours the count starts at 08:00', () => {
    expect(national.addWorkingMinutes(at('2026-11-24T07:00'), 60)).toEqual(at('2026-11-24T09:00'))
  })

  test('after working hours the count starts on the next working day', () => {
    expect(national.addWorkingMinutes(at('2026-11-24T19:00'), 60)).toEqual(at('2026-11-25T09:00')) // Tue → Wed
    expect(national.addWorkingMinutes(at('2026-11-27T19:00'), 60)).toEqual(at('2026-11-30T09:00')) // Fri → Mon
  })

  test('a limit that fills the rest of the day ends at closing time, not the next morning', () => {
    expect(national.addLimit(at('2026-11-24T13:00'), wd(0.5))).toEqual(at('2026-11-24T18:00'))
    expect(national.addLimit(at('2026-11-24T08:00'), wd(1))).toEqual(at('2026-11-24T18:00'))
  })

  test('National Day: 5 working days from Wednesday 2026-09-30 09:00 end Tuesday 2026-10-13 09:00', () => {
    // Five full days from 09:00 end at 09:00 on the sixth working day, counting the start day as the first:
    //   1 Wed 09-30 · Thu 10-01 … Wed 10-07 off · 2 Thu 10-08 · 3 Fri 10-09 · 4 Sat 10-10 (调休)
    //   · Sun 10-11 off · 5 Mon 10-12 · 6 Tue 10-13 → 09:00
    expect(national.addLimit(at('2026-09-30T09:00'), wd(5))).toEqual(at('2026-10-13T09:00'))
  })

  test('the adjusted working Sunday 2026-09-20 counts: Friday 17:00 + half a day ends Sunday 12:00', () => {
    // Fri 09-18 17:00–18:00 = 60; Sat 09-19 off; Sun 09-20 (调休) 08:00 + 240 = 12:00
    expect(national.addLimit(at('2026-09-18T17:00'), wd(0.5))).toEqual(at('2026-09-20T12:00'))
  })

  test('Spring Festival: the working Saturdays before and after count, the nine days between do not', () => {
    // Fri 02-13 17:00–18:00 = 60; Sat 02-14 (调休) 08:00 + 240 = 12:00
    expect(national.addLimit(at('2026-02-13T17:00'), wd(0.5))).toEqual(at('2026-02-14T12:00'))
    // Sat 02-14 10:00–18:00 = 480; 02-15 … 02-23 off; Tue 02-24 08:00 + 120 = 10:00
    expect(national.addLimit(at('2026-02-14T10:00'), wd(1))).toEqual(at('2026-02-24T10:00'))
    // Fri 02-27 17:00–18:00 = 60; Sat 02-28 (调休) 08:00 + 240 = 12:00
    expect(national.addLimit(at('2026-02-27T17:00'), wd(0.5))).toEqual(at('2026-02-28T12:00'))
  })

  test('New Year: 12-31 afternoon + half a day skips 01-01…01-03 and lands on the working Sunday 01-04', () => {
    // Wed 12-31 17:00–18:00 = 60; Thu–Sat 01-01…01-03 off; Sun 01-04 (调休) 08:00 + 240 = 12:00
    expect(national.addLimit(at('2025-12-31T17:00'), wd(0.5))).toEqual(at('2026-01-04T12:00'))
  })

  test('a 37-working-day deadline crossing New Year and 春节 ends on the working Saturday 2026-02-28', () => {
    // From 09:00 on day 1, 37 full days end at 09:00 on working day 38:
    //   1 Wed 12-31 · 2 Sun 01-04 · 3–7 01-05…09 · 8–12 01-12…16 · 13–17 01-19…23 · 18–22 01-26…30
    //   · 23–27 02-02…06 · 28–32 02-09…13 · 33 Sat 02-14 · (02-15…23 off) · 34–37 02-24…27 · 38 Sat 02-28
    expect(national.addLimit(at('2025-12-31T09:00'), wd(37))).toEqual(at('2026-02-28T09:00'))
  })

  test("'hours' limits run round the clock, holidays included", () => {
    // urgent: 30 minutes from 23:50 on National Day
    expect(national.addLimit(at('2026-10-01T23:50'), hrs(0.5))).toEqual(at('2026-10-02T00:20'))
    // 24 hours from Saturday noon is Sunday noon
    expect(national.addLimit(at('2026-11-28T12:00'), hrs(24))).toEqual(at('2026-11-29T12:00'))
  })

  test('days are Shanghai days: 2026-11-29T16:30Z is Monday 00:30, so one working hour ends Monday 09:00', () => {
    // In UTC it is still Sunday 16:30; a calendar reading UTC hours would open at 08:00Z = 16:00 Shanghai.
    const start = new Date('2026-11-29T16:30:00Z')
    expect(national.addWorkingMinutes(start, 60)).toEqual(new Date('2026-11-30T09:00:00+08:00'))
    // And at 2026-11-27T16:30Z (Friday in UTC, Saturday 00:30 in Shanghai) nothing is left of Friday.
    expect(national.addWorkingMinutes(new Date('2026-11-27T16:30:00Z'), 60)).toEqual(at('2026-11-30T09:00'))
  })

  test('the reminder point (75 %) lies strictly between start and deadline, after 75 % of the working minutes', () => {
    const start = at('2026-11-27T14:00')
    // deadline: Fri 14:00–18:00 = 240; Mon 08:00 + 360 = 14:00
    const due = national.addLimit(start, wd(1))
    expect(due).toEqual(at('2026-11-30T14:00'))
    // reminder after 450 of the 600 minutes: Fri 240; Mon 08:00 + 210 = 11:30
    const remind = national.addLimit(start, wd(1), 0.75)
    expect(remind).toEqual(at('2026-11-30T11:30'))
    expect(remind.getTime()).toBeGreaterThan(start.getTime())
    expect(remind.getTime()).toBeLessThan(due.getTime())
    // urgent: 75 % of 30 minutes is 22.5 minutes
    expect(national.addLimit(at('2026-10-01T23:50'), hrs(0.5), 0.75)).toEqual(new Date('2026-10-02T00:12:30+08:00'))
  })
})

describe("the county's own entries win over the national arrangement", () => {
  test('2027-01-01 (a Friday the package does not know yet) marked as holiday pushes the deadline to Monday', () => {
    const start = at('2026-12-31T17:00')
    // nationally unknown, so an ordinary Friday: Thu 60 + Fri 08:00 + 240 = 12:00
    expect(national.addLimit(start, wd(0.5))).toEqual(at('2027-01-01T12:00'))
    const county = cal([{ date: '2027-01-01', kind: 'holiday', note: '元旦' }])
    expect(county.isWorkday('2027-01-01')).toBe(false)
    // Thu 60; Fri holiday; Sat, Sun off; Mon 01-04 08:00 + 240 = 12:00
    expect(county.addLimit(start, wd(0.5))).toEqual(at('2027-01-04T12:00'))
  })

  test('a normal Saturday marked as working day counts', () => {
    const county = cal([{ date: '2026-11-28', kind: 'workday' }])
    expect(county.isWorkday('2026-11-28')).toBe(true)
    expect(county.addLimit(at('2026-11-27T17:00'), wd(0.5))).toEqual(at('2026-11-28T12:00'))
  })

  test('a national holiday overridden as working day counts', () => {
    const county = cal([{ date: '2026-10-02', kind: 'workday' }])
    expect(county.isWorkday('2026-10-02')).toBe(true)
    expect(county.isWorkday('2026-10-01')).toBe(false)
    // Wed 09-30 17:00–18:00 = 60; Thu 10-01 off; Fri 10-02 (county) 08:00 + 240 = 12:00
    expect(county.addLimit(at('2026-09-30T17:00'), wd(0.5))).toEqual(at('2026-10-02T12:00'))
  })

  test('a national 调休 Saturday overridden as holiday rests', () => {
    const county = cal([{ date: '2026-10-10', kind: 'holiday' }])
    expect(county.isWorkday('2026-10-10')).toBe(false)
    // as the National Day count above, without Sat 10-10: day 6 is Wed 10-14
    expect(county.addLimit(at('2026-09-30T09:00'), wd(5))).toEqual(at('2026-10-14T09:00'))
  })

  test("one county's entries do not leak into another calendar built from the same base", () => {
    cal([{ date: '2026-10-02', kind: 'workday' }])
    expect(cal().isWorkday('2026-10-02')).toBe(false)
    expect(CHINA_CALENDAR.holidays).toContain('2026-10-02')
  })
})

describe('formatLimit', () => {
  test('says limits the way a county writes them', () => {
    expect(formatLimit(hrs(0.5))).toBe('30分钟')
    expect(formatLimit(hrs(2))).toBe('2小时')
    expect(formatLimit(wd(0.5))).toBe('半个工作日')
    expect(formatLimit(wd(1))).toBe('1个工作日')
    expect(formatLimit(wd(5))).toBe('5个工作日')
  })
})

describe('China holiday base calendar (chinese-days)', () => {
  test('knows the 2026 National Day holiday and its adjusted working Saturday', () => {
    expect(CHINA_CALENDAR.holidays).toContain('2026-10-01')
    expect(CHINA_CALENDAR.workdays).toContain('2026-10-10')
    expect(CHINA_CALENDAR.holidays).not.toContain('2026-10-10')
    expect(CHINA_CALENDAR.workdays).not.toContain('2026-10-01')
    expect(CHINA_CALENDAR.years).toContain(2026)
  })

  test('lists days as YYYY-MM-DD, sorted', () => {
    for (const list of [CHINA_CALENDAR.holidays, CHINA_CALENDAR.workdays]) {
      for (const d of list) expect(d).toMatch(/^\d{4}-\d{2}-\d{2}$/)
      expect([...list].sort()).toEqual([...list])
    }
  })
})

describe('properties over 2,000 random starts in 2025–2026', () => {
  const DAY = 86_400_000
  const H8 = 8 * 3_600_000 // Shanghai has had no daylight saving since 1991: local = UTC + 8h

  // An independent recount: working minutes in [a, b], from plain UTC+8 arithmetic, one day at a time.
  function workingMinutesBetween(c: WorkCalendar, a: number, b: number): number {
    let total = 0
    for (let midnight = Math.floor((a + H8) / DAY) * DAY - H8; midnight < b; midnight += DAY) {
      const day = new Date(midnight + H8).toISOString().slice(0, 10)
      if (!c.isWorkday(day)) continue
      const open = midnight + 8 * 3_600_000
      const close = midnight + 18 * 3_600_000
      total += Math.max(0, Math.min(b, close) - Math.max(a, open))
    }
    return total / 60_000
  }

  let seed = 20261001
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  const from = at('2025-01-01T00:00').getTime()
  const to = at('2027-01-01T00:00').getTime()
  const randomStart = () => {
    const t = from + Math.floor(rand() * (to - from))
    // half of the starts on a quarter-hour grid, so opening and closing times are hit exactly
    return new Date(rand() < 0.5 ? t : Math.floor(t / 900_000) * 900_000)
  }
  const randomLimit = (): TimeLimit =>
    rand() < 0.7 ? wd([0.25, 0.5, 1, 2, 3, 5, 10][Math.floor(rand() * 7)] * (rand() < 0.3 ? 1 + rand() : 1)) : hrs(Math.round((0.25 + rand() * 72) * 4) / 4)

  test('deadlines never precede the start, land in working hours, use exactly the limit, and grow with it', () => {
    const county = cal([
      { date: '2026-11-28', kind: 'workday' },
      { date: '2026-10-02', kind: 'workday' },
      { date: '2026-06-10', kind: 'holiday' },
    ])
    const failures: string[] = []
    const check = (ok: boolean, what: string) => {
      if (!ok) failures.push(what)
    }
    for (let i = 0; i < 2000; i++) {
      const c = i % 2 ? national : county
      const start = randomStart()
      const limit = randomLimit()
      const due = c.addLimit(start, limit)
      const ctx = `${start.toISOString()} + ${limit.value} ${limit.unit} → ${due.toISOString()}`

      check(due.getTime() >= start.getTime(), `${ctx}: deadline before start`)
      if (limit.unit === 'hours') {
        check(due.getTime() - start.getTime() === Math.round(limit.value * 3_600_000), `${ctx}: not exactly ${limit.value} hours later`)
      } else {
        // inside the working hours of a working day; closing time itself is a valid deadline
        // (and opening time is the same moment in working time as the previous closing)
        const local = new Date(due.getTime() + H8)
        const day = local.toISOString().slice(0, 10)
        const minuteOfDay = local.getUTCHours() * 60 + local.getUTCMinutes() + local.getUTCSeconds() / 60 + local.getUTCMilliseconds() / 60_000
        check(c.isWorkday(day), `${ctx}: ${day} is not a working day`)
        check(minuteOfDay >= 8 * 60 && minuteOfDay <= 18 * 60, `${ctx}: outside 08:00–18:00`)
        // exactly value × 600 working minutes between start and deadline (to the millisecond)
        const worked = workingMinutesBetween(c, start.getTime(), due.getTime())
        check(Math.abs(worked - limit.value * 600) < 1 / 60_000 + 1e-9, `${ctx}: ${worked} working minutes, not ${limit.value * 600}`)
      }

      // a longer limit of the same unit never gives an earlier deadline
      const longer: TimeLimit = { value: limit.value * (1 + rand()), unit: limit.unit }
      check(c.addLimit(start, longer).getTime() >= due.getTime(), `${ctx}: ${longer.value} ${longer.unit} ends earlier`)
      // the reminder never comes after the deadline
      check(c.addLimit(start, limit, 0.75).getTime() <= due.getTime(), `${ctx}: reminder after the deadline`)
    }
    expect(failures.slice(0, 10)).toEqual([])
  })
})
