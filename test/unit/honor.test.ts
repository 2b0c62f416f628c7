// The 红黑榜 formula: each factor's points, the weighted score, who is ranked, ties, the red
// and black lines and shares, the rules a county may save, and the loudspeaker text.
import {
  broadcastText,
  cnNumber,
  DEFAULT_HONOR_RULES,
  honorFormulaText,
  honorParts,
  honorRulesSchema,
  honorViewer,
  listSize,
  rankHonor,
  requireHonorPublishable,
  scoreOf,
  type HonorInput,
  type HonorRules,
} from '../../src/core'

const row = (id: string, more: Partial<HonorInput> = {}): HonorInput => ({
  id,
  name: id,
  area: '东关镇',
  total: 10,
  closed: 10,
  fixed: 10,
  fixedRate: 1,
  onTimeRate: 1,
  satisfaction: 5,
  ratings: 5,
  ...more,
})
const rules = (more: Partial<HonorRules> = {}): HonorRules => ({ ...DEFAULT_HONOR_RULES, ...more })
/** Only one factor counts: the score is that factor's points. */
const only = (f: keyof HonorRules['weights'], more: Partial<HonorRules> = {}): HonorRules =>
  rules({ weights: { onTime: 0, fixed: 0, satisfaction: 0, volume: 0, [f]: 1 }, ...more })

describe('the score', () => {
  test('each factor scores 0–100: rates × 100, stars ÷ 5, orders against the busiest', () => {
    expect(honorParts({ total: 5, onTimeRate: 0.75, fixedRate: 0.5, satisfaction: 4.2 }, 20)).toEqual({ onTime: 75, fixed: 50, satisfaction: 84, volume: 25 })
    expect(honorParts({ total: 3, onTimeRate: null, fixedRate: null, satisfaction: null }, 0)).toEqual({ onTime: null, fixed: null, satisfaction: null, volume: null })
  })

  test('the score is the weighted mean of the factors, to one decimal', () => {
    const w = { onTime: 35, fixed: 35, satisfaction: 20, volume: 10 }
    // (80·35 + 60·35 + 90·20 + 50·10) / 100 = 72
    expect(scoreOf({ onTime: 80, fixed: 60, satisfaction: 90, volume: 50 }, w)).toBe(72)
    // only the proportions matter
    expect(scoreOf({ onTime: 80, fixed: 60, satisfaction: 90, volume: 50 }, { onTime: 7, fixed: 7, satisfaction: 4, volume: 2 })).toBe(72)
    // 100·1 + 0·2 over 3 = 33.333… → 33.3
    expect(scoreOf({ onTime: 100, fixed: 0, satisfaction: null, volume: null }, { onTime: 1, fixed: 2, satisfaction: 0, volume: 0 })).toBe(33.3)
  })

  test('a factor without data (no ratings yet) leaves its weight out; the others are weighed as before', () => {
    const w = { onTime: 35, fixed: 35, satisfaction: 20, volume: 10 }
    // (80·35 + 60·35 + 50·10) / 80 = 67.5
    expect(scoreOf({ onTime: 80, fixed: 60, satisfaction: null, volume: 50 }, w)).toBe(67.5)
    // nothing weighted has data: no score
    expect(scoreOf({ onTime: 80, fixed: 60, satisfaction: null, volume: 50 }, { onTime: 0, fixed: 0, satisfaction: 1, volume: 0 })).toBeNull()
  })

  test('a weight of 0 takes the factor out of the score', () => {
    const [a, b] = rankHonor([row('a', { satisfaction: 1 }), row('b', { satisfaction: 5, onTimeRate: 0.5 })], only('onTime'))
    expect([a.id, a.score, b.id, b.score]).toEqual(['a', 100, 'b', 50])
  })

  test('volume is measured against the busiest ranked row, not against rows with too few closed orders', () => {
    const list = rankHonor([row('a', { total: 8 }), row('b', { total: 4 }), row('small', { total: 40, closed: 2 })], only('volume'))
    expect(list.map((r) => [r.id, r.score])).toEqual([
      ['a', 100],
      ['b', 50],
      ['small', null],
    ])
  })
})

describe('ranking', () => {
  test('too few closed orders: listed after the ranked rows, unranked, with the reason', () => {
    const list = rankHonor([row('few', { closed: 2, total: 9 }), row('ok', { closed: 3 })], rules({ minClosed: 3 }))
    expect(list.map((r) => r.id)).toEqual(['ok', 'few'])
    expect(list[0]).toMatchObject({ rank: 1, note: null })
    expect(list[1]).toMatchObject({ rank: null, score: null, mark: null, note: '办结不足3件，不参加排名' })
  })

  test('equal scores share a rank (1, 2, 2, 4), ordered by more orders, then name', () => {
    const list = rankHonor(
      [row('d', { onTimeRate: 0.1 }), row('c', { onTimeRate: 0.6, total: 5 }), row('b', { onTimeRate: 0.6, total: 7 }), row('a', { onTimeRate: 0.9 })],
      only('onTime', { red: { minScore: 100, share: 0 }, black: { maxScore: 0, share: 0 } }),
    )
    expect(list.map((r) => [r.id, r.rank])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 2],
      ['d', 4],
    ])
  })

  test('the same rows in any order give the same list', () => {
    const rows = Array.from({ length: 12 }, (_, i) => row(`v${i}`, { name: `村${i % 4}`, onTimeRate: [0.5, 0.7, 0.9][i % 3], total: 5 + (i % 2) }))
    const a = rankHonor(rows, DEFAULT_HONOR_RULES)
    const b = rankHonor([...rows].reverse(), DEFAULT_HONOR_RULES)
    const c = rankHonor([...rows.slice(5), ...rows.slice(0, 5)], DEFAULT_HONOR_RULES)
    expect(b).toEqual(a)
    expect(c).toEqual(a)
  })
})

describe('red and black', () => {
  // ten villages scoring 95, 90, … 50 on the on-time rate alone
  const ten = Array.from({ length: 10 }, (_, i) => row(`v${i}`, { onTimeRate: (95 - i * 5) / 100 }))
  const marks = (r: HonorRules, rows = ten) =>
    rankHonor(rows, r)
      .filter((x) => x.mark)
      .map((x) => `${x.id}:${x.mark}`)

  test('red: within the top share and at least the red line; black: within the bottom share and at most the black line', () => {
    // 20 % of 10 = 2 red (95, 90 ≥ 85); 10 % = 1 black (50 ≤ 60)
    expect(marks(only('onTime'))).toEqual(['v0:red', 'v1:red', 'v9:black'])
  })

  test('the line wins over the share: nobody good enough, nobody on the red list', () => {
    expect(marks(only('onTime', { red: { minScore: 96, share: 50 }, black: { maxScore: 60, share: 10 } }))).toEqual(['v9:black'])
    // a good month: nobody at or below the black line
    expect(marks(only('onTime', { red: { minScore: 85, share: 20 }, black: { maxScore: 40, share: 30 } }))).toEqual(['v0:red', 'v1:red'])
  })

  test('the share wins over the line: only the top share, however many pass the line', () => {
    expect(marks(only('onTime', { red: { minScore: 50, share: 10 }, black: { maxScore: 45, share: 10 } }))).toEqual(['v0:red'])
  })

  test('share 0 turns a list off; a small county still gets one name for a share above 0', () => {
    expect(marks(only('onTime', { red: { minScore: 85, share: 0 }, black: { maxScore: 60, share: 0 } }))).toEqual([])
    expect(listSize(3, 10)).toBe(1)
    expect(listSize(10, 25)).toBe(3) // 2.5 rounds up
    expect(listSize(11, 20)).toBe(2) // 2.2 rounds down
    expect(listSize(0, 20)).toBe(0)
  })

  test('a tie at the edge of a list takes every tied row', () => {
    const rows = [row('a', { onTimeRate: 0.95 }), row('b', { onTimeRate: 0.9 }), row('c', { onTimeRate: 0.9 }), row('d', { onTimeRate: 0.7 }), row('e', { onTimeRate: 0.5 }), row('f', { onTimeRate: 0.5 })]
    // red: 20 % of 6 = 1 → a; black: 1 from the bottom → e and f (tied)
    expect(marks(only('onTime', { red: { minScore: 85, share: 20 }, black: { maxScore: 60, share: 20 } }), rows)).toEqual(['a:red', 'e:black', 'f:black'])
    // red: 2 names → a, and b and c tied for second
    expect(marks(only('onTime', { red: { minScore: 85, share: 34 }, black: { maxScore: 60, share: 0 } }), rows)).toEqual(['a:red', 'b:red', 'c:red'])
  })

  test('rows with too few orders are never on a list, and do not count in the shares', () => {
    const rows = [...ten.slice(0, 5), row('tiny', { closed: 1, onTimeRate: 0 })]
    // 5 ranked: red 1 (20 %), black 1 (10 % → 1): v4 scores 75 > 60, so no black
    expect(marks(only('onTime'), rows)).toEqual(['v0:red'])
  })
})

describe('the rules a county saves', () => {
  const ok = (r: unknown) => honorRulesSchema.safeParse(r)
  test('the defaults pass, and read as a formula', () => {
    expect(ok(DEFAULT_HONOR_RULES).success).toBe(true)
    expect(honorFormulaText(DEFAULT_HONOR_RULES)).toBe('得分 = 按时办结率×35% + 群众确认解决率×35% + 群众满意度×20% + 服务量×10%')
  })
  test('weights ≥ 0 summing above 0; the red line above the black line; shares 0–100; at least one closed order', () => {
    const msg = (r: unknown) => {
      const p = ok(r)
      return p.success ? null : p.error.issues[0].message
    }
    expect(msg({ ...DEFAULT_HONOR_RULES, weights: { onTime: 0, fixed: 0, satisfaction: 0, volume: 0 } })).toBe('四项权重不能都为0')
    expect(msg({ ...DEFAULT_HONOR_RULES, weights: { ...DEFAULT_HONOR_RULES.weights, volume: -1 } })).toBe('权重应为0到100的整数')
    expect(msg({ ...DEFAULT_HONOR_RULES, red: { minScore: 60, share: 20 } })).toBe('红榜分数线应高于黑榜分数线')
    expect(msg({ ...DEFAULT_HONOR_RULES, black: { maxScore: 50, share: 101 } })).toBe('比例应为0到100的整数')
    expect(msg({ ...DEFAULT_HONOR_RULES, minClosed: 0 })).toBe('最少办结件数至少为1')
  })
})

describe('who and when', () => {
  test('county staff see the county; township staff their county with their rows marked; stations are refused', () => {
    expect(honorViewer([{ role: 'township', nodeId: 't' }, { role: 'county', nodeId: 'c' }])).toEqual({ nodeId: 'c', township: false })
    expect(honorViewer([{ role: 'township', nodeId: 't' }])).toEqual({ nodeId: 't', township: true })
    expect(() => honorViewer([{ role: 'station', nodeId: 'v' }])).toThrow('只有乡镇和县级工作人员')
  })
  test('a month is published once, after it ends in Shanghai', () => {
    // 1 December 00:00 in Shanghai is 30 November 16:00 UTC
    expect(() => requireHonorPublishable('2026-11', new Date('2026-11-30T15:59:00Z'), null)).toThrow('2026年11月还没有结束')
    expect(() => requireHonorPublishable('2026-11', new Date('2026-11-30T16:00:00Z'), null)).not.toThrow()
    expect(() => requireHonorPublishable('2026-11', new Date('2026-12-05T02:00:00Z'), { publishedAt: new Date('2026-12-01T02:00:00Z') })).toThrow('已于2026年12月1日发布，不能重复发布')
  })
})

describe('广播稿', () => {
  test('numbers are written as they are read', () => {
    expect([0, 7, 10, 15, 20, 92.5, 100, 105, 110, 1005].map(cnNumber)).toEqual(['零', '七', '十', '十五', '二十', '九十二点五', '一百', '一百零五', '一百一十', '一千零五'])
  })

  test('names the red and black villages and teams, with the rates behind a black mark, and no symbols to stumble on', () => {
    const villages = rankHonor(
      [row('dg', { name: '东关村', onTimeRate: 1 }), row('nj', { name: '南街社区', onTimeRate: 0.8 }), row('xs', { name: '西山村', area: '西山乡', onTimeRate: 0.5, fixedRate: 0.25 }), row('lc', { name: '柳树村', closed: 1 })],
      only('onTime', { red: { minScore: 85, share: 30 }, black: { maxScore: 60, share: 30 } }),
    )
    const teams = rankHonor([row('t1', { name: '东关村网格服务队', area: '东关镇 · 东关村', onTimeRate: 0.9 })], only('onTime', { red: { minScore: 85, share: 30 }, black: { maxScore: 60, share: 0 } }))
    const text = broadcastText({ countyName: '幸福县', month: '2026-11', villages, teams, rules: only('onTime') })
    expect(text).toContain('二〇二六年十一月')
    expect(text).toContain('村（社区）红榜：东关村（东关镇），一百分。')
    expect(text).toContain('村（社区）黑榜：西山村（西山乡），五十分，按时办结率百分之五十，群众确认解决率百分之二十五。')
    expect(text).toContain('服务队红榜：东关村网格服务队（东关镇 · 东关村），九十分。')
    expect(text).toContain('服务队黑榜：本月没有。')
    expect(text).toContain('本月共有三个村（社区）、一支服务队参加排名')
    expect(text).not.toContain('柳树村')
    expect(text).not.toMatch(/[%×=+]/)
  })
})
