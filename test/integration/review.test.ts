// 评 / 晒 / suggest / notify through the local runtime with the real SDK:
// approval queue and scope, showcase content check / photos / feed privacy,
// the outbox sender with a failing WeChat port, dispatch suggestions.
import { PRIVACY_VERSION } from '../../src/core'
import { run as notifyFunction } from '../../cloudfunctions/notify'
import { localWechat, type WechatPort } from '../../cloudfunctions/shared/wechat'
import { uploadPhotos } from '../helpers/photos'
import { startTestRuntime, type TestRuntime } from '../helpers/runtime'

const VILLAGER = 'u_villager_zhang'
const OTHER_VILLAGER = 'u_villager_li'
const STATION = 'u_station_dg' // 东关村
const STATION_XS = 'u_station_xs' // 西山村
const TOWNSHIP = 'u_township_dg'
const COUNTY = 'u_county'
const LEADER_DG = 'u_vol_01' // captain of team_dg
const VOL_DG = 'u_vol_02'
const DONGGUAN = 'g_XF0101'
const XISHAN = 'g_XF0201'
const TOWN_DG = 'g_XF01'

let rt: TestRuntime
let P: string[] // the villager's photos
let V: string[] // the volunteer's
let L: string[] // the team leader's
const savedWords = process.env.XF_BLOCKED_WORDS
beforeAll(async () => {
  process.env.XF_BLOCKED_WORDS = '测试禁词, 坏词'
  rt = await startTestRuntime({ rateLimits: false }) // one demo villager places dozens of orders here
  P = await uploadPhotos(rt, 10, VILLAGER)
  V = await uploadPhotos(rt, 3, VOL_DG)
  L = await uploadPhotos(rt, 1, LEADER_DG)
})
afterAll(async () => {
  await rt.close()
  if (savedWords === undefined) delete process.env.XF_BLOCKED_WORDS
  else process.env.XF_BLOCKED_WORDS = savedWords
})

let seq = 0
const call = (fn: string, action: string, data: unknown, who: string | null) => rt.call(fn, action, data, who)
const ok = async (fn: string, action: string, data: unknown, who: string | null) => {
  const r = await call(fn, action, data, who)
  if (!r.ok) throw new Error(`${fn}.${action} as ${who}: ${r.code} ${r.message}`)
  return r.data
}
const trips = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
  const before = rt.emulator.stats().total
  const r = await f()
  return [r, rt.emulator.stats().total - before]
}
async function place(gridCode = 'XF010101', serviceId = 'svc_01'): Promise<string> {
  const o = await ok(
    'order',
    'place',
    { requestId: `review_${Date.now()}_${++seq}`, gridCode, serviceId, description: '厨房的灯不亮了，麻烦来看看', contactPhone: '13800001111', contactName: '张大爷', privacyVersion: PRIVACY_VERSION },
    VILLAGER,
  )
  return o.id
}
async function completed(): Promise<string> {
  const id = await place()
  await ok('order', 'dispatch', { id, volunteerId: VOL_DG }, STATION)
  await ok('order', 'accept', { id }, VOL_DG)
  await ok('order', 'complete', { id, note: '换了灯泡，已亮', photos: [V[0]] }, VOL_DG)
  return id
}
async function fixed(stars = 5, comment = '来得很快，修得很好'): Promise<string> {
  const id = await completed()
  await ok('order', 'confirm', { id, fixed: true, stars, comment }, VILLAGER)
  return id
}
const stored = async (col: string, id: string) => (await rt.db.collection(col).doc(id).get()).data[0] as any
const inboxOf = async (userId: string, orderId: string) => (await rt.db.collection('inbox').where({ userId, orderId }).get()).data as any[]

describe('rating approvals', () => {
  test('the queue names who rated: the villager, also when they gave no contact name with the order', async () => {
    const o = await ok(
      'order',
      'place',
      { requestId: `review_${Date.now()}_${++seq}`, gridCode: 'XF010101', serviceId: 'svc_01', description: '院里的水管漏水了', contactPhone: '13800001111', privacyVersion: PRIVACY_VERSION },
      VILLAGER,
    )
    await ok('order', 'dispatch', { id: o.id, volunteerId: VOL_DG }, STATION)
    await ok('order', 'accept', { id: o.id }, VOL_DG)
    await ok('order', 'complete', { id: o.id, note: '换了水管接头', photos: [V[0]] }, VOL_DG)
    await ok('order', 'confirm', { id: o.id, fixed: true, stars: 4, comment: '挺好' }, VILLAGER)
    const item = (await ok('order', 'approvals', { kind: 'rating' }, STATION)).find((x: any) => x.id === o.id)
    expect(item.authorName).toBe('张大爷')
  })

  test('the queue is per scope: own village, township and county see it; another village does not', async () => {
    const id = await fixed()
    const view = await ok('order', 'detail', { id }, VILLAGER)
    expect(view.rating).toMatchObject({ stars: 5, status: 'pending', reason: null })
    expect(typeof view.rating.at).toBe('number')

    for (const who of [STATION, TOWNSHIP, COUNTY]) {
      const q = await ok('order', 'approvals', { kind: 'rating' }, who)
      expect(q.find((x: any) => x.id === id)).toMatchObject({ kind: 'rating', orderId: id, status: 'pending', rating: { stars: 5, fixed: true } })
    }
    const other = await ok('order', 'approvals', { kind: 'rating' }, STATION_XS)
    expect(other.find((x: any) => x.id === id)).toBeUndefined()
    expect(await call('order', 'approvals', { kind: 'rating', nodeId: DONGGUAN }, STATION_XS)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await call('order', 'approvals', { kind: 'rating' }, VILLAGER)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await call('order', 'approvals', { kind: 'rating' }, VOL_DG)).toMatchObject({ ok: false, code: 'FORBIDDEN' })

    // another village's station may not decide it, and nothing changes
    expect(await call('order', 'approve', { kind: 'rating', id }, STATION_XS)).toMatchObject({ ok: false, code: 'FORBIDDEN', message: '无权审核其他区域的内容' })
    expect(await call('order', 'approve', { kind: 'rating', id }, VILLAGER)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect((await stored('orders', id)).rating.status).toBe('pending')
  })

  test('approve: compare-and-set on pending, audit entry, inbox to the villager; a second decision is refused', async () => {
    const id = await fixed()
    const [a, n] = await trips(() => ok('order', 'approve', { kind: 'rating', id }, STATION))
    console.log(`order.approve (rating): ${n} DB requests`)
    expect(a).toMatchObject({ kind: 'rating', id, status: 'approved', reviewedBy: '刘站长' })
    const o = await stored('orders', id)
    expect(o.rating).toMatchObject({ status: 'approved', review: { by: STATION, role: 'station', decision: 'approved' } })
    expect(o.rating.reviews).toHaveLength(1)
    expect((await ok('order', 'detail', { id }, VILLAGER)).rating.status).toBe('approved')
    const msgs = await inboxOf(VILLAGER, id)
    expect(msgs.find((m) => m.kind === 'review_result')?.text).toMatch(/评价已审核通过/)
    expect((await rt.db.collection('outbox').where({ toOpenId: VILLAGER, orderId: id, kind: 'review_result' }).count()).total).toBe(1)

    expect(await call('order', 'approve', { kind: 'rating', id }, TOWNSHIP)).toMatchObject({ ok: false, code: 'CONFLICT' })
    expect(await call('order', 'rejectApproval', { kind: 'rating', id, reason: '评价内容不实' }, COUNTY)).toMatchObject({ ok: false, code: 'CONFLICT' })
    const q = await ok('order', 'approvals', { kind: 'rating' }, STATION)
    expect(q.find((x: any) => x.id === id)).toBeUndefined()
  })

  test('reject needs a reason; it is stored and told to the villager; only approved ratings count', async () => {
    const id = await fixed(1, '等了很久才来')
    expect(await call('order', 'rejectApproval', { kind: 'rating', id }, STATION)).toMatchObject({ ok: false, code: 'VALIDATION' })
    const r = await ok('order', 'rejectApproval', { kind: 'rating', id, reason: '与实际情况不符' }, TOWNSHIP)
    expect(r).toMatchObject({ status: 'rejected', reason: '与实际情况不符' })
    expect((await ok('order', 'detail', { id }, VILLAGER)).rating).toMatchObject({ status: 'rejected', reason: '与实际情况不符' })
    const msg = (await inboxOf(VILLAGER, id)).find((m) => m.kind === 'review_result')
    expect(msg.text).toMatch(/未通过审核，原因：与实际情况不符/)
    const { scores } = await import('../../src/core')
    expect(scores([await stored('orders', id)])).toMatchObject({ approved: 0, average: null })
  })

  test('two reviewers at once: exactly one decision lands', async () => {
    const id = await fixed()
    const rs = await Promise.all([
      call('order', 'approve', { kind: 'rating', id }, STATION),
      call('order', 'rejectApproval', { kind: 'rating', id, reason: '重复提交' }, TOWNSHIP),
      call('order', 'approve', { kind: 'rating', id }, COUNTY),
    ])
    expect(rs.filter((r) => r.ok)).toHaveLength(1)
    expect(rs.filter((r) => !r.ok).every((r) => r.code === 'CONFLICT')).toBe(true)
    expect((await stored('orders', id)).rating.reviews).toHaveLength(1)
  })

  test('a comment with a blocked word is refused and the order stays waiting for confirmation', async () => {
    const id = await completed()
    const r = await call('order', 'confirm', { id, fixed: true, stars: 5, comment: '这里有人赌博' }, VILLAGER)
    expect(r).toMatchObject({ ok: false, code: 'VALIDATION' })
    expect(r.message).toMatch(/内容未通过安全检测.*赌博/)
    const o = await stored('orders', id)
    expect(o.status).toBe('completed')
    expect(o.rating).toBeUndefined()
  })
})

describe('showcases', () => {
  test('happy path: pending → not in the feed → approved → in the feed, without phone numbers or user ids', async () => {
    const id = await fixed()
    const story = '志愿者刘志刚半小时就到了，换了灯泡，还帮忙检查了线路。'
    const [sc, n] = await trips(() => ok('showcase', 'create', { orderId: id, story, photos: P.slice(0, 3) }, VILLAGER))
    console.log(`showcase.create: ${n} DB requests`)
    expect(sc).toMatchObject({ id: `sc_${id}`, orderId: id, status: 'pending', story, photos: P.slice(0, 3), author: { kind: 'villager', name: '张大爷' }, volunteerName: '刘志刚', teamName: '东关村网格服务队' })
    expect(sc.photoUrls).toHaveLength(3)
    expect(sc.photoUrls[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/files\//)
    expect((await ok('order', 'detail', { id }, VILLAGER)).showcase).toEqual({ id: sc.id, status: 'pending', reason: null })
    expect((await ok('showcase', 'mine', {}, VILLAGER)).map((s: any) => s.id)).toContain(sc.id)

    const before = await ok('showcase', 'feed', { nodeId: DONGGUAN }, null)
    expect(before.find((s: any) => s.id === sc.id)).toBeUndefined()

    // the queue: own village yes, another village no
    expect((await ok('order', 'approvals', { kind: 'showcase' }, STATION)).find((x: any) => x.id === sc.id)).toMatchObject({
      kind: 'showcase',
      status: 'pending',
      showcase: { story, photos: P.slice(0, 3) },
    })
    expect((await ok('order', 'approvals', { kind: 'showcase' }, STATION_XS)).find((x: any) => x.id === sc.id)).toBeUndefined()
    expect(await call('order', 'approve', { kind: 'showcase', id: sc.id }, STATION_XS)).toMatchObject({ ok: false, code: 'FORBIDDEN' })

    const [a, n2] = await trips(() => ok('order', 'approve', { kind: 'showcase', id: sc.id }, STATION))
    console.log(`order.approve (showcase): ${n2} DB requests`)
    expect(a).toMatchObject({ status: 'approved', reviewedBy: '刘站长' })
    expect((await ok('order', 'detail', { id }, VILLAGER)).showcase).toMatchObject({ status: 'approved' })
    expect((await inboxOf(VILLAGER, id)).find((m) => m.kind === 'review_result' && /晒单/.test(m.text))).toBeTruthy()

    const [feedVillage, n3] = await trips(() => ok('showcase', 'feed', { nodeId: DONGGUAN }, null))
    console.log(`showcase.feed: ${n3} DB requests`)
    const item = feedVillage.find((s: any) => s.id === sc.id)
    expect(item).toMatchObject({ status: 'approved', villageName: '东关村', serviceName: '水电维修', author: { kind: 'villager', name: '张**' }, reason: null })
    expect(typeof item.approvedAt).toBe('number')
    expect(item.photoUrls).toHaveLength(3)
    const img = await fetch(item.photoUrls[0])
    expect(img.status).toBe(200)
    expect(img.headers.get('content-type')).toBe('image/png')
    const text = JSON.stringify(feedVillage)
    // no phone numbers (order ids are hex hashes and photo URLs carry signatures: a digit run in them is no phone)
    const words = JSON.stringify(feedVillage.map(({ id: _i, orderId: _o, photos: _p, photoUrls: _u, ...rest }: any) => rest))
    expect(words).not.toMatch(/(^|\D)1[3-9]\d{9}(\D|$)/)
    expect(text).not.toContain('13800001111')
    expect(text).not.toMatch(/u_villager|u_vol_|u_station/) // no user ids
    expect(text).not.toContain('张大爷')

    expect((await ok('showcase', 'feed', { nodeId: TOWN_DG }, null)).map((s: any) => s.id)).toContain(sc.id)
    expect((await ok('showcase', 'feed', {}, null)).map((s: any) => s.id)).toContain(sc.id)
    expect((await ok('showcase', 'feed', { nodeId: XISHAN }, null)).map((s: any) => s.id)).not.toContain(sc.id)
    // over HTTP without a token, as the public H5 page does
    const res = await fetch(`${rt.url}/fn/showcase`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'feed', data: { nodeId: DONGGUAN } }) })
    expect(((await res.json()) as any).result.data.map((s: any) => s.id)).toContain(sc.id)

    // one showcase per order
    expect(await call('showcase', 'create', { orderId: id, story, photos: [P[0]] }, VILLAGER)).toMatchObject({ ok: false, code: 'CONFLICT' })
  })

  test('a rejected showcase says why and may be submitted again', async () => {
    const id = await fixed()
    const sc = await ok('showcase', 'create', { orderId: id, story: '感谢志愿者上门服务，很及时。', photos: [P[1]] }, VILLAGER)
    await ok('order', 'rejectApproval', { kind: 'showcase', id: sc.id, reason: '照片看不清楚' }, STATION)
    expect((await ok('order', 'detail', { id }, VILLAGER)).showcase).toEqual({ id: sc.id, status: 'rejected', reason: '照片看不清楚' })
    expect((await ok('showcase', 'mine', {}, VILLAGER)).find((s: any) => s.id === sc.id)).toMatchObject({ status: 'rejected', reason: '照片看不清楚' })
    const again = await ok('showcase', 'create', { orderId: id, story: '感谢志愿者上门服务，很及时，换了新照片。', photos: [P[2], P[3]] }, VILLAGER)
    expect(again).toMatchObject({ id: sc.id, status: 'pending', photos: [P[2], P[3]] })
    expect((await stored('showcases', sc.id)).reviews).toHaveLength(1)
  })

  test("the serving team's leader may showcase; others may not; only fixed orders", async () => {
    const id = await fixed()
    const sc = await ok('showcase', 'create', { orderId: id, story: '东关村网格服务队今天帮张大爷修好了灯。', photos: L }, LEADER_DG)
    expect(sc.author).toEqual({ kind: 'team', name: '王建国' })
    const id2 = await fixed()
    expect(await call('showcase', 'create', { orderId: id2, story: '我也想晒一晒这个订单的故事。', photos: [P[4]] }, OTHER_VILLAGER)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await call('showcase', 'create', { orderId: id2, story: '我也想晒一晒这个订单的故事。', photos: [P[4]] }, VOL_DG)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    const open = await completed()
    expect(await call('showcase', 'create', { orderId: open, story: '还没确认就想先晒一下。。', photos: [P[4]] }, VILLAGER)).toMatchObject({
      ok: false,
      code: 'INVALID_TRANSITION',
      message: '订单确认解决后才能晒单',
    })
    expect(await call('showcase', 'create', { orderId: id2, story: '没有登录也想晒一晒。。', photos: [P[4]] }, null)).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' })
  })

  test('blocked words (default list and XF_BLOCKED_WORDS) are refused with the reason; nothing is stored', async () => {
    const id = await fixed()
    for (const [story, word] of [
      ['志愿者很好，但是村口有人在赌博，请管一管。', '赌博'],
      ['这是一段包含测试禁词的服务故事内容。', '测试禁词'],
    ]) {
      const r = await call('showcase', 'create', { orderId: id, story, photos: [P[5]] }, VILLAGER)
      expect(r).toMatchObject({ ok: false, code: 'VALIDATION' })
      expect(r.message).toContain('内容未通过安全检测')
      expect(r.message).toContain(word)
    }
    expect(await stored('showcases', `sc_${id}`)).toBeUndefined()
    expect((await stored('orders', id)).showcase).toBeUndefined()
  })

  test('photos must be the caller\'s own, exist in storage, be images, 1 to 9 of them', async () => {
    const id = await fixed()
    const story = '志愿者很负责，服务很周到，点赞！'
    const missing = P[0].replace(/[^/]+$/, 'not-there.png')
    for (const [photos, msg] of [
      [[missing], '照片不存在或已过期，请重新上传'],
      [[P[0], P[0].replace(/[^/]+$/, 'x.png')], '照片不存在或已过期，请重新上传'],
      // someone else's files: the volunteer's completion photo, any path outside the villager's own prefix
      [[V[0]], '只能使用您自己上传的照片，请重新选择照片上传'],
      [[P[0], 'cloud://local.6c6f-local-1250000000/photos/x.png'], '只能使用您自己上传的照片，请重新选择照片上传'],
      [[P[0].replace(/\.png$/, '.txt')], '只能上传图片（jpg、png、webp、gif）'],
      [P.slice(0, 10), '照片最多9张'],
      [[], '请至少上传1张照片'],
      [[P[0], P[0]], '照片重复了，请去掉重复的照片'],
    ] as [string[], string][]) {
      expect(await call('showcase', 'create', { orderId: id, story, photos }, VILLAGER)).toMatchObject({ ok: false, code: 'VALIDATION', message: msg })
    }
    expect(await call('showcase', 'create', { orderId: id, story: '太短了', photos: [P[0]] }, VILLAGER)).toMatchObject({ ok: false, message: '服务故事至少写10个字' })
    expect(await stored('showcases', `sc_${id}`)).toBeUndefined()
    // nine is fine
    expect(await ok('showcase', 'create', { orderId: id, story, photos: P.slice(0, 9) }, VILLAGER)).toMatchObject({ status: 'pending' })
  })

  test("complete's photos must exist too; the order stays in service", async () => {
    const id = await place()
    await ok('order', 'dispatch', { id, volunteerId: VOL_DG }, STATION)
    await ok('order', 'accept', { id }, VOL_DG)
    await ok('order', 'checkIn', { id }, VOL_DG)
    const r = await call('order', 'complete', { id, note: '已处理', photos: [V[0].replace(/[^/]+$/, 'none.jpg')] }, VOL_DG)
    expect(r).toMatchObject({ ok: false, code: 'VALIDATION', message: '照片不存在或已过期，请重新上传' })
    expect((await stored('orders', id)).status).toBe('in_service')
    const [c, n] = await trips(() => ok('order', 'complete', { id, note: '已处理', photos: [V[1], V[2]] }, VOL_DG))
    console.log(`order.complete: ${n} DB requests`)
    expect(c.completion.photoUrls).toHaveLength(2)
    // views of lists carry URLs too
    const mine = await ok('order', 'mine', {}, VILLAGER)
    expect(mine.find((o: any) => o.id === id).completion.photoUrls[0]).toMatch(/^http/)
    const done = await ok('order', 'tasks', { tab: 'done' }, VOL_DG)
    expect(done.find((o: any) => o.id === id).completion.photoUrls).toHaveLength(2)
  })
})

describe('outbox sender (notify)', () => {
  const failing = (): WechatPort & { calls: number } => {
    const port = {
      calls: 0,
      async msgSecCheck() {
        return { ok: true }
      },
      async sendSubscribeMessage() {
        port.calls++
        return { ok: false, error: '43101 user refuse to accept the msg' }
      },
      miniCode: localWechat().miniCode,
      phoneNumber: localWechat().phoneNumber,
    }
    return port
  }

  test('marks records sent, retries failures later, gives up after 5 attempts; transitions never wait for it', async () => {
    // drain what earlier tests left
    const t0 = new Date()
    await notifyFunction({}, { db: rt.db, openId: null, wechat: localWechat(), now: () => t0 })
    let drained = await notifyFunction({}, { db: rt.db, openId: null, wechat: localWechat(), now: () => t0 })
    while (drained.ok && drained.data.picked > 0) drained = await notifyFunction({}, { db: rt.db, openId: null, wechat: localWechat(), now: () => t0 })

    const id = await place()
    await ok('order', 'dispatch', { id, volunteerId: VOL_DG }, STATION) // → VOL_DG and the villager
    const fresh = (await rt.db.collection('outbox').where({ orderId: id }).get()).data as any[]
    expect(fresh.length).toBeGreaterThanOrEqual(2)
    expect(fresh.every((r) => r.status === 'pending' && r.attempts === 0)).toBe(true)

    const t1 = new Date(Date.now() + 1000)
    const bad = failing()
    const r1: any = await notifyFunction({ Type: 'Timer' }, { db: rt.db, openId: null, wechat: bad, now: () => t1 })
    expect(r1).toMatchObject({ ok: true, data: { sent: 0 } })
    expect(r1.data.failed).toBeGreaterThanOrEqual(2)
    let recs = (await rt.db.collection('outbox').where({ orderId: id }).get()).data as any[]
    expect(recs.every((r) => r.status === 'failed' && r.attempts === 1 && /43101/.test(r.lastError) && new Date(r.nextAttemptAt) > t1)).toBe(true)
    // the order moved on regardless
    expect((await stored('orders', id)).status).toBe('dispatched')

    // not due yet: nothing picked
    const r2: any = await notifyFunction({}, { db: rt.db, openId: null, wechat: bad, now: () => t1 })
    expect(r2.data.picked).toBe(0)

    // due after the backoff: the local port records them → sent
    const t2 = new Date(t1.getTime() + 6 * 60_000)
    const good = localWechat()
    const r3: any = await notifyFunction({}, { db: rt.db, openId: null, wechat: good, now: () => t2 })
    expect(r3.data.sent).toBeGreaterThanOrEqual(2)
    recs = (await rt.db.collection('outbox').where({ orderId: id }).get()).data as any[]
    expect(recs.every((r) => r.status === 'sent' && r.attempts === 2 && r.via === 'recorded' && r.lastError === undefined)).toBe(true)
    expect(good.sent.map((s) => s.orderId)).toContain(id)

    // a record on its last attempt gives up for good
    const { id: lastId } = (await rt.db.collection('outbox').add({
      kind: 'order_update',
      toOpenId: VILLAGER,
      orderId: 'o_last',
      data: { orderNo: 'X', serviceName: 'Y', status: 'Z', text: 'T' },
      status: 'failed',
      attempts: 4,
      nextAttemptAt: t1,
      createdAt: t1,
    })) as any
    const r4: any = await notifyFunction({}, { db: rt.db, openId: null, wechat: failing(), now: () => t2 })
    expect(r4.data).toMatchObject({ picked: 1, gaveUp: 1 })
    expect(await stored('outbox', lastId)).toMatchObject({ status: 'failed', attempts: 5 })
    const r5: any = await notifyFunction({}, { db: rt.db, openId: null, wechat: failing(), now: () => new Date(t2.getTime() + 86_400_000) })
    expect(r5.data.picked).toBe(0)

    // registered in the local runtime (records with the runtime's local port)
    await ok('order', 'accept', { id }, VOL_DG)
    const viaRuntime = await rt.invoke('notify', { Type: 'Timer' }, null)
    expect(viaRuntime).toMatchObject({ ok: true, data: { sent: 1 } })
  })

  test('two senders at once never send a record twice', async () => {
    const id = await place()
    await ok('order', 'dispatch', { id, volunteerId: VOL_DG }, STATION)
    const a = localWechat()
    const b = localWechat()
    const now = new Date(Date.now() + 1000)
    await Promise.all([
      notifyFunction({}, { db: rt.db, openId: null, wechat: a, now: () => now }),
      notifyFunction({}, { db: rt.db, openId: null, wechat: b, now: () => now }),
    ])
    const sentIds = [...a.sent, ...b.sent].filter((s) => s.orderId === id).map((s) => s._id)
    expect(sentIds.length).toBeGreaterThanOrEqual(2)
    expect(new Set(sentIds).size).toBe(sentIds.length)
  })
})

describe('dispatch suggestions', () => {
  test('same grid + matching skill first, then least load; team options; scope', async () => {
    // load: u_vol_03 (same grid, 水电) is serving one order now
    const busy = await place()
    await ok('order', 'dispatch', { id: busy, volunteerId: 'u_vol_03' }, STATION)
    await ok('order', 'accept', { id: busy }, 'u_vol_03')

    const id = await place('XF010101', 'svc_01') // 水电维修
    const [s, n] = await trips(() => ok('order', 'suggest', { id }, STATION))
    console.log(`order.suggest: ${n} DB requests`)
    expect(s.skill).toBe('水电')
    expect(s.volunteers.length).toBeLessThanOrEqual(10)
    const ids = s.volunteers.map((v: any) => v.id)
    // same grid (g_XF010101) with 水电: u_vol_01, 03, 05, 07; u_vol_03 has one order, so it comes last of them
    expect(ids.slice(0, 4)).toEqual(expect.arrayContaining(['u_vol_01', 'u_vol_05', 'u_vol_07', 'u_vol_03']))
    expect(ids[3]).toBe('u_vol_03')
    expect(s.volunteers[3]).toMatchObject({ sameGrid: true, skillMatch: true, load: 1, teamName: '东关村网格服务队' })
    expect(s.volunteers[0]).toMatchObject({ sameGrid: true, skillMatch: true, load: 0 })
    expect(s.volunteers[0].reasons).toEqual(['同网格', '擅长水电', '当前空闲'])
    expect(s.volunteers[0].plate).toMatch(/^XF01-\d{4}$/)
    // then the same grid without the skill (u_vol_13 of 和事佬调解队), then other grids
    expect(s.volunteers[4]).toMatchObject({ id: 'u_vol_13', sameGrid: true, skillMatch: false })
    expect(s.volunteers.slice(5).every((v: any) => !v.sameGrid)).toBe(true)
    expect(s.teams.map((t: any) => t.id)).toEqual(['team_dg', 'team_hsl'])
    expect(s.teams[0]).toMatchObject({ skillMatch: true, captainName: '王建国' })
    expect(s.teams[0].load).toBeGreaterThanOrEqual(1) // u_vol_03's order (and whatever earlier tests left accepted)

    expect((await ok('order', 'suggest', { id }, TOWNSHIP)).volunteers.length).toBeGreaterThan(0)
    expect(await call('order', 'suggest', { id }, STATION_XS)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await call('order', 'suggest', { id }, VILLAGER)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await call('order', 'suggest', { id: 'nope' }, STATION)).toMatchObject({ ok: false, code: 'NOT_FOUND' })
  })
})
