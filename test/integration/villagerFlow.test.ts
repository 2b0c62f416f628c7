import { SERVICE_TROUBLE } from '../../src/core'
import { toFailure } from '../../cloudfunctions/shared/handler'
import { FAKE_PHONE_CODE } from '../../cloudfunctions/shared/wechat'
import { placeInput } from '../helpers/orderFixture'
import { startTestRuntime, type TestRuntime } from '../helpers/runtime'

// What the villager's short path rests on: the phone the account already has (user.me), the
// phone WeChat vouches for (user.wxPhone, the local fake), the landing's open orders that open
// (the viewer's own only), and a server failure told as the service's, not the network's.

const ZHANG = 'u_villager_zhang' // has a user record with phone 13800001111
const STATION_DG = 'u_station_dg' // 东关村's station

let rt: TestRuntime
beforeAll(async () => {
  rt = await startTestRuntime({ rateLimits: false })
})
afterAll(() => rt.close())

let seq = 0
const order = (patch: Record<string, unknown> = {}) => placeInput({ description: '院子里的水管冻裂了', ...patch })

describe('user.me: the phone the order form starts with', () => {
  test('a newcomer without a user record or an order has none; after ordering, the phone they gave', async () => {
    const me = await rt.ok('user', 'me', {}, 'o_newcomer_1')
    expect(me.phone).toBeNull()
    await rt.ok('order', 'place', order({ contactPhone: '13912345678' }), 'o_newcomer_1')
    expect((await rt.ok('user', 'me', {}, 'o_newcomer_1')).phone).toBe('13912345678')
  })

  test('the user record’s phone before any order; then the one given on the latest order', async () => {
    expect((await rt.ok('user', 'me', {}, ZHANG)).phone).toBe('13800001111')
    await rt.ok('order', 'place', order({ contactPhone: '13700007777' }), ZHANG, new Date(Date.now() - 60_000))
    await rt.ok('order', 'place', order({ contactPhone: '13600006666' }), ZHANG)
    expect((await rt.ok('user', 'me', {}, ZHANG)).phone).toBe('13600006666')
  })

  test('a caller’s number a station typed for a hotline order is never the station’s own prefill', async () => {
    const before = (await rt.ok('user', 'me', {}, STATION_DG)).phone
    const grid = (await rt.db.collection('grids').where({ code: 'XF010101' }).get()).data[0] as { _id: string }
    await rt.ok('order', 'placeHotline', { requestId: `vf_hotline_${Date.now()}_${++seq}`, gridId: grid._id, serviceId: 'svc_01', description: '电话里说家门口路灯坏了', callerPhone: '13511112222', callerName: '王大妈' }, STATION_DG)
    expect((await rt.ok('user', 'me', {}, STATION_DG)).phone).toBe(before)
  })
})

describe('user.wxPhone: the phone-number button’s code (local fake port)', () => {
  test('a code WeChat would vouch for gives its number; a made-up one is refused with a plain message', async () => {
    expect(await rt.ok('user', 'wxPhone', { code: `${FAKE_PHONE_CODE}13812340000` }, ZHANG)).toEqual({ phone: '13812340000' })
    const bad = await rt.fail('user', 'wxPhone', { code: 'not-a-real-code' }, ZHANG)
    expect(bad).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('请直接填写') })
  })

  test('nobody signed in gets nothing', async () => {
    expect((await rt.fail('user', 'wxPhone', { code: `${FAKE_PHONE_CODE}13812340000` }, null)).code).toBe('UNAUTHENTICATED')
  })
})

describe('grid.resolve: open orders on the landing', () => {
  test('the viewer’s own open orders carry their id; a neighbour and a passer-by see the same list without ids', async () => {
    const mine = await rt.ok('order', 'place', order({ description: '我家的电表箱门掉了' }), 'o_neighbour_a')
    const asOwner = await rt.ok('grid', 'resolve', { code: 'XF010101' }, 'o_neighbour_a')
    const own = asOwner.openOrders.find((o: { no: string }) => o.no === mine.no)
    expect(own.id).toBe(mine.id)
    expect(asOwner.openOrders.filter((o: { id?: string }) => o.id).every((o: { id: string }) => o.id === mine.id)).toBe(true)
    for (const viewer of ['o_neighbour_b', null]) {
      const seen = await rt.ok('grid', 'resolve', { code: 'XF010101' }, viewer)
      expect(seen.openOrders.map((o: { no: string }) => o.no)).toEqual(asOwner.openOrders.map((o: { no: string }) => o.no))
      expect(seen.openOrders.some((o: { id?: string }) => 'id' in o)).toBe(false)
    }
  })
})

test('an unexpected server error is told as the service’s problem, not the network’s', () => {
  jest.spyOn(console, 'error').mockImplementation(() => {})
  expect(toFailure(new Error('db exploded'))).toEqual({ ok: false, code: 'INTERNAL', message: SERVICE_TROUBLE })
})
