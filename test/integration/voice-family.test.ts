// Voice notes (按住说话), orders placed for a family member (帮家人点单) and subscription-message
// consents, against the local runtime with the real SDK.
import { clearCatalogueCache } from '../../cloudfunctions/services/grid'
import { uploadPrefix } from '../../cloudfunctions/shared/files'
import { sendDue } from '../../cloudfunctions/services/outbox'
import { localWechat } from '../../cloudfunctions/shared/wechat'
import { placeInput } from '../helpers/orderFixture'
import { startTestRuntime, type TestRuntime } from '../helpers/runtime'

process.env.SILENCE = 'true'
jest.setTimeout(30_000)

const ZHANG = 'u_villager_zhang'
const LI = 'u_villager_li' // 李奶奶, phone 13800002222 on record
const STATION_XS = 'u_station_xs' // 西山村
const VOL_XS = 'u_vol_14' // 张二虎, 西山村红袖箍巡逻队
const TEMPLATES = {
  order_update: { id: 'TPL_order', fields: { orderNo: 'character_string1', text: 'thing2' } },
  review_result: { id: 'TPL_review', fields: { text: 'thing1' } },
  task_withdrawn: { id: 'TPL_task', fields: { text: 'thing1' } },
}

/** The start of a WebM file as Chromium's MediaRecorder writes it (EBML header, DocType "webm"). */
const WEBM = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84]), Buffer.from('webm'), Buffer.alloc(200, 1)])

let rt: TestRuntime
beforeAll(async () => {
  process.env.XF_WX_TEMPLATES = JSON.stringify(TEMPLATES)
  rt = await startTestRuntime({ rateLimits: false })
})
afterAll(async () => {
  delete process.env.XF_WX_TEMPLATES
  await rt.close()
})
beforeEach(() => clearCatalogueCache())

const order = (patch: Record<string, unknown> = {}) => placeInput({ gridCode: 'XF020101', ...patch })
let n = 0
const recordVoice = async (owner: string, ext = 'webm') =>
  (await rt.app.uploadFile({ cloudPath: `${uploadPrefix(owner)}voice-${++n}.${ext}`, fileContent: WEBM })).fileID as string

describe('a voice note on an order', () => {
  test('a villager who only speaks (no text) places an order; the station gets a playable URL for it', async () => {
    const fileId = await recordVoice(ZHANG)
    const placed = await rt.ok('order', 'place', order({ description: '', voice: { fileId, seconds: 7 } }), ZHANG)
    expect(placed.voice).toMatchObject({ fileId, seconds: 7 })
    const seen = await rt.ok('order', 'detail', { id: placed.id }, STATION_XS)
    expect(seen.voice).toMatchObject({ fileId, seconds: 7, url: expect.stringMatching(/^http:\/\/.+\/files\/uploads\//) })
    const res = await fetch(seen.voice.url)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('audio/webm')
    expect(Buffer.from(await res.arrayBuffer()).equals(WEBM)).toBe(true)
  })

  test("someone else's recording, a missing one and a non-audio file are refused", async () => {
    const hers = await recordVoice(LI)
    expect(await rt.fail('order', 'place', order({ voice: { fileId: hers, seconds: 3 } }), ZHANG)).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('自己录的语音') })
    const gone = `${(await recordVoice(ZHANG)).replace(/voice-\d+/, 'voice-never')}`
    expect(await rt.fail('order', 'place', order({ voice: { fileId: gone, seconds: 3 } }), ZHANG)).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('不存在') })
    const png = (await rt.app.uploadFile({ cloudPath: `${uploadPrefix(ZHANG)}x.png`, fileContent: WEBM })).fileID
    expect((await rt.fail('order', 'place', order({ voice: { fileId: png, seconds: 3 } }), ZHANG)).code).toBe('VALIDATION')
  })

  test('without a voice note the description needs 4 characters; a note longer than 60 s is refused', async () => {
    expect(await rt.fail('order', 'place', order({ description: '灯' }), ZHANG)).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('按住说话') })
    const fileId = await recordVoice(ZHANG)
    expect((await rt.fail('order', 'place', order({ voice: { fileId, seconds: 61 } }), ZHANG)).code).toBe('VALIDATION')
    expect((await rt.ok('order', 'place', order({ description: '灯', voice: { fileId, seconds: 2 } }), ZHANG)).description).toBe('灯')
  })

  test('a volunteer of the team pool does not get the recording; the one it is dispatched to does', async () => {
    const fileId = await recordVoice(ZHANG)
    const { id } = await rt.ok('order', 'place', order({ voice: { fileId, seconds: 4 } }), ZHANG)
    await rt.ok('order', 'dispatch', { id, teamId: 'team_hxg' }, STATION_XS)
    const pool = await rt.ok('order', 'detail', { id }, 'u_vol_15')
    expect(pool.voice ?? null).toBeNull()
    const other = await rt.ok('order', 'place', order({ voice: { fileId, seconds: 4 } }), ZHANG)
    await rt.ok('order', 'dispatch', { id: other.id, volunteerId: VOL_XS }, STATION_XS)
    expect((await rt.ok('order', 'detail', { id: other.id }, VOL_XS)).voice).toMatchObject({ fileId, seconds: 4 })
  })

  test('the voice note is never in Open311', async () => {
    const fileId = await recordVoice(ZHANG)
    await rt.ok('order', 'place', order({ voice: { fileId, seconds: 5 } }), ZHANG)
    const text = await (await fetch(`${rt.url}/open311/v2/requests.json`)).text()
    expect(text).not.toContain('cloud://')
    expect(text).not.toContain('voice')
  })
})

describe('the H5 upload route takes voice notes', () => {
  const post = async (bytes: Buffer, type: string) => {
    const form = new FormData()
    form.append('file', new Blob([new Uint8Array(bytes)], { type }), 'voice')
    const res = await fetch(`${rt.url}/upload`, { method: 'POST', body: form, headers: { authorization: `Bearer ${rt.sessions.signIn(ZHANG)}` } })
    return { status: res.status, body: (await res.json()) as { fileID?: string; error?: string } }
  }
  test('a WebM recording lands under the uploader prefix as .webm', async () => {
    const r = await post(WEBM, 'audio/webm')
    expect(r.status).toBe(200)
    expect(r.body.fileID).toContain(`/${uploadPrefix(ZHANG)}`)
    expect(r.body.fileID).toMatch(/\.webm$/)
  })
  test('an Ogg recording is taken; other audio (WAV), text and recordings over 2 MB are not', async () => {
    expect((await post(Buffer.concat([Buffer.from('OggS'), Buffer.alloc(100)]), 'audio/ogg')).body.fileID).toMatch(/\.ogg$/)
    expect((await post(Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt ', 'latin1'), 'audio/wav')).status).toBe(400)
    expect((await post(Buffer.from('<html>webm</html>'), 'audio/webm')).status).toBe(400)
    expect((await post(Buffer.concat([WEBM, Buffer.alloc(2 * 1024 * 1024)]), 'audio/webm')).status).toBe(413)
  })
})

describe('帮家人点单', () => {
  test("the parent's account (its phone on record) sees the order in 我的诉求 and hears of it; the station sees both people", async () => {
    const placed = await rt.ok('order', 'place', order({ forFamily: { name: '李奶奶', phone: '13800002222' } }), ZHANG)
    expect(placed.forFamily).toEqual({ name: '李奶奶', phone: '13800002222' })
    expect((await rt.ok('order', 'mine', {}, LI)).map((o: any) => o.id)).toContain(placed.id)
    expect((await rt.ok('order', 'mine', {}, ZHANG)).map((o: any) => o.id)).toContain(placed.id)
    const parentView = await rt.ok('order', 'detail', { id: placed.id }, LI)
    expect(parentView).toMatchObject({ forFamily: { name: '李奶奶' }, orderedForYou: true })
    // the one who placed it is not told it was ordered for them
    expect((await rt.ok('order', 'detail', { id: placed.id }, ZHANG)).orderedForYou).toBeUndefined()
    const staff = await rt.ok('order', 'detail', { id: placed.id }, STATION_XS)
    expect(staff).toMatchObject({ contactPhone: '13800001111', forFamily: { name: '李奶奶', phone: '13800002222' } })

    await rt.ok('order', 'dispatch', { id: placed.id, volunteerId: VOL_XS }, STATION_XS)
    const inbox = await rt.ok('inbox', 'inbox', {}, LI)
    expect(inbox.items.some((i: any) => i.orderId === placed.id)).toBe(true)
    // the volunteer sees the family member's number masked until they accept
    expect((await rt.ok('order', 'detail', { id: placed.id }, VOL_XS)).forFamily.phone).toBe('138****2222')
    expect((await rt.ok('order', 'accept', { id: placed.id }, VOL_XS)).forFamily.phone).toBe('13800002222')
    // the volunteer comes to the parent's door: the parent can show the arrival code; the parent cannot cancel
    expect((await rt.ok('order', 'arrivalCode', { id: placed.id }, LI)).code).toMatch(/^\d+$/)
    expect((await rt.ok('order', 'arrivalCode', { id: placed.id }, ZHANG)).code).toMatch(/^\d+$/)
    expect((await rt.fail('order', 'cancel', { id: placed.id, reason: '不需要了' }, LI)).code).toBe('FORBIDDEN')
  })

  test('a phone no account holds links nobody: nobody can read an order by typing a number', async () => {
    const placed = await rt.ok('order', 'place', order({ forFamily: { name: '王大妈', phone: '13912345678' } }), ZHANG)
    const stored = (await rt.db.collection('orders').doc(placed.id).get()).data[0] as any
    expect(stored.forFamily).toEqual({ name: '王大妈', phone: '13912345678' })
    expect((await rt.fail('order', 'detail', { id: placed.id }, LI)).code).toBe('FORBIDDEN')
  })

  test("the family member's name and phone are checked", async () => {
    expect((await rt.fail('order', 'place', order({ forFamily: { name: '', phone: '13800002222' } }), ZHANG)).code).toBe('VALIDATION')
    expect((await rt.fail('order', 'place', order({ forFamily: { name: '李奶奶', phone: '12345' } }), ZHANG)).message).toContain('电话号码格式不正确')
  })
})

describe('subscription-message consent', () => {
  test('user.me names the templates to ask for at each tap (at most 3)', async () => {
    const me = await rt.ok('user', 'me', {}, ZHANG)
    expect(me.subscribe).toEqual({ place: ['TPL_order', 'TPL_review'], accept: ['TPL_task'], confirm: ['TPL_review'] })
  })

  test('what is accepted is counted; unknown template ids are ignored', async () => {
    expect(await rt.ok('user', 'subscribe', { accepted: ['TPL_order', 'nope'] }, LI)).toEqual({ recorded: ['TPL_order'] })
    await rt.ok('user', 'subscribe', { accepted: ['TPL_order'] }, LI)
    const doc = (await rt.db.collection('subscriptions').doc(LI).get()).data[0] as any
    expect(doc.counts).toEqual({ TPL_order: 2 })
    expect((await rt.fail('user', 'subscribe', { accepted: ['a', 'b', 'c', 'd'] }, LI)).code).toBe('VALIDATION')
  })

  test('the outbox sends only with a consent on record, spending one per message; the rest stay in the inbox', async () => {
    // only this test's records are due (earlier tests left notices of their own)
    await rt.db.collection('outbox').where({ status: 'pending' }).remove()
    await rt.db.collection('subscriptions').doc('u_sub_a').set({ counts: { TPL_order: 1 }, updatedAt: new Date() })
    const mk = (to: string) =>
      rt.db.collection('outbox').add({ kind: 'order_update', toOpenId: to, orderId: 'o_sub', data: { text: '您的订单已派单' }, status: 'pending', attempts: 0, createdAt: new Date() })
    const [a1, a2, b] = [await mk('u_sub_a'), await mk('u_sub_a'), await mk('u_sub_b')]
    const wechat = localWechat({ templates: TEMPLATES })
    const report = await sendDue({ db: rt.db, wechat, now: () => new Date() })
    expect(report).toMatchObject({ sent: 1, unsubscribed: 2 })
    expect(wechat.sent.map((r) => r.toOpenId)).toEqual(['u_sub_a'])
    const status = async (id: string) => ((await rt.db.collection('outbox').doc(id).get()).data[0] as any).status
    expect([await status(a1.id!), await status(a2.id!), await status(b.id!)].sort()).toEqual(['sent', 'unsubscribed', 'unsubscribed'])
    expect(((await rt.db.collection('subscriptions').doc('u_sub_a').get()).data[0] as any).counts.TPL_order).toBe(0)
  })

  test('a failed send gives its consent back for the retry', async () => {
    await rt.db.collection('outbox').where({ status: 'pending' }).remove()
    await rt.db.collection('subscriptions').doc('u_sub_c').set({ counts: { TPL_order: 1 }, updatedAt: new Date() })
    await rt.db.collection('outbox').add({ kind: 'order_update', toOpenId: 'u_sub_c', orderId: 'o_sub', data: {}, status: 'pending', attempts: 0, createdAt: new Date() })
    const failing = { ...localWechat({ templates: TEMPLATES }), sendSubscribeMessage: async () => ({ ok: false, error: 'timeout' }) }
    expect(await sendDue({ db: rt.db, wechat: failing, now: () => new Date() })).toMatchObject({ failed: 1 })
    expect(((await rt.db.collection('subscriptions').doc('u_sub_c').get()).data[0] as any).counts.TPL_order).toBe(1)
  })
})
