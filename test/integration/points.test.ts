// Points, verified hours, the monthly review and the store through the local runtime
// with the real SDK: what a loop run earns, replays, caps, deductions, publication →
// objection → resolution → final, redemption races, hand-over and expiry, rankings.
import { PRIVACY_VERSION } from '../../src/core'
import { settleDue } from '../../cloudfunctions/services/ledger'
import { pdfText } from '../helpers/pdfQr'
import { uploadPhotos } from '../helpers/photos'
import { startTestRuntime, type TestRuntime } from '../helpers/runtime'

const VILLAGER = 'u_villager_zhang'
const STATION = 'u_station_dg' // 东关村
const STATION_XS = 'u_station_xs' // 西山村
const TOWNSHIP = 'u_township_dg'
const COUNTY = 'u_county'
const VOL = 'u_vol_02' // 刘志刚, team_dg
const VOL2 = 'u_vol_03' // team_dg

// Tuesday 10 November 2026, 10:00 in Shanghai: a working day, inside working hours
const T0 = new Date('2026-11-10T02:00:00Z')
const at = (base: Date, minutes: number) => new Date(base.getTime() + minutes * 60_000)

let rt: TestRuntime
let townshipId: string
beforeAll(async () => {
  rt = await startTestRuntime()
  const station = (await rt.db.collection('users').doc(STATION).get()).data[0]
  const village = (await rt.db.collection('grids').doc(station.roles[0].nodeId).get()).data[0]
  townshipId = village.path[1]
})
afterAll(() => rt.close())

const ok: TestRuntime['ok'] = (...a) => rt.ok(...a)
const fail: TestRuntime['fail'] = (...a) => rt.fail(...a)
const entriesOf = async (userId: string) => (await rt.db.collection('points').where({ userId }).limit(1000).get()).data as any[]
const balanceOf = async (userId: string) => (await rt.db.collection('pointBalances').doc(userId).get()).data[0]

let seq = 0
async function place(when: Date, serviceId = 'svc_01'): Promise<string> {
  const r = await ok(
    'order',
    'place',
    { requestId: `pts_${++seq}_${when.getTime()}`, gridCode: 'XF010101', serviceId, description: '厨房的灯不亮了，麻烦来看看', contactPhone: '13800001111', privacyVersion: PRIVACY_VERSION },
    VILLAGER,
    when,
  )
  return r.id
}

/** dispatch → accept → check in (verified with the villager's code) → complete after `minutes`. */
async function served(start: Date, minutes: number, who = VOL, verified = true): Promise<string> {
  const id = await place(start)
  await ok('order', 'dispatch', { id, volunteerId: who }, STATION, at(start, 5))
  await ok('order', 'accept', { id }, who, at(start, 10))
  const arrive = at(start, 30)
  const code = verified ? (await ok('order', 'arrivalCode', { id }, VILLAGER, arrive)).code : undefined
  await ok('order', 'checkIn', { id, ...(code ? { arrivalCode: code } : {}) }, who, arrive)
  await ok('order', 'complete', { id, note: '换了灯泡，已亮', photos: await uploadPhotos(rt, 1, who) }, who, at(arrive, minutes))
  return id
}

describe('a loop run earns exactly its entries', () => {
  test('verified hours, base points, hours points and the approved rating bonus; replays add nothing', async () => {
    const id = await served(T0, 90)
    const completed = (await rt.db.collection('orders').doc(id).get()).data[0]
    expect(completed.completion).toMatchObject({ hours: 1.5, verified: true })
    expect(completed.arrival).toMatchObject({ verified: true, method: 'villager' })
    await ok('order', 'confirm', { id, fixed: true, stars: 5, comment: '很及时' }, VILLAGER, at(T0, 200))
    await ok('order', 'approve', { kind: 'rating', id }, STATION, at(T0, 300))

    const mine = (await entriesOf(VOL)).filter((e) => e.orderId === id)
    const summary = mine.map((e) => `${e.kind}:${e.ruleId ?? '-'}:${e.points}:${e.hours}`).sort()
    expect(summary).toEqual(['earn:base:5:0', 'earn:hours:2:0', 'earn:rating:2:0', 'hours:-:0:1.5'].sort())
    expect(mine.every((e) => e.month === '2026-11' && e.ruleVersion === 0 || e.kind === 'hours')).toBe(true)
    // nothing left owing on the order
    const after = (await rt.db.collection('orders').doc(id).get()).data[0]
    expect(after.pointsDue).toBeUndefined()

    const b = await balanceOf(VOL)
    expect(b.months['2026-11']).toBe(9)
    expect(b.final).toBe(0)
    expect(b.hours.verified).toBe(1.5)

    // the same events again (a retried function, a replayed sweep): no new entries, same balance
    await settleDue(rt.db, id, completed.pointsDue ?? [], new Date(0), at(T0, 400))
    const events = (await import('../../src/core')).pointEventsFor({
      action: 'confirmFixed',
      before: completed,
      after: { ...after, history: after.history.slice(0, 6) },
      at: at(T0, 200),
    })
    expect(events).toHaveLength(2)
    await settleDue(rt.db, id, events, new Date(0), at(T0, 400))
    expect((await entriesOf(VOL)).filter((e) => e.orderId === id)).toHaveLength(4)
    expect((await balanceOf(VOL)).months['2026-11']).toBe(9)

    const view = await ok('points', 'mine', {}, VOL, at(T0, 500))
    expect(view).toMatchObject({ final: 0, pending: 9, hours: { verified: 1.5, unverified: 0, manual: 0 } })
    expect(view.months).toEqual([{ month: '2026-11', points: 9, hours: 1.5, state: 'open' }])
    expect(view.quarters).toEqual([{ quarter: '2026Q4', points: 9, hours: 1.5 }])
    expect(view.entries.map((e: any) => e.title)).toEqual(expect.arrayContaining(['完成一次服务（村民确认解决）', '服务获村民好评', '服务时长']))
  })

  test('a function that died between the transition and the ledger: the sweep records what the order owes, once', async () => {
    const id = await served(T0, 60, 'u_vol_06')
    const o = (await rt.db.collection('orders').doc(id).get()).data[0]
    // as if the process had stopped right after the compare-and-set: the hours entry is owed, not written
    await rt.db.collection('points').doc(`${id}:${o.history.length}:hours`).remove()
    const owed = (await import('../../src/core')).pointEventsFor({ action: 'complete', before: o, after: o, at: o.completion.at })
    expect(owed.map((e) => e.trigger)).toEqual(['hours'])
    const stamp = at(T0, 100)
    await rt.db.collection('orders').doc(id).update({ pointsDue: owed, pointsDueAt: stamp })
    expect((await entriesOf('u_vol_06')).filter((e) => e.kind === 'hours' && e.orderId === id)).toHaveLength(0)
    const early = (await rt.invoke('clock', {}, null, () => at(T0, 100.5))) as any
    expect(early.data.pointsRecorded).toBe(0) // less than a minute: the transition may still be recording it
    const report = (await rt.invoke('clock', {}, null, () => at(T0, 102))) as any
    expect(report.data.pointsRecorded).toBe(1)
    expect((await entriesOf('u_vol_06')).filter((e) => e.kind === 'hours' && e.orderId === id)).toHaveLength(1)
    expect((await rt.db.collection('orders').doc(id).get()).data[0].pointsDue).toBeUndefined()
    await rt.invoke('clock', {}, null, () => at(T0, 110))
    expect((await entriesOf('u_vol_06')).filter((e) => e.kind === 'hours' && e.orderId === id)).toHaveLength(1)
  })

  test('a wrong arrival code is refused and changes nothing; without a code the hours are unverified; a signboard code verifies', async () => {
    const id = await place(T0)
    await ok('order', 'dispatch', { id, volunteerId: VOL2 }, STATION, at(T0, 5))
    await ok('order', 'accept', { id }, VOL2, at(T0, 10))
    const code = (await ok('order', 'arrivalCode', { id }, VILLAGER, at(T0, 20))).code as string
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0')
    expect((await fail('order', 'checkIn', { id, arrivalCode: wrong }, VOL2, at(T0, 20))).message).toContain('核验码不对')
    // expired: two windows later
    expect((await fail('order', 'checkIn', { id, arrivalCode: code }, VOL2, at(T0, 45))).code).toBe('VALIDATION')
    expect((await rt.db.collection('orders').doc(id).get()).data[0].status).toBe('accepted')
    // someone else's order code page
    expect((await fail('order', 'arrivalCode', { id }, 'u_villager_li', at(T0, 20))).code).toBe('FORBIDDEN')
    expect((await fail('order', 'checkIn', { id, gridCode: 'XF010102' }, VOL2, at(T0, 20))).message).toContain('标识牌')
    await ok('order', 'checkIn', { id, gridCode: 'xf010101' }, VOL2, at(T0, 20))
    expect((await rt.db.collection('orders').doc(id).get()).data[0].arrival).toMatchObject({ verified: true, method: 'signboard' })

    const unverified = await served(at(T0, 60), 300, VOL2, false)
    const o = (await rt.db.collection('orders').doc(unverified).get()).data[0]
    // capped at the county's 2 hours per service, and marked unverified
    expect(o.completion).toMatchObject({ hours: 2, verified: false })
    const h = (await entriesOf(VOL2)).find((e) => e.orderId === unverified && e.kind === 'hours')
    expect(h).toMatchObject({ hours: 2, hoursKind: 'unverified', points: 0 })
    await ok('order', 'confirm', { id: unverified, fixed: true, stars: 3, comment: '' }, VILLAGER, at(T0, 500))
    // unverified hours earn no hours points; a 3-star rating earns no bonus
    const earned = (await entriesOf(VOL2)).filter((e) => e.orderId === unverified && e.kind === 'earn').map((e) => e.ruleId)
    expect(earned).toEqual(['base'])
  })

  test('deductions: late accept, 退单, 收回, not fixed', async () => {
    // accept limit is 1 working day: accepted two working days later
    const late = await place(T0)
    await ok('order', 'dispatch', { id: late, volunteerId: 'u_vol_04' }, STATION, at(T0, 5))
    await ok('order', 'accept', { id: late }, 'u_vol_04', at(T0, 2 * 24 * 60))
    const handBack = await place(T0)
    await ok('order', 'dispatch', { id: handBack, volunteerId: 'u_vol_04' }, STATION, at(T0, 5))
    await ok('order', 'accept', { id: handBack }, 'u_vol_04', at(T0, 10))
    await ok('order', 'handBack', { id: handBack, reason: '临时有事去不了' }, 'u_vol_04', at(T0, 20))
    const recalled = await place(T0)
    await ok('order', 'dispatch', { id: recalled, volunteerId: 'u_vol_04' }, STATION, at(T0, 5))
    await ok('order', 'accept', { id: recalled }, 'u_vol_04', at(T0, 10))
    await ok('order', 'recall', { id: recalled, reason: '联系不上志愿者' }, STATION, at(T0, 30))
    const notFixed = await served(T0, 30, 'u_vol_04', false)
    await ok('order', 'confirm', { id: notFixed, fixed: false, reason: '灯还是不亮' }, VILLAGER, at(T0, 300))
    const got = (await entriesOf('u_vol_04')).filter((e) => e.kind === 'earn').map((e) => `${e.ruleId}:${e.points}`).sort()
    expect(got).toEqual(['handed_back:-1', 'late_accept:-1', 'not_fixed:-3', 'recalled:-2'].sort())
  })
})

describe('rules, staff entries, caps', () => {
  test('rules: county only; a new version; a stale version or a positive deduction is refused', async () => {
    expect((await fail('points', 'rules', {}, TOWNSHIP)).code).toBe('FORBIDDEN')
    const r = await ok('points', 'rules', {}, COUNTY)
    expect(r.version).toBe(0)
    const bad = structuredClone(r.rules)
    bad.items.find((i: any) => i.id === 'not_fixed').points = 3
    expect((await fail('points', 'saveRules', { rules: bad, version: 0 }, COUNTY)).message).toContain('扣分项')
    const next = structuredClone(r.rules)
    next.items.find((i: any) => i.id === 'rating').monthlyCap = 3
    const saved = await ok('points', 'saveRules', { rules: next, version: 0 }, COUNTY)
    expect(saved.version).toBe(1)
    expect((await fail('points', 'saveRules', { rules: next, version: 0 }, COUNTY)).code).toBe('CONFLICT')
    expect((await rt.db.collection('pointRules').doc(`${r.countyId}:1`).get()).data).toHaveLength(1)
  })

  test('the monthly cap of an item: two approved ratings give 2 + 1 under a cap of 3', async () => {
    const ids = [await served(at(T0, 24 * 60), 30, 'u_vol_05'), await served(at(T0, 25 * 60), 30, 'u_vol_05')]
    for (const id of ids) {
      await ok('order', 'confirm', { id, fixed: true, stars: 4, comment: '' }, VILLAGER, at(T0, 26 * 60))
      await ok('order', 'approve', { kind: 'rating', id }, STATION, at(T0, 27 * 60))
    }
    const ratings = (await entriesOf('u_vol_05')).filter((e) => e.ruleId === 'rating')
    expect(ratings.map((e) => e.points).sort()).toEqual([1, 2])
    expect(ratings.find((e) => e.points === 1)).toMatchObject({ capped: true, ruleVersion: 1 })
  })

  test('finding the volunteer: the start of a name, a plate or a phone, within the subtree', async () => {
    const v = (await rt.db.collection('volunteers').doc(VOL).get()).data[0]
    const find = async (q: string, who = STATION) => ((await ok('volunteer', 'list', { status: 'approved', q }, who)) as any[]).map((x) => x.id)
    expect(await find('刘志')).toContain(VOL)
    expect(await find('志刚')).not.toContain(VOL)
    expect(await find(v.plate.toLowerCase())).toEqual([VOL])
    expect(await find(v.phone)).toEqual([VOL])
    expect(await find('.*')).toEqual([])
    expect(await find('刘志', STATION_XS)).not.toContain(VOL)
  })

  test('staff entries: within the subtree only, idempotent by request', async () => {
    const req = { requestId: 'manual_req_0001', userId: VOL, kind: 'commendation', level: 'county', reason: '获评县级优秀志愿者' }
    expect((await fail('points', 'manual', req, STATION_XS, at(T0, 600))).code).toBe('FORBIDDEN')
    const e1 = await ok('points', 'manual', req, STATION, at(T0, 600))
    const e2 = await ok('points', 'manual', req, STATION, at(T0, 601))
    expect(e1).toMatchObject({ points: 10, title: '获县级表彰', by: '刘站长' })
    expect(e2.id).toBe(e1.id)
    const hours = await ok('points', 'manual', { requestId: 'manual_req_0002', userId: VOL, kind: 'hours', hours: 3, reason: '参加防汛值守' }, STATION, at(T0, 602))
    expect(hours).toMatchObject({ hoursKind: 'manual', hours: 3, points: 0 })
    expect((await fail('points', 'manual', { requestId: 'manual_req_0003', userId: VOL, kind: 'points', points: 0, reason: '测试' }, STATION)).code).toBe('VALIDATION')
    expect((await balanceOf(VOL)).hours).toEqual({ verified: 1.5, unverified: 0, manual: 3 })
  })
})

describe('monthly review: publish → object → resolve → final', () => {
  const DEC1 = new Date('2026-12-01T02:00:00Z')
  test('the whole cycle', async () => {
    const month = { townshipId, month: '2026-11' }
    expect((await fail('points', 'publish', month, TOWNSHIP, at(T0, 1000))).message).toContain('还没有结束')
    expect((await fail('points', 'publish', month, STATION, DEC1)).code).toBe('FORBIDDEN')
    const list = await ok('points', 'review', { ...month }, TOWNSHIP, DEC1)
    expect(list.state).toBe('open')
    expect(list.entries.length).toBeGreaterThan(5)
    const published = await ok('points', 'publish', month, TOWNSHIP, DEC1)
    expect(published.state).toBe('published')
    expect((await fail('points', 'publish', month, TOWNSHIP, DEC1)).code).toBe('CONFLICT')

    const entry = (await ok('points', 'mine', {}, VOL, at(DEC1, 60))).entries.find((e: any) => e.title === '服务时长每小时')
    expect(entry.objectable).toBe(true)
    expect((await fail('points', 'object', { entryId: entry.id, reason: '服务了两个小时' }, VOL2, at(DEC1, 60))).code).toBe('FORBIDDEN')
    const objected = await ok('points', 'object', { entryId: entry.id, reason: '实际服务了两个小时' }, VOL, at(DEC1, 60))
    expect(objected).toMatchObject({ objection: { status: 'open' }, objectable: false })
    expect((await fail('points', 'object', { entryId: entry.id, reason: '再提一次' }, VOL, at(DEC1, 61))).code).toBe('CONFLICT')

    const later = at(DEC1, 6 * 24 * 60)
    expect((await fail('points', 'finalise', month, TOWNSHIP, later)).message).toContain('异议')
    const open = await ok('points', 'review', { ...month, objections: true }, TOWNSHIP, later)
    expect(open.entries.map((e: any) => e.id)).toEqual([entry.id])
    const resolved = await ok('points', 'resolve', { entryId: entry.id, accept: true, points: 1, reason: '核实后按2小时计' }, TOWNSHIP, later)
    expect(resolved.objection).toMatchObject({ status: 'accepted', answer: '核实后按2小时计' })
    expect((await fail('points', 'resolve', { entryId: entry.id, accept: false, reason: '重复处理' }, TOWNSHIP, later)).code).toBe('CONFLICT')
    const correction = (await rt.db.collection('points').doc(`correct:${entry.id}`).get()).data[0]
    expect(correction).toMatchObject({ kind: 'correction', points: 1, month: '2026-11', corrects: entry.id })
    // the original entry is untouched
    expect((await rt.db.collection('points').doc(entry.id).get()).data[0].points).toBe(2)

    // objections after the window are refused; finalise before the window ends is refused
    expect((await fail('points', 'finalise', month, TOWNSHIP, at(DEC1, 60))).message).toContain('期满')
    const final = await ok('points', 'finalise', month, TOWNSHIP, later)
    expect(final.state).toBe('final')
    const other = (await ok('points', 'mine', {}, VOL, later)).entries.find((e: any) => e.kind === 'earn' && !e.objection)
    expect(other.objectable).toBe(false)
    const mine = await ok('points', 'mine', {}, VOL, later)
    // 9 (loop) + 10 (commendation) + 1 (correction): all final now
    expect(mine).toMatchObject({ final: 20, pending: 0 })
    expect(mine.months[0]).toMatchObject({ month: '2026-11', points: 20, state: 'final' })
  })
})

describe('the points store', () => {
  const DEC10 = new Date('2026-12-10T02:00:00Z')
  let itemId: string
  test('an item; redemption with final points; one winner for the last item; retries count once', async () => {
    const county = (await ok('points', 'rules', {}, COUNTY)).countyId
    expect((await fail('store', 'saveItem', { nodeId: county, name: '洗衣液', price: 5, stock: 1, place: '东关村实践站', quarters: ['2026Q4'] }, STATION, DEC10)).code).toBe('FORBIDDEN')
    itemId = (await ok('store', 'saveItem', { nodeId: county, name: '洗衣液', price: 5, stock: 1, place: '东关村实践站', quarters: ['2026Q4'] }, COUNTY, DEC10)).id
    const shop = await ok('store', 'items', {}, VOL, DEC10)
    expect(shop).toMatchObject({ quarter: '2026Q4', available: 20 })
    expect(shop.items.map((i: any) => i.name)).toEqual(['洗衣液'])
    // VOL2's base points of November are final too
    const vol2 = await ok('store', 'items', {}, VOL2, DEC10)
    expect(vol2.available).toBeGreaterThanOrEqual(5)

    const [a, b] = await Promise.all([
      rt.call('store', 'redeem', { itemId, requestId: 'redeem_vol_0001' }, VOL, DEC10),
      rt.call('store', 'redeem', { itemId, requestId: 'redeem_vol2_001' }, VOL2, DEC10),
    ])
    const winners = [a, b].filter((r) => r.ok)
    expect(winners).toHaveLength(1)
    const loser = [a, b].find((r) => !r.ok)
    expect(loser.message).toContain('已兑完')
    const item = (await rt.db.collection('storeItems').doc(itemId).get()).data[0]
    expect(item.stock).toBe(0)
    const winner = a.ok ? VOL : VOL2
    const again = await ok('store', 'redeem', { itemId, requestId: a.ok ? 'redeem_vol_0001' : 'redeem_vol2_001' }, winner, DEC10)
    expect(again.code).toBe(winners[0].data.code)
    expect((await entriesOf(winner)).filter((e) => e.kind === 'redeem')).toHaveLength(1)
    expect((await ok('store', 'items', {}, winner, DEC10)).available).toBe((a.ok ? 20 : vol2.available) - 5)
  })

  test('not enough final points is refused and changes nothing', async () => {
    const county = (await ok('points', 'rules', {}, COUNTY)).countyId
    const big = await ok('store', 'saveItem', { nodeId: county, name: '电饭煲', price: 500, stock: 3, place: '县实践中心', quarters: ['2026Q4'] }, COUNTY, DEC10)
    const before = await balanceOf(VOL)
    expect((await fail('store', 'redeem', { itemId: big.id, requestId: 'redeem_big_0001' }, VOL, DEC10)).message).toContain('可用积分不足')
    expect(await balanceOf(VOL)).toEqual(before)
    expect((await rt.db.collection('storeItems').doc(big.id).get()).data[0].stock).toBe(3)
  })

  test('hand-over by the station with the code, once; the wrong station is refused', async () => {
    const mine = (await ok('store', 'mine', {}, VOL, DEC10)).concat(await ok('store', 'mine', {}, VOL2, DEC10))
    const r = mine.find((x: any) => x.state === 'issued')
    expect(r.qr).toMatch(/^data:image\/png;base64,/)
    expect((await fail('store', 'handover', { code: r.code }, STATION_XS, DEC10)).code).toBe('FORBIDDEN')
    const seen = await ok('store', 'lookup', { code: r.code.toLowerCase() }, STATION, DEC10)
    expect(seen).toMatchObject({ itemName: '洗衣液', state: 'issued' })
    expect(await ok('store', 'handover', { code: r.code }, STATION, DEC10)).toMatchObject({ state: 'collected', collectedBy: '刘站长' })
    expect((await fail('store', 'handover', { code: r.code }, STATION, DEC10)).code).toBe('CONFLICT')
    expect((await fail('store', 'lookup', { code: 'ZZZZ-ZZZZ' }, STATION, DEC10)).code).toBe('NOT_FOUND')
  })

  test('a code not collected by the end of the quarter expires and the points come back', async () => {
    const item = await ok('store', 'saveItem', { id: itemId, nodeId: (await ok('points', 'rules', {}, COUNTY)).countyId, name: '洗衣液', price: 5, stock: 2, place: '东关村实践站', quarters: ['2026Q4'] }, COUNTY, DEC10)
    expect(item.stock).toBe(2)
    // three taps at once with the same request (a double tap and a retry): one redemption, one deduction
    const taps = await Promise.all([0, 1, 2].map(() => rt.call('store', 'redeem', { itemId, requestId: 'redeem_exp_0001' }, VOL, DEC10)))
    expect(taps.every((t) => t.ok)).toBe(true)
    expect(new Set(taps.map((t) => t.data.code)).size).toBe(1)
    const r = taps[0].data
    expect((await entriesOf(VOL)).filter((e) => e._id === `redeem:${VOL}:redeem_exp_0001`)).toHaveLength(1)
    expect((await rt.db.collection('storeItems').doc(itemId).get()).data[0].stock).toBe(1)
    const before = (await ok('store', 'items', {}, VOL, DEC10)).available
    const jan = new Date('2026-12-31T16:00:01Z') // 1 January 2027, 00:00:01 in Shanghai
    const report = (await rt.invoke('clock', {}, null, () => jan)) as any
    expect(report.data.redemptionsExpired).toBe(1)
    const red = (await rt.db.collection('redemptions').where({ code: r.code.replace('-', '') }).get()).data[0]
    expect(red.state).toBe('expired')
    const refunds = (await entriesOf(VOL)).filter((e) => e.kind === 'refund')
    expect(refunds).toHaveLength(1)
    expect(refunds[0].points).toBe(5)
    expect((await rt.db.collection('storeItems').doc(itemId).get()).data[0].stock).toBe(2)
    // the expired code can no longer be handed over; running the sweep again refunds nothing more
    expect((await fail('store', 'handover', { code: r.code }, STATION, jan)).message).toContain('过期')
    await rt.invoke('clock', {}, null, () => jan)
    expect((await entriesOf(VOL)).filter((e) => e.kind === 'refund')).toHaveLength(1)
    expect(before + 5).toBe((await ok('store', 'items', {}, VOL, jan)).available)
  })
})

describe('志愿服务记录证明', () => {
  test('lists the verified service and the labelled manual hours, not unverified ones; numbered and kept', async () => {
    const c = await ok('points', 'certificate', {}, VOL, new Date('2026-12-02T03:00:00Z'))
    expect(c).toMatchObject({ services: 1, hours: 1.5 })
    expect(c.certificateNo).toMatch(/^ZM20261202\d{6}$/)
    const res = await fetch(encodeURI(c.url))
    expect(res.status).toBe(200)
    const text = (await pdfText(Buffer.from(await res.arrayBuffer()))).replace(/[ \t]+/g, ' ')
    const plate = (await rt.db.collection('volunteers').doc(VOL).get()).data[0].plate
    for (const s of ['志愿服务记录证明', '刘志刚', plate, '2026年11月10日', '水电维修', '1.5', '东关村新时代文明实践站', '参加防汛值守', '工作人员补录', c.certificateNo, '出具日期：2026年12月2日', '民政部令第67号']) {
      expect(text).toContain(s)
    }
    expect((await rt.db.collection('certificates').doc(c.certificateNo).get()).data[0]).toMatchObject({ userId: VOL, services: 1, serviceHours: 1.5, manualHours: 3 })
    // VOL2's only completed service was unverified: no service listed
    const c2 = await ok('points', 'certificate', {}, VOL2, new Date('2026-12-02T03:00:00Z'))
    expect(c2).toMatchObject({ services: 0, hours: 0 })
  })
})

describe('rankings', () => {
  test('county month ranking from the rollups: staff see names, the public masked names', async () => {
    const staff = await ok('points', 'ranking', { period: '2026-11' }, COUNTY)
    expect(staff.full).toBe(true)
    expect(staff.rows[0]).toMatchObject({ rank: 1, name: '刘志刚', points: 20 })
    const pub = await ok('points', 'ranking', { period: '2026-11' }, null)
    expect(pub.full).toBe(false)
    expect(pub.rows[0]).toMatchObject({ rank: 1, name: '刘*刚', plate: null, points: 20 })
    const teams = await ok('points', 'ranking', { period: '2026', subject: 'team', nodeId: townshipId }, TOWNSHIP)
    expect(teams.rows[0].name).toBe('东关村网格服务队')
    expect(teams.rows[0].points).toBeGreaterThan(20)
  })
})
