// The audit trail: role grants, revocations and tree edits each leave one entry with the actor,
// the instant and what changed from what to what; only the county administrator reads it.
import { startTestRuntime, type TestRuntime } from '../helpers/runtime'

const COUNTY = 'u_county' // 周主任, county at 幸福县 g_XF
const TOWNSHIP = 'u_township_dg' // 陈所长, township at 东关镇 g_XF01
const STATION = 'u_station_dg'

let rt: TestRuntime
beforeAll(async () => {
  rt = await startTestRuntime()
})
afterAll(() => rt.close())

/** an instant per step, so entries have distinct times and paging is exact */
let tick = Date.parse('2026-03-02T01:00:00Z')
const next = () => new Date((tick += 60_000))
const entriesFor = (targetId: string) => rt.ok('user', 'audit', { targetId, limit: 50 }, COUNTY)

describe('what is recorded', () => {
  test('a township appoints station staff and the county revokes it: one entry each, with the actor, the time and before/after', async () => {
    const grantAt = next()
    await rt.ok('user', 'grant', { userId: 'u_villager_li', role: 'station', nodeId: 'g_XF0102' }, TOWNSHIP, grantAt)
    // granting again changes nothing and records nothing
    await rt.ok('user', 'grant', { userId: 'u_villager_li', role: 'station', nodeId: 'g_XF0102' }, TOWNSHIP, next())
    const revokeAt = next()
    expect(await rt.ok('user', 'revoke', { userId: 'u_villager_li', role: 'station', nodeId: 'g_XF0102' }, COUNTY, revokeAt)).toEqual({ removed: true })
    await rt.ok('user', 'revoke', { userId: 'u_villager_li', role: 'station', nodeId: 'g_XF0102' }, COUNTY, next())

    const entries = await entriesFor('u_villager_li')
    expect(entries).toHaveLength(2)
    const [revoke, grant] = entries
    expect(grant).toMatchObject({
      action: 'grant',
      at: grantAt.getTime(),
      countyId: 'g_XF',
      by: { openId: TOWNSHIP, name: '陈所长' },
      target: { kind: 'user', id: 'u_villager_li', name: '李奶奶' },
      before: null,
      after: { role: 'station', nodeId: 'g_XF0102' },
    })
    expect(grant.summary).toMatch(/^授予 李奶奶 .+ 村文明实践站 角色$/)
    expect(revoke).toMatchObject({ action: 'revoke', at: revokeAt.getTime(), by: { openId: COUNTY, name: '周主任' }, before: grant.after, after: null })
  })

  test('a rename records the old and the new name only', async () => {
    const before = (await rt.db.collection('grids').doc('g_XF0103').get()).data[0] as any
    await rt.ok('grid', 'update', { id: 'g_XF0103', name: '改名后村', hotline: before.hotline ?? null }, TOWNSHIP, next())
    const [e, ...rest] = await entriesFor('g_XF0103')
    expect(rest).toHaveLength(0)
    expect(e).toMatchObject({
      action: 'updateNode',
      by: { openId: TOWNSHIP },
      target: { kind: 'node', id: 'g_XF0103', name: '改名后村' },
      before: { name: before.name },
      after: { name: '改名后村' },
      summary: `将 ${before.name} 改名为 改名后村`,
    })
    expect(Object.keys(e.after)).toEqual(['name'])
  })

  test('a move records the old and new parent and code, once (a retried move adds nothing)', async () => {
    const moved = await rt.ok('grid', 'move', { id: 'g_XF010202', parentId: 'g_XF0101' }, COUNTY, next())
    await rt.ok('grid', 'move', { id: 'g_XF010202', parentId: 'g_XF0101' }, COUNTY, next())
    const entries = await entriesFor('g_XF010202')
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({
      action: 'moveNode',
      by: { openId: COUNTY },
      before: { parentId: 'g_XF0102', code: 'XF010202' },
      after: { parentId: 'g_XF0101', code: moved.code },
    })
  })

  test('creating and deactivating a node are recorded; a refused edit is not', async () => {
    const created = await rt.ok('grid', 'create', { parentId: 'g_XF0101', name: '审计网格' }, TOWNSHIP, next())
    await rt.ok('grid', 'setActive', { id: created.id, active: false }, TOWNSHIP, next())
    await rt.fail('grid', 'update', { id: 'g_XF0201', name: '越权改名' }, TOWNSHIP, next())
    expect((await entriesFor(created.id)).map((e: any) => e.action)).toEqual(['setActive', 'createNode'])
    expect(await entriesFor('g_XF0201')).toEqual([])
  })

  test('an import is one entry with its counts; a dry run is none', async () => {
    const csv = '乡镇,村\n审计镇,审计一村\n审计镇,审计二村'
    await rt.ok('grid', 'importCsv', { parentId: 'g_XF', csv, dryRun: true }, COUNTY, next())
    const report = await rt.ok('grid', 'importCsv', { parentId: 'g_XF', csv }, COUNTY, next())
    const imports = (await entriesFor('g_XF')).filter((e: any) => e.action === 'importCsv')
    expect(imports).toHaveLength(1)
    expect(imports[0]).toMatchObject({ by: { openId: COUNTY }, before: null, after: { rows: 2, created: report.created, existing: report.existing } })
    expect(report.created).toBe(3)
  })
})

describe('who reads it', () => {
  test.each([
    ['a township administrator', TOWNSHIP],
    ['a station', STATION],
    ['a villager', 'u_villager_zhang'],
  ])('%s cannot read the audit trail', async (_who, openId) => {
    expect((await rt.fail('user', 'audit', { limit: 20 }, openId)).code).toBe('FORBIDDEN')
  })

  test('the county administrator pages through it newest first, without gaps or repeats', async () => {
    const all = await rt.ok('user', 'audit', { limit: 50 }, COUNTY)
    expect(all.length).toBeGreaterThanOrEqual(6)
    const times = all.map((e: any) => e.at)
    expect([...times].sort((a, b) => b - a)).toEqual(times)

    const seen: string[] = []
    let before: number | undefined
    for (;;) {
      const page = await rt.ok('user', 'audit', { limit: 2, ...(before ? { before } : {}) }, COUNTY)
      seen.push(...page.map((e: any) => e.id))
      if (page.length < 2) break
      before = page[page.length - 1].at
    }
    expect(seen).toEqual(all.map((e: any) => e.id))
  })

  test('a cursor beyond any date is refused as a validation error', async () => {
    expect((await rt.fail('user', 'audit', { before: 9e15, limit: 20 }, COUNTY)).code).toBe('VALIDATION')
  })
})
