import { AppError, assertOrderable, newOrder, PRIVACY_VERSION, requireOrderReader, type Caller, type GridNode, type Service } from '../../src/core'

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
const service: Service = { _id: 'svc_01', name: '水电维修', category: '生活帮扶', sort: 1, active: true }
const input = { requestId: 'req_12345678', gridCode: 'XF010101', serviceId: 'svc_01', description: '厨房灯不亮了', contactPhone: '13800001111', privacyVersion: PRIVACY_VERSION } as const

describe('which grids take orders', () => {
  test('an active basic grid does', () => {
    expect(assertOrderable(grid, 'XF010101')).toBe(grid)
  })
  test('missing, deactivated and non-grid nodes are refused with where to go instead', () => {
    expect(() => assertOrderable(undefined, 'XF999999')).toThrow('没有找到编码为 XF999999 的网格')
    expect(() => assertOrderable({ ...grid, active: false }, 'XF010101')).toThrow('请联系东关村新时代文明实践站')
    expect(() => assertOrderable({ ...grid, level: 'village', name: '东关村' }, 'XF0101')).toThrow('不是网格编码')
  })
})

describe('a new order', () => {
  const now = new Date('2026-11-23T17:30:00Z') // 01:30 on the 24th in Shanghai
  const order = newOrder({ id: 'abcdef0123456789abcdef0123456789', now, grid, service, input, by: { openId: 'u1', name: '张大爷', role: 'villager' }, source: 'scan', clock: null })

  test('knows its grid ancestry, service and first history entry', () => {
    expect(order).toMatchObject({ status: 'pending', scopePath: grid.path, villageName: '东关村', townshipName: '东关镇', serviceName: '水电维修', villagerId: 'u1', privacyVersion: PRIVACY_VERSION })
    expect(order.history).toEqual([{ at: now, action: 'place', from: null, to: 'pending', by: 'u1', byName: '张大爷', role: 'villager' }])
  })
  test('is numbered by its local (Asia/Shanghai) day', () => {
    expect(order.no).toBe('20261124-456789')
  })
  test('volunteers cannot place orders', () => {
    expect(() => newOrder({ id: 'x'.repeat(32), now, grid, service, input, by: { openId: 'v', name: '王', role: 'volunteer' }, source: 'scan', clock: null })).toThrow(AppError)
  })
})

describe('who reads an order', () => {
  const order = { villagerId: 'u1', scopePath: grid.path }
  const caller = (roles: Caller['roles']): (() => Promise<Caller>) => jest.fn(async () => ({ openId: 'x', name: 'x', roles }))

  test('its villager, without loading any roles', async () => {
    const load = caller([])
    await expect(requireOrderReader(order, 'u1', load)).resolves.toBeUndefined()
    expect(load).not.toHaveBeenCalled()
  })
  test('staff of its subtree; not staff elsewhere, nor other villagers', async () => {
    await expect(requireOrderReader(order, 's', caller([{ role: 'township', nodeId: 'g_XF01' }]))).resolves.toBeUndefined()
    await expect(requireOrderReader(order, 's', caller([{ role: 'station', nodeId: 'g_XF0201' }]))).rejects.toThrow('无权')
    await expect(requireOrderReader(order, 'u2', caller([]))).rejects.toThrow('无权')
  })
})
