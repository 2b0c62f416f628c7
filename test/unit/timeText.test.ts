import { formatShort, formatTime, localDay } from '../../src/core/timeText'
import { toLocal } from '../../src/core/time'

// The villager pages format times without dayjs (timeText.ts): a fixed UTC+8. They must read
// exactly as the zone database (dayjs + Asia/Shanghai) has them, for any instant we record.
const viaZone = (t: Date | string | number) => {
  const d = toLocal(t)
  return d.isValid() ? [d.format('YYYY-MM-DD HH:mm'), d.format('M月D日 HH:mm'), d.format('YYYYMMDD')] : ['Invalid Date', 'Invalid Date', 'Invalid Date']
}
const mine = (t: Date | string | number) => [formatTime(t), formatShort(t), localDay(t)]

describe('times as a villager reads them (China Standard Time, no date library)', () => {
  test('any instant from 1992 to 2200, as a number or a Date, reads as the zone database has it', () => {
    let s = 20261130
    const next = () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32)
    const from = Date.UTC(1992, 0, 1)
    const to = Date.UTC(2200, 0, 1)
    for (let i = 0; i < 3000; i++) {
      const ms = Math.floor(from + next() * (to - from))
      expect(mine(ms)).toEqual(viaZone(ms))
      expect(mine(new Date(ms))).toEqual(viaZone(new Date(ms)))
    }
  })

  test('the turn of a day in China (16:00 UTC) and strings read as dayjs reads them', () => {
    for (const t of [Date.UTC(2026, 10, 23, 15, 59), Date.UTC(2026, 10, 23, 16, 0), Date.UTC(2026, 11, 31, 16, 0), '2026-11-23', '2026-11-23 08:05', '2026-11-23T08:05:00Z', '2026-11-23T08:05:00+08:00'])
      expect(mine(t)).toEqual(viaZone(t))
    expect(formatTime(Date.UTC(2026, 10, 23, 10, 5))).toBe('2026-11-23 18:05')
    expect(formatShort(Date.UTC(2026, 10, 23, 10, 5))).toBe('11月23日 18:05')
    expect(localDay(Date.UTC(2026, 10, 23, 16, 0))).toBe('20261124')
  })

  test('no instant at all reads as dayjs has it', () => {
    for (const t of [NaN, 'garbage']) expect(mine(t)).toEqual(['Invalid Date', 'Invalid Date', 'Invalid Date'])
  })
})
