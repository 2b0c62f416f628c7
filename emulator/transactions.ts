// Transactions as CloudBase runs them: snapshot isolation with write locks.
//
// The cloud's guide (快照隔离) and the MongoDB it runs on define the behaviour:
// - Reads see a snapshot, taken at the transaction's first operation (MongoDB
//   starts a transaction lazily, with its first command). Committed writes
//   that land later never show through: the store reports every committed
//   change, and each open transaction keeps the document as it was before the
//   first change after its snapshot.
// - A write buffers the new document (later reads in the transaction see it)
//   and locks the document. Another transaction writing a locked document, or
//   any transaction writing a document changed since its snapshot, fails at
//   once with DATABASE_TRANSACTION_CONFLICT: first writer wins. The conflict
//   aborts the loser (its later operations answer the same code; the SDK's
//   runTransaction retries with a new transaction and never aborts the old).
// - An ordinary write to a locked document waits until the lock is released:
//   commit, abort, or the 30 s limit (the store throws WriteBlocked; the
//   request is run again once the lock is gone).
// - Documents only read are not locked and may change underneath: stale reads
//   are allowed, as in MongoDB. Commit applies the buffered writes as one
//   atomic, durable batch.
import { randomBytes } from 'node:crypto'
import { encodeStored, type Doc, type DocId } from './codec'
import { EmulatorError, ErrorCode } from './errors'
import { idKey, type Store, type WriteOp } from './store'

type Buffered = { coll: string; key: string; id: DocId; doc: Doc | null }

export class Transaction {
  readonly id: string
  readonly expiresAt: number
  /** whether the snapshot has been taken (by the first operation) */
  started = false
  /** committed documents as they were at the snapshot, for those changed since (null: absent) */
  readonly before = new Map<string, Doc | null>()
  /** buffered writes, which are also the documents this transaction has locked */
  readonly writes = new Map<string, Buffered>()
  /** resolves when the transaction ends, however it ends */
  readonly ended: Promise<void>
  private resolveEnded!: () => void

  constructor(id: string, expiresAt: number) {
    this.id = id
    this.expiresAt = expiresAt
    this.ended = new Promise<void>((resolve) => (this.resolveEnded = resolve))
  }

  end(): void {
    this.resolveEnded()
  }
}

const slot = (coll: string, key: string) => coll + '\u0000' + key

/** How a transaction that ended without commit or abort answers afterwards. */
type Ending = { code: string; message: string; at: number }

export class TransactionManager {
  private readonly store: Store
  private readonly ttlMs: number
  private readonly live = new Map<string, Transaction>()
  /** slot -> the live transaction holding its write lock */
  private readonly locks = new Map<string, Transaction>()
  /** transactions ended by a conflict or by expiry, remembered for a while */
  private readonly endings = new Map<string, Ending>()
  private sweeper: NodeJS.Timeout | null = null

  constructor(store: Store, ttlMs = 30_000) {
    this.store = store
    this.ttlMs = ttlMs
    store.setTransactionHooks({
      blocked: (coll, key) => this.blocked(coll, key),
      changed: (coll, key, prev) => this.changed(coll, key, prev),
    })
  }

  get openCount(): number {
    return this.live.size
  }

  start(): Transaction {
    const tx = new Transaction(randomBytes(16).toString('hex'), Date.now() + this.ttlMs)
    this.live.set(tx.id, tx)
    if (!this.sweeper) {
      this.sweeper = setInterval(() => this.sweep(), Math.max(1000, Math.floor(this.ttlMs / 2)))
      this.sweeper.unref()
    }
    return tx
  }

  /** A live transaction; else the error it ended with (conflict, expiry) or DATABASE_TRANSACTION_FAIL. */
  get(id: unknown): Transaction {
    const tx = typeof id === 'string' ? this.live.get(id) : undefined
    if (!tx) {
      const ending = typeof id === 'string' ? this.endings.get(id) : undefined
      if (ending) throw new EmulatorError(ending.code, ending.message)
      throw new EmulatorError(ErrorCode.TRANSACTION_FAIL, `transaction ${String(id)} does not exist or has already finished`)
    }
    if (Date.now() > tx.expiresAt) {
      this.expire(tx)
      throw new EmulatorError(ErrorCode.TRANSACTION_FAIL, this.endings.get(tx.id)!.message)
    }
    if (!tx.started) tx.started = true // the snapshot: committed changes from now on are kept from this transaction
    return tx
  }

  /** The committed document as of the transaction's snapshot. */
  private snapshotOf(tx: Transaction, coll: string, key: string): Doc | null {
    const s = slot(coll, key)
    if (tx.before.has(s)) return tx.before.get(s)!
    return this.store.require(coll).docs.get(key)?.doc ?? null
  }

  /** The document as the transaction sees it: its own writes over its snapshot. */
  read(tx: Transaction, coll: string, id: DocId): Doc | null {
    const key = idKey(id)
    const w = tx.writes.get(slot(coll, key))
    if (w) return w.doc
    return this.snapshotOf(tx, coll, key)
  }

  /** Take the write lock of a document, or abort the transaction with a conflict. */
  private lock(tx: Transaction, coll: string, key: string): void {
    const s = slot(coll, key)
    const owner = this.locks.get(s)
    if (owner === tx) return
    if (owner && Date.now() > owner.expiresAt) this.expire(owner)
    else if (owner) this.conflict(tx, `document ${key.slice(1)} in ${coll} is being written by another transaction`)
    if (tx.before.has(s)) this.conflict(tx, `document ${key.slice(1)} in ${coll} was changed after this transaction started`)
    this.locks.set(s, tx)
  }

  private conflict(tx: Transaction, why: string): never {
    const message = `database transaction conflict: ${why}; the transaction was aborted (retry it)`
    this.finish(tx, { code: ErrorCode.TRANSACTION_CONFLICT, message, at: Date.now() })
    throw new EmulatorError(ErrorCode.TRANSACTION_CONFLICT, message)
  }

  insert(tx: Transaction, coll: string, doc: Doc): void {
    if (this.read(tx, coll, doc._id as DocId) !== null) {
      throw new EmulatorError(
        ErrorCode.DUPLICATE_WRITE,
        `E11000 duplicate key error collection: ${coll} index: _id_ dup key: { _id: ${JSON.stringify(doc._id)} }`,
      )
    }
    const key = idKey(doc._id)
    this.lock(tx, coll, key)
    tx.writes.set(slot(coll, key), { coll, key, id: doc._id as DocId, doc })
  }

  /** Replace a document the transaction has read (it must exist in its view). */
  put(tx: Transaction, coll: string, doc: Doc): void {
    const key = idKey(doc._id)
    this.lock(tx, coll, key)
    tx.writes.set(slot(coll, key), { coll, key, id: doc._id as DocId, doc })
  }

  delete(tx: Transaction, coll: string, id: DocId): void {
    const key = idKey(id)
    this.lock(tx, coll, key)
    tx.writes.set(slot(coll, key), { coll, key, id, doc: null })
  }

  /** Apply the buffered writes atomically; resolves once durable. */
  async commit(id: unknown): Promise<void> {
    const tx = this.get(id)
    this.finish(tx)
    const ops: WriteOp[] = []
    for (const [s, w] of tx.writes) {
      // Locks keep every other writer off these documents; this only guards that invariant.
      if (tx.before.has(s)) throw new EmulatorError(ErrorCode.TRANSACTION_CONFLICT, `database transaction conflict: document ${w.key.slice(1)} in ${w.coll} changed under its lock`)
      const committed = this.store.require(w.coll).docs.get(w.key)
      if (w.doc === null) {
        if (committed) ops.push({ op: 'delete', coll: w.coll, id: w.id })
      } else if (!committed || encodeStored(committed.doc) !== encodeStored(w.doc)) {
        ops.push({ op: committed ? 'put' : 'insert', coll: w.coll, doc: w.doc })
      }
    }
    await this.store.write(ops)
  }

  /** Abort; a transaction a conflict already aborted aborts again quietly. */
  abort(id: unknown): void {
    const ending = typeof id === 'string' ? this.endings.get(id) : undefined
    if (ending?.code === ErrorCode.TRANSACTION_CONFLICT && !this.live.has(id as string)) return
    this.finish(this.get(id))
  }

  /** End a transaction: release its locks (waking blocked writes) and stop recording for it. */
  private finish(tx: Transaction, ending?: Ending): void {
    if (!this.live.delete(tx.id)) return
    for (const s of tx.writes.keys()) if (this.locks.get(s) === tx) this.locks.delete(s)
    if (ending) this.endings.set(tx.id, ending)
    tx.end()
    if (this.live.size === 0 && this.endings.size === 0 && this.sweeper) {
      clearInterval(this.sweeper)
      this.sweeper = null
    }
  }

  private expire(tx: Transaction): void {
    this.finish(tx, {
      code: ErrorCode.TRANSACTION_FAIL,
      message: `transaction ${tx.id} expired: a transaction must be committed or aborted within ${this.ttlMs / 1000} s`,
      at: Date.now(),
    })
  }

  /** Store hook: null if an ordinary write may go ahead, else when to try again. */
  private blocked(coll: string, key: string): Promise<void> | null {
    if (this.locks.size === 0) return null
    const owner = this.locks.get(slot(coll, key))
    if (!owner) return null
    if (Date.now() > owner.expiresAt) {
      this.expire(owner)
      return null
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, owner.expiresAt - Date.now() + 1)
      void owner.ended.then(() => {
        clearTimeout(timer)
        resolve()
      })
    })
  }

  /** Store hook: a committed change; open transactions keep what their snapshot saw. */
  private changed(coll: string, key: string, prev: Doc | null): void {
    if (this.live.size === 0) return
    const s = slot(coll, key)
    for (const tx of this.live.values()) if (tx.started && !tx.before.has(s)) tx.before.set(s, prev)
  }

  /** Drop expired transactions and forget old endings. */
  sweep(): void {
    const now = Date.now()
    for (const tx of [...this.live.values()]) if (now > tx.expiresAt) this.expire(tx)
    for (const [id, e] of this.endings) if (now - e.at > this.ttlMs) this.endings.delete(id)
    if (this.live.size === 0 && this.endings.size === 0 && this.sweeper) {
      clearInterval(this.sweeper)
      this.sweeper = null
    }
  }

  close(): void {
    for (const tx of [...this.live.values()]) this.finish(tx)
    this.endings.clear()
    if (this.sweeper) {
      clearInterval(this.sweeper)
      this.sweeper = null
    }
  }
}
