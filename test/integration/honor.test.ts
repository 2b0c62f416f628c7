// 红黑榜 through the local runtime with the real SDK: a November of loop actions on the demo
// county (on an injected clock), the sweep fills the rollups, the draft ranks villages and
// teams by the county's formula, the county admin publishes once after the month, the public
// list carries no personal data, the poster is a PNG drawn once and kept in storage.
import { PRIVACY_VERSION } from '../../src/core'
import { startTestRuntime, type TestRuntime } from '../helpers/runtime'

const ZHANG = 'u_villager_zhang'
const LI = 'u_villager_li'
const STATION_DG = 'u_station_dg' // 东关村
const STATION_XS = 'u_station_xs' // 西山村
const TOWNSHIP = 'u_township_dg' // 东关镇
const COUNTY = 'u_county'
const VOL_DG = 'u_vol_02' // 刘志刚, 东关村网格服务队
const VOL_HSL = 'u_vol_09' // 和事佬调解队
const VOL_XS = 'u_vol_15' // 西山村红袖箍巡逻队

const COUNTY_ID = 'g_XF'
const MONTH = '2026-11'
/** Monday 2 November 2026, 09:00 in Shanghai: a working day. */
const MON = new Date('2026-11-02T09:00:00+08:00')
const at = (base: Date, minutes: number) => new Date(base.getTime() + minutes * 60_000)
/** 1 December, 10:00 in Shanghai: November is over. */
const DEC1 = new Date('2026-12-01T10:00:00+08:00')

let rt: TestRuntime
beforeAll(async () => {
  rt = await startTestRuntime()
  await november()
}, 120_000)
afterAll(() => rt.close())

const call = (action: string, data: unknown, who: string | null, when: Date) => rt.call('stats', action, data, who, when)
const ok: TestRuntime['ok'] = (...a) => rt.ok(...a)
const fail: TestRuntime['fail'] = (...a) => rt.fail(...a)
const sweep = async (when: Date) => {
  const r = (await rt.invoke('clock', {}, null, () => when)) as any
  if (!r.ok) throw new Error(`sweep: ${r.message}`)
}

let seq = 0
async function place(grid: string, villager: string, when: Date): Promise<string> {
  const r = await ok(
    'order',
    'place',
    { requestId: `honor_order_${++seq}`, gridCode: grid, serviceId: 'svc_01', description: '院子里的水管漏水了，请帮忙看看', contactPhone: villager === LI ? '13800002222' : '13800001111', privacyVersion: PRIVACY_VERSION },
    villager,
    when,
  )
  return r.id
}

/** Placed, dispatched and served the same morning; the villager confirms it fixed with `stars`; staff approve the rating. */
async function servedOnTime(grid: string, villager: string, dispatcher: string, volunteer: string, stars: number, day: Date) {
  const id = await place(grid, villager, day)
  await ok('order', 'dispatch', { id, volunteerId: volunteer }, dispatcher, at(day, 5))
  await ok('order', 'accept', { id }, volunteer, at(day, 10))
  await ok('order', 'checkIn', { id }, volunteer, at(day, 30))
  await ok('order', 'complete', { id, note: '已修好' }, volunteer, at(day, 90))
  await ok('order', 'confirm', { id, fixed: true, stars, comment: '谢谢志愿者' }, villager, at(day, 120))
  await ok('order', 'approve', { kind: 'rating', id }, dispatcher, at(day, 150))
}

/**
 * November in the demo county (default rules 35/35/20/10, at least 3 closed, red ≥ 85 in the
 * top 20 %, black ≤ 60 in the bottom 10 %):
 * - 东关村: 4 orders, all on time, fixed, 5 stars → 100 (team 东关村网格服务队 the same);
 * - 柳树村: 3 orders by the township, on time, fixed, 4 stars → 100·.35 + 100·.35 + 80·.2 + 75·.1 = 93.5
 *   (team 和事佬调解队 the same);
 * - 西山村: 4 orders accepted late (overdue); 2 fixed with 2 stars, 2 closed by the station →
 *   0·.35 + 50·.35 + 40·.2 + 100·.1 = 35.5 (team 西山村红袖箍巡逻队 the same);
 * - 南街社区: 1 order closed by the township: too few to rank.
 */
async function november() {
  // 西山村: dispatched at once, but the volunteer accepts only after the 1-working-day limit
  const xs: string[] = []
  for (let i = 0; i < 4; i++) {
    const id = await place('XF020101', LI, at(MON, i))
    await ok('order', 'dispatch', { id, volunteerId: VOL_XS }, STATION_XS, at(MON, 5 + i))
    xs.push(id)
  }
  // the sweep reminds, then marks them overdue (Tuesday after 09:05)
  for (const m of [0, 1, 2]) await sweep(at(new Date('2026-11-03T11:00:00+08:00'), m))
  for (const id of xs) expect((await rt.db.collection('orders').doc(id).get()).data[0].history.map((h: any) => h.action)).toContain('markOverdue')
  const late = new Date('2026-11-03T14:00:00+08:00')
  for (const id of xs.slice(0, 2)) {
    await ok('order', 'accept', { id }, VOL_XS, late)
    await ok('order', 'complete', { id, note: '已处理' }, VOL_XS, at(late, 60))
    await ok('order', 'confirm', { id, fixed: true, stars: 2, comment: '来得太晚了' }, LI, at(late, 120))
    await ok('order', 'approve', { kind: 'rating', id }, STATION_XS, at(late, 150))
  }
  for (const id of xs.slice(2)) await ok('order', 'close', { id, reason: '志愿者迟迟未接单，村民已另找人修好' }, STATION_XS, at(late, 30))
  const nj = await place('XF010201', ZHANG, at(late, 60))
  await ok('order', 'close', { id: nj, reason: '村民已自行解决' }, TOWNSHIP, at(late, 90))
  for (let i = 0; i < 4; i++) await servedOnTime('XF010101', ZHANG, STATION_DG, VOL_DG, 5, at(MON, (7 + i) * 24 * 60))
  for (let i = 0; i < 3; i++) await servedOnTime('XF010301', ZHANG, TOWNSHIP, VOL_HSL, 4, at(MON, (14 + i) * 24 * 60))

  // the timer: the rollups catch up with every order
  await sweep(DEC1)
}

const brief = (rows: any[]) => rows.map((r) => [r.name, r.score, r.rank, r.mark])

describe('the draft', () => {
  test('the county admin sees the villages ranked by the formula, with red and black marks and the rates behind them', async () => {
    const d = (await call('honorDraft', { month: MONTH, subject: 'village' }, COUNTY, DEC1)).data
    expect(d).toMatchObject({ countyId: COUNTY_ID, countyName: '幸福县', month: MONTH, subject: 'village', ended: true, published: null, rulesVersion: 0, canPublish: true, ownArea: null })
    expect(brief(d.rows)).toEqual([
      ['东关村', 100, 1, 'red'],
      ['柳树村', 93.5, 2, null],
      ['西山村', 35.5, 3, 'black'],
      ['南街社区', null, null, null],
    ])
    const xs = d.rows.find((r: any) => r.name === '西山村')
    expect(xs).toMatchObject({ area: '西山乡', total: 4, closed: 4, fixed: 2, onTimeRate: 0, fixedRate: 0.5, satisfaction: 2, ratings: 2, parts: { onTime: 0, fixed: 50, satisfaction: 40, volume: 100 } })
    expect(d.rows[3]).toMatchObject({ total: 1, closed: 1, note: '办结不足3件，不参加排名' })
    expect(d.rows.every((r: any) => r.own === false)).toBe(true)
  })

  test('teams are ranked the same way', async () => {
    const d = (await call('honorDraft', { month: MONTH, subject: 'team' }, COUNTY, DEC1)).data
    expect(brief(d.rows)).toEqual([
      ['东关村网格服务队', 100, 1, 'red'],
      ['和事佬调解队', 93.5, 2, null],
      ['西山村红袖箍巡逻队', 35.5, 3, 'black'],
    ])
    expect(d.rows[0].area).toBe('东关镇 · 东关村')
  })

  test('township staff see the whole county with their own villages marked, and cannot publish; a station sees no draft', async () => {
    const d = (await call('honorDraft', { month: MONTH, subject: 'village' }, TOWNSHIP, DEC1)).data
    expect(d).toMatchObject({ ownArea: '东关镇', canPublish: false })
    expect(d.rows.map((r: any) => [r.name, r.own])).toEqual([
      ['东关村', true],
      ['柳树村', true],
      ['西山村', false],
      ['南街社区', true],
    ])
    const teams = (await call('honorDraft', { month: MONTH, subject: 'team' }, TOWNSHIP, DEC1)).data
    expect(teams.rows.filter((r: any) => r.own).map((r: any) => r.name)).toEqual(['东关村网格服务队', '和事佬调解队'])
    expect((await fail('stats', 'honorDraft', { month: MONTH }, STATION_DG, DEC1)).code).toBe('FORBIDDEN')
    expect((await fail('stats', 'honorDraft', { month: MONTH }, ZHANG, DEC1)).code).toBe('FORBIDDEN')
    expect((await fail('stats', 'honorDraft', { month: MONTH }, null, DEC1)).code).toBe('UNAUTHENTICATED')
    expect((await fail('stats', 'honorDraft', { month: '2026-13' }, COUNTY, DEC1)).message).toContain('月份格式')
  })
})

describe('rules', () => {
  test('only the county admin reads and saves them; a save from an old version is refused; bad rules are refused in Chinese', async () => {
    const v = (await call('honorRules', {}, COUNTY, DEC1)).data
    expect(v).toMatchObject({ countyId: COUNTY_ID, version: 0, updatedAt: null, rules: { minClosed: 3 } })
    expect((await fail('stats', 'honorRules', {}, TOWNSHIP, DEC1)).code).toBe('FORBIDDEN')
    expect((await fail('stats', 'saveHonorRules', { rules: v.rules, version: 0 }, TOWNSHIP, DEC1)).code).toBe('FORBIDDEN')
    const bad = await fail('stats', 'saveHonorRules', { rules: { ...v.rules, red: { minScore: 50, share: 20 } }, version: 0 }, COUNTY, DEC1)
    expect(bad).toMatchObject({ code: 'VALIDATION', message: '红榜分数线应高于黑榜分数线' })
    expect((await fail('stats', 'saveHonorRules', { rules: { ...v.rules, weights: { onTime: 0, fixed: 0, satisfaction: 0, volume: 0 } }, version: 0 }, COUNTY, DEC1)).message).toBe('四项权重不能都为0')
  })
})

describe('publishing', () => {
  test('not before the month is over, not by township or station staff', async () => {
    const lastEvening = new Date('2026-11-30T23:30:00+08:00')
    expect(await fail('stats', 'honorPublish', { month: MONTH }, COUNTY, lastEvening)).toMatchObject({ code: 'VALIDATION', message: '2026年11月还没有结束，月底后才能发布红黑榜' })
    expect((await fail('stats', 'honorPublish', { month: MONTH }, TOWNSHIP, DEC1)).code).toBe('FORBIDDEN')
    expect((await fail('stats', 'honorPublish', { month: MONTH }, STATION_DG, DEC1)).code).toBe('FORBIDDEN')
    // a month without orders has nobody to rank
    expect((await fail('stats', 'honorPublish', { month: '2026-10' }, COUNTY, DEC1)).message).toContain('没有达到办结件数')
    expect((await rt.db.collection('honorLists').where({ countyId: COUNTY_ID }).get()).data).toHaveLength(0)
    expect((await fail('stats', 'honorList', {}, null, DEC1)).code).toBe('NOT_FOUND')
  })

  test('the county admin publishes once: an immutable snapshot with the rules version, publisher and time', async () => {
    const list = (await call('honorPublish', { month: MONTH }, COUNTY, DEC1)).data
    expect(brief(list.villages)).toEqual([
      ['东关村', 100, 1, 'red'],
      ['柳树村', 93.5, 2, null],
      ['西山村', 35.5, 3, 'black'],
      ['南街社区', null, null, null],
    ])
    const stored = (await rt.db.collection('honorLists').doc(`${COUNTY_ID}:${MONTH}`).get()).data[0]
    expect(stored).toMatchObject({ countyId: COUNTY_ID, month: MONTH, rulesVersion: 0, publishedBy: { id: COUNTY, name: '周主任' } })
    expect(new Date(stored.publishedAt).getTime()).toBe(DEC1.getTime())

    const again = await fail('stats', 'honorPublish', { month: MONTH }, COUNTY, at(DEC1, 60))
    expect(again).toMatchObject({ code: 'CONFLICT', message: '2026年11月的红黑榜已于2026年12月1日发布，不能重复发布' })

    // new rules do not touch the published list (its rows, rules and version stay)
    const rules = (await call('honorRules', {}, COUNTY, DEC1)).data
    const saved = (await call('saveHonorRules', { rules: { ...rules.rules, weights: { onTime: 0, fixed: 0, satisfaction: 0, volume: 1 } }, version: 0 }, COUNTY, at(DEC1, 70))).data
    expect(saved).toMatchObject({ version: 1, updatedBy: '周主任' })
    expect((await fail('stats', 'saveHonorRules', { rules: rules.rules, version: 0 }, COUNTY, at(DEC1, 71))).code).toBe('CONFLICT')
    const draft = (await call('honorDraft', { month: MONTH, subject: 'village' }, COUNTY, at(DEC1, 80))).data
    expect(draft.published).toEqual({ at: DEC1.getTime(), byName: '周主任', rulesVersion: 0 })
    expect(brief(draft.rows)).toEqual(brief(list.villages))
    const pub = (await call('honorList', {}, null, at(DEC1, 90))).data
    expect(pub.rulesVersion).toBe(0)
    expect(pub.rules.weights).toEqual({ onTime: 35, fixed: 35, satisfaction: 20, volume: 10 })
  })

  test('the public list: the latest month, names of villages and teams, scores and rates, the 广播稿, no personal data', async () => {
    const r = await call('honorList', {}, null, at(DEC1, 100))
    expect(r.ok).toBe(true)
    const v = r.data
    expect(v).toMatchObject({ countyId: COUNTY_ID, countyName: '幸福县', month: MONTH, months: [MONTH] })
    expect(v.teams.map((t: any) => t.name)).toEqual(['东关村网格服务队', '和事佬调解队', '西山村红袖箍巡逻队'])
    expect(v.broadcast).toContain('村（社区）红榜：东关村（东关镇），一百分。')
    expect(v.broadcast).toContain('西山村（西山乡），三十五点五分')
    const text = JSON.stringify(v)
    expect(text).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/) // no phone number
    for (const secret of ['张大爷', '李奶奶', '刘志刚', '周主任', '陈所长', '刘站长', '赵站长', 'u_', 'openId', 'publishedBy']) expect(text).not.toContain(secret)
    // a month asked for that was never published
    expect(await fail('stats', 'honorList', { month: '2026-10' }, null, DEC1)).toMatchObject({ code: 'NOT_FOUND', message: '2026年10月的红黑榜还没有发布' })
  })
})

describe('the poster', () => {
  const fetchPng = async (url: string) => Buffer.from(await (await fetch(url)).arrayBuffer())
  const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

  test('anyone gets a PNG of the published month, drawn once and kept in storage; redrawn only when the file is gone', async () => {
    const p = (await call('honorPoster', { month: MONTH }, null, at(DEC1, 120))).data
    expect(p).toMatchObject({ fileName: '幸福县2026年11月红黑榜.png', width: 750 })
    expect(p.fileId).toMatch(new RegExp(`honor/${COUNTY_ID}/${MONTH}\\.png$`))
    const png = await fetchPng(p.url)
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true)
    // IHDR: width and height, big-endian, at bytes 16–23
    expect(png.readUInt32BE(16)).toBe(750)
    expect(png.readUInt32BE(20)).toBe(p.height)
    expect(p.height).toBeGreaterThan(1000)
    expect(png.length).toBeGreaterThan(20_000)
    const drawnAt = (await rt.db.collection('honorLists').doc(`${COUNTY_ID}:${MONTH}`).get()).data[0].poster.at

    // again (staff this time): the stored file, not a new drawing
    const again = (await call('honorPoster', { countyId: COUNTY_ID, month: MONTH }, TOWNSHIP, at(DEC1, 130))).data
    expect(again.fileId).toBe(p.fileId)
    expect((await rt.db.collection('honorLists').doc(`${COUNTY_ID}:${MONTH}`).get()).data[0].poster.at).toEqual(drawnAt)

    // the file is lost: drawn again
    await rt.app.deleteFile({ fileList: [p.fileId] })
    const redrawn = (await call('honorPoster', { month: MONTH }, null, at(DEC1, 140))).data
    expect((await fetchPng(redrawn.url)).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true)
    expect(new Date((await rt.db.collection('honorLists').doc(`${COUNTY_ID}:${MONTH}`).get()).data[0].poster.at).getTime()).toBe(at(DEC1, 140).getTime())
  })

  test('no poster for a month that was not published', async () => {
    expect(await fail('stats', 'honorPoster', { month: '2026-10' }, null, DEC1)).toMatchObject({ code: 'NOT_FOUND', message: '2026年10月的红黑榜还没有发布' })
  })
})
