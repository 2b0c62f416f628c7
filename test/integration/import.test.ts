// Importing the grid tree from a CSV file (county administrators).
import { startTestRuntime, type TestRuntime } from '../helpers/runtime'
import iconv from 'iconv-lite'

const COUNTY = 'u_county'
const TOWNSHIP = 'u_township_dg'

let rt: TestRuntime
beforeAll(async () => {
  rt = await startTestRuntime()
})
afterAll(() => rt.close())

const all = async () => {
  const out: any[] = []
  for (let skip = 0; ; skip += 1000) {
    const page = (await rt.db.collection('grids').orderBy('_id', 'asc').skip(skip).limit(1000).get()).data as any[]
    out.push(...page)
    if (page.length < 1000) return out
  }
}
const snapshot = async () => JSON.stringify(await all())
const byCode = async (code: string) => (await rt.db.collection('grids').where({ code }).get()).data[0] as any
const importCsv = (csv: string, who = COUNTY, extra: Record<string, unknown> = {}) => rt.call('grid', 'importCsv', { parentId: 'g_XF', csv, ...extra }, who)

// a BOM, full-width brackets in the header, an existing township/village reused, a new township built out
const VALID = [
  '\uFEFF乡镇,村（社区）,网格,微网格,服务热线,网格长',
  '北岭镇,,,,0354-3300000,',
  '北岭镇,北岭村,北岭村第一网格,,13911112222,赵大',
  '北岭镇,北岭村,北岭村第一网格,1号微网格,,',
  '北岭镇,北岭村,北岭村第一网格,2号微网格,,',
  '北岭镇,后沟村,后沟村网格,,,钱二',
  '东关镇,东关村,东关村第三网格,,,孙三',
  '东关镇,东关村,东关村第一网格,东关新微网格,,',
  '',
].join('\r\n')

describe('a valid file', () => {
  test("creates the missing nodes with codes extending their parents; hotline and leader on the row's 网格 (or its last level above the grids)", async () => {
    const r = await importCsv(VALID)
    expect(r.ok).toBe(true)
    // new: 北岭镇, 北岭村, 北岭村第一网格, 2 micro, 后沟村, 后沟村网格, 东关村第三网格, 东关新微网格 = 9
    // existing: 东关镇, 东关村, 东关村第一网格 = 3
    expect(r.data).toMatchObject({ dryRun: false, rows: 7, created: 9, existing: 3, errors: [] })
    expect(r.data.ms).toBeGreaterThanOrEqual(0)

    const township = await byCode('XF03')
    expect(township).toMatchObject({ name: '北岭镇', level: 'township', parentId: 'g_XF', hotline: '0354-3300000', active: true })
    expect(await byCode('XF0301')).toMatchObject({ name: '北岭村', level: 'village', path: ['g_XF', township._id, 'g_XF0301'] })
    expect(await byCode('XF030101')).toMatchObject({ name: '北岭村第一网格', hotline: '13911112222', leaderName: '赵大' })
    expect((await byCode('XF03010102')).pathNames).toEqual(['幸福县', '北岭镇', '北岭村', '北岭村第一网格', '2号微网格'])
    expect(await byCode('XF030201')).toMatchObject({ name: '后沟村网格', leaderName: '钱二' })
    // under existing seeds the next never-used sequence
    expect(await byCode('XF010103')).toMatchObject({ name: '东关村第三网格', leaderName: '孙三', level: 'grid' })
    expect(await byCode('XF01010103')).toMatchObject({ name: '东关新微网格', level: 'micro' })
    // counters advanced on existing parents, set on new ones
    expect((await rt.db.collection('grids').doc('g_XF').get()).data[0].childSeq).toBe(3)
    expect((await rt.db.collection('grids').doc('g_XF0101').get()).data[0].childSeq).toBe(3)
    expect((await byCode('XF030101')).childSeq).toBe(2)
    // existing nodes were reused, not duplicated
    expect((await all()).filter((n) => n.name === '东关村').length).toBe(1)
    // an imported micro-grid inherits its grid's hotline at the scan landing
    expect((await rt.call('grid', 'resolve', { code: 'XF03010101' }, null)).data.hotline).toBe('13911112222')
  })

  test('importing the same file again creates nothing and reports what exists', async () => {
    const before = await snapshot()
    const r = await importCsv(VALID)
    expect(r.data).toMatchObject({ rows: 7, created: 0, existing: 12, errors: [] })
    expect(await snapshot()).toBe(before)
  })

  test('dry run: validates and counts, writes nothing', async () => {
    const before = await snapshot()
    const r = await importCsv('乡镇,村\n南岭镇,南岭村\n东关镇,东关村', COUNTY, { dryRun: true })
    expect(r.data).toMatchObject({ dryRun: true, rows: 2, created: 2, existing: 2, errors: [] })
    expect(await snapshot()).toBe(before)
  })
})

describe('bad files: nothing written, every error listed', () => {
  test('every bad row with its spreadsheet line number', async () => {
    const before = await snapshot()
    const csv = [
      '乡镇,村(社区),网格,微网格,服务热线,网格长', // 1
      '南岭镇,南岭村,南岭村第一网格,,,', // 2 fine
      ',南岭村,南岭村第二网格,,,', // 3 empty township
      '南岭镇,' + '长'.repeat(41) + ',,,,', // 4 name too long
      '南岭镇,南岭村,南岭村第三网格,,12,', // 5 bad hotline
      '南岭镇,南岭村,,孤立微网格,,', // 6 micro without grid
      '南岭镇,南岭村,南岭村第四网格,,13900001111,', // 7
      '南岭镇,南岭村,南岭村第四网格,,13900002222,', // 8 conflicting hotline with 7
      '南岭镇,南岭村,南岭村第一网格,,,', // 9 duplicate of 2
      '', // 10 empty line: skipped
      '南岭镇,"南岭,村",,,,', // 11 comma in a name
      '南岭镇,南岭村,南岭村第五网格,,,' + '名'.repeat(21), // 12 leader name too long
    ].join('\n')
    const r = await importCsv(csv)
    expect(r.ok).toBe(true)
    expect(r.data.created).toBe(0)
    expect(r.data.rows).toBe(10)
    expect(r.data.errors.map((e: any) => e.line)).toEqual([3, 4, 5, 6, 8, 9, 11, 12])
    const reason = (line: number) => r.data.errors.find((e: any) => e.line === line).reason
    expect(reason(3)).toContain('「乡镇」不能为空')
    expect(reason(4)).toContain('40字')
    expect(reason(5)).toContain('热线')
    expect(reason(6)).toContain('缺少「网格」')
    expect(reason(8)).toContain('第7行')
    expect(reason(9)).toBe('与第2行重复')
    expect(reason(11)).toContain('逗号')
    expect(reason(12)).toContain('网格长')
    expect(await snapshot()).toBe(before)
  })

  test('an unknown header asks for the template', async () => {
    const r = await importCsv('镇,村子,格\n南岭镇,南岭村,一格')
    expect(r.data.errors).toEqual([{ line: 1, reason: expect.stringContaining('无法识别表头，请使用模板') }])
    expect(r.data.created).toBe(0)
  })

  test("levels deeper than the county's maxLevel are refused", async () => {
    await rt.db.collection('grids').doc('g_XF').update({ maxLevel: 'grid' })
    try {
      const before = await snapshot()
      const r = await importCsv('乡镇,村,网格,微网格\n南岭镇,南岭村,南岭村第一网格,\n南岭镇,南岭村,南岭村第一网格,1号微网格')
      expect(r.data.errors).toEqual([{ line: 3, reason: expect.stringContaining('最多分到「网格」') }])
      expect(await snapshot()).toBe(before)
    } finally {
      await rt.db.collection('grids').doc('g_XF').update({ maxLevel: rt.db.command.remove() })
    }
  })

  test('the county imports at its root; a township administrator is refused there and below a township', async () => {
    const before = await snapshot()
    expect(await importCsv('乡镇,村\n南岭镇,南岭村', TOWNSHIP)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    const village = await rt.call('grid', 'importCsv', { parentId: 'g_XF0101', csv: '乡镇,村\n东关镇,东关村' }, COUNTY)
    expect(village).toMatchObject({ ok: false, code: 'VALIDATION' })
    expect(await snapshot()).toBe(before)
  })

  test('a township administrator imports under their own township; rows of another township are refused and nothing is written', async () => {
    const atTownship = (csv: string, who = TOWNSHIP, parentId = 'g_XF01') => rt.call('grid', 'importCsv', { parentId, csv }, who)
    const before = await snapshot()
    // another township's node, or a stranger: refused
    expect(await atTownship('乡镇,村\n西山乡,新村', TOWNSHIP, 'g_XF02')).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await atTownship('乡镇,村\n东关镇,新村', 'u_station_dg')).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    // a file with a row of another township: every such row named, nothing written
    const mixed = await atTownship('乡镇,村(社区),网格\n东关镇,河湾村,河湾村网格\n西山乡,西山村,西山村新网格')
    expect(mixed.ok).toBe(true)
    expect(mixed.data).toMatchObject({ created: 0, errors: [{ line: 3, reason: expect.stringContaining('「西山乡」不在「东关镇」') }] })
    expect(await snapshot()).toBe(before)

    const r = await atTownship('乡镇,村(社区),网格,微网格,服务热线,网格长\n东关镇,河湾村,河湾村网格,一组,0354-2200000,周六\n东关镇,东关村,东关村第一网格,,,')
    expect(r).toMatchObject({ ok: true, data: { created: 3, existing: 3, errors: [] } })
    const grid = (await rt.db.collection('grids').where({ name: '河湾村网格' }).get()).data[0] as any
    expect(grid).toMatchObject({ level: 'grid', hotline: '0354-2200000', leaderName: '周六' })
    expect(grid.path.slice(0, 2)).toEqual(['g_XF', 'g_XF01'])
    const micro = (await rt.db.collection('grids').where({ name: '一组', parentId: grid._id }).get()).data[0] as any
    expect(micro.level).toBe('micro')
    expect(micro.leaderName).toBeUndefined()
  })

  test('a batch failing midway removes what the import inserted', async () => {
    // 1 township, 1 village, 6 grids × 99 micro-grids = 602 nodes: two insert batches
    const lines = ['乡镇,村,网格,微网格']
    for (let g = 1; g <= 6; g++) for (let m = 1; m <= 99; m++) lines.push(`回滚镇,回滚村,回滚网格${g},微${m}`)
    // a node planted outside the counters takes a code the second batch will need (XF04 01 06 50)
    await rt.db.collection('grids').add({ _id: 'g_planted', code: 'XF04010650', name: '占位', level: 'micro', parentId: 'g_other', path: ['g_other', 'g_planted'], pathNames: ['别处', '占位'], active: true })
    const before = await snapshot()
    const r = await importCsv(lines.join('\n'))
    expect(r).toMatchObject({ ok: false, code: 'CONFLICT' })
    expect(r.message).toContain('已撤销')
    const after = await all()
    expect(after.filter((n) => n.importId).filter((n) => n.pathNames[1] === '回滚镇')).toEqual([])
    // only the county's counter moved (codes are never reused, so a gap is harmless)
    const strip = (s: string) => (JSON.parse(s) as any[]).map((n) => (n._id === 'g_XF' ? { ...n, childSeq: 0 } : n))
    expect(strip(JSON.stringify(after))).toEqual(strip(before))
    await rt.db.collection('grids').doc('g_planted').remove()
  })
})

describe('file bytes as Excel writes them', () => {
  test('GBK (Excel "CSV" on Chinese Windows) and UTF-8 bytes are both read right', async () => {
    const gbk = iconv.encode('乡镇,村(社区),网格\n北坡镇,北坡村,北坡村第一网格\n', 'gbk')
    expect(gbk.includes(Buffer.from('北坡镇', 'utf8'))).toBe(false) // really not UTF-8
    const r = await rt.call('grid', 'importCsv', { parentId: 'g_XF', csvBase64: gbk.toString('base64') }, COUNTY)
    expect(r).toMatchObject({ ok: true, data: { created: 3, errors: [] } })
    const grid = (await rt.db.collection('grids').where({ name: '北坡村第一网格' }).get()).data[0] as any
    expect(grid.pathNames).toEqual(['幸福县', '北坡镇', '北坡村', '北坡村第一网格'])

    const utf8 = Buffer.from('\uFEFF乡镇,村(社区),网格\n北坡镇,北坡村,北坡村第二网格\n', 'utf8')
    const u = await rt.call('grid', 'importCsv', { parentId: 'g_XF', csvBase64: utf8.toString('base64') }, COUNTY)
    expect(u).toMatchObject({ ok: true, data: { created: 1, existing: 2 } })
  })

  test('text and bytes together, or neither, are refused', async () => {
    expect(await rt.call('grid', 'importCsv', { parentId: 'g_XF' }, COUNTY)).toMatchObject({ ok: false, code: 'VALIDATION' })
    expect(await rt.call('grid', 'importCsv', { parentId: 'g_XF', csv: 'a', csvBase64: 'YQ==' }, COUNTY)).toMatchObject({ ok: false, code: 'VALIDATION' })
  })
})
