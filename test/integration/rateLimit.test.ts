import { PRIVACY_VERSION } from '../../src/core'
import { clearCatalogueCache } from '../../cloudfunctions/services/grid'
import { startTestRuntime, type TestRuntime } from '../helpers/runtime'

const ZHANG = 'u_villager_zhang'
const LI = 'u_villager_li'

let rt: TestRuntime
beforeAll(async () => {
  rt = await startTestRuntime()
})
afterAll(() => rt.close())
beforeEach(() => clearCatalogueCache())

let seq = 0
const order = () => ({
  requestId: `req_${Date.now()}_${++seq}`,
  gridCode: 'XF010101',
  serviceId: 'svc_01',
  description: '厨房的灯不亮了，麻烦来看看',
  contactPhone: '13800001111',
  contactName: '张大爷',
  privacyVersion: PRIVACY_VERSION,
})
const ordersOf = async (openId: string) => (await rt.db.collection('orders').where({ villagerId: openId }).count()).total as number
const minutes = (base: Date, m: number) => new Date(base.getTime() + m * 60_000)

describe('rate limits', () => {
  test('a villager placing an 11th order within 10 minutes is refused, nothing is written, others are unaffected, the next window is open', async () => {
    const t0 = new Date('2026-03-02T02:00:00Z') // 10:00 in Shanghai: a window starts
    const before = await ordersOf(ZHANG)
    for (let i = 0; i < 10; i++) await rt.ok('order', 'place', order(), ZHANG, minutes(t0, i % 9))

    const refused = await rt.fail('order', 'place', order(), ZHANG, minutes(t0, 9.5))
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', message: '操作太频繁，请1分钟后再试' })
    expect(await ordersOf(ZHANG)).toBe(before + 10)

    // another villager in the same minutes is not affected
    await rt.ok('order', 'place', order(), LI, minutes(t0, 9.5))

    // the next 10-minute window is allowed again
    await rt.ok('order', 'place', order(), ZHANG, minutes(t0, 10))
    expect(await ordersOf(ZHANG)).toBe(before + 11)
  })

  test('the daily limit holds across windows and says to come back tomorrow', async () => {
    const day = new Date('2026-03-03T00:00:00Z') // 08:00 in Shanghai
    for (let i = 0; i < 30; i++) await rt.ok('order', 'place', order(), LI, minutes(day, Math.floor(i / 10) * 10))
    const before = await ordersOf(LI)
    const refused = await rt.fail('order', 'place', order(), LI, minutes(day, 60))
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', message: '今天的次数已用完，请明天再试' })
    expect(await ordersOf(LI)).toBe(before)
    // the Shanghai day ends at 16:00 UTC
    await rt.ok('order', 'place', order(), LI, new Date('2026-03-03T16:00:00Z'))
  })

  test('plate lookups on the public badge check are limited per caller; signed badge scans are not', async () => {
    const t0 = new Date('2026-03-04T02:00:00Z')
    const plate = (i: number) => `XF01-${String(9000 + i).padStart(4, '0')}`
    for (let i = 0; i < 30; i++) {
      const r = await rt.ok('volunteer', 'verify', { plate: plate(i) }, null, minutes(t0, 1))
      expect(r).toMatchObject({ result: 'invalid' })
    }
    const refused = await rt.fail('volunteer', 'verify', { plate: plate(30) }, null, minutes(t0, 1))
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', message: '操作太频繁，请9分钟后再试' })
    // a signed-in caller has their own counter
    expect(await rt.ok('volunteer', 'verify', { plate: plate(31) }, ZHANG, minutes(t0, 1))).toMatchObject({ result: 'invalid' })
    // a token (signed, cannot be enumerated) is not counted
    expect(await rt.ok('volunteer', 'verify', { token: 'not.a.token' }, null, minutes(t0, 1))).toMatchObject({ result: 'invalid' })
    await rt.ok('volunteer', 'verify', { plate: plate(32) }, null, minutes(t0, 10))
  })

  test('simultaneous orders from one villager never pass the limit', async () => {
    const t0 = new Date('2026-03-05T02:00:00Z')
    const who = 'u_vol_02'
    const before = await ordersOf(who)
    const results = await Promise.all(Array.from({ length: 16 }, () => rt.call('order', 'place', order(), who, minutes(t0, 1))))
    expect(results.filter((r) => r.ok)).toHaveLength(10)
    expect(results.filter((r) => !r.ok).map((r) => r.code)).toEqual(Array(6).fill('RATE_LIMITED'))
    expect(await ordersOf(who)).toBe(before + 10)
  })

  test('the clock sweep deletes expired counters', async () => {
    expect((await rt.db.collection('rateLimits').count()).total).toBeGreaterThan(0)
    await rt.invoke('clock', {}, null, () => new Date('2026-03-07T00:00:00Z'))
    expect((await rt.db.collection('rateLimits').count()).total).toBe(0)
  })
})
