// The 红黑榜 poster renderer: a PNG of phone width whose height follows the lists, for empty
// lists and for lists longer than the poster shows.
import { DEFAULT_HONOR_RULES, rankHonor, type HonorInput } from '../../src/core'
import { POSTER_MAX_ROWS, POSTER_WIDTH, renderHonorPoster } from '../../cloudfunctions/shared/poster'

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
const row = (i: number, onTimeRate: number): HonorInput => ({ id: `v${i}`, name: `第${i}村`, area: '东关镇', total: 5, closed: 5, fixed: 5, fixedRate: 1, onTimeRate, satisfaction: 5, ratings: 3 })
const draw = (villages: HonorInput[]) =>
  renderHonorPoster({ countyName: '幸福县', month: '2026-11', publishedAt: new Date('2026-12-01T02:00:00Z'), rules: DEFAULT_HONOR_RULES, villages: rankHonor(villages, DEFAULT_HONOR_RULES), teams: [] })

test('an empty month and a long list both give a PNG as wide as the poster; the longer list is taller, capped at the rows shown', () => {
  const empty = draw([])
  expect(empty.png.subarray(0, 8).equals(SIGNATURE)).toBe(true)
  expect([empty.png.readUInt32BE(16), empty.png.readUInt32BE(20)]).toEqual([POSTER_WIDTH, empty.height])

  // 60 villages: 12 on the red list (20 %), more than the poster shows
  const sixty = Array.from({ length: 60 }, (_, i) => row(i, i < 30 ? 1 : 0.2))
  expect(rankHonor(sixty, DEFAULT_HONOR_RULES).filter((r) => r.mark === 'red').length).toBeGreaterThan(POSTER_MAX_ROWS)
  const long = draw(sixty)
  const two = draw(sixty.slice(0, 2))
  expect(long.height).toBeGreaterThan(two.height)
  expect(long.png.readUInt32BE(20)).toBe(long.height)
  // capped: a hundred more villages on the same lists do not make it taller
  expect(draw([...sixty, ...Array.from({ length: 100 }, (_, i) => row(100 + i, 1))]).height).toBe(long.height)
}, 30_000)
