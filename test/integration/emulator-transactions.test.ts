// Transactions through the REAL @cloudbase/node-sdk, behaving as the cloud's do.
//
// The behaviour followed, from the CloudBase (WeChat cloud) transaction guide, 快照隔离
// (developers.weixin.qq.com/minigame/dev/wxcloud/guide/database/transaction.md):
//   1. reads inside a transaction return a snapshot, not the live data;
//   2. a write inside a transaction changes the snapshot (later reads see it) and puts a
//      transaction lock on the document;
//   3. on a locked document, another transaction's write fails at once, and an ordinary
//      (non-transactional) update blocks until the lock is released (commit, abort or timeout);
//   4. commit writes the snapshot's changes atomically.
// CloudBase runs on MongoDB, whose manual (Transactions, Production Considerations) adds:
// a transaction that writes a document changed outside it since its snapshot aborts with
// a write conflict ("In-progress Transactions and Write Conflicts"), while a document it
// only read may change underneath it without any error ("In-progress Transactions and Stale
// Reads"): snapshot isolation, not serializability. The snapshot is taken by the
// transaction's first operation (drivers start a MongoDB transaction lazily, with its first
// command). A write conflict aborts the transaction; the SDK's runTransaction then starts a
// new one (it retries on DATABASE_TRANSACTION_CONFLICT without aborting the old one).
import type http from 'node:http'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Emulator } from '../../emulator'
import { failure, serve, stop, type Db } from '../helpers/emulatorSdk'

process.env.TENCENTCLOUD = 'true' // no metadata-service probe before each request
process.env.SILENCE = 'true'

jest.setTimeout(20_000)

type Tx = any

let tmp: string
let emu: Emulator
let server: http.Server
let db: Db

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Whether a promise is still pending after `ms`. */
async function pendingAfter(p: Promise<unknown>, ms: number): Promise<boolean> {
  const PENDING = Symbol('pending')
  return (await Promise.race([p.then(() => null, () => null), sleep(ms).then(() => PENDING)])) === PENDING
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'emulator-tx-'))
  emu = await Emulator.open({ dataDir: path.join(tmp, 'main') })
  await emu.createCollection('accounts', [])
  await emu.createCollection('stock', [])
  const s = await serve(emu)
  server = s.server
  db = s.db
})

afterAll(async () => {
  await stop(server)
  await emu.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

const balance = async (id: string) => ((await db.collection('accounts').doc(id).get()).data[0] as { balance?: number } | undefined)?.balance

describe('a transaction reads a snapshot', () => {
  test('writes committed outside after its first read do not show through, on any document', async () => {
    await db.collection('accounts').add([{ _id: 's-a', balance: 1 }, { _id: 's-b', balance: 1 }, { _id: 's-gone', balance: 1 }])
    const tx: Tx = await db.startTransaction()
    expect((await tx.collection('accounts').doc('s-a').get()).data).toEqual({ _id: 's-a', balance: 1 }) // snapshot taken here

    await db.collection('accounts').doc('s-a').update({ balance: 2 })
    await db.collection('accounts').doc('s-b').update({ balance: 2 }) // a document the transaction has not read yet
    await db.collection('accounts').doc('s-gone').remove()
    await db.collection('accounts').add({ _id: 's-new', balance: 2 })

    expect((await tx.collection('accounts').doc('s-a').get()).data).toEqual({ _id: 's-a', balance: 1 })
    expect((await tx.collection('accounts').doc('s-b').get()).data).toEqual({ _id: 's-b', balance: 1 })
    expect((await tx.collection('accounts').doc('s-gone').get()).data).toEqual({ _id: 's-gone', balance: 1 })
    expect((await tx.collection('accounts').doc('s-new').get()).data).toBeNull()
    await tx.commit() // it wrote nothing: stale reads alone are no conflict
    expect(await balance('s-b')).toBe(2)
  })

  test('a document it only read may change outside: commit still succeeds (snapshot isolation, stale reads allowed)', async () => {
    await db.collection('accounts').add([{ _id: 'r-read', balance: 10 }, { _id: 'r-write', balance: 0 }])
    const tx: Tx = await db.startTransaction()
    const seen = (await tx.collection('accounts').doc('r-read').get()).data.balance as number
    await db.collection('accounts').doc('r-read').update({ balance: 11 })
    await tx.collection('accounts').doc('r-write').update({ balance: seen })
    await tx.commit()
    expect(await balance('r-write')).toBe(10)
    expect(await balance('r-read')).toBe(11)
  })
})

describe('write conflicts are answered at once', () => {
  test("a second transaction's write to a document the first has written fails immediately; the first writer wins", async () => {
    const _ = db.command
    await db.collection('accounts').add({ _id: 'ww', balance: 100 })
    const first: Tx = await db.startTransaction()
    const second: Tx = await db.startTransaction()
    await second.collection('accounts').doc('ww').get()
    await first.collection('accounts').doc('ww').update({ balance: _.inc(-30) })

    const err = await failure(second.collection('accounts').doc('ww').update({ balance: _.inc(-50) }))
    expect(err.code).toBe('DATABASE_TRANSACTION_CONFLICT')
    // the conflict aborted the second transaction: its other operations answer the same
    expect((await failure(second.collection('accounts').doc('other').get())).code).toBe('DATABASE_TRANSACTION_CONFLICT')
    expect((await failure(second.commit())).code).toBe('DATABASE_TRANSACTION_CONFLICT')

    await first.commit()
    expect(await balance('ww')).toBe(70)
  })

  test('two transactions adding the same new _id: the second add conflicts at once', async () => {
    const first: Tx = await db.startTransaction()
    const second: Tx = await db.startTransaction()
    await first.collection('accounts').add({ _id: 'same-new', by: 'first' })
    expect((await failure(second.collection('accounts').add({ _id: 'same-new', by: 'second' }))).code).toBe('DATABASE_TRANSACTION_CONFLICT')
    await first.commit()
    expect((await db.collection('accounts').doc('same-new').get()).data).toEqual([{ _id: 'same-new', by: 'first' }])
  })

  test('writing a document changed outside since the snapshot fails at once (MongoDB write conflict)', async () => {
    await db.collection('accounts').add({ _id: 'stale', balance: 1 })
    const tx: Tx = await db.startTransaction()
    await tx.collection('accounts').doc('stale').get()
    await db.collection('accounts').doc('stale').update({ balance: 2 })
    const err = await failure(tx.collection('accounts').doc('stale').update({ balance: 3 }))
    expect(err.code).toBe('DATABASE_TRANSACTION_CONFLICT')
    expect(await balance('stale')).toBe(2)
  })

  test('runTransaction retries a conflicting attempt from the start and both increments land', async () => {
    const _ = db.command
    await db.collection('accounts').add({ _id: 'both', balance: 0 })
    await db.collection('stock').add({ _id: 'both-item', left: 10 })
    const blocker: Tx = await db.startTransaction()
    await blocker.collection('stock').doc('both-item').update({ left: _.inc(-1) })
    let attempts = 0
    let pastTheWrite = 0
    try {
      await db.runTransaction(async (tx: Tx) => {
        attempts++
        if (attempts === 2) await blocker.commit() // the holder finishes before the retry
        await tx.collection('accounts').doc('both').update({ balance: _.inc(1) })
        await tx.collection('stock').doc('both-item').update({ left: _.inc(-1) }) // attempt 1 conflicts here
        pastTheWrite++
      })
    } finally {
      await blocker.rollback(undefined).catch(() => undefined)
    }
    expect(attempts).toBe(2)
    expect(pastTheWrite).toBe(1)
    // the aborted first attempt left no trace and released its lock on 'both'
    expect(await balance('both')).toBe(1)
    expect(((await db.collection('stock').doc('both-item').get()).data[0] as { left: number }).left).toBe(8)
  })
})

describe('an ordinary write to a document locked by a transaction', () => {
  test('waits until the transaction commits, then applies on top of it', async () => {
    const _ = db.command
    await db.collection('accounts').add({ _id: 'lock', balance: 1 })
    const tx: Tx = await db.startTransaction()
    await tx.collection('accounts').doc('lock').update({ balance: _.inc(1) })
    const outside = db.collection('accounts').doc('lock').update({ balance: _.inc(10) })
    expect(await pendingAfter(outside, 150)).toBe(true)
    // reads outside are not blocked: they see the committed state
    expect(await balance('lock')).toBe(1)
    await tx.commit()
    expect((await outside).updated).toBe(1)
    expect(await balance('lock')).toBe(12)
  })

  test('waits until the transaction aborts (where().update() and remove() too)', async () => {
    await db.collection('accounts').add([{ _id: 'lock-ab', balance: 5, group: 'g-ab' }, { _id: 'lock-ab2', balance: 5, group: 'g-ab' }])
    const tx: Tx = await db.startTransaction()
    await tx.collection('accounts').doc('lock-ab').update({ balance: 999 })
    const bulk = db.collection('accounts').where({ group: 'g-ab' }).update({ touched: true })
    const gone = db.collection('accounts').doc('lock-ab').remove()
    expect(await pendingAfter(bulk, 100)).toBe(true)
    expect(await pendingAfter(gone, 0)).toBe(true)
    await tx.rollback(undefined)
    expect((await bulk).updated).toBe(2)
    expect((await gone).deleted).toBe(1)
    expect(await balance('lock-ab')).toBeUndefined()
    expect((await db.collection('accounts').doc('lock-ab2').get()).data[0]).toEqual({ _id: 'lock-ab2', balance: 5, group: 'g-ab', touched: true })
  })

  test('waits at most until the transaction times out', async () => {
    const short = await Emulator.open({ dataDir: path.join(tmp, 'ttl'), transactionTimeoutMs: 300 })
    const s = await serve(short)
    try {
      await short.createCollection('accounts', [])
      await s.db.collection('accounts').add({ _id: 'ttl', balance: 1 })
      const tx: Tx = await s.db.startTransaction()
      await tx.collection('accounts').doc('ttl').update({ balance: 2 })
      const t0 = Date.now()
      await s.db.collection('accounts').doc('ttl').update({ balance: 3 })
      expect(Date.now() - t0).toBeGreaterThanOrEqual(200)
      expect((await s.db.collection('accounts').doc('ttl').get()).data[0].balance).toBe(3)
      expect((await failure(tx.commit())).code).toBe('DATABASE_TRANSACTION_FAIL')
    } finally {
      await stop(s.server)
      await short.close()
    }
  })
})
