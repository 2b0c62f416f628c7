// Hostile and broken input: no malformed event gets an INTERNAL answer (a validation error
// instead, and nothing written), the runtime answers only to its own host names and survives
// malformed URLs, suspended volunteers are neither suggested nor dispatched to, an outbox
// record abandoned on its last attempt is not left 'sending', and a first start seeds
// all-or-nothing.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { API, PRIVACY_VERSION } from '../../src/core'
import { sendDue, MAX_SEND_ATTEMPTS } from '../../cloudfunctions/services/outbox'
import { seedOnce } from '../../runtime/seed'
import { startRuntime } from '../../runtime/server'
import { startTestRuntime, type TestRuntime } from '../helpers/runtime'

let rt: TestRuntime
beforeAll(async () => {
  rt = await startTestRuntime()
})
afterAll(() => rt.close())

const COUNTY = 'u_county'
const STATION = 'u_station_dg'
const VILLAGER = 'u_villager_zhang'

describe('malformed input never reaches the database', () => {
  const FAR = 9e15 // beyond the largest valid date
  const paged: [string, string, Record<string, unknown>, string][] = [
    ['order', 'mine', {}, VILLAGER],
    ['order', 'incoming', {}, STATION],
    ['order', 'ledger', {}, STATION],
    ['order', 'tasks', { tab: 'done' }, 'u_vol_02'],
    ['order', 'approvals', { kind: 'rating' }, STATION],
    ['showcase', 'mine', {}, VILLAGER],
    ['showcase', 'feed', {}, VILLAGER],
    ['inbox', 'inbox', {}, VILLAGER],
    ['volunteer', 'list', { status: 'pending' }, STATION],
  ]
  test.each(paged)('%s.%s with a cursor beyond the date range: a validation error', async (fn, action, data, who) => {
    const r = await rt.call(fn, action, { ...data, before: FAR }, who)
    expect(r).toMatchObject({ ok: false, code: 'VALIDATION', message: '分页参数不正确' })
  })

  test('a work-list cursor beyond the date range: a validation error', async () => {
    const r = await rt.call('order', 'incoming', { list: 'open', after: '9999999999999999:abc' }, STATION)
    expect(r).toMatchObject({ ok: false, code: 'VALIDATION', message: '分页参数不正确' })
  })

  test.each([
    ['grid', 'search', { q: '东关\u0000' }, STATION],
    ['user', 'search', { q: '张\u0000三' }, COUNTY],
  ])('a NUL character in %s.%s: a validation error', async (fn, action, data, who) => {
    const r = await rt.call(fn, action, data, who)
    expect(r).toMatchObject({ ok: false, code: 'VALIDATION' })
    expect(r.message).toMatch(/无法识别的字符/)
  })

  test('control characters in an order are refused and nothing is written', async () => {
    const before = (await rt.db.collection('orders').count()).total
    const r = await rt.call(
      'order',
      'place',
      { requestId: 'hostile_nul_1', gridCode: 'XF010101', serviceId: 'svc_01', description: '灯坏了\u0000\u0007请来', contactPhone: '13800001111', privacyVersion: PRIVACY_VERSION },
      VILLAGER,
    )
    expect(r).toMatchObject({ ok: false, code: 'VALIDATION' })
    expect((await rt.db.collection('orders').count()).total).toBe(before)
  })

  test('random events for every action of every function: never INTERNAL', async () => {
    // a longer run by hand: XF_FUZZ_SEED=7 XF_FUZZ_ROUNDS=60 npx jest test/integration/hostile.test.ts
    let seed = Number(process.env.XF_FUZZ_SEED ?? 20261130)
    const rounds = Number(process.env.XF_FUZZ_ROUNDS ?? 12)
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]
    const junk = (depth = 0): unknown => {
      switch (Math.floor(rand() * 10)) {
        case 0:
          return pick([0, -1, 1e308, 9e15, 8.64e15 + 1, NaN, 1.5, Number.MAX_SAFE_INTEGER])
        case 1:
          return pick(['', 'a\u0000b', '%E4%', '\ud800', 'x'.repeat(5000), '<script>', '$where', 'XF010101', '13800001111'])
        case 2:
          return pick([true, false, null])
        case 3:
          return depth > 2 ? [] : Array.from({ length: Math.floor(rand() * 4) }, () => junk(depth + 1))
        case 4:
          return depth > 2 ? {} : { $gt: '', [pick(['id', 'q', 'before', 'after', 'status', 'list', '__proto__'])]: junk(depth + 1) }
        default:
          return pick(['svc_01', 'g_XF0101', 'team_dg', 'u_vol_02', 'abc', '2026-11-30', 'open', 'pending'])
      }
    }
    const keys = ['id', 'q', 'before', 'after', 'status', 'list', 'limit', 'tab', 'kind', 'nodeId', 'gridCode', 'serviceId', 'reason', 'settings', 'code', 'plate', 'token']
    const who = [null, VILLAGER, STATION, COUNTY, 'u_vol_02', 'u_township_dg']
    let calls = 0
    const internals: string[] = []
    for (const [fn, actions] of Object.entries(API)) {
      for (const action of Object.keys(actions)) {
        if (fn === 'signboard' && action === 'generate') continue // valid input renders PDFs for minutes; its validation is tested in signboard.test
        for (let i = 0; i < rounds; i++) {
          const data: Record<string, unknown> = {}
          for (let k = 0; k < 1 + Math.floor(rand() * 4); k++) data[pick(keys)] = junk()
          const r = await rt.call(fn, action, rand() < 0.1 ? junk() : data, pick(who))
          calls++
          if (r?.code === 'INTERNAL') internals.push(`${fn}.${action} ${JSON.stringify(data).slice(0, 200)}`)
        }
      }
    }
    console.log(`hostile input (seed ${process.env.XF_FUZZ_SEED ?? 20261130}): ${calls} random events, ${internals.length} INTERNAL`)
    expect(internals).toEqual([])
  }, 1_200_000)
})

describe('the runtime’s HTTP surface', () => {
  const raw = (p: string, headers: Record<string, string> = {}, method = 'GET') =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const u = new URL(rt.url)
      const req = http.request({ host: u.hostname, port: u.port, path: p, method, headers }, (res) => {
        let body = ''
        res.on('data', (c) => (body += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      })
      req.on('error', reject)
      req.end()
    })

  test('a malformed percent-encoding is a 400, not a 500', async () => {
    expect((await raw('/%E4%B8')).status).toBe(400)
    expect((await raw('/files/%ZZ')).status).toBe(400)
  })

  test('a request under a foreign host name (DNS rebinding) is refused; its own names work', async () => {
    const port = new URL(rt.url).port
    expect((await raw('/healthz', { host: `evil.example:${port}` })).status).toBe(421)
    expect((await raw('/dev/users', { host: 'attacker.test' })).status).toBe(421)
    expect((await raw('/healthz', { host: `127.0.0.1:${port}` })).status).toBe(200)
    expect((await raw('/healthz', { host: `localhost:${port}` })).status).toBe(200)
  })
})

describe('suspended volunteers', () => {
  test('are not suggested and cannot be dispatched to', async () => {
    const placed = await rt.call(
      'order',
      'place',
      { requestId: 'hostile_susp_1', gridCode: 'XF010101', serviceId: 'svc_01', description: '厨房灯不亮了', contactPhone: '13800001111', privacyVersion: PRIVACY_VERSION },
      VILLAGER,
    )
    const id = placed.data.id
    const before = await rt.call('order', 'suggest', { id }, STATION)
    expect(before.data.volunteers.map((v: any) => v.id)).toContain('u_vol_02')
    const s = await rt.call('volunteer', 'suspend', { id: 'u_vol_02', reason: '多次爽约' }, STATION)
    expect(s.ok).toBe(true)
    try {
      const after = await rt.call('order', 'suggest', { id }, STATION)
      expect(after.data.volunteers.map((v: any) => v.id)).not.toContain('u_vol_02')
      const d = await rt.call('order', 'dispatch', { id, volunteerId: 'u_vol_02' }, STATION)
      expect(d).toMatchObject({ ok: false, code: 'FORBIDDEN', message: '刘志刚的志愿者身份已暂停，不能派单' })
    } finally {
      await rt.call('volunteer', 'restore', { id: 'u_vol_02' }, STATION)
    }
  })
})

describe('the outbox', () => {
  test('a record abandoned on its last attempt is given up, not left sending', async () => {
    const now = new Date('2026-11-30T02:00:00Z')
    const { id } = (await rt.db.collection('outbox').add({
      kind: 'order_update',
      toOpenId: VILLAGER,
      orderId: 'x',
      data: {},
      status: 'sending',
      attempts: MAX_SEND_ATTEMPTS,
      createdAt: now,
      claimedAt: new Date(now.getTime() - 60 * 60_000),
    })) as { id: string }
    const sent: unknown[] = []
    const report = await sendDue({ db: rt.db, now: () => now, wechat: { sendSubscribeMessage: async (m: unknown) => (sent.push(m), { ok: true }) } as any })
    const rec = (await rt.db.collection('outbox').doc(id).get()).data[0]
    expect(rec.status).toBe('failed')
    expect(report.gaveUp).toBeGreaterThanOrEqual(1)
    expect(sent).toEqual([]) // not sent again: the last attempt may have gone out
  })
})

describe('first start', () => {
  test('seeds all-or-nothing: the data dir appears only complete, leftovers of an interrupted start are removed', async () => {
    const parent = mkdtempSync(path.join(os.tmpdir(), 'xf-seed-'))
    const dataDir = path.join(parent, 'data')
    // what a kill -9 half-way through an earlier first start leaves behind
    mkdirSync(path.join(parent, 'data.seeding-999999'))
    let sawPartial = false
    try {
      const seeded = await seedOnce(dataDir, 'demo', () => {
        if (existsSync(dataDir)) sawPartial = true
      })
      expect(seeded).toBe(true)
      expect(sawPartial).toBe(false)
      expect(readdirSync(parent)).toEqual(['data'])
      // the complete seed is there: demo accounts and the catalogue
      const r = await startRuntime({ dataDir, quiet: true })
      try {
        expect((await r.db.collection('services').count()).total).toBe(14)
        expect((await r.db.collection('users').doc('u_county').get()).data[0].name).toBe('周主任')
      } finally {
        await r.close()
      }
      expect(await seedOnce(dataDir, 'demo', () => undefined)).toBe(false) // an existing data dir is left alone
    } finally {
      rmSync(parent, { recursive: true, force: true })
    }
  })
})
