import dayjs from 'dayjs'
import utc from 'dayjs/plugin/utc'
import timezone from 'dayjs/plugin/timezone'

dayjs.extend(utc)
dayjs.extend(timezone)

/** Every time a person sees is China Standard Time, whatever zone the code runs in (functions run in UTC). */
export const ZONE = 'Asia/Shanghai'

export const toLocal = (t: Date | string | number) => dayjs(t).tz(ZONE)

// what a time reads like: no date library needed (the villager pages use these)
export { formatShort, formatTime, localDay } from './timeText'
