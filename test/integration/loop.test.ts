// The five-step loop through the local runtime with the real SDK: every action,
// every refusal class, the accept race, notifications.
import { PRIVACY_VERSION } from '../../src/core'
import { run as orderFunction } from '../../cloudfunctions/order'
import { uploadPhotos } from '../helpers/photos'
import { startTestRuntime, type TestRuntime } from '../helpers/runtime'

const VILLAGER = 'u_villager_zhang'
const OTHER_VILLAGER = 'u_villager_li'
const STATION = 'u_station_dg' // 东关村 (g_XF0101)
const STATION_XS = 'u_station_xs' // 西山村
const TOWNSHIP = 'u_township_dg'
const COUNTY = 'u_county'
const LEADER_DG = 'u_vol_01' // captain of team_dg
const VOL_DG = 'u_vol_02' // team_dg
const VOL_DG2 = 'u_vol_03' // team_dg
const VOL_XS = 'u_vol_15' // team_hxg (西山村)

let rt: TestRuntime
let P: string[] // photos in storage (complete accepts only existing images)
beforeAll(async () => {
  rt = await startTestRuntime({ rateLimits: false }) // one demo villager places dozens of orders here
  P = await uploadPhotos(rt, 2, VOL_DG)
})
afterAll(() => rt.close())

let seq = 0
async function place(): Promise<string> {
  const r = await rt.call(
    'order',
    'place',
    {
      requestId: `loop_${Date.now()}_${++seq}`,
      gridCode: 'XF010101',
      serviceId: 'svc_01',
      description: '厨房的灯不亮了，麻烦来看看',
      contactPhone: '13800001111',
      contactName: '张大爷',
      privacyVersion: PRIVACY_VERSION,
    },
    VILLAGER,
  )
  expect(r.ok).toBe(true)
  return r.data.id
}
const stored = async (id: string) => (await rt.db.collection('orders').doc(id).get()).data[0]
const ok = async (fn: string, action: string, data: unknown, who: string) => {
  const r = await rt.call(fn, action, data, who)
  if (!r.ok) throw new Error(`${action} as ${who}: ${r.code} ${r.message}`)
  return r.data
}
const inboxOf = async (userId: string, orderId: string) =>
  (await rt.db.collection('inbox').where({ userId, orderId }).get()).data as any[]

/** An order brought to `state` through the real actions. */
async function orderIn(state: 'pending' | 'dispatched' | 'pooled' | 'accepted' | 'in_service' | 'completed'): Promise<string> {
  const id = await place()
  if (state === 'pending') return id
  if (state === 'pooled') {
    await ok('order', 'openPool', { id, teamId: 'team_dg' }, STATION)
    return id
  }
  await ok('order', 'dispatch', { id, volunteerId: VOL_DG }, STATION)
  if (state === 'dispatched') return id
  await ok('order', 'accept', { id }, VOL_DG)
  if (state === 'accepted') return id
  await ok('order', 'checkIn', { id }, VOL_DG)
  if (state === 'in_service') return id
  await ok('order', 'complete', { id, note: '换了灯泡，已亮', photos: [P[0]] }, VOL_DG)
  return id
}

describe('happy paths', () => {
  test('dispatch → accept → check in → complete → confirm fixed with 5 stars', async () => {
    const id = await place()
    const d = await ok('order', 'dispatch', { id, volunteerId: VOL_DG }, STATION)
    expect(d).toMatchObject({ status: 'dispatched', assignee: { id: VOL_DG, name: '刘志刚', teamId: 'team_dg' } })

    const assigned = await ok('order', 'tasks', { tab: 'assigned' }, VOL_DG)
    const task = assigned.find((o: any) => o.id === id)
    expect(task.contactPhone).toBe('138****1111') // masked until accepted

    const a = await ok('order', 'accept', { id }, VOL_DG)
    expect(a).toMatchObject({ status: 'accepted', contactPhone: '13800001111' })
    expect((await ok('order', 'tasks', { tab: 'active' }, VOL_DG)).map((o: any) => o.id)).toContain(id)

    expect(await ok('order', 'checkIn', { id }, VOL_DG)).toMatchObject({ status: 'in_service' })
    const c = await ok('order', 'complete', { id, note: '换了灯泡，已亮', photos: P }, VOL_DG)
    expect(c).toMatchObject({ status: 'completed', completion: { note: '换了灯泡，已亮', photos: P } })
    expect(c.completion.photoUrls).toHaveLength(2)
    expect(c.completion.photoUrls[0]).toMatch(/^https?:\/\//)
    expect(c.contactPhone).toBe('138****1111') // masked again after completion
    const done = await ok('order', 'tasks', { tab: 'done' }, VOL_DG)
    expect(done.map((o: any) => o.id)).toContain(id)

    const f = await ok('order', 'confirm', { id, fixed: true, stars: 5, comment: '很及时，谢谢' }, VILLAGER)
    expect(f).toMatchObject({ status: 'fixed', rating: { fixed: true, stars: 5, comment: '很及时，谢谢', status: 'pending' } })
    expect(f.history.map((h: any) => `${h.action}:${h.from ?? '-'}>${h.to}:${h.role}`)).toEqual([
      'place:->pending:villager',
      'dispatch:pending>dispatched:station',
      'accept:dispatched>accepted:volunteer',
      'checkIn:accepted>in_service:volunteer',
      'complete:in_service>completed:volunteer',
      'confirmFixed:completed>fixed:villager',
    ])
    // the villager was told at every step someone else took
    const kinds = (await inboxOf(VILLAGER, id)).map((m) => m.kind)
    expect(kinds.filter((k) => k === 'order_update')).toHaveLength(4)
    const outbox = (await rt.db.collection('outbox').where({ orderId: id, toOpenId: VOL_DG }).get()).data as any[]
    expect(outbox[0]).toMatchObject({ kind: 'task_assigned', status: 'pending' })
  })

  test('pool → a team member accepts; team dispatch → the captain is told', async () => {
    const id = await place()
    expect(await ok('order', 'openPool', { id, teamId: 'team_dg' }, STATION)).toMatchObject({ status: 'pooled', team: { id: 'team_dg' } })
    expect(await inboxOf(LEADER_DG, id)).toEqual([expect.objectContaining({ kind: 'team_task', read: false })])
    expect((await ok('order', 'tasks', { tab: 'pool' }, VOL_DG2)).map((o: any) => o.id)).toContain(id)
    expect((await ok('order', 'tasks', { tab: 'pool' }, VOL_XS)).map((o: any) => o.id)).not.toContain(id)
    // order detail: team-mates read the pooled order with the phone masked; other teams cannot read it
    expect((await ok('order', 'detail', { id }, VOL_DG2)).contactPhone).toBe('138****1111')
    expect(await rt.call('order', 'detail', { id }, VOL_XS)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await ok('order', 'accept', { id }, VOL_DG2)).toMatchObject({ status: 'accepted', assignee: { id: VOL_DG2 } })
    expect((await ok('order', 'detail', { id }, VOL_DG2)).contactPhone).toBe('13800001111') // the assignee, serving now
    expect(await rt.call('order', 'detail', { id }, VOL_DG)).toMatchObject({ ok: false, code: 'FORBIDDEN' }) // taken by a team-mate

    const id2 = await place()
    expect(await ok('order', 'dispatch', { id: id2, teamId: 'team_dg' }, STATION)).toMatchObject({ status: 'dispatched', team: { id: 'team_dg' }, assignee: null })
    expect(await ok('order', 'accept', { id: id2 }, VOL_DG)).toMatchObject({ status: 'accepted', assignee: { id: VOL_DG } })
  })

  test('redispatch moves it to another volunteer and tells the first', async () => {
    const id = await orderIn('dispatched')
    const r = await ok('order', 'redispatch', { id, volunteerId: VOL_DG2, reason: '刘志刚外出' }, STATION)
    expect(r).toMatchObject({ status: 'dispatched', assignee: { id: VOL_DG2 } })
    expect((await inboxOf(VOL_DG, id)).map((m) => m.kind)).toContain('task_withdrawn')
    expect((await rt.call('order', 'accept', { id }, VOL_DG)).code).toBe('FORBIDDEN')
  })

  test('decline returns it to pending and tells the dispatcher', async () => {
    const id = await orderIn('dispatched')
    const d = await ok('order', 'decline', { id, reason: '今天在外地' }, VOL_DG)
    expect(d).toMatchObject({ status: 'pending', assignee: null })
    expect(d.history.at(-1)).toMatchObject({ action: 'decline', from: 'dispatched', to: 'pending', reason: '今天在外地' })
    expect((await inboxOf(STATION, id)).map((m) => m.kind)).toEqual(['order_returned'])
  })

  test('confirm not fixed reopens the order (pending) and writes an inbox message for the station', async () => {
    const id = await orderIn('completed')
    const r = await ok('order', 'confirm', { id, fixed: false, reason: '灯还是不亮' }, VILLAGER)
    expect(r).toMatchObject({ status: 'pending', assignee: null })
    const msgs = await inboxOf(STATION, id)
    expect(msgs).toEqual([expect.objectContaining({ kind: 'order_returned', read: false })])
    expect(msgs[0].text).toContain('未解决')
    // the volunteer keeps it in their done tab
    expect((await ok('order', 'tasks', { tab: 'done' }, VOL_DG)).map((o: any) => o.id)).toContain(id)
    // and it can be dispatched again
    expect(await ok('order', 'dispatch', { id, volunteerId: VOL_DG2 }, STATION)).toMatchObject({ status: 'dispatched' })
  })

  test('cancel, reject, escalate (township is told, then dispatches), refer, close', async () => {
    const a = await orderIn('dispatched')
    expect(await ok('order', 'cancel', { id: a }, VILLAGER)).toMatchObject({ status: 'cancelled' })
    expect((await inboxOf(VOL_DG, a)).map((m) => m.kind)).toContain('task_withdrawn')

    const b = await place()
    expect(await ok('order', 'reject', { id: b, reason: '不属于服务范围' }, STATION)).toMatchObject({ status: 'rejected' })

    const c = await place()
    expect(await ok('order', 'escalate', { id: c, reason: '需要乡镇协调' }, STATION)).toMatchObject({ status: 'escalated' })
    expect((await inboxOf(TOWNSHIP, c)).map((m) => m.kind)).toEqual(['order_escalated'])
    expect(await ok('order', 'dispatch', { id: c, teamId: 'team_hsl' }, TOWNSHIP)).toMatchObject({ status: 'dispatched', team: { id: 'team_hsl' } })
    expect(await ok('order', 'refer', { id: c, reason: '转交供电所' }, TOWNSHIP)).toMatchObject({ status: 'referred' })

    const d = await orderIn('pooled')
    expect(await ok('order', 'close', { id: d, reason: '村民已自行解决' }, STATION)).toMatchObject({ status: 'closed' })
  })

  test('inbox: list mine with the unread count, mark read', async () => {
    const id = await orderIn('accepted')
    const box = await ok('inbox', 'inbox', {}, VILLAGER)
    expect(box.unread).toBeGreaterThanOrEqual(2)
    expect(box.items.find((m: any) => m.orderId === id)).toMatchObject({ kind: 'order_update', read: false })
    const one = await ok('inbox', 'readInbox', { ids: [box.items[0].id] }, VILLAGER)
    expect(one).toEqual({ updated: 1, unread: box.unread - 1 })
    // someone else's ids change nothing
    expect(await ok('inbox', 'readInbox', { ids: [box.items[1].id] }, OTHER_VILLAGER)).toMatchObject({ updated: 0 })
    expect(await ok('inbox', 'readInbox', {}, VILLAGER)).toMatchObject({ unread: 0 })
    expect((await ok('inbox', 'inbox', { unreadOnly: true }, VILLAGER)).items).toEqual([])
    expect(await rt.call('inbox', 'inbox', {}, null)).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' })
  })
})

describe('refusals change nothing', () => {
  const cases: [name: string, state: Parameters<typeof orderIn>[0], action: string, data: Record<string, unknown>, who: string, code: string][] = [
    ['a volunteer cannot dispatch (wrong role)', 'pending', 'dispatch', { volunteerId: VOL_DG }, VOL_DG, 'FORBIDDEN'],
    ['a villager cannot accept (wrong role)', 'dispatched', 'accept', {}, VILLAGER, 'FORBIDDEN'],
    ['the county cannot dispatch (wrong role)', 'pending', 'dispatch', { volunteerId: VOL_DG }, COUNTY, 'FORBIDDEN'],
    ['a station cannot confirm (wrong role)', 'completed', 'confirm', { fixed: true, stars: 5 }, STATION, 'FORBIDDEN'],
    ['another villager cannot cancel', 'pending', 'cancel', {}, OTHER_VILLAGER, 'FORBIDDEN'],
    ['accepted orders cannot be dispatched (wrong state)', 'accepted', 'dispatch', { volunteerId: VOL_DG2 }, STATION, 'INVALID_TRANSITION'],
    ['accepted orders cannot be cancelled (wrong state)', 'accepted', 'cancel', {}, VILLAGER, 'INVALID_TRANSITION'],
    ['no check-in before accept (wrong state)', 'dispatched', 'checkIn', {}, VOL_DG, 'INVALID_TRANSITION'],
    ['no confirm before completion (wrong state)', 'in_service', 'confirm', { fixed: true, stars: 4 }, VILLAGER, 'INVALID_TRANSITION'],
    ['another village’s station (scope)', 'pending', 'dispatch', { volunteerId: VOL_DG }, STATION_XS, 'FORBIDDEN'],
    ['another village’s station cannot close (scope)', 'pooled', 'close', { reason: '无需处理' }, STATION_XS, 'FORBIDDEN'],
    ['a volunteer not assigned cannot accept', 'dispatched', 'accept', {}, VOL_DG2, 'FORBIDDEN'],
    ['a volunteer of another team cannot grab the pool', 'pooled', 'accept', {}, VOL_XS, 'FORBIDDEN'],
    ['a team-mate cannot check in for the assignee', 'accepted', 'checkIn', {}, VOL_DG2, 'FORBIDDEN'],
    ['a team-mate cannot complete for the assignee', 'in_service', 'complete', { note: '已处理好了' }, LEADER_DG, 'FORBIDDEN'],
    ['reject needs a reason', 'pending', 'reject', {}, STATION, 'VALIDATION'],
    ['decline needs a reason', 'dispatched', 'decline', { reason: ' ' }, VOL_DG, 'VALIDATION'],
    ['not fixed needs a reason', 'completed', 'confirm', { fixed: false }, VILLAGER, 'VALIDATION'],
    ['stars are 1 to 5', 'completed', 'confirm', { fixed: true, stars: 6 }, VILLAGER, 'VALIDATION'],
    ['at most 9 photos', 'in_service', 'complete', { note: '已处理', photos: Array.from({ length: 10 }, (_, i) => `cloud://p/${i}.jpg`) }, VOL_DG, 'VALIDATION'],
    ['dispatch names one target', 'pending', 'dispatch', { volunteerId: VOL_DG, teamId: 'team_dg' }, STATION, 'VALIDATION'],
    ['a volunteer outside the village', 'pending', 'dispatch', { volunteerId: VOL_XS }, STATION, 'FORBIDDEN'],
    ['a team that does not serve the grid', 'pending', 'openPool', { teamId: 'team_hxg' }, STATION, 'FORBIDDEN'],
  ]
  test.each(cases)('%s', async (_name, state, action, data, who, code) => {
    const id = await orderIn(state)
    const before = await stored(id)
    const inboxBefore = (await rt.db.collection('inbox').where({ orderId: id }).count()).total
    const r = await rt.call('order', action, { id, ...data }, who)
    expect(r).toMatchObject({ ok: false, code })
    expect(r.message).toMatch(/[\u4e00-\u9fa5]/)
    expect(await stored(id)).toEqual(before)
    expect((await rt.db.collection('inbox').where({ orderId: id }).count()).total).toBe(inboxBefore)
  })

  test('a volunteer (not a villager) cannot list tasks unless registered; unknown order is NOT_FOUND', async () => {
    expect(await rt.call('order', 'tasks', { tab: 'assigned' }, VILLAGER)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await rt.call('order', 'accept', { id: 'nope' }, VOL_DG)).toMatchObject({ ok: false, code: 'NOT_FOUND' })
  })
})

describe('the race', () => {
  const racers = Array.from({ length: 50 }, (_, i) => ({
    _id: `u_racer_${String(i).padStart(2, '0')}`,
    openId: `u_racer_${String(i).padStart(2, '0')}`,
    name: `志愿者${i}`,
    roles: [{ role: 'volunteer', nodeId: 'g_XF010101' }],
    teamId: 'team_dg',
    createdAt: new Date(),
  }))
  beforeAll(() => rt.emulator.insertMany('users', racers))

  const checkOneWinner = async (id: string, results: any[]) => {
    const wins = results.filter((r) => r.ok)
    const losses = results.filter((r) => !r.ok)
    expect(wins).toHaveLength(1)
    expect(losses).toHaveLength(49)
    for (const l of losses) expect(l).toMatchObject({ code: 'CONFLICT', message: '已被其他志愿者接单' })
    const o = await stored(id)
    expect(o.status).toBe('accepted')
    expect(o.assignee.id).toBe(wins[0].data.assignee.id)
    expect(o.history.filter((h: any) => h.action === 'accept')).toHaveLength(1)
    expect((await inboxOf(VILLAGER, id)).filter((m) => m.text.includes('已接单'))).toHaveLength(1)
  }

  test('all 50 read the pooled order before any writes: 50 conditional updates, exactly one applies', async () => {
    const id = await orderIn('pooled')
    // hold every conditional update on orders until all 50 callers have read the order and been authorized
    let arrived = 0
    let release!: () => void
    const barrier = new Promise<void>((r) => (release = r))
    const timer = setTimeout(() => release(), 5000)
    const db = new Proxy(rt.db, {
      get: (t, p) =>
        p === 'collection'
          ? (name: string) => {
              const coll = t.collection(name)
              if (name !== 'orders') return coll
              return new Proxy(coll, {
                get: (c, q) =>
                  q === 'where'
                    ? (cond: any) => {
                        const query = c.where(cond)
                        return new Proxy(query, {
                          get: (qq, m) =>
                            m === 'update'
                              ? async (u: any) => {
                                  if (++arrived === racers.length) release()
                                  await barrier
                                  return qq.update(u)
                                }
                              : (qq as any)[m],
                        })
                      }
                    : (c as any)[q],
              })
            }
          : (t as any)[p],
    })
    rt.emulator.resetStats()
    const results = await Promise.all(racers.map((u) => orderFunction({ action: 'accept', data: { id } }, { db, openId: u._id })))
    clearTimeout(timer)
    const cas = rt.emulator.stats().byAction['database.modifyDocument'] ?? 0
    console.log(`accept race (all read first): ${results.filter((r) => r.ok).length} ok, ${results.filter((r) => !r.ok).length} refused; ${cas} conditional updates sent`)
    expect(cas).toBe(50)
    await checkOneWinner(id, results)
  })

  test('50 concurrent accepts by 50 volunteers of one team on a pooled order (as they arrive): exactly one wins', async () => {
    const id = await orderIn('pooled')
    rt.emulator.resetStats()
    const results = await Promise.all(racers.map((u) => rt.call('order', 'accept', { id }, u._id)))
    const casAttempts = rt.emulator.stats().byAction['database.modifyDocument'] ?? 0
    console.log(`accept race: ${results.filter((r) => r.ok).length} ok, ${results.filter((r) => !r.ok).length} refused; ${casAttempts} conditional updates reached the database`)
    await checkOneWinner(id, results)
  })
})

describe('notifications are best effort', () => {
  test('when inbox and outbox cannot be written, the transition still succeeds (and the failure is logged)', async () => {
    const id = await place()
    const down = () => ({ add: () => Promise.reject(new Error('collection down')) })
    const db = new Proxy(rt.db, {
      get: (t, p) => (p === 'collection' ? (name: string) => (name === 'inbox' || name === 'outbox' ? down() : t.collection(name)) : (t as any)[p]),
    })
    const log = jest.spyOn(console, 'error').mockImplementation(() => {})
    try {
      const r: any = await orderFunction({ action: 'dispatch', data: { id, volunteerId: VOL_DG } }, { db, openId: STATION })
      expect(r).toMatchObject({ ok: true, data: { status: 'dispatched' } })
      expect(log).toHaveBeenCalledWith(expect.stringContaining('[notify]'), id, expect.anything())
    } finally {
      log.mockRestore()
    }
    expect((await stored(id)).status).toBe('dispatched')
    expect(await inboxOf(VOL_DG, id)).toEqual([])
  })
})
