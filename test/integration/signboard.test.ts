// Printable signboards through the local runtime: the real SDK, emulated storage, the
// local WeChat port (QR codes of the H5 scan URL). PDFs are read back with poppler + jsqr.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startRuntime, type Runtime } from '../../runtime/server'
import { seed } from '../../runtime/seed'
import { DEMO_ACCOUNTS } from '../../runtime/seed/demo'
import { localWechat, type WechatPort } from '../../cloudfunctions/shared/wechat'
import { decodePdfQrs, pdfPages, pdfText } from '../helpers/pdfQr'

process.env.SILENCE = 'true'
jest.setTimeout(60_000)

const STATION_DG = 'u_station_dg'
const COUNTY = 'u_county'
const scan = (code: string) => `${rt.url}/#/pages/scan/index?code=${code}`

// the local port, with a gate the progress test can close to hold a batch mid-way
const base = localWechat()
let gate: Promise<void> | null = null
let codesMade = 0
const wechat: WechatPort = {
  ...base,
  async miniCode(scene, page, publicUrl) {
    const png = await base.miniCode(scene, page, publicUrl)
    if (gate && ++codesMade > 10) await gate
    return png
  },
}

let rt: Runtime
let dataDir: string
const call = (action: string, data: unknown, openId: string | null) => rt.invoke('signboard', { action, data }, openId) as Promise<any>
let seq = 0
const jobId = () => `job_${Date.now().toString(36)}_${++seq}`

async function ok(action: string, data: unknown, openId: string) {
  const r = await call(action, data, openId)
  if (!r.ok) throw new Error(`${action}: ${r.code} ${r.message}`)
  return r.data
}
async function download(url: string): Promise<Buffer> {
  const res = await fetch(encodeURI(url))
  expect(res.status).toBe(200)
  return Buffer.from(await res.arrayBuffer())
}
const signboardFiles = () => (existsSync(path.join(dataDir, 'files', 'signboards')) ? readdirSync(path.join(dataDir, 'files', 'signboards')).filter((f) => f.endsWith('.pdf')) : [])

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'xf-signboard-'))
  rt = await startRuntime({ dataDir, accounts: DEMO_ACCOUNTS, wechat, quiet: true })
  await seed(rt.emulator, 'demo')
})
afterAll(async () => {
  await rt.close()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('signboard.generate', () => {
  test('one grid: the downloaded PDF is one page whose code opens the H5 scan page for XF010101', async () => {
    const id = jobId()
    const r = await ok('generate', { nodeId: 'g_XF010101', jobId: id }, STATION_DG)
    expect(r).toMatchObject({ pages: 1, fileName: '东关村第一网格-网格标识牌.pdf' })
    expect(r.fileId).toMatch(/^cloud:\/\/.+\/signboards\/XF010101-\d{12}\.pdf$/)
    const pdf = await download(r.url)
    expect(pdf.length).toBe(r.bytes)
    expect(await pdfPages(pdf)).toBe(1)
    expect(await decodePdfQrs(pdf)).toEqual([scan('XF010101')])
    const text = (await pdfText(pdf)).replace(/\s/g, '')
    for (const s of ['东关村第一网格', 'XF010101', '东关村', '东关镇', '0354-2211100', '王建国', '水电维修']) expect(text).toContain(s)
    expect(await ok('progress', { jobId: id }, STATION_DG)).toEqual({ id, status: 'done', done: 1, total: 1, message: '已生成 1 张标识牌' })
  })

  test('a micro-grid prints itself, with the inherited hotline and its team captain as leader', async () => {
    const r = await ok('generate', { nodeId: 'g_XF01010101', jobId: jobId() }, STATION_DG)
    expect(r.pages).toBe(1)
    const pdf = await download(r.url)
    expect(await decodePdfQrs(pdf)).toEqual([scan('XF01010101')])
    const text = (await pdfText(pdf)).replace(/\s/g, '')
    // no hotline / leaderName of its own: the grid's hotline, the captain of 东关村网格服务队
    expect(text).toContain('0354-2211100')
    expect(text).toContain('王建国')
  })

  test('a village batch prints every active basic grid (no micro-grids), and skips a deactivated one', async () => {
    const active = await rt.db.collection('grids').where({ path: 'g_XF0101', level: 'grid', active: true }).count()
    const r = await ok('generate', { nodeId: 'g_XF0101', jobId: jobId() }, STATION_DG)
    expect(r.pages).toBe(active.total)
    expect(r.fileName).toBe('东关村-网格标识牌.pdf')
    expect(await decodePdfQrs(await download(r.url))).toEqual([scan('XF010101'), scan('XF010102')])

    await rt.db.collection('grids').doc('g_XF010102').update({ active: false })
    try {
      const r2 = await ok('generate', { nodeId: 'g_XF0101', jobId: jobId() }, STATION_DG)
      expect(r2.pages).toBe(active.total - 1)
      expect(await decodePdfQrs(await download(r2.url))).toEqual([scan('XF010101')])
      // and alone it is refused
      const alone = await call('generate', { nodeId: 'g_XF010102', jobId: jobId() }, STATION_DG)
      expect(alone).toMatchObject({ ok: false, code: 'GRID_INACTIVE' })
    } finally {
      await rt.db.collection('grids').doc('g_XF010102').update({ active: true })
    }
  })

  test('out of scope: station of 东关村 asking for 西山村 (or its township) is refused, no job and no file', async () => {
    const before = signboardFiles()
    for (const nodeId of ['g_XF0201', 'g_XF01', 'g_XF020101']) {
      const id = jobId()
      const r = await call('generate', { nodeId, jobId: id }, STATION_DG)
      expect(r).toMatchObject({ ok: false, code: 'FORBIDDEN' })
      expect((await rt.db.collection('jobs').doc(id).get()).data).toHaveLength(0)
    }
    expect(await call('generate', { nodeId: 'g_XF010101', jobId: jobId() }, 'u_villager_zhang')).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await call('generate', { nodeId: 'g_XF010101', jobId: jobId() }, null)).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' })
    expect(await call('generate', { nodeId: 'g_nope', jobId: jobId() }, STATION_DG)).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    expect(await call('generate', { nodeId: 'g_XF010101', jobId: 'bad id!' }, STATION_DG)).toMatchObject({ ok: false, code: 'VALIDATION' })
    expect(signboardFiles()).toEqual(before)
  })

  test('a reused jobId is refused and changes nothing', async () => {
    const id = jobId()
    await ok('generate', { nodeId: 'g_XF010101', jobId: id }, STATION_DG)
    const files = signboardFiles()
    const again = await call('generate', { nodeId: 'g_XF0101', jobId: id }, STATION_DG)
    expect(again).toMatchObject({ ok: false, code: 'CONFLICT' })
    expect(await ok('progress', { jobId: id }, STATION_DG)).toMatchObject({ status: 'done', done: 1, total: 1 })
    expect(signboardFiles()).toEqual(files)
  })

  test('the same call retried (its answer lost) gets the same PDF, not a second one', async () => {
    const id = jobId()
    const first = await ok('generate', { nodeId: 'g_XF010102', jobId: id }, STATION_DG)
    const files = signboardFiles()
    const again = await ok('generate', { nodeId: 'g_XF010102', jobId: id }, STATION_DG)
    expect(again).toMatchObject({ fileId: first.fileId, pages: first.pages, bytes: first.bytes, fileName: first.fileName })
    expect(again.url).toMatch(/^https?:\/\//)
    expect(signboardFiles()).toEqual(files)
    // someone else's job id is not theirs to fetch
    expect(await call('generate', { nodeId: 'g_XF010102', jobId: id }, COUNTY)).toMatchObject({ ok: false, code: 'CONFLICT' })
  })
})

describe('signboard.progress', () => {
  test('during and after a county batch: running with partial counts, then done == total', async () => {
    const total = (await rt.db.collection('grids').where({ path: 'g_XF', level: 'grid', active: true }).count()).total
    expect(total).toBeGreaterThan(10)
    let release!: () => void
    gate = new Promise<void>((r) => (release = r))
    codesMade = 0
    const id = jobId()
    const running = call('generate', { nodeId: 'g_XF', jobId: id }, COUNTY)
    try {
      // the first 10 codes pass the gate, the 11th waits: progress must show 10 done
      let p: any
      for (let i = 0; i < 200; i++) {
        const r = await call('progress', { jobId: id }, COUNTY)
        if (r.ok && r.data.done > 0) {
          p = r.data
          break
        }
        await new Promise((res) => setTimeout(res, 25))
      }
      expect(p).toEqual({ id, status: 'running', done: 10, total, message: null })
      // only the owner sees it
      expect(await call('progress', { jobId: id }, STATION_DG)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    } finally {
      release()
      gate = null
    }
    const r = await running
    expect(r).toMatchObject({ ok: true, data: { pages: total } })
    expect(await ok('progress', { jobId: id }, COUNTY)).toEqual({ id, status: 'done', done: total, total, message: `已生成 ${total} 张标识牌` })
    const codes = await decodePdfQrs(await download(r.data.url))
    expect(codes).toHaveLength(total)
    expect(codes.every((c) => /#\/pages\/scan\/index\?code=XF\d{6}$/.test(c))).toBe(true)
  })

  test('unknown job → NOT_FOUND', async () => {
    expect(await call('progress', { jobId: 'job_does_not_exist' }, STATION_DG)).toMatchObject({ ok: false, code: 'NOT_FOUND' })
  })
})
