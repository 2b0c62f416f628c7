// 服务清单 in the county's hands, through the local runtime with the real SDK: edits reach the
// landing and the hotline form, reorder, stop keeps old orders readable, emergency services are
// refused, extra fields are checked, only the county administrator edits; and Open311 over HTTP.
import { PRIVACY_VERSION, URGENT_LIMITS } from '../../src/core'
import { startTestRuntime, type TestRuntime } from '../helpers/runtime'

const VILLAGER = 'u_villager_zhang'
const STATION = 'u_station_dg' // 东关村
const TOWNSHIP = 'u_township_dg'
const COUNTY = 'u_county'
const VOL = 'u_vol_02' // 刘志刚

let rt: TestRuntime
beforeAll(async () => {
  rt = await startTestRuntime({ rateLimits: false }) // one demo villager places dozens of orders here
})
afterAll(() => rt.close())

const ok: TestRuntime['ok'] = (...a) => rt.ok(...a)
const fail: TestRuntime['fail'] = (...a) => rt.fail(...a)

let seq = 0
const scan = (serviceId: string, more: Record<string, unknown> = {}) => ({
  requestId: `cat_${Date.now()}_${++seq}`,
  gridCode: 'XF010101',
  serviceId,
  description: '家里的电暖器不热了，麻烦来看看',
  contactPhone: '13800001111',
  contactName: '张大爷',
  privacyVersion: PRIVACY_VERSION,
  ...more,
})
const hotline = (serviceId: string, more: Record<string, unknown> = {}) => ({
  requestId: `cath_${Date.now()}_${++seq}`,
  gridId: 'g_XF010101',
  serviceId,
  description: '电话反映：家里的电暖器不热了',
  callerName: '王奶奶',
  callerPhone: '13900002222',
  ...more,
})
const orderCount = async () => (await rt.db.collection('orders').count()).total
const serviceCount = async () => (await rt.db.collection('services').count()).total

const NEW = {
  name: '煤改电维修',
  category: '生活帮扶',
  description: '电采暖设备坏了，志愿电工上门看看',
  skill: '水电',
  fields: [
    { key: 'device', label: '设备', type: 'select', options: ['电暖器', '空气源热泵'], required: true },
    { key: 'rooms', label: '房间数', type: 'number', required: false },
  ],
}
let newId = ''

describe('the county administrator edits the catalogue', () => {
  test('the editor lists every service with the seed’s emergency services and extra field', async () => {
    const v = await ok('grid', 'services', {}, COUNTY)
    expect(v.countyName).toBe('幸福县')
    expect(v.services).toHaveLength(14)
    expect(v.services.find((s: any) => s.name === '燃气泄漏')).toMatchObject({ active: true, emergency: { number: '119' } })
    expect(v.services.find((s: any) => s.name === '家电维修').fields[0]).toMatchObject({ key: 'appliance', label: '电器类型', type: 'select' })
    expect(v.services.find((s: any) => s.name === '隐患上报').limits).toEqual(URGENT_LIMITS)
    expect(v.services.find((s: any) => s.name === '邻里纠纷调解')).toMatchObject({ sensitive: true, pointsNow: 8 })
  })

  test('a new service with an extra field, its own limits and base points reaches the landing and the hotline form', async () => {
    const before = await ok('grid', 'services', {}, COUNTY)
    const v = await ok('grid', 'saveService', { service: NEW, limits: URGENT_LIMITS, timelinessBase: before.timelinessBase, basePoints: 7, pointsVersion: before.pointsVersion }, COUNTY)
    const added = v.services.find((s: any) => s.name === '煤改电维修')
    expect(added).toMatchObject({ active: true, limits: URGENT_LIMITS, basePoints: 7, pointsNow: 7, skill: '水电' })
    expect(v.services[v.services.length - 1].id).toBe(added.id)
    expect(v.pointsVersion).toBe(before.pointsVersion + 1)
    newId = added.id

    // written through the county's settings, where the clock and the ledger read them
    const tl = (await rt.db.collection('settings').where({ _id: /^timeliness_/ }).get()).data[0]
    expect(tl.settings.services[newId]).toEqual(URGENT_LIMITS)
    const rules = (await ok('points', 'rules', {}, COUNTY)).rules
    expect(rules.items.find((i: any) => i.serviceId === newId)).toMatchObject({ trigger: 'service_fixed', points: 7 })

    // the scan landing (anyone) and the hotline form (station staff) read grid.catalogue
    for (const who of [null, STATION]) {
      const list = await ok('grid', 'catalogue', {}, who)
      expect(list.find((s: any) => s.id === newId)).toEqual({ id: newId, name: '煤改电维修', category: '生活帮扶', description: NEW.description, fields: [NEW.fields[0], { key: 'rooms', label: '房间数', type: 'number', required: false }] })
      expect(list.find((s: any) => s.name === '燃气泄漏').emergency).toMatchObject({ number: '119' })
    }
  })

  test('extra fields are required and checked, on scan and hotline orders, and shown to staff and the volunteer', async () => {
    const n = await orderCount()
    expect((await fail('order', 'place', scan(newId), VILLAGER)).message).toBe('请选择「设备」')
    expect((await fail('order', 'place', scan(newId, { extras: [{ key: 'device', value: '电暖器' }, { key: 'rooms', value: '三间' }] }), VILLAGER)).message).toBe('「房间数」请填写数字')
    expect((await fail('order', 'place', scan(newId, { extras: [{ key: 'device', value: '壁炉' }] }), VILLAGER)).message).toContain('请从给出的选项中选择')
    expect((await fail('order', 'placeHotline', hotline(newId), STATION)).message).toBe('请选择「设备」')
    expect(await orderCount()).toBe(n)

    const placed = await ok('order', 'place', scan(newId, { extras: [{ key: 'rooms', value: '3' }, { key: 'device', value: '空气源热泵' }] }), VILLAGER)
    expect(placed.extras).toEqual([
      { label: '设备', value: '空气源热泵' },
      { label: '房间数', value: '3' },
    ])
    const byPhone = await ok('order', 'placeHotline', hotline(newId, { extras: [{ key: 'device', value: '电暖器' }] }), STATION)
    expect(byPhone.extras).toEqual([{ label: '设备', value: '电暖器' }])

    expect((await ok('order', 'detail', { id: placed.id }, STATION)).extras).toEqual(placed.extras)
    await ok('order', 'dispatch', { id: placed.id, volunteerId: VOL }, STATION)
    expect((await ok('order', 'detail', { id: placed.id }, VOL)).extras).toEqual(placed.extras)
    const tasks = await ok('order', 'tasks', { tab: 'assigned' }, VOL)
    expect(tasks.find((o: any) => o.id === placed.id)?.extras).toEqual(placed.extras)
  })

  test('reorder: the landing lists the catalogue in the new order', async () => {
    const v = await ok('grid', 'services', {}, COUNTY)
    const ids = [newId, ...v.services.map((s: any) => s.id).filter((id: string) => id !== newId)]
    await ok('grid', 'reorderServices', { ids }, COUNTY)
    expect((await ok('grid', 'catalogue', {}, null))[0].id).toBe(newId)
    // a list that is not the whole catalogue (someone added one meanwhile) is refused
    expect((await fail('grid', 'reorderServices', { ids: ids.slice(1) }, COUNTY)).code).toBe('CONFLICT')
    // back where it was
    await ok('grid', 'reorderServices', { ids: v.services.map((s: any) => s.id) }, COUNTY)
    const list = await ok('grid', 'catalogue', {}, null)
    expect(list[0].id).toBe('svc_01')
    expect(list[list.length - 1].id).toBe(newId)
  })

  test('stopping a service takes it off the landing; old orders keep its name; restoring brings it back', async () => {
    const placed = await ok('order', 'place', scan(newId, { extras: [{ key: 'device', value: '电暖器' }] }), VILLAGER)
    const v = await ok('grid', 'setServiceActive', { id: newId, active: false }, COUNTY)
    expect(v.services.find((s: any) => s.id === newId).active).toBe(false)
    expect((await ok('grid', 'catalogue', {}, null)).some((s: any) => s.id === newId)).toBe(false)
    expect((await ok('grid', 'catalogue', {}, STATION)).some((s: any) => s.id === newId)).toBe(false)
    expect((await fail('order', 'place', scan(newId, { extras: [{ key: 'device', value: '电暖器' }] }), VILLAGER)).message).toContain('不存在或已下架')

    const old = await ok('order', 'detail', { id: placed.id }, VILLAGER)
    expect(old).toMatchObject({ serviceName: '煤改电维修', category: '生活帮扶', extras: [{ label: '设备', value: '电暖器' }] })
    expect((await ok('order', 'mine', {}, VILLAGER)).find((o: any) => o.id === placed.id).serviceName).toBe('煤改电维修')

    // a stopped service takes no limits or points until restored; the points rules still save
    const stopped = await fail('grid', 'saveService', { id: newId, service: NEW, basePoints: 9, pointsVersion: v.pointsVersion }, COUNTY)
    expect(stopped.message).toContain('请先恢复')
    const rules = await ok('points', 'rules', {}, COUNTY)
    await ok('points', 'saveRules', { rules: rules.rules, version: rules.version }, COUNTY)

    await ok('grid', 'setServiceActive', { id: newId, active: true }, COUNTY)
    expect((await ok('grid', 'catalogue', {}, null)).some((s: any) => s.id === newId)).toBe(true)
  })

  test('renaming changes the catalogue, never the orders already placed', async () => {
    const placed = await ok('order', 'place', scan(newId, { extras: [{ key: 'device', value: '电暖器' }] }), VILLAGER)
    await ok('grid', 'saveService', { id: newId, service: { ...NEW, name: '电采暖维修' } }, COUNTY)
    expect((await ok('grid', 'catalogue', {}, null)).find((s: any) => s.id === newId).name).toBe('电采暖维修')
    expect((await ok('order', 'detail', { id: placed.id }, VILLAGER)).serviceName).toBe('煤改电维修')
  })
})

describe('emergency services', () => {
  test('cannot be ordered by scan or by hotline: the refusal names the number; nothing is written', async () => {
    const n = await orderCount()
    const s = await fail('order', 'place', scan('svc_13'), VILLAGER)
    expect(s).toMatchObject({ code: 'VALIDATION', message: '「燃气泄漏」不能等待志愿者，请立即拨打 119' })
    const h = await fail('order', 'placeHotline', hotline('svc_14'), STATION)
    expect(h.message).toBe('「急病求助」不能等待志愿者，请立即拨打 120')
    expect(await orderCount()).toBe(n)
  })

  test('a service the county marks as an emergency is refused from then on', async () => {
    await ok('grid', 'saveService', { id: newId, service: { ...NEW, name: '电采暖维修', emergency: { number: '119', note: '电暖器冒烟起火，立即断电并拨打119' } } }, COUNTY)
    const landing = (await ok('grid', 'catalogue', {}, null)).find((s: any) => s.id === newId)
    expect(landing.emergency).toEqual({ number: '119', note: '电暖器冒烟起火，立即断电并拨打119' })
    expect((await fail('order', 'place', scan(newId, { extras: [{ key: 'device', value: '电暖器' }] }), VILLAGER)).message).toBe('「电采暖维修」不能等待志愿者，请立即拨打 119')
    await ok('grid', 'saveService', { id: newId, service: { ...NEW, name: '电采暖维修' } }, COUNTY)
  })
})

describe('who may edit, and what is refused', () => {
  test('township and station staff, volunteers and villagers are refused every editing action', async () => {
    const before = await serviceCount()
    for (const who of [TOWNSHIP, STATION, VOL, VILLAGER]) {
      for (const [action, data] of [
        ['services', {}],
        ['saveService', { service: { name: '越权服务', category: '生活帮扶' } }],
        ['reorderServices', { ids: ['svc_02', 'svc_01'] }],
        ['setServiceActive', { id: 'svc_01', active: false }],
      ] as const) {
        expect((await fail('grid', action, data, who)).code).toBe('FORBIDDEN')
      }
    }
    expect(await serviceCount()).toBe(before)
    expect((await ok('grid', 'catalogue', {}, null))[0]).toMatchObject({ id: 'svc_01' })
  })

  test('bad input and stale versions write nothing', async () => {
    const before = await serviceCount()
    const v = await ok('grid', 'services', {}, COUNTY)
    const bad = await fail('grid', 'saveService', { service: { ...NEW, name: '新服务', fields: [{ key: 'Bad Key', label: '设备', type: 'text' }] } }, COUNTY)
    expect(bad).toMatchObject({ code: 'VALIDATION' })
    expect(bad.message).toContain('字段编号')
    expect((await fail('grid', 'saveService', { service: { ...NEW, name: '家电维修' } }, COUNTY)).message).toContain('已经有名为「家电维修」的服务')
    // someone saved the rules since this edit began: refused before the service is written
    const stale = await fail('grid', 'saveService', { id: 'svc_01', service: { name: '水电维修（改）', category: '生活帮扶' }, basePoints: 6, pointsVersion: v.pointsVersion - 1 }, COUNTY)
    expect(stale.code).toBe('CONFLICT')
    const staleLimits = await fail('grid', 'saveService', { id: 'svc_01', service: { name: '水电维修（改）', category: '生活帮扶' }, limits: URGENT_LIMITS, timelinessBase: 1 }, COUNTY)
    expect(staleLimits.code).toBe('CONFLICT')
    expect((await rt.db.collection('services').doc('svc_01').get()).data[0].name).toBe('水电维修')
    expect(await serviceCount()).toBe(before)
  })
})

describe('Open311 GeoReport v2 over HTTP', () => {
  const get = async (path: string) => {
    const res = await fetch(`${rt.url}/open311/v2/${path}`)
    return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as any }
  }
  let publicId = ''
  let sensitiveId = ''
  let supportId = ''

  beforeAll(async () => {
    sensitiveId = (await ok('order', 'place', scan('svc_05', { description: '隔壁邻居占了我家的地' }), VILLAGER)).id // 邻里纠纷调解
    supportId = (await ok('order', 'place', scan('svc_04', { description: '独居老人需要有人陪护' }), VILLAGER)).id // 助老陪护
    publicId = (await ok('order', 'place', scan('svc_01', { description: '张大爷家水管漏水' }), VILLAGER)).id
  })

  test('services.json: public, orderable services as JSON', async () => {
    const r = await get('services.json')
    expect(r.status).toBe(200)
    expect(r.type).toMatch(/^application\/json/)
    const codes = r.body.map((s: any) => s.service_code)
    expect(codes).toContain('svc_01')
    expect(r.body.find((s: any) => s.service_code === 'svc_01')).toEqual({ service_code: 'svc_01', service_name: '水电维修', description: '', metadata: false, type: 'realtime', keywords: '水电', group: '生活帮扶' })
    for (const hidden of ['svc_04', 'svc_05', 'svc_06', 'svc_13', 'svc_14']) expect(codes).not.toContain(hidden)
    expect(r.body.some((s: any) => s.group === '邻里调解')).toBe(false)
  })

  test('requests.json: newest first, with the grid as the location and nothing personal; sensitive services hidden', async () => {
    const r = await get('requests.json')
    expect(r.status).toBe(200)
    expect(r.type).toMatch(/^application\/json/)
    expect(r.body[0]).toMatchObject({ service_request_id: publicId, status: 'open', service_code: 'svc_01', address_id: 'XF010101', address: '东关镇东关村东关村第一网格' })
    const ids = r.body.map((x: any) => x.service_request_id)
    expect(ids).not.toContain(sensitiveId)
    expect(ids).not.toContain(supportId)
    const times = r.body.map((x: any) => Date.parse(x.requested_datetime))
    expect([...times].sort((a, b) => b - a)).toEqual(times)
    const text = JSON.stringify(r.body)
    for (const personal of ['13800001111', '13900002222', '张大爷', '王奶奶', '刘站长', '刘志刚', VILLAGER, STATION, '水管漏水', '电暖器不热']) expect(text).not.toContain(personal)
    for (const x of r.body) expect(Object.keys(x).sort()).toEqual(['address', 'address_id', 'agency_responsible', 'expected_datetime', 'requested_datetime', 'service_code', 'service_name', 'service_request_id', 'status', 'status_notes', 'updated_datetime'])
  })

  test('filters: service, status, dates, pages', async () => {
    expect((await get('requests.json?service_code=svc_05')).body).toEqual([])
    const one = await get('requests.json?service_code=svc_01&status=open&page_size=1')
    expect(one.body.map((x: any) => x.service_request_id)).toEqual([publicId])
    const second = await get('requests.json?service_code=svc_01&status=open&page_size=1&page=2')
    expect(second.body).toHaveLength(0) // only one svc_01 order here
    expect((await get('requests.json?status=closed')).body.every((x: any) => x.status === 'closed')).toBe(true)
    expect((await get('requests.json?start_date=2001-01-01&end_date=2001-02-01')).body).toEqual([])
  })

  test('one request by id; 404 for unknown and sensitive ids; 400 for bad parameters', async () => {
    const r = await get(`requests/${publicId}.json`)
    expect(r.status).toBe(200)
    expect(r.body).toHaveLength(1)
    expect(r.body[0].service_request_id).toBe(publicId)
    expect((await get(`requests/${sensitiveId}.json`)).status).toBe(404)
    expect((await get('requests/nosuchorder.json')).status).toBe(404)
    expect((await get('nothing.json')).status).toBe(404)
    const bad = await get('requests.json?page_size=500')
    expect(bad.status).toBe(400)
    expect(bad.body[0]).toMatchObject({ code: 400, description: 'page_size must be between 1 and 100' })
    expect((await get('requests.json?status=done')).status).toBe(400)
  })
})
