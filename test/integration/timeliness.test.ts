// The clock on every open order, through the local runtime with the real SDK and an
// injected clock: reminders once, escalation once (also under concurrent sweeps),
// 督办, 延期, 收回/退单, 回访 and the unconfirmed close, the staff work lists, the
// villager's due line, and the county's settings.
import { PRIVACY_VERSION } from '../../src/core'
import { uploadPhotos } from '../helpers/photos'
import { startTestRuntime, type TestRuntime } from '../helpers/runtime'

const VILLAGER = 'u_villager_zhang'
const STATION = 'u_station_dg' // 东关村
const STATION_XS = 'u_station_xs' // 西山村
const TOWNSHIP = 'u_township_dg' // 东关镇
const COUNTY = 'u_county'
const VOL = 'u_vol_02' // team_dg

let rt: TestRuntime
let P: string[]
beforeAll(async () => {
  rt = await startTestRuntime()
  P = await uploadPhotos(rt, 1, VOL)
})
afterAll(() => rt.close())

/** Monday 2026-11-30 09:00 in Shanghai: a working day; the default day is 08:00–18:00. */
const T0 = new Date('2026-11-30T09:00:00+08:00')
const at = (iso: string) => new Date(iso)
const mins = (t: Date, m: number) => new Date(t.getTime() + m * 60_000)

let seq = 0
async function place(when = T0, serviceId = 'svc_01'): Promise<string> {
  const r = await rt.call(
    'order',
    'place',
    { requestId: `tl_${++seq}_${Date.now()}`, gridCode: 'XF010101', serviceId, description: '院子里的灯不亮了', contactPhone: '13800001111', contactName: '张大爷', privacyVersion: PRIVACY_VERSION },
    VILLAGER,
    when,
  )
  if (!r.ok) throw new Error(`place: ${r.code} ${r.message}`)
  return r.data.id
}
const ok = async (action: string, data: unknown, who: string, when: Date) => {
  const r = await rt.call('order', action, data, who, when)
  if (!r.ok) throw new Error(`${action} as ${who}: ${r.code} ${r.message}`)
  return r.data
}
const refused = async (action: string, data: unknown, who: string, when: Date) => {
  const r = await rt.call('order', action, data, who, when)
  expect(r.ok).toBe(false)
  return r as { ok: false; code: string; message: string }
}
const sweepAt = async (when: Date) => {
  const r = (await rt.invoke('clock', {}, null, () => when)) as any
  expect(r.ok).toBe(true)
  return r.data
}
const stored = async (id: string) => (await rt.db.collection('orders').doc(id).get()).data[0] as any
const inbox = async (userId: string, orderId: string, kind?: string) =>
  ((await rt.db.collection('inbox').where({ userId, orderId, ...(kind ? { kind } : {}) }).get()).data as any[])
const actions = (o: any) => o.history.map((h: any) => h.action)

describe('the clock of the dispatch stage', () => {
  test('a new order is due half a working day after it is placed; the reminder comes at 75 %', async () => {
    const id = await place()
    const o = await stored(id)
    expect(o.clock).toMatchObject({ stage: 'dispatch', next: 'remind', armed: true, overdue: false })
    expect(o.clock.dueAt.toISOString()).toBe(at('2026-11-30T14:00:00+08:00').toISOString()) // 09:00 + 300 working minutes
    expect(o.clock.remindAt.toISOString()).toBe(at('2026-11-30T12:45:00+08:00').toISOString()) // + 225 minutes
  })

  test('an urgent service (隐患上报) must be dispatched within 30 minutes, round the clock', async () => {
    const sat = at('2026-11-28T23:50:00+08:00') // Saturday night
    const id = await place(sat, 'svc_08')
    expect((await stored(id)).clock.dueAt.toISOString()).toBe(at('2026-11-29T00:20:00+08:00').toISOString())
  })

  test('the station is reminded once, then the undispatched order goes up to the township (by 系统), once', async () => {
    const id = await place()
    await sweepAt(at('2026-11-30T12:44:00+08:00'))
    expect(await inbox(STATION, id, 'reminder')).toHaveLength(0) // not yet

    const first = await sweepAt(at('2026-11-30T12:46:00+08:00'))
    expect(first.reminded).toBeGreaterThanOrEqual(1)
    const reminders = await inbox(STATION, id, 'reminder')
    expect(reminders).toHaveLength(1)
    expect(reminders[0].text).toMatch(/催办.*将于11月30日 14:00超时/)
    await sweepAt(at('2026-11-30T12:50:00+08:00'))
    expect(await inbox(STATION, id, 'reminder')).toHaveLength(1) // never twice

    await sweepAt(at('2026-11-30T14:01:00+08:00'))
    const o = await stored(id)
    expect(o.status).toBe('escalated')
    const step = o.history.find((h: any) => h.action === 'autoEscalate')
    expect(step).toMatchObject({ from: 'pending', to: 'escalated', role: 'system', byName: '系统' })
    // the township's own dispatch clock starts now
    expect(o.clock).toMatchObject({ stage: 'dispatch', overdue: false, next: 'remind' })
    expect(o.clock.startedAt.toISOString()).toBe(at('2026-11-30T14:01:00+08:00').toISOString())
    expect(await inbox(TOWNSHIP, id, 'order_escalated')).toHaveLength(1)
    expect(await inbox(VILLAGER, id, 'order_update')).toEqual(expect.arrayContaining([expect.objectContaining({ text: expect.stringMatching(/已上报乡镇/) })]))

    await sweepAt(at('2026-11-30T14:05:00+08:00'))
    expect(actions(await stored(id)).filter((a: string) => a === 'autoEscalate')).toHaveLength(1)
  })

  test('two sweeps at once: every reminder and escalation happens exactly once', async () => {
    const ids = await Promise.all([1, 2, 3, 4, 5].map(() => place(at('2026-12-01T09:00:00+08:00'))))
    const when = at('2026-12-01T12:50:00+08:00')
    const [a, b] = await Promise.all([sweepAt(when), sweepAt(when)])
    expect(a.reminded + b.reminded).toBeGreaterThanOrEqual(5)
    const late = at('2026-12-01T14:30:00+08:00')
    const runs = await Promise.all([sweepAt(late), sweepAt(late), sweepAt(late)])
    expect(runs.reduce((n, r) => n + r.lost, 0)).toBeGreaterThan(0) // they did race for the same orders
    for (const id of ids) {
      const o = await stored(id)
      expect(actions(o).filter((x: string) => x === 'remind')).toHaveLength(1)
      expect(actions(o).filter((x: string) => x === 'autoEscalate')).toHaveLength(1)
      expect(await inbox(STATION, id, 'reminder')).toHaveLength(1)
      expect(await inbox(TOWNSHIP, id, 'order_escalated')).toHaveLength(1)
    }
  })

  test('a team’s grab-pool order not taken in time: the team captain is reminded', async () => {
    const id = await place(T0)
    await ok('openPool', { id, teamId: 'team_dg' }, STATION, T0) // accept within 1 working day: Tue 09:00
    await sweepAt(at('2026-12-01T08:31:00+08:00')) // 75 %: 450 working minutes → Mon 16:30
    const r = await inbox('u_vol_01', id, 'reminder') // 王建国, captain of team_dg
    expect(r).toHaveLength(1)
    expect(r[0].text).toMatch(/请尽快接单/)
  })

  test('a sweep that comes after the deadline skips the reminder and escalates at once', async () => {
    const id = await place(at('2026-12-02T09:00:00+08:00'))
    await sweepAt(at('2026-12-02T14:01:00+08:00'))
    const o = await stored(id)
    expect(o.status).toBe('escalated')
    expect(actions(o)).not.toContain('remind')
  })

  test('an order late at the township is marked overdue and joins the county’s overdue list', async () => {
    const id = await place(at('2026-12-02T09:00:00+08:00'))
    await sweepAt(at('2026-12-02T14:01:00+08:00')) // → escalated, township clock from 14:01: due next day 09:01
    const o1 = await stored(id)
    expect(o1.status).toBe('escalated')
    await sweepAt(at('2026-12-03T09:30:00+08:00'))
    const o = await stored(id)
    expect(o.clock).toMatchObject({ overdue: true, armed: false, next: null })
    expect(o.history.at(-1)).toMatchObject({ action: 'markOverdue', role: 'system', from: 'escalated', to: 'escalated' })
    expect((await inbox(COUNTY, id, 'overdue')).length).toBe(1)
    const county = await ok('incoming', { list: 'overdue' }, COUNTY, at('2026-12-03T09:31:00+08:00'))
    expect(county.map((x: any) => x.id)).toContain(id)
    const township = await ok('incoming', { list: 'overdue' }, TOWNSHIP, at('2026-12-03T09:31:00+08:00'))
    expect(township.map((x: any) => x.id)).toContain(id)
    // another village's station does not see it
    const xs = await ok('incoming', { list: 'overdue' }, STATION_XS, at('2026-12-03T09:31:00+08:00'))
    expect(xs.map((x: any) => x.id)).not.toContain(id)
  })
})

describe('what people see', () => {
  test('the villager’s detail says who has the order, by when, and what happens if it is late', async () => {
    const id = await place(at('2026-11-30T17:00:00+08:00'))
    const d = await ok('detail', { id }, VILLAGER, at('2026-11-30T17:05:00+08:00'))
    // 17:00 + 300 working minutes: 1 hour today, 4 tomorrow → 明天12:00
    expect(d.clock.line).toBe('东关村实践站正在安排志愿者，明天12:00前派单；超时会自动上报东关镇实践所')
    expect(d.clock).toMatchObject({ stage: 'dispatch', holder: '东关村实践站', limitText: '半个工作日', overdue: false })
  })

  test('hotline orders get the same clock', async () => {
    const r = await rt.call(
      'order',
      'placeHotline',
      { requestId: `tl_hot_${Date.now()}`, gridId: 'g_XF010101', serviceId: 'svc_01', description: '电话反映路灯不亮', callerName: '王大妈', callerPhone: '13800002222' },
      STATION,
      T0,
    )
    expect(r.ok).toBe(true)
    expect(r.data.clock).toMatchObject({ stage: 'dispatch', dueAt: at('2026-11-30T14:00:00+08:00').getTime() })
  })

  test('work lists are sorted by urgency: the earliest deadline first', async () => {
    const late = await place(at('2026-12-07T10:00:00+08:00'))
    const early = await place(at('2026-12-07T08:30:00+08:00'))
    const list = await ok('incoming', { list: 'dispatch', limit: 50 }, STATION, at('2026-12-07T10:01:00+08:00'))
    const ids = list.map((x: any) => x.id)
    expect(ids.indexOf(early)).toBeLessThan(ids.indexOf(late))
    const dues = list.map((x: any) => x.clock.dueAt)
    expect([...dues].sort((a, b) => a - b)).toEqual(dues)
    expect(list.every((x: any) => /^\d+:/.test(x.cursor))).toBe(true)
  })
})

test('已办结: finished orders stay reachable from the list, the latest first, paged without repeats', async () => {
  const ids: string[] = []
  for (let i = 0; i < 3; i++) {
    const id = await place(T0)
    await ok('close', { id, reason: '村民已自行解决' }, STATION, mins(T0, 10 + i))
    ids.push(id)
  }
  const first = await ok('incoming', { list: 'closed', limit: 2 }, STATION, mins(T0, 20))
  expect(first.map((x: any) => x.id)).toEqual([ids[2], ids[1]])
  expect(first.every((x: any) => x.clock === null && x.status === 'closed')).toBe(true)
  const next = await ok('incoming', { list: 'closed', limit: 2, after: first[1].cursor }, STATION, mins(T0, 20))
  expect(next[0].id).toBe(ids[0])
})

describe('督办', () => {
  test('township opens one; the station answers in time; both are in the timeline', async () => {
    const id = await place(at('2026-12-08T09:00:00+08:00'))
    const when = at('2026-12-08T09:10:00+08:00')
    expect((await refused('supervise', { id, instruction: '请尽快安排', replyWithin: '1d' }, STATION, when)).code).toBe('FORBIDDEN')
    expect((await refused('supervise', { id, instruction: '急', replyWithin: '1d' }, TOWNSHIP, when)).message).toMatch(/督办要求/)
    const s = await ok('supervise', { id, instruction: '群众反映强烈，请今天安排', replyWithin: '1d' }, TOWNSHIP, when)
    expect(s.supervision).toMatchObject({ status: 'open', byName: '陈所长', instruction: '群众反映强烈，请今天安排' })
    expect(s.supervision.replyBy).toBe(at('2026-12-09T09:10:00+08:00').getTime())
    expect(s.status).toBe('pending') // a 督办 does not move the order
    expect(await inbox(STATION, id, 'supervision')).toHaveLength(1)
    // one open 督办 at a time
    expect((await refused('supervise', { id, instruction: '再次督办此事', replyWithin: '4h' }, COUNTY, when)).code).toBe('CONFLICT')
    // the township cannot answer its own 督办
    expect((await refused('answerSupervision', { id, reply: '已经安排好了' }, TOWNSHIP, when)).code).toBe('FORBIDDEN')

    const open = await ok('incoming', { list: 'supervision', supervision: 'open' }, TOWNSHIP, when)
    expect(open.map((x: any) => x.id)).toContain(id)
    const a = await ok('answerSupervision', { id, reply: '已联系志愿者，今天下午上门' }, STATION, at('2026-12-08T10:00:00+08:00'))
    expect(a.supervision).toMatchObject({ status: 'answered', reply: { text: '已联系志愿者，今天下午上门', byName: '刘站长' } })
    expect(await inbox(TOWNSHIP, id, 'supervision')).toHaveLength(1)
    const o = await stored(id)
    expect(o.history.slice(-2).map((h: any) => [h.action, h.reason])).toEqual([
      ['supervise', '群众反映强烈，请今天安排'],
      ['answerSupervision', '已联系志愿者，今天下午上门'],
    ])
    const answered = await ok('incoming', { list: 'supervision', supervision: 'answered' }, TOWNSHIP, when)
    expect(answered.map((x: any) => x.id)).toContain(id)
  })

  test('an unanswered 督办 becomes overdue itself and goes up (once)', async () => {
    const id = await place(at('2026-12-08T09:00:00+08:00'))
    await ok('supervise', { id, instruction: '请说明为何未派单', replyWithin: '4h' }, TOWNSHIP, at('2026-12-08T09:05:00+08:00'))
    await sweepAt(at('2026-12-08T13:06:00+08:00'))
    await sweepAt(at('2026-12-08T13:07:00+08:00'))
    const o = await stored(id)
    expect(o.supervision.status).toBe('overdue')
    expect(actions(o).filter((x: string) => x === 'superviseOverdue')).toHaveLength(1)
    expect(o.clock.overdue).toBe(false) // the stage itself is still on time…
    const overdue = await ok('incoming', { list: 'overdue' }, TOWNSHIP, at('2026-12-08T13:10:00+08:00'))
    expect(overdue.map((x: any) => x.id)).toContain(id) // …but the order is in the 超时 list
    expect(await inbox(COUNTY, id, 'overdue')).toHaveLength(1) // the level above the township
    const list = await ok('incoming', { list: 'supervision', supervision: 'overdue' }, COUNTY, at('2026-12-08T13:10:00+08:00'))
    expect(list.map((x: any) => x.id)).toContain(id)
    // still answerable after the deadline
    const a = await ok('answerSupervision', { id, reply: '志愿者生病，已改派他人' }, STATION, at('2026-12-08T14:00:00+08:00'))
    expect(a.supervision.status).toBe('answered')
  })
})

describe('延期', () => {
  test('the station asks, the township decides; at most three; the villager sees the new deadline', async () => {
    const id = await place(at('2026-12-09T09:00:00+08:00'))
    const when = at('2026-12-09T09:30:00+08:00')
    const due0 = (await stored(id)).clock.dueAt.getTime()
    await ok('requestExtension', { id, workdays: 2, reason: '需要等配件' }, STATION, when)
    expect((await refused('requestExtension', { id, workdays: 1, reason: '再延一天' }, STATION, when)).code).toBe('CONFLICT')
    expect((await refused('decideExtension', { id, approve: true }, STATION, when)).code).toBe('FORBIDDEN')
    expect((await refused('decideExtension', { id, approve: false }, TOWNSHIP, when)).message).toMatch(/需要填写原因/)
    const pending = await ok('incoming', { list: 'extension' }, TOWNSHIP, when)
    expect(pending.map((x: any) => x.id)).toContain(id)

    const d = await ok('decideExtension', { id, approve: true }, TOWNSHIP, when)
    expect(d.extension).toMatchObject({ status: 'approved', workdays: 2, decision: { byName: '陈所长' } })
    expect(d.extensionsUsed).toBe(1)
    // two more working days after the old deadline (Wed 14:00 → Fri 14:00)
    expect(d.clock.dueAt).toBe(at('2026-12-11T14:00:00+08:00').getTime())
    expect(d.clock.dueAt).toBeGreaterThan(due0)
    expect((await inbox(VILLAGER, id, 'order_update')).some((m) => /延长至12月11日 14:00/.test(m.text))).toBe(true)
    expect(await inbox(STATION, id, 'extension')).toHaveLength(1)

    // refused with a reason
    await ok('requestExtension', { id, workdays: 3, reason: '还要等配件' }, STATION, when)
    const r = await ok('decideExtension', { id, approve: false, reason: '请先派给其他志愿者' }, TOWNSHIP, when)
    expect(r.extension.status).toBe('refused')
    expect(r.clock.dueAt).toBe(d.clock.dueAt)

    for (let i = 0; i < 2; i++) {
      await ok('requestExtension', { id, workdays: 1, reason: '配件还没到' }, STATION, when)
      await ok('decideExtension', { id, approve: true }, COUNTY, when)
    }
    const n = await refused('requestExtension', { id, workdays: 1, reason: '第四次延期' }, STATION, when)
    expect(n.message).toMatch(/已延期3次/)
    expect((await stored(id)).extensionsUsed).toBe(3)
  })

  test('a township’s own request (an escalated order) goes to the county', async () => {
    const id = await place(at('2026-12-09T09:00:00+08:00'))
    // the station is responsible while the order is in the village
    expect((await refused('requestExtension', { id, workdays: 1, reason: '乡镇协调中' }, TOWNSHIP, T0)).message).toBe('延期由正在负责办理的单位申请')
    await ok('escalate', { id, reason: '涉及两个村，需要乡镇协调' }, STATION, T0)
    expect((await refused('requestExtension', { id, workdays: 1, reason: '村里想延期' }, STATION, T0)).code).toBe('FORBIDDEN')
    await ok('requestExtension', { id, workdays: 1, reason: '乡镇协调中' }, TOWNSHIP, T0)
    expect((await refused('decideExtension', { id, approve: true }, TOWNSHIP, T0)).code).toBe('FORBIDDEN')
    expect(await inbox(COUNTY, id, 'extension')).toHaveLength(1)
    await ok('decideExtension', { id, approve: true }, COUNTY, T0)
  })
})

describe('who may answer and decide', () => {
  test('a 督办 goes to the level responsible now; a township cannot 督办 what it holds itself', async () => {
    const id = await place(T0)
    await ok('escalate', { id, reason: '需要乡镇统一安排' }, STATION, T0)
    expect((await refused('supervise', { id, instruction: '请乡镇尽快安排', replyWithin: '1d' }, TOWNSHIP, T0)).message).toBe('督办由上级发起：这条诉求正由本级负责办理')
    const s = await ok('supervise', { id, instruction: '请乡镇尽快安排', replyWithin: '1d' }, COUNTY, T0)
    expect(s.supervision).toMatchObject({ role: 'county', to: 'township' })
    expect(await inbox(TOWNSHIP, id, 'supervision')).toHaveLength(1)
    expect((await refused('answerSupervision', { id, reply: '村里来答复一下' }, STATION, T0)).message).toBe('督办由被督办的单位答复')
    await ok('answerSupervision', { id, reply: '已协调两个村，明天上门' }, TOWNSHIP, T0)
  })

  test('one person holding two levels cannot approve their own extension', async () => {
    const grant = await rt.call('user', 'grant', { userId: STATION, role: 'township', nodeId: 'g_XF01' }, COUNTY)
    expect(grant.ok).toBe(true)
    try {
      const id = await place(T0)
      const r = await ok('requestExtension', { id, workdays: 1, reason: '等配件' }, STATION, T0)
      expect(r.extension.role).toBe('station')
      expect((await refused('decideExtension', { id, approve: true }, STATION, T0)).message).toBe('不能审批自己提交的延期申请')
      await ok('decideExtension', { id, approve: true }, TOWNSHIP, T0)
    } finally {
      await rt.call('user', 'revoke', { userId: STATION, role: 'township', nodeId: 'g_XF01' }, COUNTY)
    }
  })

  test('a request for a stage that ended lapses; a 督办 of an order that ended closes and never blocks the sweep', async () => {
    const id = await place(T0)
    await ok('requestExtension', { id, workdays: 2, reason: '等配件' }, STATION, T0)
    await ok('supervise', { id, instruction: '请说明情况并尽快派单', replyWithin: '4h' }, TOWNSHIP, T0)
    const d = await ok('dispatch', { id, volunteerId: VOL }, STATION, mins(T0, 10))
    expect(d.extension.status).toBe('lapsed')
    expect((await refused('decideExtension', { id, approve: true }, TOWNSHIP, mins(T0, 11))).code).toBe('INVALID_TRANSITION')
    expect(d.supervision.status).toBe('open') // still owed an answer while the order is open
    const c = await ok('cancel', { id }, VILLAGER, mins(T0, 12))
    expect(c.supervision.status).toBe('closed')
    const report = await sweepAt(mins(T0, 10 * 60))
    expect(report.failed).toBe(0)
    expect(actions(await stored(id))).not.toContain('superviseOverdue')
  })
})

describe('paging the work lists', () => {
  test('orders with the same deadline are neither repeated nor skipped', async () => {
    // placed on a Saturday: every one is due Monday 13:00 (08:00 + half a working day)
    const sat = at('2026-12-12T10:00:00+08:00')
    const ids = new Set<string>()
    for (let i = 0; i < 25; i++) ids.add(await place(mins(sat, i)))
    const when = at('2026-12-12T11:00:00+08:00')
    const seen: string[] = []
    let after: string | undefined
    for (let page = 0; page < 10; page++) {
      const list = await ok('incoming', { list: 'dispatch', limit: 20, ...(after ? { after } : {}) }, STATION, when)
      seen.push(...list.map((x: any) => x.id))
      if (list.length < 20) break
      after = list[list.length - 1].cursor
    }
    expect(new Set(seen).size).toBe(seen.length) // no repeats
    for (const id of ids) expect(seen).toContain(id) // nothing lost
    const mine = (await Promise.all([...ids].map(stored))).map((o) => o.clock.dueAt.toISOString())
    expect(new Set(mine)).toEqual(new Set([at('2026-12-14T13:00:00+08:00').toISOString()]))
  })
})

describe('no order is ever stuck', () => {
  async function accepted(when: Date) {
    const id = await place(when)
    await ok('dispatch', { id, volunteerId: VOL }, STATION, when)
    await ok('accept', { id }, VOL, when)
    return id
  }

  test('收回: the station takes an order back from the volunteer; it is pending again with a fresh clock', async () => {
    const id = await accepted(T0)
    expect((await refused('recall', { id, reason: '志愿者联系不上' }, STATION_XS, T0)).code).toBe('FORBIDDEN')
    expect((await refused('recall', { id, reason: '' }, STATION, T0)).code).toBe('VALIDATION')
    const later = mins(T0, 60)
    const r = await ok('recall', { id, reason: '志愿者联系不上' }, STATION, later)
    expect(r.status).toBe('pending')
    expect(r.assignee).toBeNull()
    expect(r.clock).toMatchObject({ stage: 'dispatch' })
    expect(await inbox(VOL, id, 'task_withdrawn')).toHaveLength(1)
  })

  test('退单: the volunteer hands it back before arriving, not after', async () => {
    const id = await accepted(T0)
    const r = await ok('handBack', { id, reason: '临时有事去不了' }, VOL, T0)
    expect(r.status).toBe('pending')
    expect(await inbox(STATION, id, 'order_returned')).toHaveLength(1)
    const id2 = await accepted(T0)
    await ok('checkIn', { id: id2 }, VOL, T0)
    expect((await refused('handBack', { id: id2, reason: '临时有事' }, VOL, T0)).code).toBe('INVALID_TRANSITION')
  })

  test('a volunteer who lets the deadline pass: overdue, the station and the township are told', async () => {
    const id = await accepted(T0) // complete within 5 working days: Mon 09:00 → next Mon 09:00
    await sweepAt(at('2026-12-03T16:31:00+08:00')) // 75 % = 3.75 working days: Thu 16:30
    await sweepAt(at('2026-12-07T09:01:00+08:00'))
    const o = await stored(id)
    expect(o.clock).toMatchObject({ stage: 'complete', overdue: true })
    expect(actions(o)).toEqual(expect.arrayContaining(['remind', 'markOverdue']))
    expect(await inbox(VOL, id, 'reminder')).toHaveLength(1)
    expect(await inbox(STATION, id, 'overdue')).toHaveLength(1)
    expect(await inbox(TOWNSHIP, id, 'overdue')).toHaveLength(1)
  })

  test('回访: unconfirmed for 3 days → the station’s follow-up list; staff record the villager’s answer', async () => {
    const id = await accepted(T0)
    await ok('complete', { id, note: '灯修好了', photos: [P[0]] }, VOL, T0)
    expect((await refused('followUp', { id, fixed: true }, VOL, T0)).code).toBe('FORBIDDEN')
    await sweepAt(mins(T0, 3 * 24 * 60 + 1))
    const o = await stored(id)
    expect(o.clock).toMatchObject({ stage: 'confirm', followUp: true, next: 'autoClose' })
    expect(await inbox(STATION, id, 'follow_up')).toHaveLength(1)
    const list = await ok('incoming', { list: 'followUp' }, STATION, mins(T0, 3 * 24 * 60 + 2))
    expect(list.map((x: any) => x.id)).toContain(id)
    const done = await ok('followUp', { id, fixed: true, note: '村民说已经好了' }, STATION, mins(T0, 3 * 24 * 60 + 5))
    expect(done.status).toBe('fixed')
    expect(done.history.at(-1)).toMatchObject({ action: 'followUpFixed', byName: '刘站长', role: 'station' })
    expect(done.clock).toBeNull()
  })

  test('nobody reachable for 7 more days: closed as 「已完成，未经确认」, never a confirmed fix', async () => {
    const id = await accepted(T0)
    await ok('complete', { id, note: '已处理', photos: [P[0]] }, VOL, T0)
    await sweepAt(mins(T0, 3 * 24 * 60 + 1))
    await sweepAt(mins(T0, 10 * 24 * 60 + 2))
    const o = await stored(id)
    expect(o.status).toBe('unconfirmed')
    expect(o.history.at(-1)).toMatchObject({ action: 'autoClose', role: 'system', to: 'unconfirmed' })
    expect(o.clock).toBeNull()
    expect((await refused('confirm', { id, fixed: true, stars: 5 }, VILLAGER, mins(T0, 11 * 24 * 60))).code).toBe('INVALID_TRANSITION')
  })

  test('回访 "not fixed" reopens the order for the station', async () => {
    const id = await accepted(T0)
    await ok('complete', { id, note: '已处理', photos: [P[0]] }, VOL, T0)
    const r = await ok('followUp', { id, fixed: false, reason: '村民说灯还是不亮' }, STATION, mins(T0, 60))
    expect(r.status).toBe('pending')
    expect(r.history.at(-1)).toMatchObject({ action: 'followUpNotFixed', reason: '村民说灯还是不亮' })
    expect((await inbox(VOL, id, 'order_update')).some((m) => /未解决/.test(m.text))).toBe(true)
  })
})

describe('the county’s settings', () => {
  test('only the county admin reads and changes them; new limits apply to new stages', async () => {
    expect(((await rt.call('grid', 'timeliness', {}, TOWNSHIP)) as any).code).toBe('FORBIDDEN')
    const v = (await rt.call('grid', 'timeliness', {}, COUNTY)).data
    expect(v.settings.defaults.dispatch).toEqual({ value: 0.5, unit: 'workdays' })
    expect(v.settings.services.svc_08).toEqual({ dispatch: { value: 0.5, unit: 'hours' }, accept: { value: 1, unit: 'hours' }, complete: { value: 24, unit: 'hours' } })
    expect(v.nationalYears).toContain(2026)

    const bad = await rt.call('grid', 'saveTimeliness', { settings: { ...v.settings, remindShare: 2 } }, COUNTY)
    expect(bad).toMatchObject({ ok: false, code: 'VALIDATION', message: '催办时点应在50%到95%之间' })
    const dup = await rt.call('grid', 'saveTimeliness', { settings: { ...v.settings, calendar: [{ date: '2027-01-01', kind: 'holiday' }, { date: '2027-01-01', kind: 'workday' }] } }, COUNTY)
    expect(dup.message).toBe('同一天只能有一条日历设置')
    expect((await rt.call('grid', 'timeliness', {}, COUNTY)).data.settings).toEqual(v.settings) // nothing changed

    const next = { ...v.settings, defaults: { ...v.settings.defaults, dispatch: { value: 2, unit: 'hours' } }, calendar: [{ date: '2026-12-14', kind: 'holiday', note: '县里活动' }] }
    expect(v.updatedAt).toBeNull() // the seed's settings were never saved by anyone
    const saved = await rt.call('grid', 'saveTimeliness', { settings: next, baseUpdatedAt: null }, COUNTY)
    expect(saved.ok).toBe(true)
    expect(saved.data.updatedBy).toBe('周主任')
    // a second admin editing from the version before that save is refused, not silently overwriting it
    const stale = await rt.call('grid', 'saveTimeliness', { settings: v.settings, baseUpdatedAt: null }, COUNTY)
    expect(stale).toMatchObject({ ok: false, code: 'CONFLICT', message: '周主任刚刚修改了设置，请刷新后再改' })
    expect((await rt.call('grid', 'timeliness', {}, COUNTY)).data.settings.defaults.dispatch).toEqual({ value: 2, unit: 'hours' })
    try {
      const id = await place(at('2026-12-14T09:00:00+08:00'), 'svc_02')
      expect((await stored(id)).clock.dueAt.toISOString()).toBe(at('2026-12-14T11:00:00+08:00').toISOString()) // hours ignore the calendar
      // a working-day limit skips the county's own holiday
      await rt.call('grid', 'saveTimeliness', { settings: { ...next, defaults: v.settings.defaults } }, COUNTY)
      const id2 = await place(at('2026-12-14T09:00:00+08:00'), 'svc_02')
      expect((await stored(id2)).clock.dueAt.toISOString()).toBe(at('2026-12-15T13:00:00+08:00').toISOString())
    } finally {
      await rt.call('grid', 'saveTimeliness', { settings: v.settings }, COUNTY)
    }
  })
})
