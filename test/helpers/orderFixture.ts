import { PRIVACY_VERSION, type Order, type OrderState } from '../../src/core'

/** 东关村第一网格's scope path (county → township → village → grid). */
const DG_PATH = ['g_XF', 'g_XF01', 'g_XF0101', 'g_XF010101']

/** An order at 东关村第一网格, sent to 东关村网格服务队, with nobody assigned; `patch` adds the rest. */
export function orderAt(status: OrderState, patch: Partial<Order> = {}): Order {
  const at = new Date('2026-11-23T02:00:00Z')
  return {
    _id: 'o1',
    no: '20261123-000001',
    requestId: 'req_00000001',
    status,
    source: 'scan',
    gridId: 'g_XF010101',
    gridCode: 'XF010101',
    gridName: '东关村第一网格',
    villageName: '东关村',
    townshipName: '东关镇',
    scopePath: DG_PATH,
    serviceId: 'svc_01',
    serviceName: '水电维修',
    category: '生活帮扶',
    description: '灯不亮了',
    contactPhone: '13800001111',
    villagerId: 'u_villager',
    history: [],
    team: { id: 'team_dg', name: '东关村网格服务队' },
    createdAt: at,
    updatedAt: at,
    ...patch,
  }
}

let placed = 0
/** What a villager's order form sends (order.place) for 水电维修 at 东关村第一网格, a new request id each time; `patch` changes the rest. */
export const placeInput = (patch: Record<string, unknown> = {}) => ({
  requestId: `req_${Date.now()}_${++placed}`,
  gridCode: 'XF010101',
  serviceId: 'svc_01',
  description: '厨房的灯不亮了，麻烦来看看',
  contactPhone: '13800001111',
  privacyVersion: PRIVACY_VERSION,
  ...patch,
})
