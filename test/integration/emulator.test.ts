// Round trips through the REAL @cloudbase/node-sdk against the database emulator.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { EJSON } from 'bson'
import { Emulator } from '../../emulator'
import { failure, sdk, serve, stop, type Db } from '../helpers/emulatorSdk'

// Without this the SDK probes the Tencent Cloud metadata service (two 30 ms
// timeouts) before every request to find out whether it runs in the cloud.
process.env.TENCENTCLOUD = 'true'
// The SDK arms a 3 s "slow request" warning per request and never clears it when
// the request fails (as the requests cut off by the kill -9 test do).
process.env.SILENCE = 'true'

jest.setTimeout(20_000)

const ROOT = path.resolve(__dirname, '..', '..')
const E = (v: unknown) => EJSON.stringify(v as Record<string, unknown>, { relaxed: false })


let tmp: string
let emu: Emulator
let server: http.Server
let db: Db

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'emulator-test-'))
  emu = await Emulator.open({ dataDir: path.join(tmp, 'main') })
  await emu.createCollection('orders', [
    { name: 'scope_status_amount', keys: [{ field: 'scopePath', dir: 1 }, { field: 'status', dir: 1 }, { field: 'amount', dir: -1 }] },
    { name: 'villager', keys: [{ field: 'villagerId', dir: 1 }] },
  ])
  await emu.createCollection('users', [{ name: 'openId_unique', keys: [{ field: 'openId', dir: 1 }], unique: true }])
  await emu.createCollection('grids', [])
  await emu.createCollection('accounts', [])
  await emu.createCollection('tickets', [])
  const l = await serve(emu)
  server = l.server
  db = sdk(l.url)
})

afterAll(async () => {
  await stop(server)
  await emu.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe('queries', () => {
  beforeAll(async () => {
    const orders = [
      { _id: 'o1', villagerId: 'v1', status: 'pending', amount: 10, scopePath: ['c', 't1', 'g1'], tags: ['urgent', 'water'], addr: { town: 't1', no: 3 }, title: 'Fix the water pipe' },
      { _id: 'o2', villagerId: 'v1', status: 'done', amount: 25.5, scopePath: ['c', 't1', 'g2'], tags: ['power'], addr: { town: 't1', no: 8 }, title: 'power cut' },
      { _id: 'o3', villagerId: 'v2', status: 'pending', amount: 40, scopePath: ['c', 't2', 'g3'], tags: [], addr: { town: 't2', no: 1 }, title: 'WATER leak' },
      { _id: 'o4', villagerId: 'v3', status: 'accepted', amount: 5, scopePath: ['c', 't2', 'g4'], tags: ['water'], addr: { town: 't2', no: 9 }, title: 'road' },
      { _id: 'o5', villagerId: 'v2', status: 'pending', amount: 70, scopePath: ['c', 't1', 'g1'], tags: ['urgent'], addr: { town: 't1', no: 4 }, title: 'tree' },
    ]
    for (const o of orders) await db.collection('orders').add(o)
  })

  const ids = (res: { data: Array<{ _id: string }> }) => res.data.map((d) => d._id)

  test('where + orderBy + skip + limit', async () => {
    const _ = db.command
    const res = await db.collection('orders').where({ status: 'pending' }).orderBy('amount', 'desc').skip(1).limit(1).get()
    expect(ids(res)).toEqual(['o3'])
    const all = await db.collection('orders').where({ amount: _.gt(9) }).orderBy('amount', 'asc').get()
    expect(ids(all)).toEqual(['o1', 'o2', 'o3', 'o5'])
  })

  test('orderBy on two fields', async () => {
    const res = await db.collection('orders').where({}).orderBy('status', 'asc').orderBy('amount', 'desc').get()
    expect(ids(res)).toEqual(['o4', 'o2', 'o5', 'o3', 'o1'])
  })

  test('_.in, _.and, _.or, _.neq', async () => {
    const _ = db.command
    expect(ids(await db.collection('orders').where({ villagerId: _.in(['v2', 'v3']) }).orderBy('_id', 'asc').get())).toEqual(['o3', 'o4', 'o5'])
    expect(ids(await db.collection('orders').where({ amount: _.gt(5).and(_.lt(40)) }).orderBy('_id', 'asc').get())).toEqual(['o1', 'o2'])
    expect(
      ids(await db.collection('orders').where(_.or([{ status: 'done' }, { amount: _.gte(70) }])).orderBy('_id', 'asc').get()),
    ).toEqual(['o2', 'o5'])
    expect(ids(await db.collection('orders').where({ status: _.neq('pending') }).orderBy('_id', 'asc').get())).toEqual(['o2', 'o4'])
  })

  test('nested fields (object and dotted path)', async () => {
    const _ = db.command
    expect(ids(await db.collection('orders').where({ addr: { town: 't2' } }).orderBy('_id', 'asc').get())).toEqual(['o3', 'o4'])
    expect(ids(await db.collection('orders').where({ 'addr.no': _.gte(8) }).orderBy('_id', 'asc').get())).toEqual(['o2', 'o4'])
  })

  test('array contains (plain value on an array field, multikey index)', async () => {
    expect(ids(await db.collection('orders').where({ tags: 'water' }).orderBy('_id', 'asc').get())).toEqual(['o1', 'o4'])
    // scopePath is the first field of an index: the same answer through index narrowing
    expect(ids(await db.collection('orders').where({ scopePath: 'g1', status: 'pending' }).orderBy('_id', 'asc').get())).toEqual(['o1', 'o5'])
    expect(ids(await db.collection('orders').where({ scopePath: db.command.in(['t2', 'nope']) }).orderBy('_id', 'asc').get())).toEqual(['o3', 'o4'])
    // two leading fields of the compound index, with $in on both
    const _ = db.command
    expect(
      ids(await db.collection('orders').where({ scopePath: _.in(['t1', 't2']), status: _.in(['done', 'accepted']) }).orderBy('_id', 'asc').get()),
    ).toEqual(['o2', 'o4'])
    // $or whose branches are all index lookups
    expect(ids(await db.collection('orders').where(_.or([{ villagerId: 'v1' }, { villagerId: 'v3', amount: _.lt(10) }])).orderBy('_id', 'asc').get())).toEqual(['o1', 'o2', 'o4'])
  })

  test('index narrowing never changes results (differential check against a full mingo scan)', async () => {
    await emu.createCollection('fuzz', [
      { name: 'a', keys: [{ field: 'a', dir: 1 }] },
      { name: 'bc_a_n', keys: [{ field: 'b.c', dir: 1 }, { field: 'a', dir: 1 }, { field: 'n', dir: 1 }] },
      { name: 'tags_a', keys: [{ field: 'tags', dir: 1 }, { field: 'a', dir: -1 }] },
    ])
    let seed = 42
    const rnd = (n: number) => {
      // mulberry32
      seed = (seed + 0x6d2b79f5) | 0
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
      return ((t ^ (t >>> 14)) >>> 0) % n
    }
    const VALUES: unknown[] = [1, 2, '1', 'x', true, null, new Date(1), [1, 2], ['x', 'y']]
    const pick = () => VALUES[rnd(VALUES.length)]
    const docs: Record<string, unknown>[] = []
    for (let i = 0; i < 300; i++) {
      const d: Record<string, unknown> = { _id: `f${i}`, n: rnd(3) }
      if (rnd(5)) d.a = pick()
      if (rnd(4)) d.b = rnd(3) ? { c: pick() } : [{ c: pick() }, { c: pick() }]
      if (rnd(3)) d.tags = rnd(2) ? ['p', 'q', 'r'].filter(() => rnd(2)) : 'p'
      docs.push(d)
    }
    await emu.insertMany('fuzz', docs)
    const scalar = () => [1, 2, '1', 'x', 'y', true, new Date(1), 'p', 'q', 'r'][rnd(10)]
    const term = (): Record<string, unknown> => {
      const field = ['a', 'b.c', 'tags', 'n', '_id'][rnd(5)]
      const v = field === '_id' ? `f${rnd(320)}` : scalar()
      switch (rnd(3)) {
        case 0:
          return { [field]: v }
        case 1:
          return { [field]: { $in: [v, scalar()] } }
        default:
          return { [field]: { $eq: v } }
      }
    }
    const { Query } = await import('mingo')
    for (let i = 0; i < 300; i++) {
      let q: Record<string, unknown> = {}
      const shape = rnd(4)
      if (shape === 0) q = { ...term(), ...term() }
      else if (shape === 1) q = { $and: [term(), term()], ...term() }
      else if (shape === 2) q = { $or: [term(), { ...term(), ...term() }] }
      else q = term()
      const reference = new Query(q)
      const expected = docs.filter((d) => reference.test(d)).map((d) => d._id)
      const res = await emu.handle({ action: 'database.getDocument', collectionName: 'fuzz', queryType: 'WHERE', query: E(q), limit: 1000 })
      const got = (res.data as { list: string[] }).list.map((x) => (EJSON.parse(x) as { _id: string })._id)
      expect({ q, got }).toEqual({ q, got: expected })
    }
  })

  test('RegExp via db.RegExp and a JS RegExp', async () => {
    expect(ids(await db.collection('orders').where({ title: db.RegExp({ regexp: 'water', options: 'i' }) }).orderBy('_id', 'asc').get())).toEqual(['o1', 'o3'])
    expect(ids(await db.collection('orders').where({ title: /^power/ }).get())).toEqual(['o2'])
  })

  test('field() projection', async () => {
    const res = await db.collection('orders').where({ _id: 'o1' }).field({ status: true }).get()
    expect(res.data).toEqual([{ _id: 'o1', status: 'pending' }])
  })

  test('doc(id).get() returns a list; missing doc gives an empty list', async () => {
    const res = await db.collection('orders').doc('o4').get()
    expect(res.data).toHaveLength(1)
    expect(res.data[0]).toMatchObject({ _id: 'o4', status: 'accepted', amount: 5 })
    expect((await db.collection('orders').doc('nope').get()).data).toEqual([])
  })

  test('count()', async () => {
    expect((await db.collection('orders').where({ status: 'pending' }).count()).total).toBe(3)
    expect((await db.collection('orders').count()).total).toBe(5)
  })

  test('default limit is 100, limit is clamped to 1000', async () => {
    await emu.insertMany('grids', Array.from({ length: 1200 }, (_, i) => ({ _id: `g${String(i).padStart(4, '0')}`, n: i })))
    expect((await db.collection('grids').get()).data).toHaveLength(100)
    expect((await db.collection('grids').limit(5000).get()).data).toHaveLength(1000)
    const raw = await emu.handle({ action: 'database.getDocument', collectionName: 'grids', queryType: 'WHERE', limit: 5000 })
    expect((raw.data as { list: string[]; limit: number }).limit).toBe(1000)
  })
})

describe('writes', () => {
  test('add() without _id generates a 32-hex id', async () => {
    const res = await db.collection('tickets').add({ kind: 'a' })
    expect(res.id).toMatch(/^[0-9a-f]{32}$/)
    expect((await db.collection('tickets').doc(res.id!).get()).data[0]).toEqual({ _id: res.id, kind: 'a' })
  })

  test('add() with an existing _id fails with a duplicate-key error', async () => {
    await db.collection('tickets').add({ _id: 'client-derived', n: 1 })
    const err = await failure(db.collection('tickets').add({ _id: 'client-derived', n: 2 }))
    expect(err.code).toBe('DATABASE_DUPLICATE_WRITE')
    expect(err.message).toContain('duplicate key')
    expect((await db.collection('tickets').doc('client-derived').get()).data[0].n).toBe(1)
  })

  test('unique index: insert and update violations', async () => {
    await db.collection('users').add({ _id: 'u1', openId: 'A' })
    await db.collection('users').add({ _id: 'u2', openId: 'B' })
    const e1 = await failure(db.collection('users').add({ _id: 'u3', openId: 'A' }))
    expect(e1.code).toBe('DATABASE_DUPLICATE_WRITE')
    expect(e1.message).toMatch(/duplicate key.*openId_unique/)
    const e2 = await failure(db.collection('users').doc('u2').update({ openId: 'A' }))
    expect(e2.code).toBe('DATABASE_DUPLICATE_WRITE')
    expect((await db.collection('users').doc('u2').get()).data[0].openId).toBe('B')
    // A batch add is all or nothing
    await failure(db.collection('users').add([{ _id: 'u4', openId: 'C' }, { _id: 'u5', openId: 'B' }]))
    expect((await db.collection('users').doc('u4').get()).data).toEqual([])
  })

  test('update with _.inc, _.push, _.set, _.remove and serverDate', async () => {
    const _ = db.command
    await db.collection('tickets').add({ _id: 'up1', n: 1, list: [1], meta: { a: 1, b: 2 }, gone: true })
    const before = Date.now()
    const res = await db
      .collection('tickets')
      .doc('up1')
      .update({ n: _.inc(2), list: _.push([2, 3]), meta: _.set({ c: 3 }), gone: _.remove(), at: db.serverDate({ offset: 60_000 }) })
    expect(res.updated).toBe(1)
    const doc = (await db.collection('tickets').doc('up1').get()).data[0]
    expect(doc).toMatchObject({ n: 3, list: [1, 2, 3], meta: { c: 3 } })
    expect(doc).not.toHaveProperty('gone')
    expect(doc.at).toBeInstanceOf(Date)
    expect(doc.at.getTime()).toBeGreaterThanOrEqual(before + 60_000)
    expect(doc.at.getTime()).toBeLessThan(Date.now() + 60_000 + 1000)
  })

  test('nested plain-object update sets dotted paths; unchanged update reports 0', async () => {
    await db.collection('tickets').add({ _id: 'up2', meta: { a: 1, b: 2 } })
    expect((await db.collection('tickets').doc('up2').update({ meta: { a: 5 } })).updated).toBe(1)
    expect((await db.collection('tickets').doc('up2').get()).data[0].meta).toEqual({ a: 5, b: 2 })
    expect((await db.collection('tickets').doc('up2').update({ meta: { a: 5 } })).updated).toBe(0)
  })

  test('where().update() updates every match', async () => {
    await db.collection('tickets').add([{ _id: 'm1', grp: 'x', v: 0 }, { _id: 'm2', grp: 'x', v: 0 }, { _id: 'm3', grp: 'y', v: 0 }])
    const res = await db.collection('tickets').where({ grp: 'x' }).update({ v: db.command.inc(1) })
    expect(res.updated).toBe(2)
    expect((await db.collection('tickets').where({ v: 1 }).count()).total).toBe(2)
  })

  test('set() replaces, and inserts when missing', async () => {
    await db.collection('tickets').add({ _id: 's1', a: 1, b: 2 })
    const r1 = await db.collection('tickets').doc('s1').set({ c: 3 })
    expect(r1.updated).toBe(1)
    expect((await db.collection('tickets').doc('s1').get()).data[0]).toEqual({ _id: 's1', c: 3 })
    const r2 = await db.collection('tickets').doc('s2').set({ d: 4 })
    expect(r2.updated).toBe(0)
    expect(r2.upsertedId).toBe('s2')
    expect((await db.collection('tickets').doc('s2').get()).data[0]).toEqual({ _id: 's2', d: 4 })
  })

  test('updateAndReturn() returns the updated document', async () => {
    await db.collection('tickets').add({ _id: 'r1', kind: 'uar', n: 1 })
    const res = await db.collection('tickets').where({ kind: 'uar' }).updateAndReturn({ n: db.command.inc(10) })
    expect(res.updated).toBe(1)
    expect(res.doc).toEqual({ _id: 'r1', kind: 'uar', n: 11 })
    const none = await db.collection('tickets').where({ kind: 'none' }).updateAndReturn({ n: 1 })
    expect(none.updated).toBe(0)
    expect(none.doc).toBeNull()
  })

  test('remove(): doc and where', async () => {
    await db.collection('tickets').add([{ _id: 'd1', del: 1 }, { _id: 'd2', del: 1 }, { _id: 'd3', del: 1 }])
    expect((await db.collection('tickets').doc('d1').remove()).deleted).toBe(1)
    expect((await db.collection('tickets').where({ del: 1 }).remove()).deleted).toBe(2)
    expect((await db.collection('tickets').where({ del: 1 }).count()).total).toBe(0)
  })

  test('Date round trip (top level, nested, in arrays) and date queries', async () => {
    const at = new Date('2024-05-06T07:08:09.123Z')
    await db.collection('tickets').add({ _id: 'date1', at, nested: { at }, list: [at, { at }] })
    const doc = (await db.collection('tickets').doc('date1').get()).data[0]
    expect(doc.at).toBeInstanceOf(Date)
    expect(doc.at.getTime()).toBe(at.getTime())
    expect(doc.nested.at.getTime()).toBe(at.getTime())
    expect(doc.list[0].getTime()).toBe(at.getTime())
    expect(doc.list[1].at.getTime()).toBe(at.getTime())
    const _ = db.command
    expect((await db.collection('tickets').where({ at: _.gte(new Date('2024-01-01')), _id: 'date1' }).count()).total).toBe(1)
    expect((await db.collection('tickets').where({ at: _.lt(new Date('2024-01-01')), _id: 'date1' }).count()).total).toBe(0)
  })

  test('numbers: integers and doubles survive', async () => {
    await db.collection('tickets').add({ _id: 'num', i: 7, d: 2.5, big: 2 ** 40, neg: -3 })
    const doc = (await db.collection('tickets').doc('num').get()).data[0]
    expect(doc).toEqual({ _id: 'num', i: 7, d: 2.5, big: 2 ** 40, neg: -3 })
  })

  test('compare-and-set race: 20 concurrent conditional updates, exactly one wins', async () => {
    await db.collection('tickets').add({ _id: 'cas', status: 'a' })
    const results = await Promise.all(
      Array.from({ length: 20 }, () => db.collection('tickets').where({ _id: 'cas', status: 'a' }).update({ status: 'b' })),
    )
    expect(results.map((r) => r.updated).sort()).toEqual([...Array(19).fill(0), 1])
    expect((await db.collection('tickets').doc('cas').get()).data[0].status).toBe('b')
  })
})

describe('aggregate', () => {
  beforeAll(async () => {
    await db.collection('accounts').add([
      { _id: 'a1', owner: 'v1', balance: 10, region: 'n' },
      { _id: 'a2', owner: 'v2', balance: 20, region: 's' },
      { _id: 'a3', owner: 'v3', balance: 30, region: 'n' },
    ])
  })

  test('match / group / sort / project', async () => {
    const $ = db.command.aggregate
    const res = await db
      .collection('orders')
      .aggregate()
      .match({ status: db.command.in(['pending', 'done']) })
      .group({ _id: '$villagerId', total: $.sum('$amount'), n: $.sum(1) })
      .sort({ total: -1 })
      .project({ _id: 0, villager: '$_id', total: 1, n: 1 })
      .end()
    expect(res.data).toEqual([
      { villager: 'v2', total: 110, n: 2 },
      { villager: 'v1', total: 35.5, n: 2 },
    ])
  })

  test('lookup joins another collection without touching it', async () => {
    const res = await db
      .collection('orders')
      .aggregate()
      .match({ _id: db.command.in(['o1', 'o3']) })
      .lookup({ from: 'accounts', localField: 'villagerId', foreignField: 'owner', as: 'acct' })
      .unwind('$acct')
      .addFields({ 'acct.seen': true })
      .sort({ _id: 1 })
      .project({ _id: 1, acct: 1 })
      .end()
    expect(res.data).toEqual([
      { _id: 'o1', acct: { _id: 'a1', owner: 'v1', balance: 10, region: 'n', seen: true } },
      { _id: 'o3', acct: { _id: 'a2', owner: 'v2', balance: 20, region: 's', seen: true } },
    ])
    // the stored documents were not modified by the pipeline
    expect((await db.collection('accounts').doc('a1').get()).data[0]).not.toHaveProperty('seen')
    expect((await db.collection('orders').doc('o1').get()).data[0]).not.toHaveProperty('acct')
  })
})

describe('transactions', () => {
  test('runTransaction commits; reads see own writes; doc().get() returns an object', async () => {
    const _ = db.command
    await db.collection('accounts').add({ _id: 't1', balance: 100 })
    await db.collection('accounts').add({ _id: 't2', balance: 0 })
    const seen = await db.runTransaction(async (tx: any) => {
      const first = await tx.collection('accounts').doc('t1').get()
      await tx.collection('accounts').doc('t1').update({ balance: _.inc(-30) })
      await tx.collection('accounts').doc('t2').update({ balance: _.inc(30) })
      await tx.collection('accounts').add({ _id: 't-log', amount: 30 })
      const after = await tx.collection('accounts').doc('t1').get()
      // not visible outside before commit
      const outside = await db.collection('accounts').doc('t1').get()
      return { first: first.data, after: after.data, outside: outside.data[0].balance }
    })
    expect(seen.first).toEqual({ _id: 't1', balance: 100 }) // an object, not [doc]
    expect(seen.after).toEqual({ _id: 't1', balance: 70 })
    expect(seen.outside).toBe(100)
    expect((await db.collection('accounts').doc('t1').get()).data[0].balance).toBe(70)
    expect((await db.collection('accounts').doc('t2').get()).data[0].balance).toBe(30)
    expect((await db.collection('accounts').doc('t-log').get()).data).toHaveLength(1)
  })

  test('rollback discards the writes', async () => {
    await db.collection('accounts').add({ _id: 'rb', balance: 5 })
    const err = await failure(
      db.runTransaction(async (tx: any) => {
        await tx.collection('accounts').doc('rb').update({ balance: 999 })
        await tx.collection('accounts').doc('rb-new').set({ x: 1 })
        await tx.rollback('custom reason')
      }),
    )
    expect(err).toBe('custom reason')
    expect((await db.collection('accounts').doc('rb').get()).data[0].balance).toBe(5)
    expect((await db.collection('accounts').doc('rb-new').get()).data).toEqual([])
  })

  test('conflict: writing a document changed outside since the transaction began fails at once', async () => {
    await db.collection('accounts').add({ _id: 'cf', balance: 1 })
    const tx = await db.startTransaction()
    await tx.collection('accounts').doc('cf').get()
    await db.collection('accounts').doc('cf').update({ balance: 2 }) // outside the transaction
    const err = await failure(tx.collection('accounts').doc('cf').update({ balance: 3 }))
    expect(err.code).toBe('DATABASE_TRANSACTION_CONFLICT')
    expect((await db.collection('accounts').doc('cf').get()).data[0].balance).toBe(2)
    // the conflict aborted the transaction
    expect((await failure(tx.commit())).code).toBe('DATABASE_TRANSACTION_CONFLICT')
  })

  test('runTransaction retries after a conflict', async () => {
    const _ = db.command
    await db.collection('accounts').add({ _id: 'retry', balance: 0 })
    let attempts = 0
    await db.runTransaction(async (tx: any) => {
      attempts++
      await tx.collection('accounts').doc('retry').get()
      if (attempts === 1) await db.collection('accounts').doc('retry').update({ balance: _.inc(100) })
      await tx.collection('accounts').doc('retry').update({ balance: _.inc(1) })
    })
    expect(attempts).toBe(2)
    expect((await db.collection('accounts').doc('retry').get()).data[0].balance).toBe(101)
  })

  test('transactions are single-document: where() inside a transaction is refused', async () => {
    const tx = await db.startTransaction()
    const err = await failure(tx.collection('accounts').where({ balance: 1 }).get())
    expect(err.code).toBe('INVALID_PARAM')
    await tx.rollback(undefined)
    expect((await failure(tx.rollback(undefined))).code).toBe('DATABASE_TRANSACTION_FAIL')
  })

  test('a transaction must finish in time (the cloud allows 30 s)', async () => {
    const short = await Emulator.open({ dataDir: path.join(tmp, 'ttl'), transactionTimeoutMs: 50 })
    try {
      await short.createCollection('x', [])
      const { transactionId } = await short.handle({ action: 'database.startTransaction' })
      await short.handle({ action: 'database.insertDocument', collectionName: 'x', transactionId, data: [E({ _id: 'late' })] })
      await new Promise((r) => setTimeout(r, 80))
      const res = await short.handle({ action: 'database.commitTransaction', transactionId })
      expect(res.code).toBe('DATABASE_TRANSACTION_FAIL')
      expect(res.message).toContain('expired')
      expect((await short.handle({ action: 'database.calculateDocument', collectionName: 'x' })).data).toEqual({ total: 0 })
    } finally {
      await short.close()
    }
  })

  test('older transaction API (getInTransaction / updateDocInTransaction / deleteDocInTransaction)', async () => {
    await db.collection('accounts').add([{ _id: 'old1', v: 1 }, { _id: 'old2', v: 2 }])
    const start = await emu.handle({ action: 'database.startTransaction' })
    const transactionId = start.transactionId as string
    expect(transactionId).toMatch(/^[0-9a-f]{32}$/)
    const got = await emu.handle({ action: 'database.getInTransaction', collectionName: 'accounts', transactionId, _id: 'old1' })
    expect(EJSON.parse(got.data as string)).toEqual({ _id: 'old1', v: 1 })
    const upd = await emu.handle({ action: 'database.updateDocInTransaction', collectionName: 'accounts', transactionId, _id: 'old1', data: E({ $set: { v: 10 } }) })
    expect(EJSON.parse(upd.updated as string)).toBe(1)
    const ups = await emu.handle({ action: 'database.updateDocInTransaction', collectionName: 'accounts', transactionId, _id: 'old3', data: E({ v: 3 }), upsert: true })
    expect(JSON.parse(ups.upserted as string)).toEqual([{ _id: 'old3' }])
    const del = await emu.handle({ action: 'database.deleteDocInTransaction', collectionName: 'accounts', transactionId, _id: 'old2' })
    expect(EJSON.parse(del.deleted as string)).toBe(1)
    expect((await emu.handle({ action: 'database.commitTransaction', transactionId })).code).toBeUndefined()
    const docs = (await db.collection('accounts').where({ _id: db.command.in(['old1', 'old2', 'old3']) }).orderBy('_id', 'asc').get()).data
    expect(docs).toEqual([{ _id: 'old1', v: 10 }, { _id: 'old3', v: 3 }])
  })
})

describe('errors', () => {
  test('missing collection: DATABASE_COLLECTION_NOT_EXIST (-502005)', async () => {
    for (const call of [
      () => db.collection('nope').get(),
      () => db.collection('nope').add({ a: 1 }),
      () => db.collection('nope').where({ a: 1 }).update({ a: 2 }),
      () => db.collection('nope').count(),
      () => db.collection('nope').aggregate().match({}).end(),
    ]) {
      const err = await failure(call())
      expect(err.code).toBe('DATABASE_COLLECTION_NOT_EXIST')
      expect(err.message).toContain('-502005 database collection not exists')
    }
    expect(emu.hasCollection('nope')).toBe(false)
  })

  test('db.createCollection() through the SDK; creating an existing collection fails', async () => {
    await db.createCollection('made_by_sdk')
    expect(emu.hasCollection('made_by_sdk')).toBe(true)
    expect((await db.collection('made_by_sdk').add({ a: 1 })).id).toMatch(/^[0-9a-f]{32}$/)
    expect((await failure(db.createCollection('made_by_sdk'))).code).toBe('DATABASE_COLLECTION_ALREADY_EXIST')
  })

  test('unknown action: INVALID_ACTION (protocol level and over HTTP)', async () => {
    const res = await emu.handle({ action: 'database.dropEverything', collectionName: 'orders' })
    expect(res.code).toBe('INVALID_ACTION')
    expect(typeof res.requestId).toBe('string')
    const addr = server.address() as AddressInfo
    const body = await new Promise<string>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: addr.port, path: '/tcb?env=local', method: 'POST', headers: { 'content-type': 'application/json' } }, (r) => {
        let s = ''
        r.on('data', (c) => (s += c))
        r.on('end', () => resolve(s))
      })
      req.on('error', reject)
      req.end(JSON.stringify({ action: 'storage.getTempFileURL' }))
    })
    expect(JSON.parse(body)).toMatchObject({ code: 'INVALID_ACTION' })
  })

  test('unsupported operators answer an error, never silently', async () => {
    const qErr = await failure(db.collection('orders').options({ raw: true }).where({ amount: { $near: 3 } }).get())
    expect(qErr.code).toBe('INVALID_PARAM')
    expect(qErr.message).toContain('$near')
    const uErr = await failure(db.collection('orders').where({ _id: 'o1' }).options({ raw: true }).update({ $currentDate: { at: true } }))
    expect(uErr.code).toBe('INVALID_PARAM')
    expect(uErr.message).toContain('$currentDate')
    const aErr = await failure(db.collection('orders').options({ raw: true }).aggregate([{ $match: {} }, { $out: 'copy' }]).end())
    expect(aErr.code).toBe('INVALID_PARAM')
    const sErr = await failure(db.collection('orders').aggregate().match({ status: 'pending' }).group({ _id: '$x', n: { $fancy: 1 } }).end())
    expect(sErr.message).toContain('$fancy')
  })
})

describe('stats and bulk API', () => {
  test('counts requests per action', async () => {
    emu.resetStats()
    await db.collection('orders').where({ status: 'done' }).get()
    await db.collection('orders').count()
    await db.collection('orders').doc('o2').get()
    await failure(db.collection('nope').get())
    expect(emu.stats()).toEqual({ total: 4, byAction: { 'database.getDocument': 3, 'database.calculateDocument': 1 } })
  })

  test('insertMany is queryable and rejects duplicates as a whole', async () => {
    emu.resetStats()
    const ids = await emu.insertMany('tickets', [{ bulk: 1 }, { bulk: 1, _id: 'bulk-x' }, { bulk: 1, at: new Date(0) }])
    expect(ids[1]).toBe('bulk-x')
    expect(ids[0]).toMatch(/^[0-9a-f]{32}$/)
    expect((await db.collection('tickets').where({ bulk: 1 }).count()).total).toBe(3)
    await expect(emu.insertMany('tickets', [{ _id: 'bulk-y' }, { _id: 'bulk-x' }])).rejects.toMatchObject({ code: 'DATABASE_DUPLICATE_WRITE' })
    expect((await db.collection('tickets').doc('bulk-y').get()).data).toEqual([])
    await expect(emu.insertMany('nope', [{}])).rejects.toMatchObject({ code: 'DATABASE_COLLECTION_NOT_EXIST' })
    expect(emu.stats().byAction['database.insertDocument']).toBeUndefined()
  })
})

describe('durability', () => {
  const CHILD = `
import http from 'node:http'
import { Emulator } from ${JSON.stringify(path.join(ROOT, 'emulator'))}
async function main() {
  const emu = await Emulator.open({ dataDir: process.argv[2] })
  const server = http.createServer((req, res) => void emu.httpHandler(req, res))
  server.listen(0, '127.0.0.1', () => process.stdout.write('PORT ' + (server.address() as any).port + '\\n'))
}
main().catch((e) => { console.error(e); process.exit(1) })
`

  /**
   * Start an emulator child process on `dir`, fire 40 concurrent SDK adds at it
   * and SIGKILL it right after the `killAfter`-th acknowledgement. Returns the
   * ids whose add was acknowledged before the kill.
   */
  async function writeUntilKilled(dir: string, killAfter: number): Promise<string[]> {
    const script = path.join(tmp, 'crash-child.ts')
    fs.writeFileSync(script, CHILD)
    // node itself with tsx's loader (the tsx CLI would run the script in a grandchild that SIGKILL misses)
    const child = spawn(process.execPath, ['--import', 'tsx', script, dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)))
    const acked: string[] = []
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let out = ''
        child.stdout!.on('data', (c) => {
          out += c
          const m = /PORT (\d+)/.exec(out)
          if (m) resolve(Number(m[1]))
        })
        child.on('exit', () => reject(new Error('child exited early')))
      })
      const childDb = sdk(`http://127.0.0.1:${port}/tcb`)
      let killed = false
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          childDb
            .collection('log')
            .add({ _id: `w${i}`, seq: i, at: new Date(1000 + i) })
            .then(() => {
              if (killed) return
              acked.push(`w${i}`)
              if (acked.length === killAfter) {
                killed = true
                child.kill('SIGKILL')
              }
            })
            .catch(() => undefined),
        ),
      )
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    }
    expect(await exited).toBe('SIGKILL')
    return acked
  }

  test('acknowledged writes survive kill -9 of the emulator process', async () => {
    const dir = path.join(tmp, 'crash')
    const first = await Emulator.open({ dataDir: dir })
    await first.createCollection('log', [{ name: 'seq', keys: [{ field: 'seq', dir: 1 }], unique: true }])
    await first.insertMany('log', [{ _id: 'before', seq: -1 }])
    await first.close()

    const acked = await writeUntilKilled(dir, 10)
    expect(acked.length).toBeGreaterThanOrEqual(10)

    const reopened = await Emulator.open({ dataDir: dir })
    try {
      const res = await reopened.handle({ action: 'database.getDocument', collectionName: 'log', queryType: 'WHERE', limit: 1000 })
      const docs = (res.data as { list: string[] }).list.map((s) => EJSON.parse(s) as { _id: string; at?: Date })
      const present = new Set(docs.map((d) => d._id))
      expect(present.has('before')).toBe(true)
      for (const id of acked) expect(present.has(id)).toBe(true)
      const w0 = docs.find((d) => d._id === acked[0])!
      expect(w0.at).toBeInstanceOf(Date)
      // the reopened store keeps working (unique index rebuilt from the log)
      const dup = await reopened.handle({ action: 'database.insertDocument', collectionName: 'log', data: [E({ seq: -1 })] })
      expect(dup.code).toBe('DATABASE_DUPLICATE_WRITE')
    } finally {
      await reopened.close()
    }
  })

  test('a torn last log line is dropped and the log stays appendable', async () => {
    const dir = path.join(tmp, 'torn')
    const a = await Emulator.open({ dataDir: dir })
    await a.createCollection('t', [])
    await a.insertMany('t', [{ _id: 'x1' }, { _id: 'x2' }])
    await a.close()
    const wal = path.join(dir, 'wal.jsonl')
    fs.appendFileSync(wal, '{"b":[{"o":"p","c":"t","d":{"_id":"torn","v":')

    const b = await Emulator.open({ dataDir: dir })
    expect(b.hasCollection('t')).toBe(true)
    const count = async (em: Emulator) => (await em.handle({ action: 'database.calculateDocument', collectionName: 't' })).data
    expect(await count(b)).toEqual({ total: 2 })
    await b.insertMany('t', [{ _id: 'x3' }])
    await b.close()
    for (const line of fs.readFileSync(wal, 'utf8').split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow()

    const c = await Emulator.open({ dataDir: dir })
    expect(await count(c)).toEqual({ total: 3 })
    await c.close()

    // Garbage followed by valid records is corruption, not a torn tail: refuse to open.
    fs.appendFileSync(wal, 'garbage\n' + fs.readFileSync(wal, 'utf8').split('\n')[0] + '\n')
    await expect(Emulator.open({ dataDir: dir })).rejects.toThrow(/corrupt/)
  })

  test('compaction at open writes a snapshot and keeps the data', async () => {
    const dir = path.join(tmp, 'compact')
    const a = await Emulator.open({ dataDir: dir })
    await a.createCollection('c', [{ name: 'k', keys: [{ field: 'k', dir: 1 }], unique: true }])
    await a.insertMany('c', [{ _id: 'keep', n: 0, k: 1 }, { _id: 'drop', k: 2 }])
    for (let i = 1; i <= 30; i++)
      await a.handle({ action: 'database.modifyDocument', collectionName: 'c', queryType: 'DOC', query: E({ _id: 'keep' }), data: E({ $inc: { n: 1 } }), multi: false, merge: true, upsert: false })
    await a.handle({ action: 'database.removeDocument', collectionName: 'c', queryType: 'DOC', query: E({ _id: 'drop' }), multi: false })
    await a.close()
    const b = await Emulator.open({ dataDir: dir, compactMinOps: 10 })
    expect(fs.statSync(path.join(dir, 'wal.jsonl')).size).toBe(0)
    expect(fs.existsSync(path.join(dir, 'snapshot.jsonl'))).toBe(true)
    const res = await b.handle({ action: 'database.getDocument', collectionName: 'c', queryType: 'WHERE' })
    expect((res.data as { list: string[] }).list.map((s) => EJSON.parse(s))).toEqual([{ _id: 'keep', n: 30, k: 1 }])
    await b.insertMany('c', [{ _id: 'after', k: 3 }])
    await b.close()
    const c = await Emulator.open({ dataDir: dir })
    expect((await c.handle({ action: 'database.calculateDocument', collectionName: 'c' })).data).toEqual({ total: 2 })
    expect((await c.handle({ action: 'database.insertDocument', collectionName: 'c', data: [E({ k: 1 })] })).code).toBe('DATABASE_DUPLICATE_WRITE')
    await c.close()
  })
})
