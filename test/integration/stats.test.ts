// Dashboard rollups through the local runtime with the real SDK: after a random run of
// loop actions (swept now and then, as the timer would), every stored rollup equals a
// recount from the orders; a grid moved to another village takes its days along; the
// dashboard shows a staff member's area only, with numbers that match the orders.
import { PRIVACY_VERSION } from '../../src/core'
import { rollupsOf, STATS, type StatsDoc } from '../../cloudfunctions/services/stats'
import { startTestRuntime, type TestRuntime } from '../helpers/runtime'

const VILLAGER = 'u_villager_zhang'
const STATION_DG = 'u_station_dg' // 东关村 g_XF0101
const STATION_XS = 'u_station_xs' // 西山村 g_XF0201
const TOWNSHIP = 'u_township_dg' // 东关镇 g_XF01
const COUNTY = 'u_county'

// November 2026 in Shanghai; every order is placed on one of these days
const day = (d: number, hh = 10) => new Date(`2026-11-${String(d).padStart(2, '0')}T${String(hh).padStart(2, '0')}:00:00+08:00`)
const later = (t: Date, minutes: number) => new Date(t.getTime() + minutes * 60_000)

// a small seeded PRNG: the run is random but the same every time
let seed = 20261130
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]

let rt: TestRuntime
beforeAll(async () => {
  rt = await startTestRuntime()
})
afterAll(() => rt.close())

const ok: TestRuntime['ok'] = (...a) => rt.ok(...a)
const sweepAt = async (when: Date) => {
  const r = (await rt.invoke('clock', {}, null, () => when)) as any
  if (!r.ok) throw new Error(`sweep: ${r.code} ${r.message}`)
  return r.data
}

// where orders are placed, who handles them there
const PLACES = [
  { code: 'XF010101', station: STATION_DG, volunteers: ['u_vol_02', 'u_vol_03'] },
  { code: 'XF01010102', station: STATION_DG, volunteers: ['u_vol_02', 'u_vol_03'] }, // a micro-grid: counts in its grid
  { code: 'XF010102', station: STATION_DG, volunteers: ['u_vol_03'] },
  { code: 'XF020101', station: STATION_XS, volunteers: ['u_vol_14', 'u_vol_15'] },
  { code: 'XF010201', station: null, volunteers: [] }, // 南街社区: no station account in the demo
]

let seq = 0
/** One order and a random course of it through the loop, each step a little later. */
async function randomOrder(start: Date) {
  const place = pick(PLACES)
  const svc = pick(['svc_01', 'svc_02', 'svc_05', 'svc_09'])
  const o = await ok(
    'order',
    'place',
    { requestId: `stats_${String(++seq).padStart(4, "0")}`, gridCode: place.code, serviceId: svc, description: '家里的事情麻烦来看看', contactPhone: '13800001111', privacyVersion: PRIVACY_VERSION },
    VILLAGER,
    start,
  )
  let t = start
  const step = async (fn: string, action: string, data: object, who: string) => {
    t = later(t, 5 + Math.floor(rand() * 300))
    return ok(fn, action, { id: o.id, ...data }, who, t)
  }
  const r = rand()
  if (!place.station || r < 0.1) return r < 0.05 ? step('order', 'cancel', {}, VILLAGER) : undefined
  if (r < 0.2) return step('order', 'reject', { reason: '不属于服务范围' }, place.station)
  const vol = pick(place.volunteers)
  await step('order', 'dispatch', { volunteerId: vol }, place.station)
  if (rand() < 0.15) return
  await step('order', 'accept', {}, vol)
  if (rand() < 0.1) return step('order', 'handBack', { reason: '临时有事去不了' }, vol)
  await step('order', 'complete', { note: '已处理好' }, vol)
  const end = rand()
  if (end < 0.6) {
    await step('order', 'confirm', { fixed: true, stars: 1 + Math.floor(rand() * 5), comment: '' }, VILLAGER)
    if (rand() < 0.7) await step('order', 'approve', { kind: 'rating' }, place.station)
  } else if (end < 0.75) await step('order', 'confirm', { fixed: false, reason: '还是不行' }, VILLAGER)
}

const stored = async () => {
  const out = new Map<string, StatsDoc>()
  for (let skip = 0; ; skip += 100) {
    const page = (await rt.db.collection(STATS).skip(skip).limit(100).get()).data as StatsDoc[]
    page.forEach((d) => out.set(d._id, d))
    if (page.length < 100) return out
  }
}
const allOrders = async () => (await rt.db.collection('orders').limit(1000).get()).data as any[]

/** Stored rollups against a recount from every order: same documents, same sums. */
async function expectRollupsMatchOrders() {
  const expected = rollupsOf(await allOrders(), new Date())
  const actual = await stored()
  const strip = (d: StatsDoc) => ({ kind: d.kind, id: d.id, parentId: d.parentId, level: d.level, period: d.period, key: d.key, s: d.s, teams: d.teams, path: d.path })
  // a document whose sums went back to nothing may stay, empty
  const nonEmpty = [...actual.values()].filter((d) => Object.keys(d.s).length > 0)
  expect(nonEmpty.map((d) => d._id).sort()).toEqual([...expected.keys()].sort())
  for (const d of nonEmpty) expect({ _id: d._id, ...strip(d) }).toEqual({ _id: d._id, ...strip(expected.get(d._id)!) })
}

describe('rollups', () => {
  it('equal a recount from the orders after a random run of loop actions, swept now and then', async () => {
    for (let d = 2; d <= 20; d++) {
      for (let i = 0; i < 3; i++) await randomOrder(day(d, 9 + i * 3))
      // the timer runs every few days here; changes of many days wait for it
      if (d % 4 === 0) await sweepAt(day(d, 23))
    }
    const report = await sweepAt(day(25))
    expect(report.statsUnits).toBeGreaterThan(0)
    // the sweep's own steps (written at its `now`) are counted by the next run
    await sweepAt(later(day(25), 1))
    const orders = await allOrders()
    expect(orders.length).toBe(57)
    expect(new Set(orders.map((o) => o.status)).size).toBeGreaterThanOrEqual(5)
    await expectRollupsMatchOrders()
    // a second sweep with nothing new changes nothing
    expect((await sweepAt(later(day(25), 2))).statsUnits).toBe(0)
  }, 120_000)

  it('follow a grid moved to another village', async () => {
    const before = (await rt.db.collection(STATS).doc('n:g_XF0101:2026-11').get()).data[0] as StatsDoc
    const moving = ((await allOrders()).filter((o) => o.scopePath.includes('g_XF010102'))).length
    expect(moving).toBeGreaterThan(0)
    await ok('grid', 'move', { id: 'g_XF010102', parentId: 'g_XF0103' }, COUNTY, day(27))
    await sweepAt(day(27, 12))
    await sweepAt(later(day(27, 12), 1))
    await expectRollupsMatchOrders()
    const after = (await rt.db.collection(STATS).doc('n:g_XF0101:2026-11').get()).data[0] as StatsDoc
    expect(after.s.n).toBe((before.s.n as number) - moving)
  }, 60_000)
})

describe('the dashboard', () => {
  const NOW = day(28, 15)
  it('shows the township its villages, with totals that match its orders', async () => {
    const v = await ok('stats', 'dashboard', { preset: 'month' }, TOWNSHIP, NOW)
    const mine = (await allOrders()).filter((o) => o.scopePath.includes('g_XF01'))
    expect(v.node).toMatchObject({ id: 'g_XF01', level: 'township' })
    expect(v.summary.total).toBe(mine.length)
    expect(v.summary.fixed).toBe(mine.filter((o) => o.status === 'fixed').length)
    expect(v.summary.byStatus.pending ?? 0).toBe(mine.filter((o) => o.status === 'pending').length)
    expect(v.areas.map((a: any) => a.name)).toEqual(['东关村', '南街社区', '柳树村'])
    expect(v.areas.reduce((n: number, a: any) => n + a.total, 0)).toBe(mine.length)
    expect(v.trend.points).toHaveLength(28)
    expect(v.trend.points.reduce((n: number, p: any) => n + p.total, 0)).toBe(mine.length)
    expect(v.updatedAt).not.toBeNull()
    // volunteers: the ledger's area-month total against its person-months of the township
    const persons = (await rt.db.collection('pointTotals').where({ subject: 'person', period: '2026-11', townshipId: 'g_XF01' }).limit(1000).get()).data as any[]
    expect(persons.length).toBeGreaterThan(0)
    expect(v.volunteers).toEqual({
      months: ['2026-11'],
      active: persons.length,
      points: persons.reduce((n, p) => n + p.points, 0),
      hours: Math.round(persons.reduce((n, p) => n + p.hours, 0) * 10) / 10,
    })
  })

  it('drills down within the caller’s area only', async () => {
    const village = await ok('stats', 'dashboard', { preset: 'month', nodeId: 'g_XF0101' }, TOWNSHIP, NOW)
    expect(village.trail.map((n: any) => n.name)).toEqual(['东关镇', '东关村'])
    expect(village.areas.every((a: any) => a.level === 'grid')).toBe(true)
    const grid = await ok('stats', 'dashboard', { preset: 'month', nodeId: 'g_XF010101' }, STATION_DG, NOW)
    expect(grid.areas).toEqual([])
    expect(grid.volunteers).toBeNull()
    const refused = await rt.call('stats', 'dashboard', { preset: 'month', nodeId: 'g_XF0201' }, STATION_DG, NOW)
    expect(refused).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    const villager = await rt.call('stats', 'dashboard', { preset: 'month' }, VILLAGER, NOW)
    expect(villager).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    const bad = await rt.call('stats', 'dashboard', { preset: 'custom', from: '2026-11-20', to: '2026-11-01' }, TOWNSHIP, NOW)
    expect(bad).toMatchObject({ ok: false, code: 'VALIDATION', message: '结束日期不能早于开始日期' })
  })

  it('the county sees both townships; a custom period counts only its days', async () => {
    const county = await ok('stats', 'dashboard', { preset: 'custom', from: '2026-11-02', to: '2026-11-05' }, COUNTY, NOW)
    const inPeriod = (await allOrders()).filter((o) => o.createdAt >= day(2, 0) && o.createdAt < day(6, 0))
    expect(county.summary.total).toBe(inPeriod.length)
    expect(county.areas.map((a: any) => a.name)).toEqual(['东关镇', '西山乡'])
    expect(county.areas.reduce((n: number, a: any) => n + a.total, 0)).toBe(inPeriod.length)
  })
})
