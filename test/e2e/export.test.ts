import ExcelJS from 'exceljs'
import { parse } from 'csv-parse/sync'
import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { PRIVACY_VERSION, type GridNode, type Order } from '../../src/core'
import type { TestRuntime } from '../helpers/runtime'
import { closeSession, e2eSuite, openSession, see, type Session } from './browser'

/**
 * Exports as staff meet them, in the H5 build: 刘站长 opens 数据导出 from the workbench, exports
 * the village's orders as Excel (the progress runs, then a download link), the browser downloads
 * the file and it opens with exceljs holding exactly the village's orders, masked phones and a
 * neutralised formula; the export is in 最近导出. A link with filters (as the dashboard makes)
 * opens the page with them chosen, and the CSV it makes starts with the BOM.
 * Screenshots: test-artifacts/e2e/export.
 */
const INJECTION = '=1+2 厨房水管漏水'

e2eSuite('exports (H5 in Chromium)', () => {
  let s: Session
  let rt: TestRuntime
  let page: Page

  beforeAll(async () => {
    s = await openSession('export')
    ;({ rt, page } = s)
    // orders of 东关村 (scan and hotline) and one of 西山村, which the station must not get
    const T = new Date()
    const place = async (requestId: string, gridCode: string, description: string, villager: string) =>
      expect(
        (await rt.call('order', 'place', { requestId, gridCode, serviceId: 'svc_01', description, contactPhone: '13800001111', privacyVersion: PRIVACY_VERSION }, villager, T)).ok,
      ).toBe(true)
    await place('e2e_exp_1', 'XF010101', INJECTION, 'u_villager_zhang')
    await place('e2e_exp_2', 'XF010102', '院子里的灯不亮了', 'u_villager_zhang')
    await place('e2e_exp_3', 'XF020101', '西山村的诉求', 'u_villager_li')
    const grid = (await rt.db.collection('grids').where({ code: 'XF010102' }).get()).data[0] as GridNode
    const hotline = await rt.call('order', 'placeHotline', { requestId: 'e2e_exp_4', gridId: grid._id, serviceId: 'svc_04', description: '电话点单：帮忙取药', callerName: '王奶奶', callerPhone: '13900003333' }, 'u_station_dg', T)
    expect(hotline.ok).toBe(true)
  }, 60_000)
  afterAll(() => closeSession(s))

  const visible = (sel: string) => page.locator(sel).filter({ visible: true }).first()

  test('a station exports its orders as Excel and opens the downloaded file', async () => {
    await s.signIn('刘站长', '/staff/incoming/index')
    await s.click('#link-export')
    await see(page.locator('#kind-orders')).hasText('诉求订单')
    await s.click('#kind-orders')
    await s.click('#period-all')
    await s.click('#format-xlsx')
    await s.shot('export-form')
    await s.click('#export-start')
    const link = visible('#export-download')
    await link.waitFor({ timeout: 30_000 })
    await see(page.locator('#export-done-text')).contains('已完成，共 3 行')
    await s.shot('export-done')

    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), link.click()])
    expect(download.suggestedFilename()).toMatch(/^诉求订单_东关村_\d{8}-\d{4}\.xlsx$/)
    const file = await download.path()
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(file!)
    const rows: unknown[][] = []
    wb.worksheets[0].eachRow((r) => rows.push((r.values as unknown[]).slice(1)))
    const header = rows[0] as string[]
    expect(header).toEqual(expect.arrayContaining(['订单编号', '状态', '诉求描述', '联系电话', '下单时间']))
    const col = (h: string) => rows.slice(1).map((r) => r[header.indexOf(h)])

    // exactly the village's orders, as the database has them
    const village = (await rt.db.collection('grids').where({ code: 'XF0101' }).get()).data[0] as GridNode
    const expected = (await rt.db.collection('orders').where({ scopePath: village._id }).limit(100).get()).data as Order[]
    expect(expected).toHaveLength(3)
    expect(col('订单编号').map(String).sort()).toEqual(expected.map((o) => o.no).sort())
    expect(col('诉求描述')).toContain(`'${INJECTION}`)
    expect(col('诉求描述')).not.toContain('西山村的诉求')
    for (const p of col('联系电话')) expect(String(p)).toMatch(/^\d{3}\*{4}\d{4}$/)
    expect(col('来源').sort()).toEqual(['扫码点单', '扫码点单', '热线点单'])

    await see(page.locator('#export-jobs')).contains('已完成')
    await s.shot('export-recent-jobs')
   }, 120_000)

  test('a link with the dashboard’s filters opens the page with them chosen; the CSV starts with the BOM', async () => {
    await page.goto(`${rt.url}/#/staff/export/index?kind=orders&format=csv&preset=all&source=hotline`)
    await visible('#source-hotline').waitFor()
    await page.waitForFunction(() => Array.from(document.querySelectorAll('#source-hotline')).some((e) => e.className.includes('xw-chip--on')))
    await page.waitForFunction(() => Array.from(document.querySelectorAll('#format-csv')).some((e) => e.className.includes('xw-chip--on')))
    await s.shot('export-from-link')
    await s.click('#export-start')
    const link = visible('#export-download')
    await link.waitFor({ timeout: 30_000 })
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), link.click()])
    const bytes = readFileSync((await download.path())!)
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const records = parse(bytes.subarray(3)) as string[][]
    expect(records).toHaveLength(2) // the header and the one hotline order
    expect(records[1][records[0].indexOf('来源')]).toBe('热线点单')
    expect(records[1][records[0].indexOf('诉求描述')]).toBe('电话点单：帮忙取药')
   }, 90_000)
})
