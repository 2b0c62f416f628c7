// Optimistic transactions.
//
// A transaction buffers its writes; its reads see its own writes over the
// committed state. Every document it touches (read or written) is remembered
// with the store version it had at first touch. Commit checks that none of
// them changed since (else DATABASE_TRANSACTION_CONFLICT, which the SDK's
// runTransaction retries), then applies all buffered writes as one atomic,
// durable batch. Like the cloud, a transaction must finish within 30 s.
import { randomBytes } from 'node:crypto'
import { encodeStored, type Doc, type DocId } from './codec'
import { EmulatorError, ErrorCode } from './errors'
import { idKey, type Store, type WriteOp } from './store'

type Touched = { coll: string; key: string; version: number }
type Buffered = { coll: string; key: string; id: DocId; doc: Doc | null }

export class Transaction {
  readonly id: string
  readonly expiresAt: number
  readonly touched = new Map<string, Touched>()
  readonly writes = new Map<string, Buffered>()

  constructor(id: string, expiresAt: number) {
    this.id = id
    this.expiresAt = expiresAt
  }
}

const slot = (coll: string, key: string) => coll + '\u0000' + key

export class TransactionManager {
  private readonly store: Store
  private readonly ttlMs: number
  private readonly live = new Map<string, Transaction>()
  private sweeper: NodeJS.Timeout | null = null

  constructor(store: Store, ttlMs = 30_000) {
    this.store = store
    this.ttlMs = ttlMs
  }

  get openCount(): number {
    return this.live.size
  }

  start(): Transaction {
    const tx = new Transaction(randomBytes(16).toString('hex'), Date.now() + this.ttlMs)
    this.live.set(tx.id, tx)
    this.store.setTrackDeletes(true)
    if (!this.sweeper) {
      this.sweeper = setInterval(() => this.sweep(), Math.max(1000, Math.floor(this.ttlMs / 2)))
      this.sweeper.unref()
    }
    return tx
  }

  /** A live transaction, or DATABASE_TRANSACTION_FAIL. */
  get(id: unknown): Transaction {
    const tx = typeof id === 'string' ? this.live.get(id) : undefined
    if (!tx) throw new EmulatorError(ErrorCode.TRANSACTION_FAIL, `transaction ${String(id)} does not exist or has already finished`)
    if (Date.now() > tx.expiresAt) {
      this.finish(tx)
      throw new EmulatorError(ErrorCode.TRANSACTION_FAIL, `transaction ${tx.id} expired: a transaction must be committed or aborted within ${this.ttlMs / 1000} s`)
    }
    return tx
  }

  private touch(tx: Transaction, coll: string, key: string): void {
    const s = slot(coll, key)
    if (!tx.touched.has(s)) tx.touched.set(s, { coll, key, version: this.store.versionOf(coll, key) })
  }

  /** The document as the transaction sees it (its own writes over the committed state). */
  read(tx: Transaction, coll: string, id: DocId): Doc | null {
    const key = idKey(id)
    this.touch(tx, coll, key)
    const w = tx.writes.get(slot(coll, key))
    if (w) return w.doc
    return this.store.require(coll).docs.get(key)?.doc ?? null
  }

  insert(tx: Transaction, coll: string, doc: Doc): void {
    if (this.read(tx, coll, doc._id as DocId) !== null) {
      throw new EmulatorError(
        ErrorCode.DUPLICATE_WRITE,
        `E11000 duplicate key error collection: ${coll} index: _id_ dup key: { _id: ${JSON.stringify(doc._id)} }`,
      )
    }
    const key = idKey(doc._id)
    tx.writes.set(slot(coll, key), { coll, key, id: doc._id as DocId, doc })
  }

  /** Replace a document the transaction has read (it must exist in its view). */
  put(tx: Transaction, coll: string, doc: Doc): void {
    const key = idKey(doc._id)
    this.touch(tx, coll, key)
    tx.writes.set(slot(coll, key), { coll, key, id: doc._id as DocId, doc })
  }

  delete(tx: Transaction, coll: string, id: DocId): void {
    const key = idKey(id)
    this.touch(tx, coll, key)
    tx.writes.set(slot(coll, key), { coll, key, id, doc: null })
  }

  /** Validate and apply atomically; resolves once durable. */
  async commit(id: unknown): Promise<void> {
    const tx = this.get(id)
    this.finish(tx)
    for (const t of tx.touched.values()) {
      if (this.store.versionOf(t.coll, t.key) !== t.version) {
        throw new EmulatorError(
          ErrorCode.TRANSACTION_CONFLICT,
          `database transaction conflict: document ${t.key.slice(1)} in ${t.coll} was changed by another operation`,
        )
      }
    }
    const ops: WriteOp[] = []
    for (const w of tx.writes.values()) {
      const committed = this.store.require(w.coll).docs.get(w.key)
      if (w.doc === null) {
        if (committed) ops.push({ op: 'delete', coll: w.coll, id: w.id })
      } else if (!committed || encodeStored(committed.doc) !== encodeStored(w.doc)) {
        ops.push({ op: committed ? 'put' : 'insert', coll: w.coll, doc: w.doc })
      }
    }
    await this.store.write(ops)
  }

  abort(id: unknown): void {
    this.finish(this.get(id))
  }

  private finish(tx: Transaction): void {
    this.live.delete(tx.id)
    if (this.live.size === 0) {
      this.store.setTrackDeletes(false)
      if (this.sweeper) {
        clearInterval(this.sweeper)
        this.sweeper = null
      }
    }
  }

  /** Drop expired transactions. */
  sweep(): void {
    const now = Date.now()
    for (const tx of [...this.live.values()]) if (now > tx.expiresAt) this.finish(tx)
  }

  close(): void {
    for (const tx of [...this.live.values()]) this.finish(tx)
  }
}
