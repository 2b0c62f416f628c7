import { rateCounter, rateLimitMessage, RATE_LIMITS, windowEnd, windowIndex } from '../../src/core'

describe('rate limit windows', () => {
  test('a day window is a Shanghai calendar day', () => {
    const day = { minutes: 1440 }
    expect(windowIndex(day, new Date('2026-03-02T15:59:59Z'))).toBe(windowIndex(day, new Date('2026-03-01T16:00:00Z')))
    expect(windowIndex(day, new Date('2026-03-02T16:00:00Z'))).toBe(windowIndex(day, new Date('2026-03-02T15:59:59Z')) + 1)
    expect(windowEnd(day, new Date('2026-03-02T03:00:00Z')).toISOString()).toBe('2026-03-02T16:00:00.000Z')
  })

  test('ten-minute windows start on the clock’s tens', () => {
    const w = { minutes: 10 }
    expect(windowEnd(w, new Date('2026-03-02T02:03:20Z')).toISOString()).toBe('2026-03-02T02:10:00.000Z')
    expect(windowIndex(w, new Date('2026-03-02T02:09:59Z'))).toBe(windowIndex(w, new Date('2026-03-02T02:00:00Z')))
  })

  test('one counter document per action, caller and day holds a field per window', () => {
    const at = new Date('2026-03-02T02:03:00Z')
    const c = rateCounter('order.place', 'u1', RATE_LIMITS['order.place'], at)
    const later = rateCounter('order.place', 'u1', RATE_LIMITS['order.place'], new Date('2026-03-02T02:13:00Z'))
    expect(later.id).toBe(c.id)
    expect(later.fields[0].field).not.toBe(c.fields[0].field) // a new 10-minute bucket
    expect(later.fields[1].field).toBe(c.fields[1].field) // the same day
    expect(rateCounter('order.place', 'u2', RATE_LIMITS['order.place'], at).id).not.toBe(c.id)
    expect(c.expiresAt.toISOString()).toBe('2026-03-02T16:00:00.000Z')
  })

  test('the message says when to try again', () => {
    expect(rateLimitMessage({ minutes: 10, max: 10 }, new Date('2026-03-02T02:03:20Z'))).toBe('操作太频繁，请7分钟后再试')
    expect(rateLimitMessage({ minutes: 10, max: 10 }, new Date('2026-03-02T02:09:59Z'))).toBe('操作太频繁，请1分钟后再试')
    expect(rateLimitMessage({ minutes: 60, max: 30 }, new Date('2026-03-02T02:15:00Z'))).toBe('操作太频繁，请45分钟后再试')
    expect(rateLimitMessage({ minutes: 1440, max: 5 }, new Date('2026-03-02T02:15:00Z'))).toBe('今天的次数已用完，请明天再试')
  })

  test('only plate lookups of the badge check count', () => {
    const counts = RATE_LIMITS['volunteer.verify'].counts!
    expect(counts({ plate: 'XF01-0001' })).toBe(true)
    expect(counts({ token: 'a.b' })).toBe(false)
  })
})
