import { clearCatalogueCache } from '../../cloudfunctions/services/grid'
import { COLLECTIONS } from '../../database/collections'
import { placeInput } from '../helpers/orderFixture'
import { httpCall, startTestRuntime, type TestRuntime } from '../helpers/runtime'

const VILLAGER = 'u_villager_zhang'
const STATION_DG = 'u_station_dg' // 东关村 (XF0101)
const STATION_XS = 'u_station_xs' // 西山村 (XF0201)
const COUNTY = 'u_county'
const JSON_HEADERS = { 'content-type': 'application/json' }

let rt: TestRuntime
beforeAll(async () => {
  rt = await startTestRuntime({ rateLimits: false }) // one demo villager places dozens of orders here
})
afterAll(() => rt.close())
beforeEach(() => clearCatalogueCache())

const order = (patch: Record<string, unknown> = {}) => placeInput({ contactName: '张大爷', ...patch })
const countOrders = async () => (await rt.db.collection('orders').count()).total

describe('grid.resolve (scan landing)', () => {
  test('a signboard code resolves to its grid, village and township', async () => {
    const r = await rt.call('grid', 'resolve', { code: 'xf010101' }, null)
    expect(r.ok).toBe(true)
    expect(r.data).toMatchObject({ code: 'XF010101', name: '东关村第一网格', villageName: '东关村', townshipName: '东关镇', hotline: expect.any(String) })
  })

  test('unknown and malformed codes get a clear Chinese message', async () => {
    const unknown = await rt.call('grid', 'resolve', { code: 'XF990101' }, null)
    expect(unknown).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    expect(unknown.message).toContain('没有找到编码为 XF990101 的网格')
    const bad = await rt.call('grid', 'resolve', { code: '../etc' }, null)
    expect(bad).toMatchObject({ ok: false, code: 'VALIDATION' })
    expect(bad.message).toContain('网格编码格式不正确')
    const village = await rt.call('grid', 'resolve', { code: 'XF0101' }, null)
    expect(village).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    expect(village.message).toContain('不是网格编码')
  })

  test('the catalogue lists active services in order', async () => {
    const r = await rt.call('grid', 'catalogue', {}, null)
    expect(r.ok).toBe(true)
    expect(r.data).toHaveLength(14) // 12 services, 2 emergency ones (phoned, not ordered)
    expect(r.data[0]).toEqual({ id: 'svc_01', name: '水电维修', category: '生活帮扶', description: null })
  })
})

describe('order.place', () => {
  test('places an order that the villager sees in my orders and the village station in incoming', async () => {
    const placed = await rt.call('order', 'place', order(), VILLAGER)
    expect(placed.ok).toBe(true)
    expect(placed.data).toMatchObject({ status: 'pending', source: 'scan', gridCode: 'XF010101', serviceName: '水电维修', villageName: '东关村' })
    expect(placed.data.history).toEqual([expect.objectContaining({ action: 'place', from: null, to: 'pending', role: 'villager' })])

    const mine = await rt.call('order', 'mine', {}, VILLAGER)
    expect(mine.data.map((o: any) => o.id)).toContain(placed.data.id)

    const incoming = await rt.call('order', 'incoming', {}, STATION_DG)
    expect(incoming.ok).toBe(true)
    expect(incoming.data.map((o: any) => o.id)).toContain(placed.data.id)

    const detail = await rt.call('order', 'detail', { id: placed.data.id }, STATION_DG)
    expect(detail.data.contactPhone).toBe('13800001111')

    // grid.resolve now shows it among the orders open at this signboard
    const grid = await rt.call('grid', 'resolve', { code: 'XF010101' }, null)
    expect(grid.data.openOrders.map((o: any) => o.no)).toContain(placed.data.no)
  })

  test('a dispatcher of another village is refused and sees none of it', async () => {
    const placed = await rt.call('order', 'place', order(), VILLAGER)
    const other = await rt.call('order', 'incoming', {}, STATION_XS)
    expect(other.ok).toBe(true)
    expect(other.data.map((o: any) => o.id)).not.toContain(placed.data.id)
    const detail = await rt.call('order', 'detail', { id: placed.data.id }, STATION_XS)
    expect(detail).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    const countyView = await rt.call('order', 'incoming', {}, COUNTY)
    expect(countyView.data.map((o: any) => o.id)).toContain(placed.data.id)
  })

  test('villagers cannot read the incoming list nor other villagers’ orders', async () => {
    const placed = await rt.call('order', 'place', order(), VILLAGER)
    expect(await rt.call('order', 'incoming', {}, VILLAGER)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await rt.call('order', 'detail', { id: placed.data.id }, 'u_villager_li')).toMatchObject({ ok: false, code: 'FORBIDDEN' })
  })

  test.each([
    ['malformed phone', { contactPhone: '110' }, 'VALIDATION', '电话号码格式不正确'],
    ['too short description', { description: '灯' }, 'VALIDATION', '至少用4个字'],
    ['unknown grid', { gridCode: 'XF090909' }, 'NOT_FOUND', '没有找到编码'],
    ['unknown service', { serviceId: 'svc_99' }, 'NOT_FOUND', '服务不存在'],
    ['missing request id', { requestId: undefined }, 'VALIDATION', '请求编号'],
    ['no privacy consent', { privacyVersion: undefined }, 'VALIDATION', '用户隐私保护指引'],
    ['consent to an outdated privacy text', { privacyVersion: '2020-01' }, 'VALIDATION', '用户隐私保护指引'],
  ])('%s gets a clear error and writes nothing', async (_name, patch, code, message) => {
    const before = await countOrders()
    const r = await rt.call('order', 'place', order(patch), VILLAGER)
    expect(r).toMatchObject({ ok: false, code })
    expect(r.message).toContain(message)
    expect(await countOrders()).toBe(before)
  })

  test('an anonymous caller cannot place an order', async () => {
    const before = await countOrders()
    expect(await rt.call('order', 'place', order(), null)).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' })
    expect(await countOrders()).toBe(before)
  })

  test('identity in the event is ignored: the caller is who the platform says', async () => {
    const r = await rt.call('order', 'place', { ...order(), villagerId: 'u_villager_li', openId: 'u_villager_li' }, VILLAGER)
    expect(r.ok).toBe(true)
    const stored = (await rt.db.collection('orders').doc(r.data.id).get()).data[0]
    expect(stored.villagerId).toBe(VILLAGER)
  })

  test('a retried submission (same request id, even concurrently) returns the same order and creates no duplicate', async () => {
    const before = await countOrders()
    const input = order()
    const results = await Promise.all(Array.from({ length: 8 }, () => rt.call('order', 'place', input, VILLAGER)))
    expect(results.every((r) => r.ok)).toBe(true)
    expect(new Set(results.map((r) => r.data.id)).size).toBe(1)
    expect(await countOrders()).toBe(before + 1)
  })

  test('lists page newest first by createdAt', async () => {
    const placed = []
    for (let i = 0; i < 3; i++) {
      placed.push((await rt.call('order', 'place', order(), 'u_villager_pager')).data)
      await new Promise((r) => setTimeout(r, 5)) // distinct createdAt
    }
    const first = await rt.call('order', 'mine', { limit: 2 }, 'u_villager_pager')
    expect(first.data.map((o: any) => o.id)).toEqual([placed[2].id, placed[1].id])
    // the next page starts at the boundary instant (ties are never skipped); the client drops what it has
    const next = await rt.call('order', 'mine', { limit: 2, before: first.data[1].createdAt }, 'u_villager_pager')
    expect(next.data.map((o: any) => o.id)).toEqual([placed[1].id, placed[0].id])
    const bad = await rt.call('order', 'mine', { limit: 500 }, 'u_villager_pager')
    expect(bad).toMatchObject({ ok: false, code: 'VALIDATION' })
  })

  test('unknown actions and malformed events are refused', async () => {
    expect(await rt.call('order', 'dropTables', {}, VILLAGER)).toMatchObject({ ok: false, code: 'UNKNOWN_ACTION' })
    expect(await rt.invoke('order', 'not an event', VILLAGER)).toMatchObject({ ok: false, code: 'VALIDATION' })
    expect(await rt.invoke('nope', { action: 'x' }, VILLAGER)).toMatchObject({ ok: false, code: 'FUNCTION_NOT_FOUND' })
  })
})

describe('over HTTP with the dev sign-in', () => {
  test('POST /fn/<name> answers what callFunction would, as the signed-in user', async () => {
    const users = (await (await fetch(`${rt.url}/dev/users`)).json()) as any
    expect(users.users.map((u: any) => u.id)).toEqual(expect.arrayContaining([VILLAGER, STATION_DG, COUNTY]))
    const login = (await (await fetch(`${rt.url}/dev/login`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ userId: STATION_DG }) })).json()) as any
    const me = await httpCall(rt.url, 'user', { action: 'me', data: {} }, login.token)
    expect(me.status).toBe(200)
    expect(me.body.result).toMatchObject({ ok: true, data: { openId: STATION_DG, roles: [{ role: 'station', nodeName: '东关村' }] } })
    expect(typeof me.body.requestId).toBe('string')
    const anon = await httpCall(rt.url, 'order', { action: 'mine', data: {} })
    expect(anon.body.result).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' })
    const forged = await httpCall(rt.url, 'order', { action: 'mine', data: {} }, 'forged-token')
    expect(forged.body.result).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' })
  })

  test('the dev sign-in refuses unknown accounts', async () => {
    const res = await fetch(`${rt.url}/dev/login`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ userId: 'u_v00001' }) })
    expect(res.status).toBe(404)
  })

  test('POSTs that are not JSON (what another web page could send cross-site) are refused and change nothing', async () => {
    const before = await countOrders()
    const insert = JSON.stringify({ action: 'database.insertDocument', collectionName: 'orders', data: ['{"_id":"csrf"}'] })
    const res = await fetch(`${rt.url}/tcb?env=local`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: insert })
    expect(res.status).toBe(415)
    const login = await fetch(`${rt.url}/dev/login`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ userId: COUNTY }) })
    expect(login.status).toBe(415)
    expect(await countOrders()).toBe(before)
  })

  test('the static server never serves files outside the H5 folder', async () => {
    const res = await fetch(`${rt.url}/..%2F..%2Fpackage.json`)
    expect(await res.text()).not.toContain('"dependencies"')
  })
})

describe('names and refusals the villager and the station see', () => {
  test("the 点单 step names the villager (their registered name when they left none), never 村民 nor a phone", async () => {
    const unnamed = await rt.ok('order', 'place', order({ contactName: undefined }), VILLAGER)
    const asStation = await rt.ok('order', 'detail', { id: unnamed.id }, STATION_DG)
    expect(asStation.history[0]).toMatchObject({ action: 'place', role: 'villager', byName: '张大爷' })
    // the villager's own screen shows their own name too
    expect((await rt.ok('order', 'detail', { id: unnamed.id }, VILLAGER)).history[0].byName).toBe('张大爷')

    // someone the app knows no name of (no users document): the contact name they gave names their steps, the later ones too
    const stranger = 'u_walkin_villager'
    const named = await rt.ok('order', 'place', order({ contactName: '孙大娘', contactPhone: '13800007777' }), stranger)
    await rt.ok('order', 'cancel', { id: named.id, reason: '已经修好了' }, stranger)
    const steps = (await rt.ok('order', 'detail', { id: named.id }, STATION_DG)).history
    expect(steps.map((h: any) => [h.action, h.byName])).toEqual([
      ['place', '孙大娘'],
      ['cancel', '孙大娘'],
    ])
    for (const h of [...steps, asStation.history[0]]) expect(h.byName).not.toMatch(/\d{4}/)
  })

  test('ordering at a deactivated grid says it is out of service and where to call, not that the network failed', async () => {
    await rt.db.collection('grids').doc('g_XF020301').update({ active: false })
    try {
      const before = await countOrders()
      const r = await rt.fail('order', 'place', order({ gridCode: 'XF020301' }), VILLAGER)
      expect(r.code).toBe('GRID_INACTIVE')
      expect(r.message).toMatch(/网格「.+」已停用，不再接单。请联系.+新时代文明实践站，服务热线 [\d-]+/)
      expect(await countOrders()).toBe(before)
    } finally {
      await rt.db.collection('grids').doc('g_XF020301').update({ active: true })
    }
  })
})

describe('the station list 全部', () => {
  test('lists orders in every state, finished ones too, newest first, paged without repeats', async () => {
    const open = await rt.ok('order', 'place', order(), VILLAGER)
    const cancelled = await rt.ok('order', 'place', order(), VILLAGER)
    await rt.ok('order', 'cancel', { id: cancelled.id, reason: '不需要了' }, VILLAGER)
    const rejected = await rt.ok('order', 'place', order(), VILLAGER)
    await rt.ok('order', 'reject', { id: rejected.id, reason: '请到乡镇便民服务中心办理' }, STATION_DG)

    // page through all of it, two at a time
    const seen: any[] = []
    let after: string | undefined
    for (let page = 0; page < 100; page++) {
      const list = await rt.ok('order', 'incoming', { list: 'all', limit: 2, ...(after ? { after } : {}) }, STATION_DG)
      seen.push(...list)
      if (list.length < 2) break
      after = list[list.length - 1].cursor
    }
    const ids = seen.map((o) => o.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toEqual(expect.arrayContaining([open.id, cancelled.id, rejected.id]))
    expect(seen.map((o) => o.createdAt)).toEqual([...seen.map((o) => o.createdAt)].sort((a, b) => b - a))
    expect([...new Set(seen.map((o) => o.status))]).toEqual(expect.arrayContaining(['pending', 'cancelled', 'rejected']))
    // the same orders as a recount of the village's orders, nothing of another village
    const recount = (await rt.db.collection('orders').where({ scopePath: 'g_XF0101' }).limit(1000).get()).data.map((o: any) => o._id)
    expect([...ids].sort()).toEqual([...recount].sort())

    // 全部在办 still lists only the open ones
    const inProgress = await rt.ok('order', 'incoming', { list: 'open', limit: 50 }, STATION_DG)
    expect(inProgress.map((o: any) => o.id)).toContain(open.id)
    expect(inProgress.map((o: any) => o.id)).not.toContain(cancelled.id)
  })

  test('is read through an index (area, then creation time), not a scan of every order', () => {
    const orders = COLLECTIONS.find((c) => c.name === 'orders')!
    expect(orders.indexes.some((ix) => ix.keys[0]?.field === 'scopePath' && ix.keys[1]?.field === 'createdAt' && ix.keys.length === 2)).toBe(true)
  })
})
