// China's official holiday arrangement (放假 and 调休 working weekends), as
// published by the State Council each year, from the chinese-days package. It is
// the base of every county's working calendar; a county's own entries win (and
// cover years the package does not know yet).
import data from 'chinese-days/dist/chinese-days.json'
import type { BaseCalendar } from '../../src/core/calendar'

const days = (m: Record<string, string>) => Object.keys(m).sort()

export const CHINA_CALENDAR: BaseCalendar = {
  holidays: days(data.holidays),
  workdays: days(data.workdays),
  years: [...new Set(days(data.holidays).map((d) => Number(d.slice(0, 4))))],
}
