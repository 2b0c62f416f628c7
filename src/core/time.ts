import dayjs from 'dayjs'
import utc from 'dayjs/plugin/utc'
import timezone from 'dayjs/plugin/timezone'

dayjs.extend(utc)
dayjs.extend(timezone)

/** Every time a person sees is China Standard Time, whatever zone the code runs in (functions run in UTC). */
export const ZONE = 'Asia/Shanghai'

export const toLocal = (t: Date | string | number) => dayjs(t).tz(ZONE)

/** 2026-11-23 18:05 */
export const formatTime = (t: Date | string | number) => toLocal(t).format('YYYY-MM-DD HH:mm')

/** 11月23日 18:05 */
export const formatShort = (t: Date | string | number) => toLocal(t).format('M月D日 HH:mm')

/** The local calendar day of an instant, e.g. for order numbers: 20261123 */
export const localDay = (t: Date | string | number) => toLocal(t).format('YYYYMMDD')
