// Open311 mapping: a whitelist of public facts (nothing about people), sensitive and emergency
// services left out, and the query string checked.
import { newOrder, open311RequestsQuery, open311Route, PRIVACY_VERSION, statesFor, toOpen311Request, toOpen311Services, type GridNode, type Order, type Service } from '../../src/core'

const grid: GridNode = {
  _id: 'g_XF010101',
  code: 'XF010101',
  name: '东关村第一网格',
  level: 'grid',
  parentId: 'g_XF0101',
  path: ['g_XF', 'g_XF01', 'g_XF0101', 'g_XF010101'],
  pathNames: ['幸福县', '东关镇', '东关村', '东关村第一网格'],
  active: true,
}
const service: Service = { _id: 'svc_02', name: '家电维修', category: '生活帮扶', skill: '家电', sort: 2, active: true, description: '电视、冰箱' }
const PERSONAL = ['张大爷', '13800001111', 'u_villager_zhang', '冰箱不制冷了，在村东头', '刘志刚', 'u_vol_02', '修好了', 'cloud://photo']

function order(): Order {
  const o = newOrder({
    id: 'a'.repeat(32),
    now: new Date('2026-11-10T02:00:00Z'),
    grid,
    service,
    input: { requestId: 'req_12345678', description: '冰箱不制冷了，在村东头', contactPhone: '13800001111', contactName: '张大爷', privacyVersion: PRIVACY_VERSION },
    by: { openId: 'u_villager_zhang', name: '张大爷', role: 'villager' },
    source: 'scan',
    clock: null,
    extras: [{ key: 'appliance', label: '电器类型', value: '冰箱' }],
  })
  // served: everything a person said or did is on it
  return {
    ...o,
    status: 'fixed',
    assignee: { id: 'u_vol_02', name: '刘志刚', teamId: 'team_dg' },
    completion: { note: '修好了', photos: ['cloud://photo'], at: new Date('2026-11-10T05:00:00Z') },
    rating: { fixed: true, stars: 5, comment: '刘志刚修得好', status: 'approved' },
    history: [...o.history, { at: new Date(), action: 'accept', from: 'dispatched', to: 'accepted', by: 'u_vol_02', byName: '刘志刚', role: 'volunteer' }],
    updatedAt: new Date('2026-11-10T06:00:00Z'),
  }
}

describe('an order as an Open311 request', () => {
  test('says what, where (grid code and place names), when and which office — nothing about people', () => {
    const r = toOpen311Request(order())
    expect(r).toEqual({
      service_request_id: 'a'.repeat(32),
      status: 'closed',
      status_notes: '已解决',
      service_name: '家电维修',
      service_code: 'svc_02',
      agency_responsible: '东关村新时代文明实践站',
      requested_datetime: '2026-11-10T10:00:00+08:00',
      updated_datetime: '2026-11-10T14:00:00+08:00',
      expected_datetime: null,
      address: '东关镇东关村东关村第一网格',
      address_id: 'XF010101',
    })
    const text = JSON.stringify(r)
    for (const p of PERSONAL) expect(text).not.toContain(p)
    expect(Object.keys(r)).not.toEqual(expect.arrayContaining(['description']))
  })

  test('an open order is open; an escalated one is the township office’s', () => {
    const o = { ...order(), status: 'escalated' as const }
    expect(toOpen311Request(o)).toMatchObject({ status: 'open', status_notes: '已上报乡镇', agency_responsible: '东关镇新时代文明实践所' })
  })
})

describe('the services list', () => {
  test('lists active, public, orderable services only', () => {
    const all: Service[] = [
      service,
      { _id: 'svc_05', name: '邻里纠纷调解', category: '邻里调解', sort: 5, active: true, sensitive: true },
      { _id: 'svc_13', name: '燃气泄漏', category: '紧急求助', sort: 13, active: true, emergency: { number: '119', note: '拨打119' } },
      { _id: 'svc_old', name: '旧服务', category: '生活帮扶', sort: 20, active: false },
    ]
    expect(toOpen311Services(all)).toEqual([
      { service_code: 'svc_02', service_name: '家电维修', description: '电视、冰箱', metadata: false, type: 'realtime', keywords: '家电', group: '生活帮扶' },
    ])
  })
})

describe('the query string', () => {
  test('defaults, lists, dates as Shanghai time', () => {
    const q = open311RequestsQuery.parse({ service_code: 'svc_01,svc_02', status: 'open', start_date: '2026-11-01', end_date: '2026-11-30T23:59:59+08:00' })
    expect(q).toMatchObject({ service_code: ['svc_01', 'svc_02'], status: ['open'], page: 1, page_size: 50 })
    expect(q.start_date!.toISOString()).toBe('2026-10-31T16:00:00.000Z')
    expect(q.end_date!.toISOString()).toBe('2026-11-30T15:59:59.000Z')
    expect(statesFor(q.status)).toContain('pending')
    expect(statesFor(['open', 'closed'])).toBeNull()
    expect(statesFor(['closed'])).toContain('fixed')
  })

  test.each([
    [{ status: 'done' }, 'status must be open or closed'],
    [{ page_size: '101' }, 'page_size must be between 1 and 100'],
    [{ page: '0' }, 'page must be between 1 and 100'],
    [{ page: 'x' }, 'page must be a whole number'],
    [{ start_date: 'yesterday' }, 'start_date must be a W3C date-time'],
    [{ start_date: '2026-11-30', end_date: '2026-11-01' }, 'must not be after'],
    [{ start_date: '2026-01-01', end_date: '2026-11-01' }, 'more than 90 days'],
  ])('refuses %o', (query, message) => {
    const r = open311RequestsQuery.safeParse(query)
    expect(r.success).toBe(false)
    expect(r.error?.issues[0].message).toContain(message)
  })

  test('routes', () => {
    expect(open311Route('/open311/v2/services.json')).toEqual({ kind: 'services' })
    expect(open311Route('/open311/v2/requests.json')).toEqual({ kind: 'requests' })
    expect(open311Route('/open311/v2/requests/abc_1.json')).toEqual({ kind: 'request', id: 'abc_1' })
    expect(open311Route('/open311/v2/requests.xml')).toBeNull()
    expect(open311Route('/open311/v2/other.json')).toBeNull()
  })
})
