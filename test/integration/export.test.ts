// Exports through the local runtime with the real SDK and storage: a scope's export holds exactly
// the scope's rows (compared with a direct query), filters apply, only the owner steps a job, a
// step repeated after a crash adds no row twice, the files open (CSV with its BOM; XLSX read back
// with exceljs), formula cells are neutralised, and the sweep finishes a job whose page was left.
import ExcelJS from 'exceljs'
import { parse } from 'csv-parse/sync'
import { PRIVACY_VERSION, type ExportJobView, type GridNode, type Order } from '../../src/core'
import { run as exportRun } from '../../cloudfunctions/export'
import { cloudFiles, type FilesPort } from '../../cloudfunctions/shared/files'
import { startTestRuntime, type TestRuntime } from '../helpers/runtime'

// exports of thousands of rows, and the clock sweep (which also folds the new orders into the dashboards' rollups)
jest.setTimeout(120_000)

const VILLAGER = 'u_villager_zhang'
const STATION = 'u_station_dg' // 东关村
const STATION_XS = 'u_station_xs' // 西山村
const TOWNSHIP = 'u_township_dg' // 东关镇
const COUNTY = 'u_county'
const VOL = 'u_vol_02'

let rt: TestRuntime
let grids: GridNode[]
let dongguan: GridNode // 东关村
let township: GridNode // 东关镇
/** orders placed through the app, with text a spreadsheet would run */
const INJECTION = '=HYPERLINK("http://example.com","点我")需要修水管'
const SYNTHETIC = 6000

beforeAll(async () => {
  rt = await startTestRuntime()
  grids = (await rt.db.collection('grids').where({ level: 'grid' }).limit(100).get()).data as GridNode[]
  dongguan = (await rt.db.collection('grids').where({ code: 'XF0101' }).get()).data[0] as GridNode
  township = (await rt.db.collection('grids').where({ code: 'XF01' }).get()).data[0] as GridNode
  // a few real orders (scan and hotline), one with a formula in its description
  const T = new Date('2026-11-10T02:00:00Z')
  await ok('order', 'place', { requestId: 'exp_real_1', gridCode: 'XF010101', serviceId: 'svc_01', description: INJECTION, contactPhone: '13800001111', contactName: '张大爷', privacyVersion: PRIVACY_VERSION }, VILLAGER, T)
  await ok('order', 'place', { requestId: 'exp_real_2', gridCode: 'XF020101', serviceId: 'svc_02', description: '+86 打电话没人接，请上门看看', contactPhone: '13800002222', privacyVersion: PRIVACY_VERSION }, 'u_villager_li', T)
  const hotlineGrid = grids.find((g) => g.code === 'XF010102')!
  await ok('order', 'placeHotline', { requestId: 'exp_real_3', gridId: hotlineGrid._id, serviceId: 'svc_04', description: '电话点单：帮忙取药', callerName: '王奶奶', callerPhone: '13900003333' }, STATION, T)
  // many historical orders across the county, straight into the store (same shape as placed ones);
  // orders come in pairs with the same createdAt to the millisecond, so paging must break ties by _id
  const template = (await rt.db.collection('orders').where({ requestId: 'exp_real_1' }).get()).data[0] as Order
  const statuses = ['fixed', 'fixed', 'fixed', 'closed', 'rejected', 'referred', 'cancelled', 'unconfirmed'] as const
  const categories = ['生活服务', '矛盾调解', '关爱帮扶']
  const docs = Array.from({ length: SYNTHETIC }, (_x, i) => {
    const g = grids[i % grids.length]
    const createdAt = new Date(Date.UTC(2026, 8, 1) + Math.floor(i / 2) * 20 * 60_000)
    return {
      ...template,
      _id: `syn${String(i).padStart(5, '0')}`,
      no: `S${String(i).padStart(5, '0')}`,
      requestId: `syn${i}`,
      status: statuses[i % statuses.length],
      source: i % 3 === 0 ? 'hotline' : 'scan',
      category: categories[i % categories.length],
      gridId: g._id,
      gridCode: g.code,
      gridName: g.name,
      villageName: g.pathNames[2],
      townshipName: g.pathNames[1],
      scopePath: g.path,
      description: i % 500 === 0 ? `-${i} 号诉求` : `历史诉求 ${i}`,
      contactPhone: `135${String(10_000_000 + i).slice(-8)}`,
      history: [{ ...template.history[0], at: createdAt }],
      clock: null,
      createdAt,
      updatedAt: createdAt,
    }
  })
  for (let i = 0; i < docs.length; i += 2000) await rt.emulator.insertMany('orders', docs.slice(i, i + 2000) as never)
}, 120_000)
afterAll(() => rt.close())

const ok: TestRuntime['ok'] = (...a) => rt.ok(...a)
const fail: TestRuntime['fail'] = (...a) => rt.fail(...a)

let seq = 0
const rid = () => `exptest_${++seq}_${Date.now().toString(36)}`

/** Step until the job ends, as the page does; returns the final view and how many steps it took. */
async function runToEnd(jobId: string, who: string, step: (jobId: string) => Promise<ExportJobView> = (id) => ok('export', 'step', { jobId: id }, who)) {
  let steps = 0
  for (;;) {
    const v = await step(jobId)
    steps++
    if (v.state === 'done' || v.state === 'failed') return { view: v, steps }
    if (steps > 200) throw new Error('export did not finish')
  }
}

async function download(v: ExportJobView): Promise<Buffer> {
  expect(v.state).toBe('done')
  expect(v.url).toMatch(/^http/)
  const res = await fetch(v.url!)
  expect(res.status).toBe(200)
  return Buffer.from(await res.arrayBuffer())
}

/** A CSV export's records: it must start with the BOM; the first record is the header. */
function csvRecords(buf: Buffer): string[][] {
  expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
  return parse(buf.subarray(3)) as string[][]
}

async function xlsxRecords(buf: Buffer): Promise<(string | number | null)[][]> {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(buf as never)
  const ws = wb.worksheets[0]
  const out: (string | number | null)[][] = []
  ws.eachRow({ includeEmpty: false }, (row) => {
    const values = (row.values as unknown[]).slice(1)
    out.push(values.map((v) => (v === undefined ? null : (v as string | number | null))))
  })
  return out
}

/** Every order whose scope path holds `nodeId`, straight from the database. */
async function ordersUnder(nodeId: string, where: Record<string, unknown> = {}): Promise<Order[]> {
  const out: Order[] = []
  for (let skip = 0; ; skip += 1000) {
    const page = (await rt.db.collection('orders').where({ scopePath: nodeId, ...where }).orderBy('_id', 'asc').skip(skip).limit(1000).get()).data as Order[]
    out.push(...page)
    if (page.length < 1000) return out
  }
}

const column = (records: (string | number | null)[][], header: string) => {
  const i = records[0].indexOf(header)
  if (i < 0) throw new Error(`no column ${header}`)
  return records.slice(1).map((r) => r[i])
}
const sorted = (xs: unknown[]) => xs.map(String).sort()

describe('a scope exports exactly its own rows', () => {
  test('a township (CSV, with its BOM) and a village (Excel) hold exactly their orders', async () => {
    const t = await ok('export', 'start', { requestId: rid(), kind: 'orders', format: 'csv' }, TOWNSHIP)
    expect(t).toMatchObject({ state: 'running', nodeName: '东关镇', rows: 0 })
    const expectedT = await ordersUnder(township._id)
    expect(t.total).toBe(expectedT.length)
    const { view, steps } = await runToEnd(t.id, TOWNSHIP)
    expect(steps).toBeGreaterThanOrEqual(2) // rows, then the file
    expect(view).toMatchObject({ state: 'done', rows: expectedT.length, percent: 100 })
    expect(view.fileName).toMatch(/^诉求订单_东关镇_\d{8}-\d{4}\.csv$/)
    const records = csvRecords(await download(view))
    expect(records[0][0]).toBe('订单编号')
    expect(records).toHaveLength(expectedT.length + 1)
    expect(sorted(column(records, '订单编号'))).toEqual(sorted(expectedT.map((o) => o.no)))
    expect(new Set(column(records, '乡镇'))).toEqual(new Set(['东关镇']))

    const v = await ok('export', 'start', { requestId: rid(), kind: 'orders', format: 'xlsx' }, STATION)
    expect(v.nodeName).toBe('东关村')
    const expectedV = await ordersUnder(dongguan._id)
    const done = (await runToEnd(v.id, STATION)).view
    const rows = await xlsxRecords(await download(done))
    expect(rows[0]).toEqual(expect.arrayContaining(['订单编号', '状态', '联系电话', '下单时间']))
    expect(rows).toHaveLength(expectedV.length + 1)
    expect(sorted(column(rows, '订单编号'))).toEqual(sorted(expectedV.map((o) => o.no)))
    expect(new Set(column(rows, '村（社区）'))).toEqual(new Set(['东关村']))
  })

  test('the county exports all orders over several steps, oldest first within each village', async () => {
    const all = (await rt.db.collection('orders').count()).total as number
    const job = await ok('export', 'start', { requestId: rid(), kind: 'orders', format: 'csv' }, COUNTY)
    expect(job.total).toBe(all)
    const { view, steps } = await runToEnd(job.id, COUNTY)
    expect(steps).toBeGreaterThanOrEqual(3) // 6,000+ rows: two steps of rows, then the file
    const records = csvRecords(await download(view))
    expect(records.length - 1).toBe(all)
    const nos = column(records, '订单编号')
    expect(new Set(nos).size).toBe(all)
    // within one village the rows run by the time placed
    const village = column(records, '村（社区）')
    const placed = column(records, '下单时间')
    for (let i = 1; i < nos.length; i++) if (village[i] === village[i - 1]) expect(String(placed[i]) >= String(placed[i - 1])).toBe(true)
  })

  test('filters apply: period, status, source and category, and a node below the caller', async () => {
    const filters = { from: '2026-09-05', to: '2026-09-20', status: 'fixed', source: 'hotline', category: '生活服务', nodeId: dongguan._id }
    const job = await ok('export', 'start', { requestId: rid(), kind: 'orders', format: 'csv', filters }, COUNTY)
    expect(job.filters).toContain('已解决')
    const start = new Date('2026-09-04T16:00:00Z').getTime()
    const end = new Date('2026-09-20T16:00:00Z').getTime()
    const expected = (await ordersUnder(dongguan._id, { status: 'fixed', source: 'hotline', category: '生活服务' })).filter(
      (o) => new Date(o.createdAt).getTime() >= start && new Date(o.createdAt).getTime() < end,
    )
    expect(expected.length).toBeGreaterThan(5)
    expect(job.total).toBe(expected.length)
    const records = csvRecords(await download((await runToEnd(job.id, COUNTY)).view))
    expect(sorted(column(records, '订单编号'))).toEqual(sorted(expected.map((o) => o.no)))
    expect(new Set(column(records, '来源'))).toEqual(new Set(['热线点单']))
  })

  test('a station cannot export another village, nor anyone without a staff role', async () => {
    const xishan = (await rt.db.collection('grids').where({ code: 'XF0201' }).get()).data[0] as GridNode
    expect((await fail('export', 'start', { requestId: rid(), kind: 'orders', format: 'csv', filters: { nodeId: xishan._id } }, STATION)).code).toBe('FORBIDDEN')
    expect((await fail('export', 'start', { requestId: rid(), kind: 'orders', format: 'csv' }, VOL)).code).toBe('FORBIDDEN')
    expect((await fail('export', 'start', { requestId: rid(), kind: 'orders', format: 'csv' }, VILLAGER)).code).toBe('FORBIDDEN')
    expect((await fail('export', 'start', { requestId: rid(), kind: 'orders', format: 'csv' }, null)).code).toBe('UNAUTHENTICATED')
  })
})

describe('the files', () => {
  test('Excel: headers, numbers as numbers, phones masked, formulas neutralised', async () => {
    const job = await ok('export', 'start', { requestId: rid(), kind: 'orders', format: 'xlsx', filters: { from: '2026-11-10', to: '2026-11-10' } }, COUNTY)
    const rows = await xlsxRecords(await download((await runToEnd(job.id, COUNTY)).view))
    expect(rows).toHaveLength(4) // header + the three orders placed that day
    const desc = column(rows, '诉求描述')
    expect(desc).toContain(`'${INJECTION}`)
    expect(desc).toContain("'+86 打电话没人接，请上门看看")
    expect(desc).not.toContain(INJECTION)
    expect(column(rows, '联系电话')).toEqual(expect.arrayContaining(['138****1111', '139****3333']))
    expect(column(rows, '下单时间')).toEqual(['2026-11-10 10:00', '2026-11-10 10:00', '2026-11-10 10:00'])
  })

  test('CSV: full phones only when asked for; a negative-looking description is neutralised', async () => {
    const job = await ok('export', 'start', { requestId: rid(), kind: 'orders', format: 'csv', fullPhones: true, filters: { nodeId: dongguan._id } }, STATION)
    expect(job.fullPhones).toBe(true)
    const records = csvRecords(await download((await runToEnd(job.id, STATION)).view))
    expect(column(records, '联系电话')).toContain('13800001111')
    expect(column(records, '诉求描述').filter((d) => String(d).startsWith("'-")).length).toBeGreaterThan(0)
    expect(column(records, '诉求描述').filter((d) => /^[=+\-@]/.test(String(d)))).toEqual([])
  })

  test('volunteers of a village, masked; the points ledger of a township', async () => {
    const vol = await ok('export', 'start', { requestId: rid(), kind: 'volunteers', format: 'xlsx', filters: { status: 'approved' } }, STATION)
    const rows = await xlsxRecords(await download((await runToEnd(vol.id, STATION)).view))
    const expected = (await rt.db.collection('volunteers').where({ scopePath: dongguan._id, status: 'approved' }).limit(1000).get()).data as { name: string }[]
    expect(expected.length).toBeGreaterThan(0)
    expect(sorted(column(rows, '姓名'))).toEqual(sorted(expected.map((v) => v.name)))
    for (const p of column(rows, '手机号')) expect(String(p)).toMatch(/^\d{3}\*{4}\d{4}$/)

    const months = ['2026-08', '2026-09', '2026-10']
    const pts = await ok('export', 'start', { requestId: rid(), kind: 'points', format: 'csv', filters: { fromMonth: '2026-08', toMonth: '2026-10' } }, TOWNSHIP)
    const entries = (await rt.db.collection('points').where({ townshipId: township._id, month: rt.db.command.in(months) }).limit(1000).get()).data as { _id: string; points: number }[]
    expect(entries.length).toBeGreaterThan(0)
    expect(pts.total).toBe(entries.length)
    const records = csvRecords(await download((await runToEnd(pts.id, TOWNSHIP)).view))
    expect(records.length - 1).toBe(entries.length)
    expect(column(records, '积分').map(Number).reduce((a, b) => a + b, 0)).toBe(entries.reduce((a, e) => a + e.points, 0))
    expect(new Set(column(records, '乡镇'))).toEqual(new Set(['东关镇']))
  })
})

describe('jobs belong to their owner', () => {
  test('another staff member can neither step nor see the job; the owner lists it with its link', async () => {
    const job = await ok('export', 'start', { requestId: rid(), kind: 'orders', format: 'csv', filters: { nodeId: dongguan._id } }, COUNTY)
    expect((await fail('export', 'step', { jobId: job.id }, STATION)).code).toBe('FORBIDDEN')
    expect((await fail('export', 'step', { jobId: job.id }, STATION_XS)).code).toBe('FORBIDDEN')
    const { view } = await runToEnd(job.id, COUNTY)
    expect((await fail('export', 'step', { jobId: job.id }, TOWNSHIP)).code).toBe('FORBIDDEN')
    expect((await ok('export', 'jobs', {}, STATION_XS)).map((j: ExportJobView) => j.id)).not.toContain(job.id)
    const mine = (await ok('export', 'jobs', {}, COUNTY)) as ExportJobView[]
    const listed = mine.find((j) => j.id === job.id)!
    expect(listed).toMatchObject({ state: 'done', fileName: view.fileName })
    expect(listed.url).toMatch(/^http/)
    // a retried start (same requestId) answers with the same job
    const again = await ok('export', 'start', { requestId: job.id, kind: 'orders', format: 'csv' }, COUNTY)
    expect(again.id).toBe(job.id)
    expect((await fail('export', 'start', { requestId: job.id, kind: 'orders', format: 'csv' }, TOWNSHIP)).code).toBe('CONFLICT')
  })
})

describe('resumable and idempotent', () => {
  test('a step that dies after storing a part is repeated without duplicating a row', async () => {
    const real = cloudFiles(rt.app)
    let uploads = 0
    // dies right after the second part is stored, before the job's cursor moves past it
    const crashing: FilesPort = {
      ...real,
      async upload(cloudPath, content) {
        const id = await real.upload(cloudPath, content)
        if (++uploads === 2) throw new Error('function killed')
        return id
      },
    }
    const call = (files: FilesPort) => async (jobId: string) => {
      const r = (await exportRun({ action: 'step', data: { jobId } }, { db: rt.db, openId: COUNTY, files })) as { ok: boolean; data?: ExportJobView; code?: string }
      return r
    }
    const job = await ok('export', 'start', { requestId: rid(), kind: 'orders', format: 'csv' }, COUNTY)
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined)
    const crashed = await call(crashing)(job.id).finally(() => quiet.mockRestore())
    expect(crashed.ok).toBe(false)
    const mid = (await rt.db.collection('exportJobs').doc(job.id).get()).data[0]
    expect(mid.page).toBe(1) // the first part counts; the second was stored but not recorded
    // two steppers at once (the page and the sweep): the lease lets one work
    const [a, b] = await Promise.all([call(real)(job.id), call(real)(job.id)])
    expect(a.ok && b.ok).toBe(true)
    const { view } = await runToEnd(job.id, COUNTY)
    const all = (await rt.db.collection('orders').count()).total as number
    expect(view.rows).toBe(all)
    const nos = column(csvRecords(await download(view)), '订单编号')
    expect(nos).toHaveLength(all)
    expect(new Set(nos).size).toBe(all)
  })

  test('the sweep finishes a job whose page was left, and the owner finds it in the list', async () => {
    const t0 = new Date()
    const job = await ok('export', 'start', { requestId: rid(), kind: 'orders', format: 'xlsx', filters: { nodeId: dongguan._id } }, STATION, t0)
    let sweeps = 0
    let state = 'running'
    while (state !== 'done' && sweeps < 10) {
      const r = await rt.call('clock', 'sweep', {}, null, new Date(t0.getTime() + (sweeps + 2) * 60_000))
      expect(r.ok).toBe(true)
      sweeps++
      state = (await rt.db.collection('exportJobs').doc(job.id).get()).data[0].state
    }
    expect(state).toBe('done')
    const listed = ((await ok('export', 'jobs', {}, STATION)) as ExportJobView[]).find((j) => j.id === job.id)!
    const rows = await xlsxRecords(await download(listed))
    expect(rows.length - 1).toBe((await ordersUnder(dongguan._id)).length)
  })

  test('the owner losing the role stops the job', async () => {
    const job = await ok('export', 'start', { requestId: rid(), kind: 'orders', format: 'csv' }, STATION_XS)
    const users = rt.db.collection('users')
    const before = (await users.doc(STATION_XS).get()).data[0]
    await users.doc(STATION_XS).update({ roles: [] })
    try {
      const v = await ok('export', 'step', { jobId: job.id }, STATION_XS)
      expect(v).toMatchObject({ state: 'failed' })
      expect(v.error).toContain('没有该区域的导出权限')
    } finally {
      await users.doc(STATION_XS).update({ roles: before.roles })
    }
  })
})
