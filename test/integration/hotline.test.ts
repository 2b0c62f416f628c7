// Hotline orders (电话点单): station staff enter an order for a caller; it follows the normal loop.
import { startTestRuntime, type TestRuntime } from '../helpers/runtime'

const STATION = 'u_station_dg' // 东关村 (g_XF0101)
const STATION_XS = 'u_station_xs' // 西山村 (g_XF0201)
const TOWNSHIP = 'u_township_dg' // 东关镇
const COUNTY = 'u_county'
const VILLAGER = 'u_villager_zhang'

let rt: TestRuntime
beforeAll(async () => {
  rt = await startTestRuntime()
})
afterAll(() => rt.close())

let seq = 0
const input = (over: Record<string, unknown> = {}) => ({
  requestId: `hotline_${Date.now()}_${++seq}`,
  gridId: 'g_XF010101',
  serviceId: 'svc_04',
  description: '老人独居，想请人每周来看看',
  callerName: '王奶奶',
  callerPhone: '13900002222',
  ...over,
})

async function orderCount() {
  return (await rt.db.collection('orders').count()).total
}

test('station staff enter a hotline order: marked hotline, caller recorded, in the incoming list', async () => {
  const r = await rt.call('order', 'placeHotline', input(), STATION)
  expect(r.ok).toBe(true)
  expect(r.data).toMatchObject({ status: 'pending', source: 'hotline', contactName: '王奶奶', contactPhone: '13900002222', gridCode: 'XF010101' })
  expect(r.data.history[0]).toMatchObject({ action: 'place', role: 'station', byName: '刘站长' })

  const stored = (await rt.db.collection('orders').doc(r.data.id).get()).data[0]
  expect(stored).toMatchObject({ villagerId: STATION, enteredBy: STATION, source: 'hotline' })
  expect(stored.privacyVersion).toBeUndefined()

  const incoming = await rt.call('order', 'incoming', {}, STATION)
  expect(incoming.data.find((o: any) => o.id === r.data.id)?.source).toBe('hotline')
  // the township sees it too (its subtree)
  const township = await rt.call('order', 'incoming', {}, TOWNSHIP)
  expect(township.data.some((o: any) => o.id === r.data.id)).toBe(true)
})

test('the same request id retried creates one order', async () => {
  const once = input()
  const before = await orderCount()
  const [a, b] = await Promise.all([rt.call('order', 'placeHotline', once, STATION), rt.call('order', 'placeHotline', once, STATION)])
  expect(a.ok && b.ok).toBe(true)
  expect(a.data.id).toBe(b.data.id)
  expect(await orderCount()).toBe(before + 1)
})

test.each([
  ['a villager', VILLAGER, {}, 'FORBIDDEN'],
  ['station of another village', STATION_XS, {}, 'FORBIDDEN'],
  ['county (dispatch is the station’s job, not order entry)', COUNTY, {}, 'FORBIDDEN'],
  ['a village instead of a grid', STATION, { gridId: 'g_XF0101' }, 'NOT_FOUND'],
  ['a grid that does not exist', STATION, { gridId: 'g_XF019999' }, 'NOT_FOUND'],
  ['a bad phone', STATION, { callerPhone: '12345' }, 'VALIDATION'],
  ['no caller name', STATION, { callerName: ' ' }, 'VALIDATION'],
  ['a too short description', STATION, { description: '灯' }, 'VALIDATION'],
  ['an unknown service', STATION, { serviceId: 'svc_99' }, 'NOT_FOUND'],
])('refused: %s — nothing stored', async (_what, who, over, code) => {
  const before = await orderCount()
  const r = await rt.call('order', 'placeHotline', input(over), who)
  expect(r).toMatchObject({ ok: false, code })
  expect(typeof r.message).toBe('string')
  expect(await orderCount()).toBe(before)
})

test('a hotline order follows the loop: dispatch, accept, complete, and the entering staff confirm after calling back', async () => {
  const placed = await rt.call('order', 'placeHotline', input(), STATION)
  const id = placed.data.id
  expect((await rt.call('order', 'dispatch', { id, volunteerId: 'u_vol_02' }, STATION)).ok).toBe(true)
  expect((await rt.call('order', 'accept', { id }, 'u_vol_02')).ok).toBe(true)
  expect((await rt.call('order', 'complete', { id, note: '已上门看望' }, 'u_vol_02')).ok).toBe(true)
  const confirmed = await rt.call('order', 'confirm', { id, fixed: true, stars: 5, comment: '电话回访：很满意' }, STATION)
  expect(confirmed).toMatchObject({ ok: true, data: { status: 'fixed' } })
})
