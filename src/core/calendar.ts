// Working time, as a county counts it: Asia/Shanghai wall-clock, working hours on
// working days. A day is a working day when it is Monday–Friday, unless it is an
// official holiday; a weekend day is a working day when it is an adjusted working
// day (调休). The national arrangement is the base; the county's own entries win.
// Pure: the base arrangement is passed in (the functions load it from a library).
import dayjs from 'dayjs'
import { z } from 'zod'
import { toLocal, ZONE } from './time'

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/
const HHMM_RE = /^([01]\d|2[0-3]):[0-5]\d$/

export const calendarEntrySchema = z.object({
  date: z.string().regex(DAY_RE, '日期格式应为 2027-01-01'),
  kind: z.enum(['holiday', 'workday'], { error: '请选择「放假」或「上班」' }),
  note: z.string().trim().max(20, '备注不能超过20字').optional(),
})
export type CalendarEntry = z.infer<typeof calendarEntrySchema>

export const workHoursSchema = z
  .object({
    start: z.string().regex(HHMM_RE, '上班时间格式应为 08:00'),
    end: z.string().regex(HHMM_RE, '下班时间格式应为 18:00'),
  })
  .refine((h) => h.start < h.end, '下班时间应晚于上班时间')
export type WorkHours = z.infer<typeof workHoursSchema>

/**
 * A time limit: `hours` run round the clock (urgent services: 0.5 = 30 minutes);
 * `workdays` run only in working hours of working days (0.5 = half a working day).
 */
export const timeLimitSchema = z.object({
  value: z.number({ error: '请填写时限' }).positive('时限必须大于0').max(60, '时限不能超过60'),
  unit: z.enum(['hours', 'workdays'], { error: '时限单位应为「小时」或「工作日」' }),
})
export type TimeLimit = z.infer<typeof timeLimitSchema>

/** The national arrangement: official holidays and adjusted working days (YYYY-MM-DD). */
export type BaseCalendar = { holidays: readonly string[]; workdays: readonly string[]; years?: readonly number[] }

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))

export class WorkCalendar {
  private readonly holidays: Set<string>
  private readonly workdays: Set<string>
  /** working minutes in one working day */
  readonly dayMinutes: number

  constructor(base: BaseCalendar, own: readonly CalendarEntry[], readonly hours: WorkHours) {
    this.holidays = new Set(base.holidays)
    this.workdays = new Set(base.workdays)
    for (const e of own) {
      // the county's entry for a day replaces whatever the national arrangement says of it
      this.holidays.delete(e.date)
      this.workdays.delete(e.date)
      ;(e.kind === 'holiday' ? this.holidays : this.workdays).add(e.date)
    }
    this.dayMinutes = minutesOf(hours.end) - minutesOf(hours.start)
  }

  /** Is this local calendar day (YYYY-MM-DD) a working day? */
  isWorkday(day: string): boolean {
    if (this.holidays.has(day)) return false
    if (this.workdays.has(day)) return true
    const dow = dayjs(day).day()
    return dow !== 0 && dow !== 6
  }

  /** The instant `minutes` of working time after `start`. */
  addWorkingMinutes(start: Date, minutes: number): Date {
    let remaining = Math.max(0, minutes)
    let day = toLocal(start).format('YYYY-MM-DD')
    const startMs = start.getTime()
    // ten years of days is far beyond any limit we accept; the bound only guards a calendar with no working days
    for (let i = 0; i < 3660; i++) {
      if (this.isWorkday(day)) {
        const open = dayjs.tz(`${day} ${this.hours.start}`, ZONE).valueOf()
        const close = dayjs.tz(`${day} ${this.hours.end}`, ZONE).valueOf()
        const from = Math.max(startMs, open)
        if (from < close) {
          const avail = (close - from) / 60_000
          if (remaining <= avail) return new Date(from + remaining * 60_000)
          remaining -= avail
        }
      }
      day = dayjs(day).add(1, 'day').format('YYYY-MM-DD')
    }
    throw new Error('working calendar has no working days')
  }

  /** The instant `share` (0–1] of `limit` after `start`. */
  addLimit(start: Date, limit: TimeLimit, share = 1): Date {
    if (limit.unit === 'hours') return new Date(start.getTime() + Math.round(limit.value * share * 3_600_000))
    return this.addWorkingMinutes(start, limit.value * share * this.dayMinutes)
  }
}

/** 30分钟 / 2小时 / 半个工作日 / 1个工作日 / 5个工作日 */
export function formatLimit(l: TimeLimit): string {
  if (l.unit === 'hours') return l.value < 1 ? `${Math.round(l.value * 60)}分钟` : `${trim(l.value)}小时`
  return l.value === 0.5 ? '半个工作日' : `${trim(l.value)}个工作日`
}
const trim = (n: number) => String(Math.round(n * 100) / 100)
