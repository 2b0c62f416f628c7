// Per-caller rate limits for the public and villager actions: how many calls of an action one
// caller may make per window. Windows are fixed buckets of Shanghai time (a day is a calendar
// day there), so "今天" in the message means what a villager thinks it means.

/** one window: at most `max` calls per `minutes` (a divisor of a day, so windows nest within a day) */
export type RateWindow = { minutes: number; max: number }

export type RateLimit = {
  windows: RateWindow[]
  /** whether an anonymous caller (the public H5, no openId) is limited too; otherwise the service refuses them anyway */
  anonymous?: boolean
  /** only calls whose input matches count (e.g. a plate lookup, not a signed badge scan) */
  counts?: (input: unknown) => boolean
}

const DAY = 24 * 60

/**
 * Keyed by `<function>.<action>`. Staff actions (hotline orders, approvals…) are not limited:
 * staff are few, known and accountable.
 */
export const RATE_LIMITS: Record<string, RateLimit> = {
  'order.place': { windows: [{ minutes: 10, max: 10 }, { minutes: DAY, max: 30 }] },
  'order.patrol': { windows: [{ minutes: 60, max: 30 }] },
  'volunteer.register': { windows: [{ minutes: DAY, max: 5 }] },
  // plates are sequential, so a plate lookup can walk a county's volunteers; a signed badge token cannot be guessed
  'volunteer.verify': {
    windows: [{ minutes: 10, max: 30 }],
    anonymous: true,
    counts: (input) => typeof (input as { plate?: unknown } | null)?.plate === 'string',
  },
  // each WeChat phone-number lookup is billed to the mini-program's account
  'user.wxPhone': { windows: [{ minutes: DAY, max: 10 }] },
  'showcase.create': { windows: [{ minutes: DAY, max: 10 }] },
}

const SHANGHAI_OFFSET_MS = 8 * 60 * 60_000

/** the window's bucket number at `at` (Shanghai time: UTC+8 all year) */
export function windowIndex(w: Pick<RateWindow, 'minutes'>, at: Date): number {
  return Math.floor((at.getTime() + SHANGHAI_OFFSET_MS) / (w.minutes * 60_000))
}

/** when the bucket of `at` ends */
export function windowEnd(w: Pick<RateWindow, 'minutes'>, at: Date): Date {
  return new Date((windowIndex(w, at) + 1) * w.minutes * 60_000 - SHANGHAI_OFFSET_MS)
}

/**
 * The counter of one action, one caller and one longest window: one document holding a field
 * per window bucket within it (`w10_…`, `w1440_…`), so all of an action's limits are checked and
 * counted by one conditional update.
 */
export function rateCounter(action: string, caller: string, limit: RateLimit, at: Date) {
  const longest = limit.windows.reduce((a, b) => (b.minutes > a.minutes ? b : a))
  return {
    id: `${action}:${caller}:${windowIndex(longest, at)}`,
    fields: limit.windows.map((w) => ({ field: `w${w.minutes}_${windowIndex(w, at)}`, max: w.max, window: w })),
    expiresAt: windowEnd(longest, at),
  }
}

/** The refusal: which window is full, and when to try again. */
export function rateLimitMessage(w: RateWindow, at: Date): string {
  if (w.minutes >= DAY) return '今天的次数已用完，请明天再试'
  const wait = Math.max(1, Math.ceil((windowEnd(w, at).getTime() - at.getTime()) / 60_000))
  return `操作太频繁，请${wait}分钟后再试`
}
