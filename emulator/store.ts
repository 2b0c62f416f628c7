// The durable document store: collections of documents kept in memory, every
// change written ahead to a log (one line per atomic batch, group-committed,
// fdatasync'd before the caller is answered), plus a snapshot that compaction
// writes when the log has grown much bigger than the live data.
//
// Files in the data directory:
//   snapshot.jsonl      batches that recreate the state at the last compaction; its
//                       first line may name the log that follows it ({"b":[],"next":ID})
//   wal.jsonl           batches appended since (a torn last line is dropped on open)
//   wal-ID.jsonl        the next log, while a compaction is running (see rotate())
//   snapshot.jsonl.tmp  a snapshot being written (deleted on open)
//   LOCK                pid of the process that has the directory open
//
// Stored documents are never modified in place (updates build new objects), so
// a compaction and open transactions may keep references to them.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { decodeStored, encodeStored, valueKey, type Doc, type DocId } from './codec'
import { collectionNotExist, EmulatorError, ErrorCode } from './errors'
import { describeDupKey, Index, sameIndexSpec, validateIndexSpec, type IndexSpec } from './indexes'
import { WriteAheadLog } from './wal'

export type Entry = {
  doc: Doc
  /** insertion order (natural order of the collection) */
  seq: number
}

/** One change inside an atomic batch. */
export type WriteOp =
  | { op: 'insert'; coll: string; doc: Doc }
  | { op: 'put'; coll: string; doc: Doc }
  | { op: 'delete'; coll: string; id: DocId }

/** What a log line holds (`b`: the batch). */
type LogOp =
  | { o: 'c'; c: string; i: IndexSpec[] }
  | { o: 'i'; c: string; i: IndexSpec[] }
  | { o: 'p'; c: string; d: Doc }
  | { o: 'd'; c: string; k: DocId }
type LogLine = { b: LogOp[]; next?: string }

/**
 * Thrown (before anything changes) by a write to a document an open transaction
 * has locked: the caller waits for `until`, then computes and tries its write again.
 */
export class WriteBlocked extends Error {
  readonly until: Promise<void>

  constructor(until: Promise<void>) {
    super('the document is locked by an open transaction')
    this.until = until
  }
}

/** Run `attempt` until it is no longer blocked by a transaction's lock. */
export async function retryWhileBlocked<T>(attempt: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await attempt()
    } catch (e) {
      if (!(e instanceof WriteBlocked)) throw e
      await e.until
    }
  }
}

/** What the transaction manager needs from every write. */
export type TransactionHooks = {
  /** null if a write to this document may go ahead, else when to try again */
  blocked(coll: string, key: string): Promise<void> | null
  /** after a batch is applied: each changed document's previous content (null: it did not exist) */
  changed(coll: string, key: string, prev: Doc | null): void
}

/** A consistent copy of the state for a snapshot (documents by reference). */
type StateCopy = Array<{ name: string; specs: IndexSpec[]; docs: Doc[] }>

export const idKey = (id: unknown): string => valueKey(id)

export class Collection {
  readonly name: string
  readonly docs = new Map<string, Entry>()
  indexes: Index[] = []

  constructor(name: string, specs: IndexSpec[]) {
    this.name = name
    this.setIndexes(specs)
  }

  get specs(): IndexSpec[] {
    return this.indexes.map((i) => i.spec)
  }

  /**
   * Replace the declared indexes and (re)build them from the documents. Throws
   * (changing nothing) if a new unique index is violated, unless `trusted`
   * (log replay: the declaration may predate the documents it is replayed over).
   */
  setIndexes(specs: IndexSpec[], trusted = false): void {
    const indexes = specs.map((s) => new Index(s))
    for (const [k, e] of this.docs) {
      for (const ix of indexes) {
        const owner = trusted ? null : ix.conflict(k, e.doc)
        if (owner !== null) {
          throw new EmulatorError(
            ErrorCode.DUPLICATE_WRITE,
            `E11000 duplicate key error collection: ${this.name} index: ${ix.spec.name} dup key: ${describeDupKey(ix.spec, e.doc)}`,
          )
        }
        ix.add(k, e.doc)
      }
    }
    this.indexes = indexes
  }

  get(id: unknown): Entry | undefined {
    return this.docs.get(idKey(id))
  }

  /** Throw the duplicate-key error `doc` would cause (ignoring the document it replaces). */
  checkUnique(key: string, doc: Doc): void {
    for (const ix of this.indexes) {
      if (ix.conflict(key, doc) !== null) {
        throw new EmulatorError(
          ErrorCode.DUPLICATE_WRITE,
          `E11000 duplicate key error collection: ${this.name} index: ${ix.spec.name} dup key: ${describeDupKey(ix.spec, doc)}`,
        )
      }
    }
  }

  /** Insert or replace without checks (checks happen before; replay trusts the log). */
  putUnchecked(key: string, doc: Doc, seq: () => number): Entry | undefined {
    const prev = this.docs.get(key)
    if (prev) for (const ix of this.indexes) ix.remove(key, prev.doc)
    const entry: Entry = { doc, seq: prev ? prev.seq : seq() }
    this.docs.set(key, entry)
    for (const ix of this.indexes) ix.add(key, doc)
    return prev
  }

  deleteUnchecked(key: string): Entry | undefined {
    const prev = this.docs.get(key)
    if (!prev) return undefined
    for (const ix of this.indexes) ix.remove(key, prev.doc)
    this.docs.delete(key)
    return prev
  }

  /** Put an entry back exactly as it was (undo of a failed batch). */
  restore(key: string, entry: Entry | undefined): void {
    const cur = this.docs.get(key)
    if (cur) for (const ix of this.indexes) ix.remove(key, cur.doc)
    if (entry) {
      this.docs.set(key, entry) // same key keeps its position in the map
      for (const ix of this.indexes) ix.add(key, entry.doc)
    } else this.docs.delete(key)
  }
}

export type StoreOptions = {
  dataDir: string
  /** Compact (at open, and while running) when the log holds at least this many operations... (default 1000) */
  compactMinOps?: number
  /** ...and more than this many times the number of live documents (default 2). */
  compactRatio?: number
}

const STRAY_LOG = /^wal-([0-9a-f]+)\.jsonl$/
const DOCS_PER_LINE = 1000
const SNAPSHOT_WRITE_BYTES = 4 * 1024 * 1024

const openDirs = new Set<string>()

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r')
  try {
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}

export class Store {
  readonly dataDir: string
  private readonly collections = new Map<string, Collection>()
  private wal!: WriteAheadLog
  private seqCounter = 0
  private hooks: TransactionHooks | null = null
  private readonly lockPath: string
  private readonly snapshotPath: string
  private readonly walPath: string
  private readonly compactMinOps: number
  private readonly compactRatio: number
  private closed = false
  /** number of operations in the current log (for the compaction heuristic) */
  private walOps = 0
  /** the compaction in progress */
  private compacting: Promise<void> | null = null
  /** after a failed compaction, the log size at which to try again */
  private retryCompactionAt = 0

  private constructor(opts: StoreOptions) {
    this.dataDir = path.resolve(opts.dataDir)
    this.lockPath = path.join(this.dataDir, 'LOCK')
    this.snapshotPath = path.join(this.dataDir, 'snapshot.jsonl')
    this.walPath = path.join(this.dataDir, 'wal.jsonl')
    this.compactMinOps = opts.compactMinOps ?? 1000
    this.compactRatio = opts.compactRatio ?? 2
  }

  /**
   * Open (creating if needed) a data directory: replay the snapshot and the log(s) that
   * follow it, finish or redo a compaction a crash interrupted, compact if worthwhile.
   */
  static open(opts: StoreOptions): Store {
    const store = new Store(opts)
    fs.mkdirSync(store.dataDir, { recursive: true })
    store.lock()
    try {
      fs.rmSync(store.snapshotPath + '.tmp', { force: true })
      const next = store.snapshotNext()
      store.replayFile(store.snapshotPath, false)
      const strays = store.strayLogs()
      // A snapshot naming a log that still exists was installed by a compaction that
      // crashed before renaming that log to wal.jsonl: wal.jsonl (and any other log) is
      // already in the snapshot. Otherwise wal.jsonl follows the snapshot, then the log a
      // crashed compaction had started (it began where wal.jsonl ended).
      const logs = next !== undefined && strays.includes(store.logPath(next)) ? [store.logPath(next)] : [store.walPath, ...strays]
      for (const file of logs) store.walOps += store.replayFile(file, true)
      if (strays.length > 0 || store.worthCompacting()) store.compactAtOpen()
      const created = !fs.existsSync(store.walPath)
      store.wal = new WriteAheadLog(store.walPath)
      if (created) fsyncDir(store.dataDir) // make the new log file's directory entry durable
    } catch (e) {
      store.unlock()
      throw e
    }
    return store
  }

  private lock(): void {
    if (openDirs.has(this.dataDir)) throw new Error(`data directory ${this.dataDir} is already open in this process`)
    for (;;) {
      try {
        const fd = fs.openSync(this.lockPath, 'wx')
        fs.writeSync(fd, String(process.pid))
        fs.closeSync(fd)
        break
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
        const pid = Number(fs.readFileSync(this.lockPath, 'utf8').trim())
        if (pid && pid !== process.pid && pidAlive(pid))
          throw new Error(`data directory ${this.dataDir} is locked by running process ${pid}`)
        fs.rmSync(this.lockPath, { force: true }) // stale lock (e.g. after kill -9)
      }
    }
    openDirs.add(this.dataDir)
  }

  private unlock(): void {
    openDirs.delete(this.dataDir)
    fs.rmSync(this.lockPath, { force: true })
  }

  // -------------------------------------------------------------------------
  // Replay

  /**
   * Apply every batch of a file; returns the number of operations. The file is read in
   * chunks, one line at a time (a county's data outgrows the longest string Node can hold).
   */
  private replayFile(file: string, tolerateTornTail: boolean): number {
    if (!fs.existsSync(file)) return 0
    let ops = 0
    for (const { raw, start, complete } of linesOf(file)) {
      if (raw.trim() === '') continue
      let line: LogLine | null = null
      if (complete) {
        try {
          line = decodeStored<LogLine>(raw)
        } catch {
          line = null
        }
      }
      if (line === null || !Array.isArray(line.b)) {
        // A torn write can only be the tail: everything from here on must be garbage.
        if (!tolerateTornTail || !onlyWhitespaceAfter(file, start + Buffer.byteLength(raw) + 1))
          throw new Error(`${file}: corrupt record at byte ${start}`)
        fs.truncateSync(file, start)
        break
      }
      for (const op of line.b) this.replayOp(op)
      ops += line.b.length
    }
    return ops
  }

  private replayOp(op: LogOp): void {
    switch (op.o) {
      case 'c':
        if (!this.collections.has(op.c)) this.collections.set(op.c, new Collection(op.c, op.i))
        return
      case 'i':
        this.mustGet(op.c).setIndexes(op.i, true)
        return
      case 'p':
        this.mustGet(op.c).putUnchecked(idKey(op.d._id), op.d, () => ++this.seqCounter)
        return
      case 'd':
        this.mustGet(op.c).deleteUnchecked(idKey(op.k))
        return
      default:
        throw new Error(`unknown log operation ${JSON.stringify(op)}`)
    }
  }

  private mustGet(name: string): Collection {
    const c = this.collections.get(name)
    if (!c) throw new Error(`log refers to unknown collection ${name}`)
    return c
  }

  /** The log the snapshot names as its successor, if any (its first line). */
  private snapshotNext(): string | undefined {
    if (!fs.existsSync(this.snapshotPath)) return undefined
    for (const { raw, complete } of linesOf(this.snapshotPath)) {
      if (!complete) return undefined
      try {
        const next = decodeStored<LogLine>(raw).next
        return typeof next === 'string' ? next : undefined
      } catch {
        return undefined
      }
    }
    return undefined
  }

  private logPath(id: string): string {
    return path.join(this.dataDir, `wal-${id}.jsonl`)
  }

  /** Logs left by a compaction that did not finish. */
  private strayLogs(): string[] {
    return fs
      .readdirSync(this.dataDir)
      .filter((n) => STRAY_LOG.test(n))
      .map((n) => path.join(this.dataDir, n))
  }

  // -------------------------------------------------------------------------
  // Compaction
  //
  // A compaction replaces snapshot + wal.jsonl by a new snapshot of the state at a cut
  // and a new log of the batches after the cut. Every step leaves files that open()
  // reads back to the same data:
  //   1. cut: create wal-ID.jsonl (directory fsync'd) and send every later batch there;
  //      its first flush waits for the old log's last one, so the new log never holds
  //      a batch whose predecessors could be lost;
  //   2. write snapshot.jsonl.tmp (first line {"next": ID}), fsync;
  //      a crash so far: old snapshot + wal.jsonl + wal-ID.jsonl (tmp deleted);
  //   3. rename it over snapshot.jsonl, fsync the directory (the commit point);
  //      a crash from here: the snapshot names wal-ID, which exists: replay it alone;
  //   4. delete other wal-*.jsonl, rename wal-ID.jsonl over wal.jsonl, fsync the directory.

  private worthCompacting(): boolean {
    let live = 0
    for (const c of this.collections.values()) live += c.docs.size
    return this.walOps >= this.compactMinOps && this.walOps > this.compactRatio * live && this.walOps >= this.retryCompactionAt
  }

  /** The state as it is now: per collection its indexes and document references. */
  private captureState(): StateCopy {
    return [...this.collections.values()].map((c) => ({ name: c.name, specs: c.specs, docs: Array.from(c.docs.values(), (e) => e.doc) }))
  }

  /** The snapshot's lines: its successor's id, the collections, then the documents in batches. */
  private *snapshotLines(state: StateCopy, next: string): Generator<string> {
    yield encodeStored({ b: [], next } satisfies LogLine) + '\n'
    yield encodeStored({ b: state.map((c): LogOp => ({ o: 'c', c: c.name, i: c.specs })) } satisfies LogLine) + '\n'
    for (const c of state) {
      for (let i = 0; i < c.docs.length; i += DOCS_PER_LINE) {
        const b = c.docs.slice(i, i + DOCS_PER_LINE).map((d): LogOp => ({ o: 'p', c: c.name, d }))
        yield encodeStored({ b } satisfies LogLine) + '\n'
      }
    }
  }

  /** Steps 3 and 4: install the snapshot, then make wal-ID the log. */
  private install(nextLog: string, moveLog: () => void): void {
    fs.renameSync(this.snapshotPath + '.tmp', this.snapshotPath)
    fsyncDir(this.dataDir)
    for (const stray of this.strayLogs()) if (stray !== nextLog) fs.rmSync(stray, { force: true })
    moveLog()
    fsyncDir(this.dataDir)
  }

  /** Compaction while opening (nothing else runs): the same steps, synchronously. */
  private compactAtOpen(): void {
    const id = randomBytes(8).toString('hex')
    const nextLog = this.logPath(id)
    fs.closeSync(fs.openSync(nextLog, 'w'))
    fsyncDir(this.dataDir)
    const fd = fs.openSync(this.snapshotPath + '.tmp', 'w')
    try {
      for (const line of this.snapshotLines(this.captureState(), id)) fs.writeSync(fd, line)
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    this.install(nextLog, () => fs.renameSync(nextLog, this.walPath))
    this.walOps = 0
  }

  /** Compaction while running: writers wait only for the cut (a copy of the document references). */
  private async rotate(): Promise<void> {
    const id = randomBytes(8).toString('hex')
    const nextLog = this.logPath(id)
    // 1. The cut, synchronous: no batch can fall between the state copy and the log switch.
    const old = this.wal
    const oldClosed = old.close()
    const wal = new WriteAheadLog(nextLog, { after: oldClosed })
    fsyncDir(this.dataDir)
    this.wal = wal
    this.walOps = 0
    const state = this.captureState()
    // 2. The snapshot, written a few megabytes at a time so requests are served meanwhile.
    const tmp = this.snapshotPath + '.tmp'
    const fh = await fs.promises.open(tmp, 'w')
    try {
      let parts: string[] = []
      let size = 0
      for (const line of this.snapshotLines(state, id)) {
        parts.push(line)
        size += line.length
        if (size >= SNAPSHOT_WRITE_BYTES) {
          await fh.write(parts.join(''))
          parts = []
          size = 0
        }
      }
      if (parts.length) await fh.write(parts.join(''))
      await fh.sync()
    } finally {
      await fh.close()
    }
    // Everything the snapshot holds must have been acknowledged as durable first.
    await oldClosed
    // 3 and 4.
    this.install(nextLog, () => wal.renameTo(this.walPath))
  }

  private maybeCompact(): void {
    if (this.compacting || this.closed || !this.worthCompacting()) return
    this.compacting = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => (this.closed ? undefined : this.rotate()))
      .catch((e: Error) => {
        fs.rmSync(this.snapshotPath + '.tmp', { force: true })
        this.retryCompactionAt = this.walOps + this.compactMinOps
        console.error(`emulator: compaction of ${this.dataDir} failed (the data is safe in the logs): ${e.message}`)
      })
      .finally(() => {
        this.compacting = null
      })
  }

  /** Compact now: rewrite the snapshot from memory and start an empty log. */
  async compact(): Promise<void> {
    this.assertOpen()
    while (this.compacting) await this.compacting
    this.assertOpen()
    const run = this.rotate()
    this.compacting = run.then(
      () => undefined,
      () => undefined,
    )
    try {
      await run
    } finally {
      this.compacting = null
    }
  }

  /** The size of the current log, in operations (compaction empties it). */
  get logOps(): number {
    return this.walOps
  }

  // -------------------------------------------------------------------------
  // Collections

  hasCollection(name: string): boolean {
    return this.collections.has(name)
  }

  collection(name: string): Collection | undefined {
    return this.collections.get(name)
  }

  /** The collection, or the cloud's "collection not exists" error. */
  require(name: string): Collection {
    const c = this.collections.get(name)
    if (!c) throw collectionNotExist(name)
    return c
  }

  collectionNames(): string[] {
    return [...this.collections.keys()]
  }

  /**
   * Create a collection with its indexes, or declare new indexes on an existing
   * one (declarations are replaced as given; same declarations are a no-op).
   * Resolves once durable; returns whether anything changed.
   */
  async ensureCollection(name: string, specs: IndexSpec[] = []): Promise<boolean> {
    this.assertOpen()
    if (typeof name !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(name)) throw new Error(`invalid collection name ${String(name)}`)
    specs.forEach(validateIndexSpec)
    const names = new Set(specs.map((s) => s.name))
    if (names.size !== specs.length) throw new Error(`collection ${name}: duplicate index names`)
    const existing = this.collections.get(name)
    let op: LogOp
    if (!existing) {
      this.collections.set(name, new Collection(name, specs))
      op = { o: 'c', c: name, i: specs }
    } else {
      const cur = existing.specs
      if (cur.length === specs.length && cur.every((s, i) => sameIndexSpec(s, specs[i]))) return false
      existing.setIndexes(specs) // throws on existing duplicates of a new unique index
      op = { o: 'i', c: name, i: specs }
    }
    this.walOps++
    const durable = this.wal.append(encodeStored({ b: [op] }))
    this.maybeCompact()
    await durable
    return true
  }

  // -------------------------------------------------------------------------
  // Writes

  /** Let the transaction manager lock documents and see committed changes. */
  setTransactionHooks(hooks: TransactionHooks | null): void {
    this.hooks = hooks
  }

  /**
   * Apply an atomic batch: validated and applied to memory synchronously (all or
   * nothing: a duplicate key undoes the batch and throws), then logged as one
   * line. The returned promise resolves once the batch is durable. Throws
   * WriteBlocked, changing nothing, if a document is locked by a transaction.
   */
  write(ops: WriteOp[]): Promise<void> {
    this.assertOpen()
    if (ops.length === 0) return this.wal.durable()
    if (this.hooks) {
      for (const w of ops) {
        const until = this.hooks.blocked(w.coll, idKey(w.op === 'delete' ? w.id : w.doc._id))
        if (until) throw new WriteBlocked(until)
      }
    }
    const undo: Array<{ coll: Collection; key: string; entry: Entry | undefined }> = []
    const logOps: LogOp[] = []
    try {
      for (const w of ops) {
        const coll = this.require(w.coll)
        if (w.op === 'delete') {
          const key = idKey(w.id)
          const prev = coll.deleteUnchecked(key)
          if (!prev) continue
          undo.push({ coll, key, entry: prev })
          logOps.push({ o: 'd', c: coll.name, k: w.id })
        } else {
          const key = idKey(w.doc._id)
          const prev = coll.docs.get(key)
          if (w.op === 'insert' && prev) {
            throw new EmulatorError(
              ErrorCode.DUPLICATE_WRITE,
              `E11000 duplicate key error collection: ${coll.name} index: _id_ dup key: { _id: ${JSON.stringify(w.doc._id)} }`,
            )
          }
          coll.checkUnique(key, w.doc)
          coll.putUnchecked(key, w.doc, () => ++this.seqCounter)
          undo.push({ coll, key, entry: prev })
          logOps.push({ o: 'p', c: coll.name, d: w.doc })
        }
      }
    } catch (e) {
      for (let i = undo.length - 1; i >= 0; i--) undo[i].coll.restore(undo[i].key, undo[i].entry)
      throw e
    }
    if (logOps.length === 0) return this.wal.durable()
    if (this.hooks) for (const u of undo) this.hooks.changed(u.coll.name, u.key, u.entry?.doc ?? null)
    this.walOps += logOps.length
    const durable = this.wal.append(encodeStored({ b: logOps }))
    this.maybeCompact()
    return durable
  }

  /** Resolves once every write applied so far is durable. */
  durable(): Promise<void> {
    return this.wal.durable()
  }

  private assertOpen(): void {
    if (this.closed) throw new EmulatorError(ErrorCode.SYS_ERR, 'the database emulator is closed')
  }

  get isClosed(): boolean {
    return this.closed
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    while (this.compacting) await this.compacting
    try {
      await this.wal.close()
    } finally {
      this.unlock()
    }
  }
}

const CHUNK = 16 * 1024 * 1024

/** The lines of a file with the byte offset each starts at; `complete`: it ended with a newline. */
export function* linesOf(file: string, chunkSize = CHUNK): Generator<{ raw: string; start: number; complete: boolean }> {
  const fd = fs.openSync(file, 'r')
  try {
    const chunk = Buffer.allocUnsafe(chunkSize)
    let carry: Buffer = Buffer.alloc(0)
    let offset = 0 // byte offset of carry[0] in the file
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, chunkSize, null)
      if (n === 0) break
      const buf = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n)
      let pos = 0
      for (let nl = buf.indexOf(10, pos); nl !== -1; nl = buf.indexOf(10, pos)) {
        yield { raw: buf.toString('utf8', pos, nl), start: offset + pos, complete: true }
        pos = nl + 1
      }
      carry = Buffer.from(buf.subarray(pos))
      offset += pos
    }
    if (carry.length) yield { raw: carry.toString('utf8'), start: offset, complete: false }
  } finally {
    fs.closeSync(fd)
  }
}

/** Whether the file holds nothing but whitespace from byte `from` on. */
function onlyWhitespaceAfter(file: string, from: number): boolean {
  for (const { raw, start } of linesOf(file)) if (start >= from && raw.trim() !== '') return false
  return true
}
