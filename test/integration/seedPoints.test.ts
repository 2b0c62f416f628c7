// The seeded points history agrees with itself: every balance and rollup equals what its
// entries add up to (counted here independently of the ledger's fold), past months are
// final, and ranking reads it.
import { startTestRuntime, type TestRuntime } from '../helpers/runtime'

let rt: TestRuntime
beforeAll(async () => {
  rt = await startTestRuntime()
})
afterAll(() => rt.close())

const all = async (coll: string) => (await rt.db.collection(coll).limit(1000).get()).data as any[]

test('balances and rollups are the sums of the seeded entries', async () => {
  const [entries, balances, totals, reviews] = await Promise.all([all('points'), all('pointBalances'), all('pointTotals'), all('pointReviews')])
  expect(entries.length).toBeGreaterThan(300)
  expect(entries.length).toBeLessThan(1000)
  const final = new Set(reviews.filter((r) => r.state === 'final').map((r) => `${r.townshipId}:${r.month}`))
  for (const b of balances) {
    const mine = entries.filter((e) => e.userId === b._id)
    const settled = mine.filter((e) => final.has(`${e.townshipId}:${e.month}`)).reduce((s, e) => s + e.points, 0)
    const open = mine.filter((e) => !final.has(`${e.townshipId}:${e.month}`)).reduce((s, e) => s + e.points, 0)
    expect([b._id, b.final]).toEqual([b._id, settled])
    expect([b._id, Object.values(b.months).reduce((s: number, x: any) => s + x, 0)]).toEqual([b._id, open])
    const verified = mine.filter((e) => e.hoursKind === 'verified').reduce((s, e) => s + e.hours, 0)
    expect(b.hours.verified).toBeCloseTo(verified, 5)
  }
  const owns = (t: any, e: any) => (t.subject === 'person' ? e.userId === t.id : t.subject === 'team' ? e.teamId === t.id : [e.villageId, e.townshipId, e.countyId].includes(t.id))
  for (const t of totals) {
    const counted = entries.filter((e) => owns(t, e) && (t.period.length === 4 ? e.year : e.month) === t.period && ['earn', 'manual', 'correction'].includes(e.kind))
    expect([t._id, t.points]).toEqual([t._id, counted.reduce((s, e) => s + e.points, 0)])
    // an area-month counts each volunteer with an entry that month once (the dashboards' active volunteers)
    if (t.subject === 'area') {
      const people = new Set(entries.filter((e) => owns(t, e) && e.month === t.period && !['redeem', 'refund'].includes(e.kind)).map((e) => e.userId))
      expect([t._id, t.people]).toEqual([t._id, people.size])
    }
  }
  expect(totals.filter((t) => t.subject === 'area').length).toBeGreaterThan(0)
  // every entry's owner has a balance; the demo volunteers the tests count start clean
  expect(new Set(entries.map((e) => e.userId)).size).toBe(balances.length)
  for (const clean of ['u_vol_02', 'u_vol_03', 'u_vol_04', 'u_vol_05']) expect(balances.some((b) => b._id === clean)).toBe(false)
})
