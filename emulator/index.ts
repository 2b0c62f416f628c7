// CloudBase database emulator: speaks the HTTP protocol of @cloudbase/node-sdk
// so the real SDK can be pointed at it:
//
//   const emulator = await Emulator.open({ dataDir })
//   http.createServer((req, res) => emulator.httpHandler(req, res)) // POST /tcb
//   tcb.init({ env: 'local', secretId: 'local', secretKey: 'local', serviceUrl: 'http://127.0.0.1:PORT/tcb' })
//
// Semantics come from mingo (queries, updates, aggregation) and bson (EJSON);
// durability from a group-committed, fdatasync'd write-ahead log (store.ts).
// Storage (`storage.*` actions, files under <dataDir>/files) lives in storage.ts;
// its HTTP legs (PUT /cos/<path>, GET /files/<path>) are `emulator.storage.handleCosPut`
// / `handleFileGet`, and the URLs it hands out need `publicUrl` / setPublicUrl().
import type { IncomingMessage, ServerResponse } from 'node:http'
import { randomBytes } from 'node:crypto'
import { newDocId, sanitize, type Doc, type DocId } from './codec'
import { EmulatorError, ErrorCode } from './errors'
import type { IndexSpec } from './indexes'
import { Protocol, type Params } from './protocol'
import { Storage } from './storage'
import { retryWhileBlocked, Store, type WriteOp } from './store'
import { TransactionManager } from './transactions'

export type { IndexSpec, IndexKey } from './indexes'
export type { Doc, DocId } from './codec'
export { EmulatorError, ErrorCode } from './errors'
export { Storage, sniffImage, sniffAudio, checkCloudPath, MAX_URLS_PER_CALL, type ImageType } from './storage'
export { planCandidates } from './planner'

export type EmulatorOptions = {
  /** Directory holding the data (created if missing; one process at a time). */
  dataDir: string
  /** Transactions must finish within this time (default 30 s, like the cloud). */
  transactionTimeoutMs?: number
  /** Compaction (at open and while running): when the log holds at least this many operations (default 1000)... */
  compactMinOps?: number
  /** ...and more than this many times the number of live documents (default 2). */
  compactRatio?: number
  /**
   * Public base URL of the HTTP server that hosts this emulator's storage routes
   * (PUT /cos/<path>, GET /files/<path>), e.g. 'http://127.0.0.1:8080'. Needed by
   * the storage.* actions; can also be given later with setPublicUrl().
   */
  publicUrl?: string
  /** Environment id in storage fileIDs (cloud://<env>.<bucket>/<path>); default 'local'. */
  env?: string
}

export type EmulatorStats = { total: number; byAction: Record<string, number> }

/** A protocol-level answer: `{ requestId, data, ... }` or `{ requestId, code, message }`. */
export type EmulatorResponse = Record<string, unknown> & { requestId: string }

const MAX_BODY = 50 * 1024 * 1024

const newRequestId = () => randomBytes(12).toString('hex')

export class Emulator {
  private readonly store: Store
  private readonly txm: TransactionManager
  private readonly protocol: Protocol
  /** CloudBase storage: files under <dataDir>/files, plus the HTTP legs (upload PUT, download GET). */
  readonly storage: Storage
  private counts: EmulatorStats = { total: 0, byAction: {} }

  private constructor(store: Store, opts: EmulatorOptions) {
    this.store = store
    this.txm = new TransactionManager(store, opts.transactionTimeoutMs)
    this.storage = new Storage({ dataDir: store.dataDir, publicUrl: opts.publicUrl, env: opts.env })
    this.protocol = new Protocol(store, this.txm, this.storage)
  }

  /** Open (or create) the data directory: replays snapshot and log, compacts when worthwhile. */
  static async open(opts: EmulatorOptions): Promise<Emulator> {
    return Emulator.openSync(opts)
  }

  /** Same as open(), synchronously. */
  static openSync(opts: EmulatorOptions): Emulator {
    const store = Store.open({ dataDir: opts.dataDir, compactMinOps: opts.compactMinOps, compactRatio: opts.compactRatio })
    return new Emulator(store, opts)
  }

  /** Tell the storage actions where this emulator's HTTP server is reachable. */
  setPublicUrl(url: string): void {
    this.storage.setPublicUrl(url)
  }

  get dataDir(): string {
    return this.store.dataDir
  }

  /**
   * Handle one request body (`{ action, ...params }`) and return the JSON answer.
   * Writes are durable before the returned promise resolves; reads only return
   * state that is durable.
   */
  async handle(body: unknown): Promise<EmulatorResponse> {
    const requestId = newRequestId()
    const params = (body !== null && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Params
    const action = typeof params.action === 'string' ? params.action : '(none)'
    this.counts.total++
    this.counts.byAction[action] = (this.counts.byAction[action] ?? 0) + 1
    try {
      // a write to a document locked by a transaction waits for the lock, then runs again
      const { data, top } = await retryWhileBlocked(() => this.protocol.dispatch(action, params))
      const res: EmulatorResponse = { requestId, ...top }
      if (data !== undefined) res.data = data
      return res
    } catch (e) {
      if (e instanceof EmulatorError) return { requestId, code: e.code, message: e.message }
      return { requestId, code: ErrorCode.SYS_ERR, message: `internal error: ${(e as Error)?.message ?? String(e)}` }
    }
  }

  /**
   * Everything the SDK sends, as one node:http listener: POST /tcb (database and storage
   * actions), PUT /cos/<path> (upload leg), GET|HEAD /files/<path> (download URLs). Anything
   * else answers 404. A host application can instead route these three itself.
   */
  async requestListener(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = (req.url ?? '/').split('?')[0]
    if (req.method === 'POST' && pathname.startsWith('/tcb')) return this.httpHandler(req, res)
    if (req.method === 'PUT' && pathname.startsWith('/cos/')) return this.storage.handleCosPut(req, res)
    if ((req.method === 'GET' || req.method === 'HEAD') && pathname.startsWith('/files/')) return this.storage.handleFileGet(req, res)
    req.resume()
    res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' })
    res.end(JSON.stringify({ code: ErrorCode.INVALID_ACTION, message: `not an emulator route: ${req.method} ${pathname}` }))
  }

  /** node:http handler: reads a JSON body, answers JSON (always HTTP 200, errors in the body, as the SDK expects). */
  async httpHandler(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let answer: EmulatorResponse
    try {
      const body = await readBody(req)
      let parsed: unknown
      try {
        parsed = JSON.parse(body)
      } catch {
        parsed = undefined
      }
      answer =
        parsed === undefined
          ? { requestId: newRequestId(), code: ErrorCode.INVALID_PARAM, message: 'request body is not valid JSON' }
          : await this.handle(parsed)
    } catch (e) {
      answer = { requestId: newRequestId(), code: ErrorCode.INVALID_PARAM, message: (e as Error).message }
    }
    const text = JSON.stringify(answer)
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) })
    res.end(text)
  }

  /**
   * Create a collection with its indexes (not exposed to the SDK's clients: the
   * runtime bootstrap declares collections). Idempotent: an existing collection
   * gets the given index declarations. Resolves once durable.
   */
  async createCollection(name: string, indexes: IndexSpec[] = []): Promise<boolean> {
    return this.store.ensureCollection(name, indexes)
  }

  hasCollection(name: string): boolean {
    return this.store.hasCollection(name)
  }

  listCollections(): string[] {
    return this.store.collectionNames()
  }

  /**
   * Bulk insert for seeding (no HTTP, no request counting): one atomic batch,
   * one log line, one fsync. Documents without `_id` get a generated one.
   * Throws EmulatorError (e.g. DATABASE_DUPLICATE_WRITE; nothing is inserted then).
   */
  async insertMany(collection: string, docs: Doc[]): Promise<DocId[]> {
    this.store.require(collection)
    const ops: WriteOp[] = docs.map((d) => {
      const doc = sanitize(d) as Doc
      if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new EmulatorError(ErrorCode.INVALID_PARAM, 'documents must be objects')
      return { op: 'insert', coll: collection, doc: '_id' in doc ? doc : { _id: newDocId(), ...doc } }
    })
    await retryWhileBlocked(() => this.store.write(ops))
    return ops.map((o) => (o as { doc: Doc }).doc._id as DocId)
  }

  /** Request counts since the last reset: total and per action. */
  stats(): EmulatorStats {
    return { total: this.counts.total, byAction: { ...this.counts.byAction } }
  }

  resetStats(): void {
    this.counts = { total: 0, byAction: {} }
  }

  /** Rewrite the snapshot and empty the log now. */
  async compact(): Promise<void> {
    await this.store.compact()
  }

  /** Finish pending writes, drop open transactions, release the data directory. */
  async close(): Promise<void> {
    this.txm.close()
    await this.store.close()
  }
}

/** Same as Emulator.open(). */
export function createEmulator(opts: EmulatorOptions): Promise<Emulator> {
  return Emulator.open(opts)
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const c of req) {
    const buf = typeof c === 'string' ? Buffer.from(c) : (c as Buffer)
    size += buf.length
    if (size > MAX_BODY) throw new Error('request body too large')
    chunks.push(buf)
  }
  return Buffer.concat(chunks).toString('utf8')
}
