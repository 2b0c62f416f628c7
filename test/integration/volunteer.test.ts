import jsQR from 'jsqr'
import { PNG } from 'pngjs'
import { parsePlate, PRIVACY_VERSION } from '../../src/core'
import { uploadPhotos } from '../helpers/photos'
import { startTestRuntime, type TestRuntime } from '../helpers/runtime'
import { nextPlateSeq } from '../../cloudfunctions/services/volunteer'

const STATION_DG = 'u_station_dg' // 东关村 (g_XF0101)
const STATION_XS = 'u_station_xs' // 西山村 (g_XF0201)
const TOWNSHIP_DG = 'u_township_dg' // 东关镇 (g_XF01)
const SEEDED_XF01_MAX = 13 // demo seed: 13 volunteers hold XF01 plates

let rt: TestRuntime
beforeAll(async () => {
  rt = await startTestRuntime()
})
afterAll(() => rt.close())

let n = 0
const reg = (patch: Record<string, unknown> = {}) => ({
  requestId: `reg_${Date.now()}_${++n}`,
  name: '孙晓明',
  phone: `1580000${String(1000 + n).slice(-4)}`,
  gridId: 'g_XF010101',
  skills: ['水电', '跑腿'],
  availability: ['周末'],
  privacyVersion: PRIVACY_VERSION,
  ...patch,
})
const vdoc = async (id: string) => (await rt.db.collection('volunteers').doc(id).get()).data[0] as any
const udoc = async (id: string) => (await rt.db.collection('users').doc(id).get()).data[0] as any
const counter = async (townshipId: string) => ((await rt.db.collection('counters').doc(`plate_${townshipId}`).get()).data[0] as any)?.seq
const countOf = async (c: string) => (await rt.db.collection(c).count()).total
const decodeQr = (dataUrl: string) => {
  const png = PNG.sync.read(Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64'))
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data
}

describe('volunteer: register → approve → badge → verify → suspend → restore', () => {
  const ME = 'u_new_vol_01'
  const input = reg({ name: '孙晓明', phone: '15800009999' })
  let plate = ''
  let token = ''

  test('a villager registers; a retry is idempotent; duplicates are refused', async () => {
    const r = await rt.call('volunteer', 'register', input, ME)
    expect(r).toMatchObject({ ok: true, data: { id: ME, status: 'pending', phone: '15800009999', gridName: '东关村第一网格', villageName: '东关村', townshipName: '东关镇', plate: null } })
    const before = await countOf('volunteers')
    const again = await rt.call('volunteer', 'register', input, ME)
    expect(again).toMatchObject({ ok: true, data: { id: ME, status: 'pending', createdAt: r.data.createdAt } })
    const dup = await rt.call('volunteer', 'register', reg({ phone: '15800009998' }), ME)
    expect(dup).toMatchObject({ ok: false, code: 'CONFLICT' })
    expect(dup.message).toContain('您已提交过志愿者注册')
    const samePhone = await rt.call('volunteer', 'register', reg({ phone: '15800009999', name: '别人' }), 'u_new_vol_other')
    expect(samePhone).toMatchObject({ ok: false, code: 'CONFLICT', message: expect.stringContaining('该手机号已注册为志愿者') })
    // a seeded volunteer (plate from the seed) is registered already
    const seeded = await rt.call('volunteer', 'register', reg(), 'u_vol_02')
    expect(seeded).toMatchObject({ ok: false, code: 'CONFLICT', message: expect.stringContaining('您已提交过志愿者注册') })
    expect(await countOf('volunteers')).toBe(before)
    expect(await vdoc('u_new_vol_other')).toBeUndefined()
    const mine = await rt.call('volunteer', 'mine', {}, ME)
    expect(mine.data).toMatchObject({ id: ME, status: 'pending' })
    expect((await rt.call('volunteer', 'mine', {}, 'u_nobody')).data).toBeNull()
  })

  test('the village station lists it with the phone; another village does not see it and cannot approve', async () => {
    const list = await rt.call('volunteer', 'list', { status: 'pending' }, STATION_DG)
    expect(list.ok).toBe(true)
    expect(list.data.find((v: any) => v.id === ME)).toMatchObject({ phone: '15800009999', name: '孙晓明' })
    const other = await rt.call('volunteer', 'list', { status: 'pending' }, STATION_XS)
    expect(other.data.some((v: any) => v.id === ME)).toBe(false)
    const villager = await rt.call('volunteer', 'list', {}, 'u_villager_zhang')
    expect(villager).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    // a node that is not the caller's
    expect(await rt.call('volunteer', 'list', { nodeId: 'g_XF0101' }, STATION_XS)).toMatchObject({ ok: false, code: 'FORBIDDEN' })

    const seqBefore = await counter('g_XF01')
    const plates = await countOf('plates')
    const forbidden = await rt.call('volunteer', 'approve', { id: ME }, STATION_XS)
    expect(forbidden).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect((await vdoc(ME)).status).toBe('pending')
    expect(await counter('g_XF01')).toBe(seqBefore)
    expect(await countOf('plates')).toBe(plates)
    expect(await udoc(ME)).toBeUndefined()
    // no badge before approval
    expect(await rt.call('volunteer', 'badge', {}, ME)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
  })

  test('approval issues the next plate of the township and joins the grid team', async () => {
    const r = await rt.call('volunteer', 'approve', { id: ME }, STATION_DG)
    expect(r).toMatchObject({ ok: true, data: { status: 'approved', teamId: 'team_dg', teamName: '东关村网格服务队' } })
    plate = r.data.plate
    expect(plate).toMatch(/^XF01-\d{4}$/)
    const seq = parsePlate(plate)!.seq
    expect(seq).toBeGreaterThan(SEEDED_XF01_MAX)
    expect(await counter('g_XF01')).toBe(seq)
    expect((await rt.db.collection('plates').doc(plate).get()).data[0]).toMatchObject({ userId: ME })
    const user = await udoc(ME)
    expect(user).toMatchObject({ openId: ME, name: '孙晓明', phone: '15800009999', plate, teamId: 'team_dg', skills: ['水电', '跑腿'], suspended: false })
    expect(user.roles).toEqual([{ role: 'volunteer', nodeId: 'g_XF010101' }])
    expect((await vdoc(ME)).history.map((h: any) => h.action)).toEqual(['register', 'approve'])
    // approving twice: refused, no second plate
    const plates = await countOf('plates')
    const twice = await rt.call('volunteer', 'approve', { id: ME }, STATION_DG)
    expect(twice).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' })
    expect(await countOf('plates')).toBe(plates)
    expect(await counter('g_XF01')).toBe(seq)
    // the role works
    expect(await rt.call('order', 'tasks', { tab: 'pool' }, ME)).toMatchObject({ ok: true })
  })

  test('the badge: signed token, QR of the public verify URL; verify by token and by plate', async () => {
    const b = await rt.call('volunteer', 'badge', {}, ME)
    expect(b.ok).toBe(true)
    token = b.data.token
    expect(token).toMatch(/^v1\./)
    expect(b.data.verifyUrl).toBe(`${rt.url}/#/join/verify/index?t=${encodeURIComponent(token)}`)
    expect(b.data.expiresAt - Date.now()).toBeGreaterThan(9 * 60_000)
    expect(b.data.expiresAt - Date.now()).toBeLessThanOrEqual(10 * 60_000 + 1000)
    expect(decodeQr(b.data.qr)).toBe(b.data.verifyUrl)
    expect(b.data.volunteer).toMatchObject({ id: ME, plate })

    const v = await rt.call('volunteer', 'verify', { token }, null) // public: no sign-in
    expect(v).toMatchObject({ ok: true, data: { result: 'verified', name: '孙晓明', plate, teamName: '东关村网格服务队', villageName: '东关村' } })
    expect(v.data.message).toBe('已认证志愿者：东关村网格服务队')
    expect(JSON.stringify(v.data)).not.toContain('15800009999')

    const byPlate = await rt.call('volunteer', 'verify', { plate: plate.toLowerCase() }, null)
    expect(byPlate).toMatchObject({ ok: true, data: { result: 'verified', name: '孙*明', plate, photoUrl: null } })
    expect(JSON.stringify(byPlate.data)).not.toContain('15800009999')

    const forged = token.replace(/\.([A-Za-z0-9_-])/, (_m, c) => `.${c === 'k' ? 'j' : 'k'}`)
    expect((await rt.call('volunteer', 'verify', { token: forged }, null)).data).toMatchObject({ result: 'invalid', name: null })
    const other = token.split('.')
    other[2] = Buffer.from('u_vol_02').toString('base64url')
    expect((await rt.call('volunteer', 'verify', { token: other.join('.') }, null)).data).toMatchObject({ result: 'invalid', name: null })
    expect((await rt.call('volunteer', 'verify', { plate: 'XF01-9998' }, null)).data).toMatchObject({ result: 'invalid' })
    expect(await rt.call('volunteer', 'verify', { plate, token }, null)).toMatchObject({ ok: false, code: 'VALIDATION' })
    expect(await rt.call('volunteer', 'verify', {}, null)).toMatchObject({ ok: false, code: 'VALIDATION' })
    expect(await rt.call('volunteer', 'verify', { plate: 'XF01-12' }, null)).toMatchObject({ ok: false, code: 'VALIDATION' })
  })

  test('suspension: verify says suspended, roles and badge gone; restore brings them back', async () => {
    expect(await rt.call('volunteer', 'suspend', { id: ME }, STATION_DG)).toMatchObject({ ok: false, code: 'VALIDATION' })
    expect(await rt.call('volunteer', 'suspend', { id: ME, reason: '多次爽约' }, STATION_XS)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await rt.call('volunteer', 'restore', { id: ME }, STATION_DG)).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' })
    expect((await vdoc(ME)).status).toBe('approved')

    const s = await rt.call('volunteer', 'suspend', { id: ME, reason: '多次爽约' }, STATION_DG)
    expect(s).toMatchObject({ ok: true, data: { status: 'suspended', reason: '多次爽约', plate } })
    expect((await udoc(ME)).suspended).toBe(true)
    expect((await rt.call('volunteer', 'verify', { token }, null)).data).toMatchObject({ result: 'suspended', name: '孙*明', photoUrl: null })
    expect((await rt.call('volunteer', 'verify', { plate }, null)).data).toMatchObject({ result: 'suspended' })
    expect(await rt.call('order', 'tasks', { tab: 'pool' }, ME)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    const me = await rt.call('user', 'me', {}, ME)
    expect(me.data.roles).toEqual([])
    const badge = await rt.call('volunteer', 'badge', {}, ME)
    expect(badge).toMatchObject({ ok: false, code: 'FORBIDDEN', message: expect.stringContaining('您的志愿者身份已暂停') })
    expect(await rt.call('volunteer', 'suspend', { id: ME, reason: '再次暂停' }, STATION_DG)).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' })

    const r = await rt.call('volunteer', 'restore', { id: ME }, TOWNSHIP_DG)
    expect(r).toMatchObject({ ok: true, data: { status: 'approved', reason: null, plate } })
    expect((await udoc(ME)).suspended).toBe(false)
    expect(await rt.call('order', 'tasks', { tab: 'pool' }, ME)).toMatchObject({ ok: true })
    expect((await rt.call('volunteer', 'verify', { token }, null)).data).toMatchObject({ result: 'verified' })
    expect((await vdoc(ME)).history.map((h: any) => h.action)).toEqual(['register', 'approve', 'suspend', 'restore'])
  })
})

describe('volunteer: plates under concurrency', () => {
  test('10 registrations approved at once get 10 distinct consecutive plates; the counter is the highest', async () => {
    const grids = ['g_XF010101', 'g_XF010102', 'g_XF010201', 'g_XF010301', 'g_XF01010101']
    const ids = Array.from({ length: 10 }, (_, i) => `u_conc_${i}`)
    for (const [i, id] of ids.entries()) {
      const r = await rt.call('volunteer', 'register', reg({ name: `并发${i}`, gridId: grids[i % grids.length] }), id)
      expect(r.ok).toBe(true)
    }
    const start = await counter('g_XF01')
    const results = await Promise.all(ids.map((id) => rt.call('volunteer', 'approve', { id }, TOWNSHIP_DG)))
    expect(results.every((r) => r.ok)).toBe(true)
    const seqs = results.map((r) => parsePlate(r.data.plate)!.seq).sort((a, b) => a - b)
    expect(new Set(seqs).size).toBe(10)
    expect(seqs).toEqual(Array.from({ length: 10 }, (_, i) => start + 1 + i))
    expect(await counter('g_XF01')).toBe(seqs[9])
    for (const r of results) expect((await udoc(r.data.id)).plate).toBe(r.data.plate)
  })

  test('the same registration approved by three staff at once: one approval, one plate', async () => {
    await rt.call('volunteer', 'register', reg({ gridId: 'g_XF010101' }), 'u_triple')
    const platesBefore = await countOf('plates')
    const results = await Promise.all([STATION_DG, TOWNSHIP_DG, STATION_DG].map((who) => rt.call('volunteer', 'approve', { id: 'u_triple' }, who)))
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    expect(results.filter((r) => !r.ok).every((r) => r.code === 'INVALID_TRANSITION')).toBe(true)
    expect(await countOf('plates')).toBe(platesBefore + 1)
    const v = await vdoc('u_triple')
    expect(v.plate).toBe(results.find((r) => r.ok).data.plate)
    expect((await udoc('u_triple')).plate).toBe(v.plate)
    expect(v.history.filter((h: any) => h.action === 'approve')).toHaveLength(1)
  })

  test('the counter alone (compare-and-set) hands out each sequence once under contention', async () => {
    const seqs = await Promise.all(Array.from({ length: 20 }, () => nextPlateSeq(rt.db, 'g_TEST', 'TT01')))
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    expect(await counter('g_TEST')).toBe(20)
  })

  test('a township without a counter continues after its highest issued plate', async () => {
    await rt.db.collection('counters').doc('plate_g_XF02').remove()
    await rt.call('volunteer', 'register', reg({ gridId: 'g_XF020101' }), 'u_xs_new')
    const r = await rt.call('volunteer', 'approve', { id: 'u_xs_new' }, STATION_XS)
    expect(r.data.plate).toBe('XF02-0008') // the seed issued XF02-0001…0007
    expect(await counter('g_XF02')).toBe(8)
  })
})

describe('volunteer: rejection, teams, bad input', () => {
  test('rejected with a reason, then the person may apply again (history kept)', async () => {
    const ID = 'u_rej_01'
    await rt.call('volunteer', 'register', reg({ phone: '15800007777' }), ID)
    expect(await rt.call('volunteer', 'reject', { id: ID, reason: '' }, STATION_DG)).toMatchObject({ ok: false, code: 'VALIDATION' })
    expect(await rt.call('volunteer', 'reject', { id: ID, reason: '信息不实' }, STATION_XS)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    const r = await rt.call('volunteer', 'reject', { id: ID, reason: '信息不实' }, STATION_DG)
    expect(r).toMatchObject({ ok: true, data: { status: 'rejected', reason: '信息不实' } })
    expect(await rt.call('volunteer', 'reject', { id: ID, reason: '信息不实' }, STATION_DG)).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' })
    expect(await rt.call('volunteer', 'approve', { id: ID }, STATION_DG)).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' })
    expect((await rt.call('volunteer', 'mine', {}, ID)).data).toMatchObject({ status: 'rejected', reason: '信息不实' })

    const again = await rt.call('volunteer', 'register', reg({ phone: '15800007777', name: '孙晓明', gridId: 'g_XF010102' }), ID)
    expect(again).toMatchObject({ ok: true, data: { status: 'pending', reason: null, gridName: '东关村第二网格' } })
    expect((await vdoc(ID)).history.map((h: any) => h.action)).toEqual(['register', 'reject', 'reapply'])
  })

  test('a chosen team must serve the grid; a township team serves all its grids', async () => {
    const ID = 'u_team_01'
    await rt.call('volunteer', 'register', reg({ gridId: 'g_XF010201' }), ID) // 南街社区
    const wrong = await rt.call('volunteer', 'approve', { id: ID, teamId: 'team_hxg' }, TOWNSHIP_DG)
    expect(wrong).toMatchObject({ ok: false, code: 'VALIDATION' })
    expect((await vdoc(ID)).status).toBe('pending')
    const r = await rt.call('volunteer', 'approve', { id: ID, teamId: 'team_hsl' }, TOWNSHIP_DG)
    expect(r).toMatchObject({ ok: true, data: { teamId: 'team_hsl', teamName: '和事佬调解队' } })
    expect((await udoc(ID)).teamId).toBe('team_hsl')
  })

  test('bad input is refused with a clear message and nothing is stored', async () => {
    const before = await countOf('volunteers')
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ privacyVersion: 'old' }, 'VALIDATION', /隐私/],
      [{ skills: ['飞行'] }, 'VALIDATION', /特长/],
      [{ skills: [] }, 'VALIDATION', /至少选择一项特长/],
      [{ availability: [] }, 'VALIDATION', /服务时间/],
      [{ phone: '12345' }, 'VALIDATION', /电话号码格式不正确/],
      [{ name: '' }, 'VALIDATION', /姓名/],
      [{ gridId: 'g_XF0101' }, 'VALIDATION', /不是网格/],
      [{ gridId: 'g_XF999999' }, 'NOT_FOUND', /没有找到所选网格/],
      [{ photo: 'cloud://local.bucket/photos/nope.png' }, 'VALIDATION', /只能使用您自己上传的照片/],
      [{ photo: 'https://evil.example/x.png' }, 'VALIDATION', /照片/],
    ]
    for (const [patch, code, msg] of cases) {
      const r = await rt.call('volunteer', 'register', reg(patch), 'u_bad_input')
      expect({ patch, ...r }).toMatchObject({ patch, ok: false, code, message: expect.stringMatching(msg) })
    }
    expect(await rt.call('volunteer', 'register', reg(), null)).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' })
    await rt.db.collection('grids').doc('g_XF020202').update({ active: false })
    expect(await rt.call('volunteer', 'register', reg({ gridId: 'g_XF020202' }), 'u_bad_input')).toMatchObject({ ok: false, code: 'GRID_INACTIVE' })
    expect(await countOf('volunteers')).toBe(before)
    expect(await rt.call('volunteer', 'approve', { id: 'u_nobody' }, STATION_DG)).toMatchObject({ ok: false, code: 'NOT_FOUND' })
  })

  test('a stored photo is accepted and shown to the volunteer and the station', async () => {
    const [photo] = await uploadPhotos(rt, 1, 'u_photo_01')
    const r = await rt.call('volunteer', 'register', reg({ photo }), 'u_photo_01')
    expect(r).toMatchObject({ ok: true, data: { photo, photoUrl: expect.stringMatching(/^https?:\/\//) } })
    const list = await rt.call('volunteer', 'list', { status: 'pending', limit: 50 }, STATION_DG)
    expect(list.data.find((v: any) => v.id === 'u_photo_01')).toMatchObject({ photoUrl: expect.stringMatching(/^https?:\/\//) })
  })

  test('lists page by createdAt, newest first', async () => {
    const first = await rt.call('volunteer', 'list', { status: 'approved', limit: 3 }, TOWNSHIP_DG)
    expect(first.data).toHaveLength(3)
    const times = first.data.map((v: any) => v.createdAt)
    expect([...times].sort((a, b) => b - a)).toEqual(times)
    const next = await rt.call('volunteer', 'list', { status: 'approved', limit: 50, before: times[2] }, TOWNSHIP_DG)
    expect(next.data.length).toBeGreaterThan(0)
    // the next page starts at the last item's instant: only that item (or its same-millisecond peers) repeats
    expect(next.data.every((v: any) => v.createdAt <= times[2])).toBe(true)
    expect(next.data.filter((v: any) => first.data.some((f: any) => f.id === v.id)).map((v: any) => v.id)).toEqual([first.data[2].id])
    expect(next.data.length).toBeGreaterThan(1)
    // the township sees only its own
    expect([...first.data, ...next.data].every((v: any) => v.townshipName === '东关镇')).toBe(true)
  })
})
