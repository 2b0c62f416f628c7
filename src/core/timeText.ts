// How an instant reads for a person, with no date library: the villager pages (weapp main
// package) show times and cannot carry dayjs with its zone plugins. Every time a person sees is
// China Standard Time, and China has kept UTC+8 all year since 1991, so a fixed offset gives the
// same text as the zone database for every time this system records (test/unit/timeText.test.ts
// holds it to dayjs). time.ts re-exports these beside `toLocal` for date arithmetic.

const CST_OFFSET_MS = 8 * 3600 * 1000
/** dayjs's reading of a string without a zone: the runtime's local time, not UTC */
const LOCAL_RE = /^(\d{4})[-/]?(\d{1,2})?[-/]?(\d{0,2})[Tt\s]*(\d{1,2})?:?(\d{1,2})?:?(\d{1,2})?[.:]?(\d+)?$/

/** The instant `t` names, read as dayjs reads it. */
function instant(t: Date | string | number): number {
  if (typeof t === 'string' && !/Z$/i.test(t)) {
    const m = LOCAL_RE.exec(t)
    if (m) return new Date(+m[1], +m[2] - 1 || 0, +m[3] || 1, +m[4] || 0, +m[5] || 0, +m[6] || 0, +(m[7] || '0').substring(0, 3)).getTime()
  }
  return new Date(t).getTime()
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** The wall clock in China at `t`, or null for no instant at all. */
function cst(t: Date | string | number) {
  const ms = instant(t)
  if (Number.isNaN(ms)) return null
  const d = new Date(ms + CST_OFFSET_MS)
  return { y: pad(d.getUTCFullYear(), 4), mo: d.getUTCMonth() + 1, d: d.getUTCDate(), hm: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}` }
}
const INVALID = 'Invalid Date'

/** 2026-11-23 18:05 */
export function formatTime(t: Date | string | number): string {
  const c = cst(t)
  return c ? `${c.y}-${pad(c.mo)}-${pad(c.d)} ${c.hm}` : INVALID
}

/** 11月23日 18:05 */
export function formatShort(t: Date | string | number): string {
  const c = cst(t)
  return c ? `${c.mo}月${c.d}日 ${c.hm}` : INVALID
}

/** The local calendar day of an instant, e.g. for order numbers: 20261123 */
export function localDay(t: Date | string | number): string {
  const c = cst(t)
  return c ? `${c.y}${pad(c.mo)}${pad(c.d)}` : INVALID
}
