// The grid tree's administration (create / rename / move / (de)activate), search, tree view,
// code resolution after a move, hotline inheritance, and staff role grants.
import { PRIVACY_VERSION } from '../../src/core'
import { startTestRuntime, type TestRuntime } from '../helpers/runtime'

const STATION = 'u_station_dg' // station at 东关村 g_XF0101
const STATION_XS = 'u_station_xs' // station at 西山村 g_XF0201
const TOWNSHIP = 'u_township_dg' // township at 东关镇 g_XF01
const COUNTY = 'u_county' // county at 幸福县 g_XF
const VILLAGER = 'u_villager_zhang'

let rt: TestRuntime
beforeAll(async () => {
  rt = await startTestRuntime()
})
afterAll(() => rt.close())

const node = async (id: string) => (await rt.db.collection('grids').doc(id).get()).data[0] as any
const all = async () => (await rt.db.collection('grids').limit(1000).get()).data as any[]
/** the whole grids collection, to prove a refusal changed nothing */
const snapshot = async () => JSON.stringify((await all()).sort((a, b) => (a._id < b._id ? -1 : 1)))

describe('create', () => {
  test('a township creates a village: next code of the parent, inherited hotline, counter advanced', async () => {
    const r = await rt.call('grid', 'create', { parentId: 'g_XF01', name: '新建村' }, TOWNSHIP)
    expect(r).toMatchObject({ ok: true, data: { code: 'XF0104', level: 'village', parentId: 'g_XF01', active: true, hotline: null } })
    expect(r.data.effectiveHotline).toBe((await node('g_XF01')).hotline)
    expect(r.data.pathNames).toEqual(['幸福县', '东关镇', '新建村'])
    expect((await node('g_XF01')).childSeq).toBe(4)
    const stored = await node(r.data.id)
    expect(stored.path).toEqual(['g_XF', 'g_XF01', r.data.id])

    const grid = await rt.call('grid', 'create', { parentId: r.data.id, name: '新建村第一网格', hotline: '13800009999', leaderName: '王五' }, TOWNSHIP)
    expect(grid.data).toMatchObject({ code: 'XF010401', level: 'grid', hotline: '13800009999', effectiveHotline: '13800009999', leaderName: '王五' })
  })

  test('parallel creates under one parent get distinct codes', async () => {
    const rs = await Promise.all([1, 2, 3, 4].map((i) => rt.call('grid', 'create', { parentId: 'g_XF0103', name: `并发网格${i}` }, COUNTY)))
    expect(rs.every((r) => r.ok)).toBe(true)
    const codes = rs.map((r) => r.data.code)
    expect(new Set(codes).size).toBe(4)
    expect([...codes].sort()).toEqual(['XF010303', 'XF010304', 'XF010305', 'XF010306'])
  })

  test.each([
    ['a station', STATION, { parentId: 'g_XF0101', name: '站长建的网格' }, 'FORBIDDEN'],
    ['a township outside its subtree', TOWNSHIP, { parentId: 'g_XF02', name: '越界村' }, 'FORBIDDEN'],
    ['a villager', VILLAGER, { parentId: 'g_XF0101', name: '村民建的网格' }, 'FORBIDDEN'],
    ['below micro-grids', COUNTY, { parentId: 'g_XF01010101', name: '更小的格' }, 'VALIDATION'],
    ['a sibling of the same name', COUNTY, { parentId: 'g_XF0101', name: '东关村第一网格' }, 'CONFLICT'],
    ['a bad hotline', COUNTY, { parentId: 'g_XF0101', name: '好网格', hotline: '110abc' }, 'VALIDATION'],
    ['an unknown parent', COUNTY, { parentId: 'g_NOPE', name: '无处安放' }, 'NOT_FOUND'],
  ])('refused: %s — nothing changed', async (_what, who, data, code) => {
    const before = await snapshot()
    const r = await rt.call('grid', 'create', data, who)
    expect(r).toMatchObject({ ok: false, code })
    expect(r.message).toMatch(/[\u4e00-\u9fa5]/)
    expect(await snapshot()).toBe(before)
  })

  test("the county's maxLevel limits the depth", async () => {
    await rt.db.collection('grids').doc('g_XF').update({ maxLevel: 'grid' })
    try {
      const r = await rt.call('grid', 'create', { parentId: 'g_XF020101', name: '微网格X' }, COUNTY)
      expect(r).toMatchObject({ ok: false, code: 'VALIDATION' })
      expect(r.message).toContain('网格')
      const tree = await rt.call('grid', 'tree', { nodeId: 'g_XF02' }, COUNTY)
      expect(tree.data.maxLevel).toBe('grid')
    } finally {
      await rt.db.collection('grids').doc('g_XF').update({ maxLevel: rt.db.command.remove() })
    }
    expect((await rt.call('grid', 'create', { parentId: 'g_XF020101', name: '微网格X' }, COUNTY)).ok).toBe(true)
  })

  test('the county sets its depth in the app; it cannot cut below existing nodes; nobody else may set it', async () => {
    const before = await snapshot()
    // micro-grids exist: the depth cannot stop at grids
    const cut = await rt.call('grid', 'update', { id: 'g_XF', maxLevel: 'grid' }, COUNTY)
    expect(cut).toMatchObject({ ok: false, code: 'VALIDATION' })
    expect(cut.message).toContain('微网格')
    expect(await rt.call('grid', 'update', { id: 'g_XF', maxLevel: 'micro' }, TOWNSHIP)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await rt.call('grid', 'update', { id: 'g_XF01', maxLevel: 'grid' }, COUNTY)).toMatchObject({ ok: false, code: 'VALIDATION' })
    expect(await rt.call('grid', 'update', { id: 'g_XF', maxLevel: 'county' }, COUNTY)).toMatchObject({ ok: false, code: 'VALIDATION' })
    expect(await snapshot()).toBe(before)
  })
})

describe('rename and hotline', () => {
  test('renaming a grid rewrites the pathNames of its subtree', async () => {
    const r = await rt.call('grid', 'update', { id: 'g_XF010201', name: '南街一格' }, TOWNSHIP)
    expect(r).toMatchObject({ ok: true, data: { name: '南街一格', pathNames: ['幸福县', '东关镇', '南街社区', '南街一格'] } })
    expect((await node('g_XF010201')).pathNames[3]).toBe('南街一格')
    expect((await node('g_XF01020101')).pathNames).toEqual(['幸福县', '东关镇', '南街社区', '南街一格', '南街社区第一网格1号微网格'])
    // a sibling elsewhere is untouched
    expect((await node('g_XF01020201')).pathNames[3]).toBe('南街社区第二网格')
  })

  test('the scan landing shows the effective hotline: own, else the nearest ancestor’s', async () => {
    const village = await node('g_XF0201')
    const grid = await node('g_XF020102')
    // a micro-grid has none of its own: the grid's
    expect((await rt.call('grid', 'resolve', { code: 'XF02010201' }, null)).data.hotline).toBe(grid.hotline)
    // the grid's own hotline cleared: the village's is inherited by the grid and its micro-grids
    const cleared = await rt.call('grid', 'update', { id: 'g_XF020102', hotline: null }, COUNTY)
    expect(cleared.data).toMatchObject({ hotline: null, effectiveHotline: village.hotline })
    expect((await node('g_XF020102')).hotline).toBeUndefined()
    expect((await rt.call('grid', 'resolve', { code: 'XF020102' }, null)).data.hotline).toBe(village.hotline)
    expect((await rt.call('grid', 'resolve', { code: 'XF02010201' }, null)).data.hotline).toBe(village.hotline)
    // set again
    await rt.call('grid', 'update', { id: 'g_XF020102', hotline: '13912345678' }, COUNTY)
    expect((await rt.call('grid', 'resolve', { code: 'XF02010201' }, null)).data.hotline).toBe('13912345678')
  })

  test('a station cannot rename; a township cannot rename outside its subtree', async () => {
    const before = await snapshot()
    expect(await rt.call('grid', 'update', { id: 'g_XF010101', name: '改名' }, STATION)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await rt.call('grid', 'update', { id: 'g_XF0201', name: '改名' }, TOWNSHIP)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await snapshot()).toBe(before)
  })
})

describe('deactivate / reactivate', () => {
  test('deactivating cascades; reactivating restores only the node, and only under an active parent', async () => {
    const off = await rt.call('grid', 'setActive', { id: 'g_XF0202', active: false }, COUNTY)
    expect(off).toMatchObject({ ok: true, data: { active: false } })
    const sub = (await all()).filter((n) => n.path.includes('g_XF0202'))
    expect(sub.length).toBe(7)
    expect(sub.every((n) => n.active === false)).toBe(true)
    const inactive = await rt.call('grid', 'resolve', { code: 'XF020201' }, null)
    expect(inactive).toMatchObject({ ok: false, code: 'GRID_INACTIVE' })
    // it says where to go instead: the nearest active station above it and its hotline
    expect(inactive.message).toMatch(/已停用.*请联系西山乡新时代文明实践所，服务热线 0354-\d+/)

    const before = await snapshot()
    const refused = await rt.call('grid', 'setActive', { id: 'g_XF020201', active: true }, COUNTY)
    expect(refused).toMatchObject({ ok: false, code: 'VALIDATION' })
    expect(await snapshot()).toBe(before)

    expect((await rt.call('grid', 'setActive', { id: 'g_XF0202', active: true }, COUNTY)).ok).toBe(true)
    expect((await node('g_XF0202')).active).toBe(true)
    expect((await node('g_XF020201')).active).toBe(false)
    expect((await rt.call('grid', 'setActive', { id: 'g_XF020201', active: true }, COUNTY)).data.active).toBe(true)
    expect((await rt.call('grid', 'resolve', { code: 'XF020201' }, null)).ok).toBe(true)
  })

  test('a deactivated code is never reused', async () => {
    await rt.call('grid', 'setActive', { id: 'g_XF020302', active: false }, COUNTY)
    const r = await rt.call('grid', 'create', { parentId: 'g_XF0203', name: '杏花村第三网格' }, COUNTY)
    expect(r.data.code).toBe('XF020303')
  })

  test('a station cannot deactivate', async () => {
    const before = await snapshot()
    expect(await rt.call('grid', 'setActive', { id: 'g_XF010101', active: false }, STATION)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await snapshot()).toBe(before)
  })
})

describe('move', () => {
  test('a grid moves to another village: new code, subtree recoded, old codes still resolve, old code never reused', async () => {
    const r = await rt.call('grid', 'move', { id: 'g_XF010202', parentId: 'g_XF0101' }, TOWNSHIP)
    expect(r).toMatchObject({ ok: true, data: { id: 'g_XF010202', code: 'XF010103', parentId: 'g_XF0101', formerCodes: ['XF010202'] } })
    expect(r.data.pathNames).toEqual(['幸福县', '东关镇', '东关村', '南街社区第二网格'])
    const micro = await node('g_XF01020201')
    expect(micro).toMatchObject({ code: 'XF01010301', formerCodes: ['XF01020201'], path: ['g_XF', 'g_XF01', 'g_XF0101', 'g_XF010202', 'g_XF01020201'] })
    expect(micro.pathNames.slice(0, 3)).toEqual(['幸福县', '东关镇', '东关村'])

    // the old signboards resolve to the moved grid, now under 东关村
    const old = await rt.call('grid', 'resolve', { code: 'XF010202' }, null)
    expect(old).toMatchObject({ ok: true, data: { id: 'g_XF010202', code: 'XF010103', villageName: '东关村' } })
    expect((await rt.call('grid', 'resolve', { code: 'XF01020201' }, null)).data.code).toBe('XF01010301')
    // ... and an order can still be placed from one
    const placed = await rt.call('order', 'place', { requestId: 'move_old_code_1', gridCode: 'XF010202', serviceId: 'svc_01', description: '旧标识牌扫码报修路灯', contactPhone: '13800001111', privacyVersion: PRIVACY_VERSION }, VILLAGER)
    expect(placed).toMatchObject({ ok: true, data: { gridCode: 'XF010103' } })

    // 南街社区's next grid does not reuse 02
    const created = await rt.call('grid', 'create', { parentId: 'g_XF0102', name: '南街社区新网格' }, TOWNSHIP)
    expect(created.data.code).toBe('XF010203')
    // and the moved grid's children continue its own counter under the new code
    const child = await rt.call('grid', 'create', { parentId: 'g_XF010202', name: '新微网格' }, TOWNSHIP)
    expect(child.data.code).toBe('XF01010303')
  })

  test.each([
    ['under its own descendant', COUNTY, { id: 'g_XF0201', parentId: 'g_XF020101' }, 'VALIDATION'],
    ['under itself', COUNTY, { id: 'g_XF0201', parentId: 'g_XF0201' }, 'VALIDATION'],
    ['to the wrong level (a grid under a township)', COUNTY, { id: 'g_XF020101', parentId: 'g_XF01' }, 'VALIDATION'],
    ['by a township into another township', TOWNSHIP, { id: 'g_XF010101', parentId: 'g_XF0201' }, 'FORBIDDEN'],
    ['by a township out of another township', TOWNSHIP, { id: 'g_XF020101', parentId: 'g_XF0101' }, 'FORBIDDEN'],
    ['by a station', STATION, { id: 'g_XF010101', parentId: 'g_XF0103' }, 'FORBIDDEN'],
    ['a township moving its own township', TOWNSHIP, { id: 'g_XF01', parentId: 'g_XF' }, 'FORBIDDEN'],
  ])('refused: %s — nothing changed', async (_what, who, data, code) => {
    const before = await snapshot()
    const r = await rt.call('grid', 'move', data, who)
    expect(r).toMatchObject({ ok: false, code })
    expect(await snapshot()).toBe(before)
  })

  test('a retried move (answer lost) answers with the node where it is; of two moves at once exactly one wins', async () => {
    const first = await rt.call('grid', 'move', { id: 'g_XF010301', parentId: 'g_XF0101' }, COUNTY)
    expect(first.ok).toBe(true)
    const before = await snapshot()
    const again = await rt.call('grid', 'move', { id: 'g_XF010301', parentId: 'g_XF0101' }, COUNTY)
    expect(again).toMatchObject({ ok: true, data: { id: 'g_XF010301', code: first.data.code, parentId: 'g_XF0101' } })
    expect(await snapshot()).toBe(before)

    const [a, b] = await Promise.all([
      rt.call('grid', 'move', { id: 'g_XF010301', parentId: 'g_XF0102' }, COUNTY),
      rt.call('grid', 'move', { id: 'g_XF010301', parentId: 'g_XF0103' }, COUNTY),
    ])
    const won = [a, b].filter((r) => r.ok)
    expect(won).toHaveLength(1)
    expect([a, b].find((r) => !r.ok)).toMatchObject({ code: 'CONFLICT' })
    const stored = await node('g_XF010301')
    expect(stored.code).toBe(won[0].data.code)
    // every micro-grid below follows the winner's code
    const micros = (await all()).filter((n) => n.parentId === 'g_XF010301')
    expect(micros.length).toBeGreaterThan(0)
    for (const m of micros) expect(m.code.startsWith(stored.code)).toBe(true)
  })
})

test('a retried create with the same requestId returns the node it made; another create of that name is refused', async () => {
  const input = { parentId: 'g_XF0201', name: '重试网格', requestId: 'create_retry_0001' }
  const first = await rt.call('grid', 'create', input, COUNTY)
  expect(first.ok).toBe(true)
  const again = await rt.call('grid', 'create', input, COUNTY)
  expect(again).toMatchObject({ ok: true, data: { id: first.data.id, code: first.data.code } })
  const other = await rt.call('grid', 'create', { ...input, requestId: 'create_retry_0002' }, COUNTY)
  expect(other).toMatchObject({ ok: false, code: 'CONFLICT' })
  expect((await all()).filter((n) => n.name === '重试网格')).toHaveLength(1)
})

test('orders and volunteer registrations of a moved grid follow it to the new village’s station', async () => {
  const placed = await rt.call(
    'order',
    'place',
    { requestId: `move_${Date.now()}`, gridCode: 'XF010302', serviceId: 'svc_01', description: '搬迁前下的单，灯不亮了', contactPhone: '13800001111', privacyVersion: PRIVACY_VERSION },
    VILLAGER,
  )
  expect(placed.ok).toBe(true)
  const inIncoming = async (who: string) => ((await rt.call('order', 'incoming', {}, who)).data ?? []).some((o: any) => o.id === placed.data.id)
  expect(await inIncoming(STATION_XS)).toBe(false)

  const moved = await rt.call('grid', 'move', { id: 'g_XF010302', parentId: 'g_XF0201' }, COUNTY)
  expect(moved.ok).toBe(true)
  const order = (await rt.db.collection('orders').doc(placed.data.id).get()).data[0] as any
  expect(order).toMatchObject({ gridCode: moved.data.code, villageName: '西山村', townshipName: '西山乡' })
  expect(order.scopePath).toEqual(['g_XF', 'g_XF02', 'g_XF0201', 'g_XF010302'])
  expect(await inIncoming(STATION_XS)).toBe(true)
  expect(await inIncoming(TOWNSHIP)).toBe(false)
})

describe('tree and search', () => {
  test('tree: node, ancestors, children by code; canEdit only for county / township', async () => {
    const t = await rt.call('grid', 'tree', { nodeId: 'g_XF0201' }, STATION_XS)
    expect(t.ok).toBe(true)
    expect(t.data.node).toMatchObject({ id: 'g_XF0201', name: '西山村' })
    expect(t.data.ancestors.map((a: any) => a.id)).toEqual(['g_XF', 'g_XF02'])
    const codes = t.data.children.map((c: any) => c.code)
    expect(codes).toEqual([...codes].sort())
    expect(codes.slice(0, 2)).toEqual(['XF020101', 'XF020102'])
    expect(t.data.canEdit).toBe(false)
    expect((await rt.call('grid', 'tree', { nodeId: 'g_XF0201' }, COUNTY)).data.canEdit).toBe(true)
    // children inherit for display
    const micro = await rt.call('grid', 'tree', { nodeId: 'g_XF020101' }, COUNTY)
    expect(micro.data.children[0]).toMatchObject({ hotline: null, effectiveHotline: (await node('g_XF020101')).hotline })
  })

  test('tree: outside the subtree or not staff → FORBIDDEN; no nodeId → own staff nodes', async () => {
    expect(await rt.call('grid', 'tree', { nodeId: 'g_XF0201' }, STATION)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await rt.call('grid', 'tree', { nodeId: 'g_XF0101' }, VILLAGER)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    const mine = await rt.call('grid', 'tree', {}, TOWNSHIP)
    expect(mine.data).toMatchObject({ node: null, canEdit: true })
    expect(mine.data.children.map((c: any) => c.id)).toEqual(['g_XF01'])
  })

  test('search is scoped: 东关村 station does not find 西山村 grids', async () => {
    const none = await rt.call('grid', 'search', { q: '西山' }, STATION)
    expect(none).toEqual({ ok: true, data: [] })
    const xs = await rt.call('grid', 'search', { q: '西山' }, STATION_XS)
    expect(xs.data.length).toBeGreaterThan(0)
    expect(xs.data.every((g: any) => g.code.startsWith('XF0201') && ['grid', 'micro'].includes(g.level) && g.active)).toBe(true)
    expect(xs.data[0]).toMatchObject({ villageName: '西山村', townshipName: '西山乡' })
    const mine = await rt.call('grid', 'search', { q: '网格', limit: 50 }, STATION)
    expect(mine.data.length).toBeGreaterThan(0)
    expect(mine.data.every((g: any) => g.code.startsWith('XF0101'))).toBe(true)
  })

  test('search by code prefix (any case), inactive grids left out, villagers refused', async () => {
    const r = await rt.call('grid', 'search', { q: 'xf0203' }, COUNTY)
    expect(r.data.length).toBeGreaterThan(0)
    expect(r.data.every((g: any) => g.code.startsWith('XF0203'))).toBe(true)
    expect(r.data.some((g: any) => g.code.startsWith('XF020302'))).toBe(false) // deactivated above
    expect(await rt.call('grid', 'search', { q: '网格' }, VILLAGER)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
  })

  test("the tree's search box finds any level by name or code, deactivated nodes too, only in the caller's part", async () => {
    const byName = await rt.ok('grid', 'search', { q: '东关', anyLevel: true, limit: 50 }, COUNTY)
    expect(byName.map((g: any) => [g.name, g.level])).toEqual(expect.arrayContaining([['东关镇', 'township'], ['东关村', 'village']]))
    const byCode = await rt.ok('grid', 'search', { q: 'xf0203', anyLevel: true, limit: 50 }, COUNTY)
    expect(byCode[0]).toMatchObject({ code: 'XF0203', level: 'village' })
    expect(byCode.some((g: any) => g.code.startsWith('XF020302') && g.active === false)).toBe(true)
    // a township administrator searches their township only
    const township = await rt.ok('grid', 'search', { q: '村', anyLevel: true, limit: 50 }, TOWNSHIP)
    expect(township.length).toBeGreaterThan(0)
    expect(township.every((g: any) => g.code.startsWith('XF01'))).toBe(true)
  })
})

describe('names of tree nodes', () => {
  test('a name longer than 40 characters is refused in words, not cut, and nothing is created or renamed', async () => {
    const before = await snapshot()
    const long = '东关村' + '很长的名字'.repeat(8) // 43 characters
    const created = await rt.fail('grid', 'create', { parentId: 'g_XF0101', name: long }, COUNTY)
    expect(created).toMatchObject({ code: 'VALIDATION', message: '名称不能超过40字' })
    const renamed = await rt.fail('grid', 'update', { id: 'g_XF010101', name: long }, COUNTY)
    expect(renamed).toMatchObject({ code: 'VALIDATION', message: '名称不能超过40字' })
    expect(await snapshot()).toBe(before)
    // 40 is fine
    expect((await rt.ok('grid', 'create', { parentId: 'g_XF0101', name: long.slice(0, 40) }, COUNTY)).name).toHaveLength(40)
  })
})

describe('staff roles', () => {
  const roles = async (id: string) => ((await rt.db.collection('users').doc(id).get()).data[0] as any).roles

  test('user.search: county / township only, within their subtree; phones masked', async () => {
    // a villager without roles: found by the exact phone they gave; the township sees the name masked
    const r = await rt.call('user', 'search', { q: '13800002222' }, TOWNSHIP)
    expect(r.data).toEqual([expect.objectContaining({ id: 'u_villager_li', name: '李**', phone: '138****2222' })])
    expect((await rt.call('user', 'search', { q: '李奶奶' }, TOWNSHIP)).data).toEqual([]) // not by name
    // staff of another township's village are not found by a township…
    expect((await rt.call('user', 'search', { q: '赵站长' }, TOWNSHIP)).data).toEqual([])
    expect((await rt.call('user', 'search', { q: '刘站长' }, TOWNSHIP)).data.map((u: any) => u.id)).toEqual(['u_station_dg'])
    const byName = await rt.call('user', 'search', { q: '站长' }, COUNTY)
    expect(byName.data.map((u: any) => u.id).sort()).toEqual(['u_station_dg', 'u_station_xs'])
    expect(await rt.call('user', 'search', { q: '站长' }, STATION)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
  })

  test('a township appoints station staff in its villages (idempotent) and revokes exactly that grant', async () => {
    const g = await rt.call('user', 'grant', { userId: 'u_villager_li', role: 'station', nodeId: 'g_XF0103' }, TOWNSHIP)
    expect(g).toMatchObject({ ok: true, data: { userId: 'u_villager_li', role: 'station', nodeId: 'g_XF0103', nodeName: '柳树村' } })
    await rt.call('user', 'grant', { userId: 'u_villager_li', role: 'station', nodeId: 'g_XF0103' }, TOWNSHIP)
    expect(await roles('u_villager_li')).toEqual([{ role: 'station', nodeId: 'g_XF0103' }])
    // she now reads 柳树村's tree
    expect((await rt.call('grid', 'tree', { nodeId: 'g_XF0103' }, 'u_villager_li')).ok).toBe(true)

    const staff = await rt.call('user', 'staff', { nodeId: 'g_XF01' }, TOWNSHIP)
    expect(staff.data.map((s: any) => `${s.userId}:${s.role}:${s.nodeId}`).sort()).toEqual(
      ['u_station_dg:station:g_XF0101', 'u_township_dg:township:g_XF01', 'u_villager_li:station:g_XF0103'].sort(),
    )
    expect(staff.data.find((s: any) => s.userId === 'u_villager_li').phone).toBe('13800002222')
    // a station sees its own village's staff, phones masked
    const st = await rt.call('user', 'staff', { nodeId: 'g_XF0101' }, STATION)
    expect(st.data).toEqual([expect.objectContaining({ userId: 'u_station_dg', phone: '137****0001' })])
    expect(await rt.call('user', 'staff', { nodeId: 'g_XF02' }, STATION)).toMatchObject({ ok: false, code: 'FORBIDDEN' })

    expect((await rt.call('user', 'revoke', { userId: 'u_villager_li', role: 'station', nodeId: 'g_XF0103' }, TOWNSHIP)).data).toEqual({ removed: true })
    expect(await roles('u_villager_li')).toEqual([])
    expect((await rt.call('user', 'revoke', { userId: 'u_villager_li', role: 'station', nodeId: 'g_XF0103' }, TOWNSHIP)).data).toEqual({ removed: false })
  })

  test.each([
    ['a township appointing a township role', TOWNSHIP, { userId: 'u_villager_li', role: 'township', nodeId: 'g_XF01' }, 'FORBIDDEN'],
    ['a township appointing in another township', TOWNSHIP, { userId: 'u_villager_li', role: 'station', nodeId: 'g_XF0201' }, 'FORBIDDEN'],
    ['a station appointing', STATION, { userId: 'u_villager_li', role: 'station', nodeId: 'g_XF0101' }, 'FORBIDDEN'],
    ['a role at the wrong level', COUNTY, { userId: 'u_villager_li', role: 'station', nodeId: 'g_XF01' }, 'VALIDATION'],
    ['an unknown user', COUNTY, { userId: 'u_nobody', role: 'station', nodeId: 'g_XF0101' }, 'NOT_FOUND'],
  ])('grant refused: %s — nothing changed', async (_what, who, data, code) => {
    const before = JSON.stringify((await rt.db.collection('users').limit(1000).get()).data)
    expect(await rt.call('user', 'grant', data, who)).toMatchObject({ ok: false, code })
    expect(JSON.stringify((await rt.db.collection('users').limit(1000).get()).data)).toBe(before)
  })

  test('the county grants and revokes township roles; nobody revokes their own last county grant', async () => {
    expect((await rt.call('user', 'grant', { userId: 'u_villager_zhang', role: 'township', nodeId: 'g_XF02' }, COUNTY)).ok).toBe(true)
    expect(await roles('u_villager_zhang')).toEqual([{ role: 'township', nodeId: 'g_XF02' }])
    expect((await rt.call('user', 'revoke', { userId: 'u_villager_zhang', role: 'township', nodeId: 'g_XF02' }, COUNTY)).data.removed).toBe(true)
    const self = await rt.call('user', 'revoke', { userId: COUNTY, role: 'county', nodeId: 'g_XF' }, COUNTY)
    expect(self).toMatchObject({ ok: false, code: 'VALIDATION' })
    expect(await roles(COUNTY)).toEqual([{ role: 'county', nodeId: 'g_XF' }])
  })
})
