// The durable document store: collections of documents kept in memory, every
// change written ahead to a log (one line per atomic batch, group-committed,
// fdatasync'd before the caller is answered), plus a snapshot that compaction
// writes when the log has grown much bigger than the live data.
//
// Files in the data directory:
//   snapshot.jsonl  batches that recreate the state at the last compaction
//   wal.jsonl       batches appended since (a torn last line is dropped on open)
//   LOCK            pid of the process that has the directory open
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
  /** store-wide write counter at the last change, for transaction conflict checks */
  version: number
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
type LogLine = { b: LogOp[] }

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
  putUnchecked(key: string, doc: Doc, seq: () => number, version: number): Entry | undefined {
    const prev = this.docs.get(key)
    if (prev) for (const ix of this.indexes) ix.remove(key, prev.doc)
    const entry: Entry = { doc, seq: prev ? prev.seq : seq(), version }
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
  /** Compact at open when the log holds more than this many operations... (default 1000) */
  compactMinOps?: number
  /** ...and more than this many times the number of live documents (default 2). */
  compactRatio?: number
}

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
  private versionCounter = 0
  /** id versions of deleted documents, kept while transactions may need them */
  private tombstones: Map<string, number> | null = null
  private readonly lockPath: string
  private readonly snapshotPath: string
  private readonly walPath: string
  private closed = false
  /** number of operations in the current log file (for the compaction heuristic) */
  private walOps = 0

  private constructor(opts: StoreOptions) {
    this.dataDir = path.resolve(opts.dataDir)
    this.lockPath = path.join(this.dataDir, 'LOCK')
    this.snapshotPath = path.join(this.dataDir, 'snapshot.jsonl')
    this.walPath = path.join(this.dataDir, 'wal.jsonl')
  }

  /** Open (creating if needed) a data directory: replay snapshot and log, compact if worthwhile. */
  static open(opts: StoreOptions): Store {
    const store = new Store(opts)
    fs.mkdirSync(store.dataDir, { recursive: true })
    store.lock()
    try {
      store.replayFile(store.snapshotPath, false)
      store.walOps = store.replayFile(store.walPath, true)
      const live = store.liveDocs()
      if (store.walOps >= (opts.compactMinOps ?? 1000) && store.walOps > (opts.compactRatio ?? 2) * live) {
        store.writeSnapshot()
        fs.truncateSync(store.walPath, 0)
        store.walOps = 0
      }
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
  // Replay and compaction

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
        this.mustGet(op.c).putUnchecked(idKey(op.d._id), op.d, () => ++this.seqCounter, ++this.versionCounter)
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

  private liveDocs(): number {
    let n = 0
    for (const c of this.collections.values()) n += c.docs.size
    return n
  }

  /** Write the whole state to snapshot.jsonl atomically (temp file, fsync, rename, fsync dir). */
  private writeSnapshot(): void {
    const tmp = this.snapshotPath + '.tmp'
    const fd = fs.openSync(tmp, 'w')
    try {
      const write = (line: LogLine) => fs.writeSync(fd, encodeStored(line) + '\n')
      const colls = [...this.collections.values()]
      write({ b: colls.map((c): LogOp => ({ o: 'c', c: c.name, i: c.specs })) })
      const CHUNK = 1000
      for (const c of colls) {
        let batch: LogOp[] = []
        for (const e of c.docs.values()) {
          batch.push({ o: 'p', c: c.name, d: e.doc })
          if (batch.length === CHUNK) {
            write({ b: batch })
            batch = []
          }
        }
        if (batch.length) write({ b: batch })
      }
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(tmp, this.snapshotPath)
    fsyncDir(this.dataDir)
  }

  /** Rewrite the snapshot from memory and empty the log. */
  async compact(): Promise<void> {
    this.assertOpen()
    do await this.wal.drain()
    while (!this.wal.idle)
    // Synchronous from here: no write can interleave, memory equals snapshot + log.
    this.writeSnapshot()
    this.wal.truncateSync()
    this.walOps = 0
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
    await this.wal.append(encodeStored({ b: [op] }))
    return true
  }

  // -------------------------------------------------------------------------
  // Writes

  /** Current version of a document id (0 if never seen), for optimistic transactions. */
  versionOf(coll: string, key: string): number {
    const e = this.collections.get(coll)?.docs.get(key)
    if (e) return e.version
    return this.tombstones?.get(coll + '\u0000' + key) ?? 0
  }

  /** Keep versions of deleted ids while transactions are open (they detect delete conflicts). */
  setTrackDeletes(on: boolean): void {
    this.tombstones = on ? (this.tombstones ?? new Map()) : null
  }

  /**
   * Apply an atomic batch: validated and applied to memory synchronously (all or
   * nothing: a duplicate key undoes the batch and throws), then logged as one
   * line. The returned promise resolves once the batch is durable.
   */
  write(ops: WriteOp[]): Promise<void> {
    this.assertOpen()
    if (ops.length === 0) return this.wal.durable()
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
          this.tombstones?.set(coll.name + '\u0000' + key, ++this.versionCounter)
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
          coll.putUnchecked(key, w.doc, () => ++this.seqCounter, ++this.versionCounter)
          undo.push({ coll, key, entry: prev })
          logOps.push({ o: 'p', c: coll.name, d: w.doc })
        }
      }
    } catch (e) {
      for (let i = undo.length - 1; i >= 0; i--) undo[i].coll.restore(undo[i].key, undo[i].entry)
      throw e
    }
    if (logOps.length === 0) return this.wal.durable()
    this.walOps += logOps.length
    return this.wal.append(encodeStored({ b: logOps }))
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
    await this.wal.close()
    this.unlock()
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
