// 随手拍 and the problem ledger through the local runtime with the real SDK. 王建国 (u_vol_01)
// leads 东关村第一网格 and captains 东关村网格服务队 (team_dg, which serves both grids of 东关村).
// A hazard he reports follows the whole loop with him as its villager; one he handles on the
// spot closes at once as his work (points); replays create nothing; others' photos, grids
// outside his area and villagers are refused; sensitive kinds stay off the landing and Open311
// and out of the pool's details; the ledger of a station and a township filters within scope.
import { PRIVACY_VERSION } from '../../src/core'
import { uploadPhotos } from '../helpers/photos'
import { startTestRuntime, type TestRuntime } from '../helpers/runtime'

const LEADER = 'u_vol_01' // 王建国
const VOL = 'u_vol_02' // 刘志刚, team_dg
const VOL_XS = 'u_vol_14' // 张二虎, 西山村
const VILLAGER = 'u_villager_zhang'
const STATION = 'u_station_dg' // 东关村
const STATION_XS = 'u_station_xs' // 西山村
const TOWNSHIP = 'u_township_dg' // 东关镇
const COUNTY = 'u_county'

// Tuesday 10 November 2026, 10:00 in Shanghai: a working day, inside working hours
const T0 = new Date('2026-11-10T02:00:00Z')
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000)

let rt: TestRuntime
const grids: Record<string, { _id: string; path: string[] }> = {}
beforeAll(async () => {
  rt = await startTestRuntime()
  for (const code of ['XF010101', 'XF01010101', 'XF010102', 'XF010201', 'XF020101']) {
    grids[code] = (await rt.db.collection('grids').where({ code }).get()).data[0]
  }
})
afterAll(() => rt.close())

const ok: TestRuntime['ok'] = (...a) => rt.ok(...a)
const fail: TestRuntime['fail'] = (...a) => rt.fail(...a)
const stored = async (id: string) => (await rt.db.collection('orders').doc(id).get()).data[0]
const inboxOf = async (userId: string, orderId: string) => (await rt.db.collection('inbox').where({ userId, orderId }).get()).data as any[]
const patrolOrdersOf = async (userId: string) => (await rt.db.collection('orders').where({ villagerId: userId, source: 'patrol' }).limit(1000).get()).data as any[]
const open311 = async (path: string) => {
  const res = await fetch(`${rt.url}/open311/v2/${path}`)
  return { status: res.status, body: (await res.json()) as any }
}

let seq = 0
const rid = () => `patrol_${++seq}_${Date.now()}`
/** A report (or on-the-spot handling) as `who`, with fresh photos of their own. */
async function report(who: string, more: Record<string, unknown> = {}, when = T0) {
  const handled = more.handled === true
  return ok(
    'order',
    'patrol',
    {
      requestId: rid(),
      kind: 'hazard',
      gridId: grids.XF01010101._id,
      note: '村口电线杆倾斜，电线下垂',
      photos: await uploadPhotos(rt, 1, who),
      handled,
      ...(handled ? { afterPhotos: await uploadPhotos(rt, 1, who) } : {}),
      ...more,
    },
    who,
    when,
  )
}

describe('上报: a patrol report follows the whole loop', () => {
  test('a leader reports a hazard → the station dispatches → a volunteer serves → the reporter confirms it fixed, told of each step', async () => {
    const photos = await uploadPhotos(rt, 2, LEADER)
    const r = await ok(
      'order',
      'patrol',
      { requestId: rid(), kind: 'hazard', gridId: grids.XF01010101._id, note: '村口电线杆倾斜，电线下垂', spot: '3组李家门前', photos, handled: false },
      LEADER,
      T0,
    )
    expect(r).toMatchObject({ status: 'pending', source: 'patrol', serviceName: '随手拍·安全隐患', category: '安全隐患', gridCode: 'XF01010101', contactName: '王建国', sensitive: false })
    expect(r.report).toMatchObject({ kind: 'hazard', kindLabel: '安全隐患', spot: '3组李家门前', photos })
    expect(r.report.photoUrls).toHaveLength(2)
    expect(r.clock).toMatchObject({ stage: 'dispatch' })
    const o = await stored(r.id)
    expect(o).toMatchObject({ villagerId: LEADER, contactPhone: expect.stringMatching(/^139\d{8}$/), description: '村口电线杆倾斜，电线下垂', scopePath: grids.XF01010101.path })
    expect(o.history.map((h: any) => `${h.action}:${h.role}:${h.to}`)).toEqual(['report:leader:pending'])
    expect(o.enteredBy).toBeUndefined()

    // the station of 东关村 has it to dispatch, 西山村's does not
    const toDispatch = await ok('order', 'incoming', { list: 'dispatch' }, STATION, at(5))
    expect(toDispatch.find((x: any) => x.id === r.id)).toMatchObject({ source: 'patrol', report: { kind: 'hazard' } })
    expect((await ok('order', 'incoming', {}, STATION_XS, at(5))).some((x: any) => x.id === r.id)).toBe(false)

    await ok('order', 'dispatch', { id: r.id, volunteerId: VOL }, STATION, at(10))
    await ok('order', 'accept', { id: r.id }, VOL, at(20))
    await ok('order', 'checkIn', { id: r.id }, VOL, at(40))
    await ok('order', 'complete', { id: r.id, note: '已联系供电所加固电线杆', photos: await uploadPhotos(rt, 1, VOL) }, VOL, at(90))
    const fixed = await ok('order', 'confirm', { id: r.id, fixed: true, stars: 5, comment: '处理及时' }, LEADER, at(120))
    expect(fixed.status).toBe('fixed')
    expect((await ok('order', 'mine', {}, LEADER, at(121))).find((x: any) => x.id === r.id)).toMatchObject({ status: 'fixed', source: 'patrol' })

    const told = (await inboxOf(LEADER, r.id)).map((m) => m.text).join('\n')
    for (const step of ['已派给志愿者', '志愿者刘志刚已接单', '已到达', '请确认是否解决']) expect(told).toContain(step)
    // the volunteer who served it earned the fix (the reporter's confirmation counts like a villager's)
    const earned = (await rt.db.collection('points').where({ userId: VOL, orderId: r.id }).get()).data as any[]
    expect(earned.map((e) => e.trigger)).toContain('service_fixed')
  })

  test('a reporter who served their own report cannot confirm it themself: the station calls back', async () => {
    const r = await report(LEADER, {}, at(200))
    await ok('order', 'dispatch', { id: r.id, volunteerId: LEADER }, STATION, at(210))
    await ok('order', 'accept', { id: r.id }, LEADER, at(220))
    await ok('order', 'complete', { id: r.id, note: '已扶正电线杆', photos: await uploadPhotos(rt, 1, LEADER) }, LEADER, at(260))
    const refused = await fail('order', 'confirm', { id: r.id, fixed: true, stars: 5, comment: '' }, LEADER, at(270))
    expect(refused).toMatchObject({ code: 'FORBIDDEN', message: '这件事是您自己办的，不能自己确认；实践站会电话回访确认' })
    expect((await stored(r.id)).status).toBe('completed')
    const called = await ok('order', 'followUp', { id: r.id, fixed: true }, STATION, at(300))
    expect(called.status).toBe('fixed')
  })
})

describe('就地处置: handled on the spot', () => {
  test('closes at once with the reporter as the one who served, their after-photo, and a points entry; a replay adds nothing', async () => {
    const before = await uploadPhotos(rt, 1, LEADER)
    const after = await uploadPhotos(rt, 1, LEADER)
    const input = { requestId: rid(), kind: 'environment', gridId: grids.XF010101._id, note: '路边堆了一堆垃圾', photos: before, handled: true, afterNote: '已清理干净', afterPhotos: after }
    const r = await ok('order', 'patrol', input, LEADER, at(200))
    expect(r).toMatchObject({ status: 'handled', source: 'patrol', clock: null, assignee: { id: LEADER, name: '王建国', teamId: 'team_dg' } })
    expect(r.completion).toMatchObject({ note: '已清理干净', photos: after })
    expect(r.completion.photoUrls).toHaveLength(1)
    const o = await stored(r.id)
    expect(o.servedBy).toEqual([LEADER])
    expect(o.history.map((h: any) => `${h.action}:${h.to}`)).toEqual(['handleOnSpot:handled'])
    expect(o.pointsDue).toBeUndefined() // recorded in the same call
    const entries = async () => (await rt.db.collection('points').where({ userId: LEADER, orderId: r.id }).get()).data as any[]
    expect((await entries()).map((e) => `${e.kind}:${e.ruleId}:${e.points}`)).toEqual(['earn:patrol_handled:2'])
    // it is in their 已完成 tasks and never in the station's lists to dispatch
    expect((await ok('order', 'tasks', { tab: 'done' }, LEADER, at(201))).some((x: any) => x.id === r.id)).toBe(true)
    expect((await ok('order', 'incoming', { list: 'dispatch' }, STATION, at(201))).some((x: any) => x.id === r.id)).toBe(false)

    const count = (await patrolOrdersOf(LEADER)).length
    const again = await ok('order', 'patrol', input, LEADER, at(260))
    expect(again.id).toBe(r.id)
    expect(again.status).toBe('handled')
    expect(await patrolOrdersOf(LEADER)).toHaveLength(count)
    expect(await entries()).toHaveLength(1)
    // no note after: the note of what was found stands
    const plain = await report(LEADER, { handled: true, kind: 'road', afterNote: undefined }, at(270))
    expect(plain.completion.note).toBe('村口电线杆倾斜，电线下垂')
  })

  test('a replayed report is the same order', async () => {
    const input = { requestId: rid(), kind: 'road', gridId: grids.XF010101._id, note: '路灯不亮了好几天', photos: await uploadPhotos(rt, 1, LEADER), handled: false }
    const first = await ok('order', 'patrol', input, LEADER, at(300))
    const count = (await patrolOrdersOf(LEADER)).length
    const second = await ok('order', 'patrol', input, LEADER, at(301))
    expect(second.id).toBe(first.id)
    expect(second.createdAt).toBe(first.createdAt)
    expect(await patrolOrdersOf(LEADER)).toHaveLength(count)
  })
})

describe('who may report what', () => {
  test('the grids a reporter may choose: their own first, its micro-grids, then those their team serves', async () => {
    const list = (await ok('order', 'patrolGrids', {}, LEADER)) as { id: string; code: string; level: string }[]
    const codes = list.map((g) => g.code)
    const own = (await rt.db.collection('users').doc(LEADER).get()).data[0].roles.find((r: any) => r.role === 'leader').nodeId as string
    const ownCode = (await rt.db.collection('grids').doc(own).get()).data[0].code as string
    expect(codes[0]).toBe(ownCode)
    expect(codes.filter((c) => c.startsWith(ownCode)).length).toBeGreaterThan(1) // its micro-grids
    expect(codes.every((c) => c.startsWith('XF0101'))).toBe(true) // 东关村 only: team_dg serves its grids
    expect(codes.length).toBe(new Set(codes).size)
    expect(await fail('order', 'patrolGrids', {}, VILLAGER)).toMatchObject({ code: 'FORBIDDEN' })
  })
  test('photos of someone else, a grid outside the area, a villager or staff: refused, nothing stored', async () => {
    const count = (await rt.db.collection('orders').where({ source: 'patrol' }).limit(1000).get()).data.length
    const theirs = await uploadPhotos(rt, 1, VOL)
    const base = { kind: 'hazard', gridId: grids.XF010101._id, note: '村口电线杆倾斜，电线下垂', handled: false }
    const stolen = await fail('order', 'patrol', { ...base, requestId: rid(), photos: theirs }, LEADER, at(400))
    expect(stolen).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('只能使用您自己上传的照片') })
    const stolenAfter = await fail('order', 'patrol', { ...base, requestId: rid(), photos: await uploadPhotos(rt, 1, LEADER), handled: true, afterPhotos: theirs }, LEADER, at(400))
    expect(stolenAfter.code).toBe('VALIDATION')
    const west = await fail('order', 'patrol', { ...base, requestId: rid(), gridId: grids.XF020101._id, photos: await uploadPhotos(rt, 1, LEADER) }, LEADER, at(400))
    expect(west).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('不在您的服务范围内') })
    // 南街社区 is in 东关镇 but neither his grid nor one his team serves
    expect((await fail('order', 'patrol', { ...base, requestId: rid(), gridId: grids.XF010201._id, photos: await uploadPhotos(rt, 1, LEADER) }, LEADER, at(400))).code).toBe('FORBIDDEN')
    // 西山村's captain cannot report in 东关村 either
    expect((await fail('order', 'patrol', { ...base, requestId: rid(), photos: await uploadPhotos(rt, 1, VOL_XS) }, VOL_XS, at(400))).code).toBe('FORBIDDEN')
    const villager = await fail('order', 'patrol', { ...base, requestId: rid(), photos: await uploadPhotos(rt, 1, VILLAGER) }, VILLAGER, at(400))
    expect(villager).toMatchObject({ code: 'FORBIDDEN', message: '只有志愿者和网格长可以随手拍上报' })
    expect((await fail('order', 'patrol', { ...base, requestId: rid(), photos: await uploadPhotos(rt, 1, STATION) }, STATION, at(400))).code).toBe('FORBIDDEN')
    expect((await fail('order', 'patrol', { ...base, requestId: rid(), photos: [] }, LEADER, at(400))).code).toBe('VALIDATION')
    expect((await rt.db.collection('orders').where({ source: 'patrol' }).limit(1000).get()).data).toHaveLength(count)
  })

  test('the other grid of the village, through the team that serves it', async () => {
    const r = await report(LEADER, { gridId: grids.XF010102._id }, at(410))
    expect(r).toMatchObject({ status: 'pending', gridCode: 'XF010102' })
    // a member of the team too (刘志刚's own grid is another of 东关村)
    expect((await report(VOL, { gridId: grids.XF010102._id, kind: 'other' }, at(411))).status).toBe('pending')
  })
})

describe('sensitive kinds', () => {
  let disputeId = ''
  let disputeNo = ''
  let roadId = ''
  let roadNo = ''
  beforeAll(async () => {
    const d = await report(LEADER, { kind: 'dispute', note: '张家和李家为宅基地争吵', spot: '3组李家门前', gridId: grids.XF010101._id }, at(500))
    disputeId = d.id
    disputeNo = d.no
    const road = await report(LEADER, { kind: 'road', note: '村东头路面塌了一个坑', gridId: grids.XF010101._id }, at(501))
    roadId = road.id
    roadNo = road.no
  })

  test('never on the scan landing nor in Open311; other open reports are', async () => {
    expect(await stored(disputeId)).toMatchObject({ sensitive: true, serviceId: 'patrol_dispute' })
    const landing = await ok('grid', 'resolve', { code: 'XF010101' }, null)
    const nos = landing.openOrders.map((x: any) => x.no)
    expect(nos).toContain(roadNo)
    expect(nos).not.toContain(disputeNo)

    const services = (await open311('services.json')).body.map((s: any) => s.service_code)
    expect(services).toContain('patrol_road')
    expect(services).not.toContain('patrol_dispute')
    expect(services).not.toContain('patrol_help')
    const requests = (await open311('requests.json?page_size=100')).body.map((x: any) => x.service_request_id)
    expect(requests).toContain(roadId)
    expect(requests).not.toContain(disputeId)
    expect((await open311(`requests/${disputeId}.json`)).status).toBe(404)
    expect((await open311('requests.json?service_code=patrol_dispute')).body).toEqual([])
    expect(JSON.stringify((await open311(`requests/${roadId}.json`)).body)).not.toContain('塌了')
  })

  test('in the team pool a member sees the kind and the grid only; the one who accepts sees it all', async () => {
    await ok('order', 'openPool', { id: disputeId, teamId: 'team_dg' }, STATION, at(510))
    const pooled = (await ok('order', 'tasks', { tab: 'pool' }, VOL, at(511))).find((x: any) => x.id === disputeId)
    expect(pooled).toMatchObject({ serviceName: '随手拍·矛盾纠纷', gridName: '东关村第一网格', sensitive: true, report: { kind: 'dispute', spot: null, photos: [] } })
    expect(JSON.stringify(pooled)).not.toContain('宅基地')
    const detail = await ok('order', 'detail', { id: disputeId }, VOL, at(511))
    expect(detail.description).not.toContain('宅基地')
    // staff see everything
    expect((await ok('order', 'detail', { id: disputeId }, STATION, at(511))).description).toContain('宅基地')
    await ok('order', 'accept', { id: disputeId }, VOL, at(512))
    const mine = await ok('order', 'detail', { id: disputeId }, VOL, at(513))
    expect(mine).toMatchObject({ description: '张家和李家为宅基地争吵', report: { spot: '3组李家门前' } })
    expect(mine.report.photoUrls).toHaveLength(1)
  })
})

describe('问题台账: the problem ledger', () => {
  let placedId = ''
  let lateId = ''
  beforeAll(async () => {
    // a villager's scan order in the same village, and a report nobody dispatches in time
    placedId = (
      await ok(
        'order',
        'place',
        { requestId: rid(), gridCode: 'XF010101', serviceId: 'svc_01', description: '厨房的灯不亮了，麻烦来看看', contactPhone: '13800001111', privacyVersion: PRIVACY_VERSION },
        VILLAGER,
        at(600),
      )
    ).id
    lateId = (await report(LEADER, { kind: 'environment', note: '河道里漂着垃圾', gridId: grids.XF010102._id }, at(601))).id
    // one at 西山村, for the scope to leave out
    await report(VOL_XS, { kind: 'road', gridId: grids.XF020101._id }, at(602))
    // placed at 20:01, after working hours: half a working day runs out at 13:00 the next day; the sweep at 14:00 escalates what is still pending
    const sweep = (await rt.invoke('clock', {}, null, () => new Date('2026-11-11T06:00:00Z'))) as any
    expect(sweep.ok).toBe(true)
  })
  const ledger = (q: object, who = TOWNSHIP) => ok('order', 'ledger', { limit: 50, ...q }, who, new Date('2026-11-11T07:00:00Z'))
  const allOf = async (nodeId: string) => (await rt.db.collection('orders').where({ scopePath: nodeId }).limit(1000).get()).data as any[]

  test('a township sees every order and report of its subtree, newest first; filters by source, category, open / closed, status', async () => {
    const township = grids.XF010101.path[1]
    const all = await ledger({})
    const expected = (await allOf(township)).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).slice(0, 50)
    expect(all.map((o: any) => o.id)).toEqual(expected.map((o) => o._id))
    expect(all.some((o: any) => o.id === placedId)).toBe(true)
    expect(all.every((o: any) => o.townshipName === '东关镇')).toBe(true)

    const patrols = await ledger({ source: 'patrol' })
    expect(patrols.length).toBeGreaterThan(3)
    expect(patrols.every((o: any) => o.source === 'patrol' && o.report)).toBe(true)
    expect(patrols.some((o: any) => o.id === placedId)).toBe(false)
    // the staff ledger shows sensitive reports in full
    expect(patrols.find((o: any) => o.category === '矛盾纠纷')?.description).toContain('宅基地')

    const hazards = await ledger({ category: '安全隐患' })
    expect(hazards.length).toBeGreaterThan(0)
    expect(hazards.every((o: any) => o.category === '安全隐患')).toBe(true)

    const closed = await ledger({ state: 'closed' })
    expect(closed.map((o: any) => o.status)).toEqual(expect.arrayContaining(['handled', 'fixed']))
    expect(closed.every((o: any) => ['fixed', 'rejected', 'referred', 'closed', 'cancelled', 'unconfirmed', 'handled'].includes(o.status))).toBe(true)
    const open = await ledger({ state: 'open', source: 'patrol' })
    expect(open.length).toBeGreaterThan(0)
    expect(open.every((o: any) => !['fixed', 'handled'].includes(o.status))).toBe(true)
    const handled = await ledger({ status: 'handled' })
    expect(handled.length).toBeGreaterThan(0)
    expect(handled.every((o: any) => o.status === 'handled' && o.completion)).toBe(true)
    expect(await ledger({ status: 'handled', state: 'open' })).toEqual([])
  })

  test('overdue: every order a stage ever ran late on, open or closed, as the history tells', async () => {
    const late = await ledger({ overdue: true })
    const recount = (await allOf(grids.XF010101.path[1])).filter((o) => o.history.some((h: any) => h.action === 'autoEscalate' || h.action === 'markOverdue'))
    expect(recount.length).toBeGreaterThan(0)
    expect(late.map((o: any) => o.id).sort()).toEqual(recount.map((o) => o._id).sort())
    expect(late.some((o: any) => o.id === lateId)).toBe(true)
    expect((await stored(lateId)).status).toBe('escalated')
  })

  test('pages by createdAt with `before`', async () => {
    const first = await ledger({ limit: 2, source: 'patrol' })
    expect(first).toHaveLength(2)
    const next = await ledger({ limit: 3, source: 'patrol', before: first[1].createdAt })
    // the page starts at the cursor's instant: the last item may come again, nothing is skipped
    const ids = [...first, ...next].map((o: any) => o.id)
    const all = (await ledger({ source: 'patrol' })).map((o: any) => o.id)
    expect([...new Set(ids)]).toEqual(all.slice(0, new Set(ids).size))
  })

  test('a station sees its village or one grid of it; another village or township is refused; volunteers and villagers too', async () => {
    const village = grids.XF010101.path[2]
    const station = await ledger({}, STATION)
    expect(station.length).toBeGreaterThan(0)
    expect(station.every((o: any) => o.villageName === '东关村')).toBe(true)
    const one = await ledger({ nodeId: grids.XF010102._id }, STATION)
    expect(one.map((o: any) => o.id)).toContain(lateId)
    expect(one.every((o: any) => o.gridCode.startsWith('XF010102'))).toBe(true)
    expect(one.some((o: any) => o.id === placedId)).toBe(false)
    expect((await ledger({ nodeId: village }, STATION)).length).toBe(station.length)

    const westVillage = grids.XF020101.path[2]
    const westTownship = grids.XF020101.path[1]
    expect((await fail('order', 'ledger', { nodeId: westVillage }, STATION)).code).toBe('FORBIDDEN')
    expect((await fail('order', 'ledger', { nodeId: westTownship }, TOWNSHIP)).code).toBe('FORBIDDEN')
    expect((await fail('order', 'ledger', { nodeId: grids.XF010201.path[2] }, STATION)).code).toBe('FORBIDDEN') // 南街社区
    expect((await fail('order', 'ledger', {}, LEADER)).code).toBe('FORBIDDEN')
    expect((await fail('order', 'ledger', {}, VILLAGER)).code).toBe('FORBIDDEN')
    // the county sees both townships
    const county = await ledger({ source: 'patrol' }, COUNTY)
    expect(new Set(county.map((o: any) => o.townshipName))).toEqual(new Set(['东关镇', '西山乡']))
  })
})
