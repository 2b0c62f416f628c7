// Nothing half-done after a crash: a grid move, a volunteer approval and a CSV import, each
// stopped after every one of its steps as if the function's process had been killed there
// (test/helpers/faults.ts), leave a state that the next call — the same action retried, or
// the sweep — completes to exactly what an uninterrupted run leaves.
import { run as gridRun } from '../../cloudfunctions/grid'
import { run as volunteerRun } from '../../cloudfunctions/volunteer'
import type { FaultPort, FaultStep } from '../../cloudfunctions/shared/context'
import { parsePlate, placeNames, PRIVACY_VERSION } from '../../src/core'
import { stopAt } from '../helpers/faults'
import { startTestRuntime, type TestRuntime } from '../helpers/runtime'

const COUNTY = 'u_county'
const TOWNSHIP_DG = 'u_township_dg' // 东关镇 g_XF01
const STATION_DG = 'u_station_dg' // 东关村 g_XF0101
const VILLAGER = 'u_villager_zhang'

let rt: TestRuntime
beforeAll(async () => {
  rt = await startTestRuntime({ rateLimits: false })
})
afterAll(() => rt.close())

type Run = (event: unknown, inv: { db: TestRuntime['db']; openId: string | null; faults?: FaultPort; now?: () => Date }) => Promise<any>

/** The action as `openId`, stopped after `step` as if killed there: the function reports a failure. */
async function killedAfter(run: Run, action: string, data: unknown, openId: string, step: FaultStep, nth = 1, now?: Date) {
  const fault = stopAt(step, nth)
  const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined)
  try {
    const r = await run({ action, data }, { db: rt.db, openId, faults: fault, ...(now ? { now: () => now } : {}) })
    expect(fault.fired).toBe(true)
    expect(r).toMatchObject({ ok: false, code: 'INTERNAL' })
  } finally {
    quiet.mockRestore()
  }
}

const byId = (a: { _id: string }, b: { _id: string }) => (a._id < b._id ? -1 : 1)
const grids = async (where: Record<string, unknown>) => ((await rt.db.collection('grids').where(where).limit(1000).get()).data as any[]).sort(byId)
const node = async (id: string) => (await rt.db.collection('grids').doc(id).get()).data[0] as any
const docs = async (c: string, where: Record<string, unknown>) => ((await rt.db.collection(c).where(where).limit(1000).get()).data as any[]).sort(byId)

// ---------- grid move ----------

/** 柳树村 with 2 grids × 2 micro-grids, moved between the two townships, one step boundary after the other. */
const VILLAGE = 'g_XF0103'
const MOVE_STEPS: FaultStep[] = ['move.claimed', 'move.paths', 'move.scoped', 'move.recoded', 'move.rescoped']

let placed = 0
async function placeAt(gridId: string) {
  const grid = await node(gridId)
  const o = await rt.ok(
    'order',
    'place',
    { requestId: `resume_${Date.now()}_${++placed}`, gridCode: grid.code, serviceId: 'svc_01', description: '路灯不亮了，请来看看', contactPhone: '13800001111', privacyVersion: PRIVACY_VERSION },
    VILLAGER,
  )
  return o.id as string
}

/** Orders (and a showcase of one) at the village's grids, so the move has something to rescope. */
async function ordersBelow(village: string) {
  const [grid, micro] = (await grids({ parentId: village })).slice(0, 1).concat((await grids({ path: village, level: 'micro' })).slice(0, 1))
  const ids = [await placeAt(grid._id), await placeAt(micro._id)]
  const o = (await rt.db.collection('orders').doc(ids[0]).get()).data[0] as any
  await rt.db.collection('showcases').add({ _id: `sc_${ids[0]}`, orderId: ids[0], scopePath: o.scopePath, townshipName: o.townshipName, villageName: o.villageName, status: 'approved' })
  return ids
}

/** What an uninterrupted move leaves: every node below has the new parent's ancestry, codes with the new prefix, its old code kept. */
function expectedAfterMove(before: any[], moved: any, newParent: any, newCode: string) {
  const depth = moved.path.length - 1
  return before.map((n) => ({
    _id: n._id,
    code: newCode + n.code.slice(moved.code.length),
    path: [...newParent.path, ...n.path.slice(depth)],
    pathNames: [...newParent.pathNames, ...n.pathNames.slice(depth)],
    formerCodes: [...(n.formerCodes ?? []), n.code],
  }))
}

/** Nodes as expected, no move left recorded, and everything at their grids scoped and named after them. */
async function expectSettled(nodeId: string, expected: ReturnType<typeof expectedAfterMove>, orderIds: string[]) {
  const now = await grids({ path: nodeId })
  expect(now.map((n) => ({ _id: n._id, code: n.code, path: n.path, pathNames: n.pathNames, formerCodes: n.formerCodes }))).toEqual(expected)
  expect(now.filter((n) => n.move)).toEqual([])
  const gridOf = new Map(now.map((n) => [n._id, n]))
  const orders = await docs('orders', { scopePath: nodeId })
  expect(orders.map((o) => o._id)).toEqual(expect.arrayContaining(orderIds))
  for (const o of orders) {
    const g = gridOf.get(o.gridId)
    expect({ scopePath: o.scopePath, gridCode: o.gridCode, townshipName: o.townshipName, villageName: o.villageName }).toEqual({ scopePath: g.path, gridCode: g.code, ...placeNames(g) })
  }
  const volunteers = await docs('volunteers', { gridId: rt.db.command.in([...gridOf.keys()]) })
  expect(volunteers.length).toBeGreaterThan(0)
  for (const v of volunteers) expect({ scopePath: v.scopePath, townshipName: v.townshipName }).toEqual({ scopePath: gridOf.get(v.gridId).path, townshipName: placeNames(gridOf.get(v.gridId)).townshipName })
  for (const s of await docs('showcases', { orderId: rt.db.command.in(orderIds) })) {
    expect(s.scopePath).toEqual(orders.find((o) => o._id === s.orderId).scopePath)
  }
  // authority follows: 东关镇 reads the orders exactly when they are in 东关镇
  const inDongguan = now[0].path.includes('g_XF01')
  for (const id of orderIds) expect((await rt.call('order', 'detail', { id }, TOWNSHIP_DG)).ok).toBe(inDongguan)
}

async function movesOf(nodeId: string) {
  return (await docs('audit', { 'target.id': nodeId })).filter((a) => a.action === 'moveNode').length
}

describe('a grid move', () => {
  test('uninterrupted: the subtree, its codes and its orders follow the village to the other township', async () => {
    const village = await node(VILLAGE)
    const to = await node(village.parentId === 'g_XF01' ? 'g_XF02' : 'g_XF01')
    const orderIds = await ordersBelow(VILLAGE)
    const before = await grids({ path: VILLAGE })
    const audits = await movesOf(VILLAGE)
    const r = await rt.ok('grid', 'move', { id: VILLAGE, parentId: to._id }, COUNTY)
    await expectSettled(VILLAGE, expectedAfterMove(before, village, to, r.code), orderIds)
    expect(await movesOf(VILLAGE)).toBe(audits + 1)
  })

  test.each(MOVE_STEPS)('killed after %s: the half-done state is as expected; retrying the same move finishes it', async (step) => {
    const village = await node(VILLAGE)
    const from = village.parentId
    const to = await node(from === 'g_XF01' ? 'g_XF02' : 'g_XF01')
    const orderIds = await ordersBelow(VILLAGE)
    const before = await grids({ path: VILLAGE })
    const audits = await movesOf(VILLAGE)
    const descendants = before.filter((n) => n._id !== VILLAGE)

    await killedAfter(gridRun, 'move', { id: VILLAGE, parentId: to._id }, COUNTY, step)
    // the claim is made and recorded (with its audit entry) before anything below follows
    const claimed = await node(VILLAGE)
    expect(claimed).toMatchObject({ parentId: to._id, path: [...to.path, VILLAGE], move: { fromCode: village.code, fromParentId: from, toParentId: to._id } })
    expect(await movesOf(VILLAGE)).toBe(audits + 1)
    const newCode = claimed.code as string
    const mid = await grids({ path: VILLAGE })
    const midOrders = await docs('orders', { _id: rt.db.command.in(orderIds) })
    const done = MOVE_STEPS.indexOf(step)
    const pathsDone = done >= MOVE_STEPS.indexOf('move.paths')
    for (const d of descendants) {
      const m = mid.find((n) => n._id === d._id)
      expect(m.path[1]).toBe(pathsDone ? to._id : from)
      expect(m.code.startsWith(done >= MOVE_STEPS.indexOf('move.recoded') ? newCode : village.code)).toBe(true)
    }
    for (const o of midOrders) {
      expect(o.scopePath[1]).toBe(done >= MOVE_STEPS.indexOf('move.scoped') ? to._id : from)
      expect(o.gridCode.startsWith(done >= MOVE_STEPS.indexOf('move.rescoped') ? newCode : village.code)).toBe(true)
    }
    // an order placed at a moved grid meanwhile: once the paths have followed, it is the new township's
    const meanwhile = await placeAt(descendants.find((d) => d.level === 'micro')._id)
    const placedMeanwhile = (await rt.db.collection('orders').doc(meanwhile).get()).data[0] as any
    if (pathsDone) expect(placedMeanwhile.scopePath[1]).toBe(to._id)

    const again = await rt.ok('grid', 'move', { id: VILLAGE, parentId: to._id }, COUNTY)
    expect(again).toMatchObject({ id: VILLAGE, parentId: to._id, code: newCode })
    await expectSettled(VILLAGE, expectedAfterMove(before, village, to, newCode), [...orderIds, meanwhile])
    // the retry finished the move: no second entry, no second code
    expect(await movesOf(VILLAGE)).toBe(audits + 1)
  })

  test('a different move of a half-moved node finishes the first one before it starts', async () => {
    const village = await node(VILLAGE)
    const first = await node(village.parentId === 'g_XF01' ? 'g_XF02' : 'g_XF01')
    const orderIds = await ordersBelow(VILLAGE)
    const before = await grids({ path: VILLAGE })
    await killedAfter(gridRun, 'move', { id: VILLAGE, parentId: first._id }, COUNTY, 'move.paths')
    const firstCode = (await node(VILLAGE)).code
    const afterFirst = expectedAfterMove(before, village, first, firstCode)
    // moved back at once: the first move completes, then the second runs from there
    const back = await node(village.parentId)
    const r = await rt.ok('grid', 'move', { id: VILLAGE, parentId: back._id }, COUNTY)
    const movedOnce = { ...village, ...afterFirst.find((n) => n._id === VILLAGE) }
    await expectSettled(VILLAGE, expectedAfterMove(afterFirst as any[], movedOnce, back, r.code), orderIds)
  })

  test('the sweep finishes a move whose function died, once it is a minute old', async () => {
    const t0 = new Date()
    const village = await node(VILLAGE)
    const to = await node(village.parentId === 'g_XF01' ? 'g_XF02' : 'g_XF01')
    const orderIds = await ordersBelow(VILLAGE)
    const before = await grids({ path: VILLAGE })
    await killedAfter(gridRun, 'move', { id: VILLAGE, parentId: to._id }, COUNTY, 'move.claimed', 1, t0)
    const newCode = (await node(VILLAGE)).code
    const early = (await rt.invoke('clock', {}, null, () => new Date(t0.getTime() + 30_000))) as any
    expect(early.data.movesFinished).toBe(0) // the move may still be running
    expect((await node(VILLAGE)).move).toBeDefined()
    const later = (await rt.invoke('clock', {}, null, () => new Date(t0.getTime() + 120_000))) as any
    expect(later.data.movesFinished).toBe(1)
    await expectSettled(VILLAGE, expectedAfterMove(before, village, to, newCode), orderIds)
    expect(((await rt.invoke('clock', {}, null, () => new Date(t0.getTime() + 180_000))) as any).data.movesFinished).toBe(0)
  })
})

// ---------- volunteer approval ----------

let applicants = 0
async function applicant() {
  const id = `u_resume_vol_${++applicants}`
  await rt.ok(
    'volunteer',
    'register',
    { requestId: `reg_resume_${applicants}`, name: '周复原', phone: `1590000${String(1000 + applicants).slice(-4)}`, gridId: 'g_XF010101', skills: ['水电'], availability: ['周末'], privacyVersion: PRIVACY_VERSION },
    id,
  )
  return id
}
const counter = async () => ((await rt.db.collection('counters').doc('plate_g_XF01').get()).data[0] as any).seq as number
const platesOf = async (userId: string) => (await docs('plates', { userId })).map((p) => p._id as string)
const volunteer = async (id: string) => (await rt.db.collection('volunteers').doc(id).get()).data[0] as any
const user = async (id: string) => (await rt.db.collection('users').doc(id).get()).data[0] as any

/** What an approval leaves: one plate, recorded for the person, on the registration and the users doc with the role. */
async function expectApproved(id: string) {
  const v = await volunteer(id)
  expect(v).toMatchObject({ status: 'approved', teamId: 'team_dg' })
  expect(await platesOf(id)).toEqual([v.plate])
  expect(await user(id)).toMatchObject({ plate: v.plate, teamId: 'team_dg', roles: [{ role: 'volunteer', nodeId: 'g_XF010101' }], suspended: false })
  // no plate number is held by two people
  const all = (await rt.db.collection('volunteers').where({ plate: rt.db.command.exists(true) }).limit(1000).get()).data as any[]
  expect(new Set(all.map((x) => x.plate)).size).toBe(all.length)
  expect(v.history.filter((h: any) => h.action === 'approve')).toHaveLength(1)
  return v.plate as string
}

describe('a volunteer approval', () => {
  test('uninterrupted: the next plate of the township, recorded, on the registration and the users doc', async () => {
    const id = await applicant()
    const seq = await counter()
    await rt.ok('volunteer', 'approve', { id }, STATION_DG)
    expect(parsePlate(await expectApproved(id))!.seq).toBe(seq + 1)
  })

  const APPROVE_STEPS: FaultStep[] = ['approve.claimed', 'approve.seqTaken', 'approve.plateRecorded', 'approve.plateSet']
  test.each(APPROVE_STEPS)('killed after %s: a retried approval completes it with one plate, never reissued', async (step) => {
    const id = await applicant()
    const seq = await counter()
    await killedAfter(volunteerRun, 'approve', { id }, STATION_DG, step)
    const done = APPROVE_STEPS.indexOf(step)
    const mid = await volunteer(id)
    expect(mid.status).toBe('approved')
    expect(await counter()).toBe(done >= 1 ? seq + 1 : seq)
    const recorded = await platesOf(id)
    expect(recorded).toHaveLength(done >= 2 ? 1 : 0)
    expect(mid.plate).toBe(done >= 3 ? recorded[0] : undefined)
    expect((await user(id))?.plate).toBeUndefined()

    await rt.ok('volunteer', 'approve', { id }, STATION_DG)
    const plate = await expectApproved(id)
    // the plate recorded before the crash is the one kept; a number taken but never recorded is skipped
    if (done >= 2) expect(plate).toBe(recorded[0])
    expect(parsePlate(plate)!.seq).toBe(step === 'approve.seqTaken' ? seq + 2 : seq + 1)
    expect(await counter()).toBe(parsePlate(plate)!.seq)
    // approving once more is refused and issues nothing
    expect(await rt.fail('volunteer', 'approve', { id }, STATION_DG)).toMatchObject({ code: 'INVALID_TRANSITION' })
    expect(await platesOf(id)).toEqual([plate])
  })

  test('a number lost to a crash is never handed to someone else', async () => {
    const id = await applicant()
    const seq = await counter()
    await killedAfter(volunteerRun, 'approve', { id }, STATION_DG, 'approve.seqTaken')
    const other = await applicant()
    await rt.ok('volunteer', 'approve', { id: other }, STATION_DG)
    await rt.ok('volunteer', 'approve', { id }, STATION_DG)
    const lost = `XF01-${String(seq + 1).padStart(4, '0')}`
    expect((await rt.db.collection('plates').doc(lost).get()).data).toEqual([])
    expect([await expectApproved(other), await expectApproved(id)]).not.toContain(lost)
  })
})

// ---------- CSV import ----------

/** 1 township, 1 village, 6 grids × 99 micro-grids = 602 nodes: two insert batches, a grid's micro-grids split between them. */
const bigFile = (township: string) => {
  const lines = ['乡镇,村,网格,微网格']
  for (let g = 1; g <= 6; g++) for (let m = 1; m <= 99; m++) lines.push(`${township},${township}村,网格${g},微${m}`)
  return lines.join('\n')
}
const importCsv = (csv: string) => ({ parentId: 'g_XF', csv })

/** A township's subtree, independent of its own code and name: what an import made of the file. */
async function shapeOf(township: string) {
  const t = (await grids({ parentId: 'g_XF', name: township }))[0]
  expect(t).toBeDefined()
  const nodes = await grids({ path: t._id })
  const ids = new Set(nodes.map((n) => n._id))
  // every node hangs under one that exists
  expect(nodes.filter((n) => n._id !== t._id && !ids.has(n.parentId))).toEqual([])
  const rel = (s: string) => s.split(township).join('T')
  return nodes
    .map((n) => ({ code: rel(n.code.replace(t.code, 'T')), path: n.pathNames.slice(1).map(rel).join('/'), level: n.level, childSeq: n.childSeq }))
    .sort((a, b) => (a.code < b.code ? -1 : 1))
}

describe('a CSV import', () => {
  let reference: Awaited<ReturnType<typeof shapeOf>>
  beforeAll(async () => {
    const r = await rt.ok('grid', 'importCsv', importCsv(bigFile('甲镇')), COUNTY)
    expect(r).toMatchObject({ rows: 594, created: 602, existing: 0, errors: [] })
    reference = await shapeOf('甲镇')
    expect(reference).toHaveLength(602)
  })

  test('killed between two batches: re-importing the same file creates only the rest, with the codes planned, and says so', async () => {
    await killedAfter(gridRun, 'importCsv', importCsv(bigFile('乙镇')), COUNTY, 'import.batch')
    expect(await shapeOf('乙镇')).toHaveLength(500)
    const r = await rt.ok('grid', 'importCsv', importCsv(bigFile('乙镇')), COUNTY)
    expect(r).toMatchObject({ rows: 594, created: 102, existing: 500, errors: [] })
    expect(await shapeOf('乙镇')).toEqual(reference)
    // and once more: nothing to do
    expect(await rt.ok('grid', 'importCsv', importCsv(bigFile('乙镇')), COUNTY)).toMatchObject({ created: 0, existing: 602 })
    expect(await shapeOf('乙镇')).toEqual(reference)
  })

  test('killed after the last batch, before the counters: re-importing sets them and creates nothing', async () => {
    await killedAfter(gridRun, 'importCsv', importCsv(bigFile('丙镇')), COUNTY, 'import.inserted')
    const half = await shapeOf('丙镇')
    expect(half).toHaveLength(602)
    expect(half.filter((n) => n.childSeq === undefined).length).toBeGreaterThan(0)
    const r = await rt.ok('grid', 'importCsv', importCsv(bigFile('丙镇')), COUNTY)
    expect(r).toMatchObject({ rows: 594, created: 0, existing: 602, errors: [] })
    expect(await shapeOf('丙镇')).toEqual(reference)
  })
})
