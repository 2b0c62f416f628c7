// The staff work lists narrowed to one area of the caller's subtree (a dashboard's
// 「查看本网格订单」): exactly that area's orders, and never an area outside the caller's.
import { PRIVACY_VERSION } from '../../src/core'
import { startTestRuntime, type TestRuntime } from '../helpers/runtime'

const VILLAGER = 'u_villager_zhang'
const STATION_DG = 'u_station_dg' // 东关村
const TOWNSHIP_DG = 'u_township_dg' // 东关镇

let rt: TestRuntime
const nodes: Record<string, string> = {}
beforeAll(async () => {
  rt = await startTestRuntime()
  for (const code of ['XF010101', 'XF010102', 'XF0102', 'XF0201', 'XF020101']) {
    const res = await rt.db.collection('grids').where({ code }).limit(1).get()
    nodes[code] = (res.data[0] as { _id: string })._id
  }
})
afterAll(() => rt.close())

let seq = 0
async function place(gridCode: string): Promise<string> {
  const r = await rt.call(
    'order',
    'place',
    { requestId: `area_${Date.now()}_${++seq}`, gridCode, serviceId: 'svc_01', description: '楼道的灯坏了，晚上看不见', contactPhone: '13800001111', privacyVersion: PRIVACY_VERSION },
    VILLAGER,
  )
  if (!r.ok) throw new Error(`place: ${r.message}`)
  return r.data.id
}
const ids = (r: any) => {
  if (!r.ok) throw new Error(`incoming: ${r.code} ${r.message}`)
  return (r.data as { id: string }[]).map((o) => o.id)
}

test('staff list the orders of one grid of their area, and only those', async () => {
  const first = await place('XF010101')
  const second = await place('XF010102')

  // the township drills down to 东关村第一网格: its work list and its plain list
  const work = ids(await rt.call('order', 'incoming', { list: 'open', nodeId: nodes.XF010101 }, TOWNSHIP_DG))
  expect(work).toContain(first)
  expect(work).not.toContain(second)
  const plain = ids(await rt.call('order', 'incoming', { nodeId: nodes.XF010101 }, TOWNSHIP_DG))
  expect(plain).toContain(first)
  expect(plain).not.toContain(second)

  // the village station too, for a grid of its village
  const station = ids(await rt.call('order', 'incoming', { list: 'dispatch', nodeId: nodes.XF010102 }, STATION_DG))
  expect(station).toEqual([second])

  // without a node: the whole subtree, as before
  expect(ids(await rt.call('order', 'incoming', { list: 'open' }, STATION_DG))).toEqual(expect.arrayContaining([first, second]))
})

test('an area outside the caller’s subtree is refused, not listed empty', async () => {
  await place('XF020101')
  // another township's village and grid
  for (const node of [nodes.XF0201, nodes.XF020101]) {
    expect(await rt.call('order', 'incoming', { list: 'open', nodeId: node }, TOWNSHIP_DG)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
  }
  // a neighbouring village of the same township is not the 东关村 station's
  expect(await rt.call('order', 'incoming', { nodeId: nodes.XF0102 }, STATION_DG)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
  // no such node; no node at all
  expect(await rt.call('order', 'incoming', { nodeId: 'no_such_node' }, TOWNSHIP_DG)).toMatchObject({ ok: false, code: 'NOT_FOUND' })
  expect(await rt.call('order', 'incoming', { nodeId: '' }, TOWNSHIP_DG)).toMatchObject({ ok: false, code: 'VALIDATION' })
})
