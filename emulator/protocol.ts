// The CloudBase database HTTP protocol, as spoken by @cloudbase/node-sdk 3.x
// (@cloudbase/database 1.4): one handler per `action`. Request and response
// shapes follow the SDK sources (query.ts, document.ts, collection.ts,
// aggregate.ts, transaction/index.ts and the older transaction.ts).
import { EJSON } from 'bson'
import { newDocId, parseWire, parseWireObject, toWire, type Doc, type DocId } from './codec'
import * as engine from './engine'
import { EmulatorError, ErrorCode, invalidParam } from './errors'
import type { Storage } from './storage'
import type { Store, WriteOp } from './store'
import type { Transaction, TransactionManager } from './transactions'

/** Request parameters (the JSON body minus `action`). */
export type Params = Record<string, unknown>

/** A successful answer: `data` plus any top-level fields the SDK reads there. */
export type Answer = { data?: unknown; top?: Record<string, unknown> }

type Handler = (p: Params) => Promise<Answer>

const DEFAULT_LIMIT = 100
const MAX_LIMIT = 1000

// ---------------------------------------------------------------------------
// Parameter helpers

function collectionName(p: Params): string {
  const name = p.collectionName
  if (typeof name !== 'string' || !name) throw invalidParam('collectionName is required')
  return name
}

function parseFilter(p: Params, now: number): engine.Filter {
  if (p.query === undefined || p.query === null || p.query === '') return {}
  return parseWireObject(p.query, 'query', now)
}

/**
 * The filter of a write. Collection.update() without where() sends no query at
 * all; CloudBase wants a condition for batch writes (like remove(), update()
 * comes after where()), so that is refused rather than rewriting the whole
 * collection. where({}) is the explicit "every document".
 */
function requireWriteFilter(p: Params, now: number): engine.Filter {
  if (p.query === undefined || p.query === null || p.query === '')
    throw invalidParam('update needs a query condition: call where() before update() (where({}) updates every document)')
  return parseFilter(p, now)
}

function parseProjection(p: Params, now: number): Doc | undefined {
  if (p.projection === undefined || p.projection === null || p.projection === '') return undefined
  return parseWireObject(p.projection, 'projection', now)
}

/** orderBy() sends an object { field: 1 | -1 }; options({ order }) may send a list. */
function parseOrder(p: Params, now: number): engine.SortSpec | undefined {
  if (p.order === undefined || p.order === null || p.order === '') return undefined
  const raw = parseWire(p.order, 'order', now)
  const out: engine.SortSpec = {}
  const add = (field: unknown, dir: unknown) => {
    if (typeof field !== 'string' || !field) throw invalidParam('order: invalid field')
    const d = dir === 'asc' ? 1 : dir === 'desc' ? -1 : dir
    if (d !== 1 && d !== -1) throw invalidParam(`order: direction of ${field} must be 1/-1 or asc/desc`)
    out[field] = d
  }
  const entries = Array.isArray(raw) ? raw : [raw]
  for (const e of entries) {
    if (e === null || typeof e !== 'object') throw invalidParam('order must be an object')
    const o = e as Record<string, unknown>
    if ('field' in o && 'direction' in o) add(o.field, o.direction)
    else for (const [k, v] of Object.entries(o)) add(k, v)
  }
  return out
}

function nonNegativeInt(v: unknown, what: string): number | undefined {
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw invalidParam(`${what} must be a non-negative integer`)
  return v
}

function isPlainId(v: unknown): v is string | number {
  return typeof v === 'string' || typeof v === 'number'
}

/**
 * The document id a transactional operation targets. Transactions are
 * single-document: the query must pin `_id` by equality.
 */
function singleDocId(filter: engine.Filter): DocId {
  const c = filter._id
  if (isPlainId(c)) return c
  if (c && typeof c === 'object' && Object.keys(c).length === 1 && isPlainId((c as Doc).$eq)) return (c as Doc).$eq as DocId
  throw invalidParam('transactions only support single-document operations: use collection.doc(id) inside a transaction')
}

function checkNewDoc(doc: Doc): Doc {
  engine.validateReplacement(doc)
  if (!('_id' in doc)) return { _id: newDocId(), ...doc }
  const id = doc._id
  if (id === null || typeof id === 'boolean' || Array.isArray(id) || id instanceof RegExp)
    throw invalidParam('_id must be a string, a number or an object')
  return doc
}

/** Document an upsert inserts when nothing matched. */
function upsertDoc(filter: engine.Filter, update: Doc, merge: boolean): Doc {
  let doc: Doc
  if (merge) {
    doc = engine.applyUpdate(engine.upsertBase(filter), update).doc
  } else {
    engine.validateReplacement(update)
    const base = engine.upsertBase(filter)
    doc = '_id' in base ? { _id: base._id, ...update } : { ...update }
  }
  return checkNewDoc(doc)
}

// ---------------------------------------------------------------------------

export class Protocol {
  private readonly store: Store
  private readonly txm: TransactionManager
  private readonly handlers: Record<string, Handler>

  constructor(store: Store, txm: TransactionManager, storage?: Storage) {
    this.store = store
    this.txm = txm
    this.handlers = {
      'database.getDocument': (p) => this.getDocument(p),
      'database.insertDocument': (p) => this.insertDocument(p),
      'database.modifyDocument': (p) => this.modifyDocument(p),
      'database.modifyAndReturnDoc': (p) => this.modifyAndReturnDoc(p),
      'database.removeDocument': (p) => this.removeDocument(p),
      'database.calculateDocument': (p) => this.calculateDocument(p),
      'database.aggregateDocuments': (p) => this.aggregateDocuments(p),
      'database.addCollection': (p) => this.addCollection(p),
      'database.startTransaction': () => this.startTransaction(),
      'database.commitTransaction': (p) => this.commitTransaction(p),
      'database.abortTransaction': (p) => this.abortTransaction(p),
      'database.getInTransaction': (p) => this.getInTransaction(p),
      'database.updateDocInTransaction': (p) => this.updateDocInTransaction(p),
      'database.deleteDocInTransaction': (p) => this.deleteDocInTransaction(p),
    }
    if (storage) {
      for (const action of ['storage.getUploadMetadata', 'storage.batchGetDownloadUrl', 'storage.batchDeleteFile'])
        this.handlers[action] = (p) => storage.dispatch(action, p)
    }
  }

  dispatch(action: string, p: Params): Promise<Answer> {
    const h = Object.prototype.hasOwnProperty.call(this.handlers, action) ? this.handlers[action] : undefined
    if (!h) throw new EmulatorError(ErrorCode.INVALID_ACTION, `invalid action: ${action} is not a supported ${action.startsWith('storage.') ? 'storage' : 'database'} action`)
    return h(p)
  }

  private tx(p: Params): Transaction | null {
    return p.transactionId === undefined || p.transactionId === null || p.transactionId === '' ? null : this.txm.get(p.transactionId)
  }

  // -------------------------------------------------------------------------
  // Documents

  private async getDocument(p: Params): Promise<Answer> {
    const now = Date.now()
    const coll = this.store.require(collectionName(p))
    const filter = parseFilter(p, now)
    const projection = parseProjection(p, now)
    const tx = this.tx(p)
    if (tx) {
      const doc = this.txm.read(tx, coll.name, singleDocId(filter))
      const list = doc && engine.matches(doc, filter) ? [engine.project(doc, projection)] : []
      return { data: { list: list.map(toWire) } }
    }
    const order = parseOrder(p, now)
    const offset = nonNegativeInt(p.offset, 'offset') ?? 0
    const requested = nonNegativeInt(p.limit, 'limit')
    const limit = requested ? Math.min(requested, MAX_LIMIT) : DEFAULT_LIMIT
    const docs = engine.find(coll, filter, { order, skip: offset, limit, projection })
    const list = docs.map(toWire)
    await this.store.durable()
    return { data: { list, limit, offset } }
  }

  private async insertDocument(p: Params): Promise<Answer> {
    const now = Date.now()
    const coll = this.store.require(collectionName(p))
    const raw = typeof p.data === 'string' ? [p.data] : p.data
    if (!Array.isArray(raw) || raw.length === 0) throw invalidParam('data must be a non-empty array of documents')
    const docs = raw.map((s) => checkNewDoc(parseWireObject(s, 'data', now)))
    const tx = this.tx(p)
    if (tx) {
      for (const d of docs) this.txm.insert(tx, coll.name, d)
    } else {
      await this.store.write(docs.map((doc): WriteOp => ({ op: 'insert', coll: coll.name, doc })))
    }
    return { data: { insertedIds: docs.map((d) => d._id) } }
  }

  private async modifyDocument(p: Params): Promise<Answer> {
    const now = Date.now()
    const coll = this.store.require(collectionName(p))
    const filter = requireWriteFilter(p, now)
    const update = parseWireObject(p.data, 'data', now)
    const merge = p.merge !== false
    const upsert = p.upsert === true
    const multi = typeof p.multi === 'boolean' ? p.multi : p.queryType !== 'DOC'
    if (merge) engine.validateOperatorUpdate(update)
    else engine.validateReplacement(update)
    const apply = (doc: Doc) => (merge ? engine.applyUpdate(doc, update) : engine.applyReplacement(doc, update))
    // `updated` per the cloud: an update counts the documents it changed (MongoDB's
    // nModified: same values -> 0), a set() counts the document it found ("1 if
    // the _id exists", even when the data is the same).
    const counts = (changed: boolean) => (merge ? changed : true)

    const tx = this.tx(p)
    if (tx) {
      const cur = this.txm.read(tx, coll.name, singleDocId(filter))
      if (cur && engine.matches(cur, filter)) {
        const r = apply(cur)
        if (r.changed) this.txm.put(tx, coll.name, r.doc)
        return { data: { updated: counts(r.changed) ? 1 : 0 } }
      }
      if (!upsert) return { data: { updated: 0 } }
      const doc = upsertDoc(filter, update, merge)
      this.txm.insert(tx, coll.name, doc)
      return { data: { updated: 0, upsert_id: doc._id } }
    }

    const matched = engine.matchEntries(coll, filter, multi ? Infinity : 1)
    const ops: WriteOp[] = []
    let updated = 0
    for (const [, e] of matched) {
      const r = apply(e.doc)
      if (r.changed) ops.push({ op: 'put', coll: coll.name, doc: r.doc })
      if (counts(r.changed)) updated++
    }
    let upsertId: unknown
    if (matched.length === 0 && upsert) {
      const doc = upsertDoc(filter, update, merge)
      ops.push({ op: 'insert', coll: coll.name, doc })
      upsertId = doc._id
    }
    await this.store.write(ops)
    const data: Doc = { updated }
    if (upsertId !== undefined) data.upsert_id = upsertId
    return { data }
  }

  private async modifyAndReturnDoc(p: Params): Promise<Answer> {
    const now = Date.now()
    const coll = this.store.require(collectionName(p))
    const filter = requireWriteFilter(p, now)
    const update = parseWireObject(p.data, 'data', now)
    engine.validateOperatorUpdate(update)
    // findAndModify has no "modified" count: a matched document reports 1.
    const tx = this.tx(p)
    if (tx) {
      const cur = this.txm.read(tx, coll.name, singleDocId(filter))
      if (!cur || !engine.matches(cur, filter)) return { data: { updated: 0, doc: null } }
      const r = engine.applyUpdate(cur, update)
      if (r.changed) this.txm.put(tx, coll.name, r.doc)
      return { data: { updated: 1, doc: toWire(r.doc) } }
    }
    const [hit] = engine.matchEntries(coll, filter, 1)
    if (!hit) {
      await this.store.durable()
      return { data: { updated: 0, doc: null } }
    }
    const r = engine.applyUpdate(hit[1].doc, update)
    await this.store.write(r.changed ? [{ op: 'put', coll: coll.name, doc: r.doc }] : [])
    return { data: { updated: 1, doc: toWire(r.doc) } }
  }

  private async removeDocument(p: Params): Promise<Answer> {
    const coll = this.store.require(collectionName(p))
    const filter = parseFilter(p, Date.now())
    const multi = typeof p.multi === 'boolean' ? p.multi : p.queryType !== 'DOC'
    const tx = this.tx(p)
    if (tx) {
      const id = singleDocId(filter)
      const cur = this.txm.read(tx, coll.name, id)
      if (!cur || !engine.matches(cur, filter)) return { data: { deleted: 0 } }
      this.txm.delete(tx, coll.name, id)
      return { data: { deleted: 1 } }
    }
    const matched = engine.matchEntries(coll, filter, multi ? Infinity : 1)
    await this.store.write(matched.map(([, e]): WriteOp => ({ op: 'delete', coll: coll.name, id: e.doc._id as DocId })))
    return { data: { deleted: matched.length } }
  }

  private async calculateDocument(p: Params): Promise<Answer> {
    const coll = this.store.require(collectionName(p))
    const total = engine.count(coll, parseFilter(p, Date.now()))
    await this.store.durable()
    return { data: { total } }
  }

  private async aggregateDocuments(p: Params): Promise<Answer> {
    const now = Date.now()
    const coll = this.store.require(collectionName(p))
    if (!Array.isArray(p.stages)) throw invalidParam('stages must be an array')
    const pipeline = p.stages.map((s): engine.Stage => {
      const { stageKey, stageValue } = (s ?? {}) as { stageKey?: unknown; stageValue?: unknown }
      if (typeof stageKey !== 'string' || !stageKey.startsWith('$')) throw invalidParam(`invalid aggregation stage ${String(stageKey)}`)
      return { [stageKey]: parseWire(stageValue, `stage ${stageKey}`, now) }
    })
    const resolve = (name: string): Doc[] => {
      const c = this.store.collection(name)
      return c ? [...c.docs.values()].map((e) => e.doc) : []
    }
    const list = engine.aggregate(coll, pipeline, resolve).map(toWire)
    await this.store.durable()
    return { data: { list } }
  }

  private async addCollection(p: Params): Promise<Answer> {
    const name = collectionName(p)
    if (this.store.hasCollection(name))
      throw new EmulatorError(ErrorCode.COLLECTION_ALREADY_EXIST, `collection ${name} already exists`)
    try {
      await this.store.ensureCollection(name, [])
    } catch (e) {
      if (e instanceof EmulatorError) throw e
      throw invalidParam((e as Error).message)
    }
    return {}
  }

  // -------------------------------------------------------------------------
  // Transactions (transaction/index.ts: start/commit/abort + doc ops carrying transactionId)

  private async startTransaction(): Promise<Answer> {
    return { top: { transactionId: this.txm.start().id } }
  }

  private async commitTransaction(p: Params): Promise<Answer> {
    await this.txm.commit(p.transactionId)
    return {}
  }

  private async abortTransaction(p: Params): Promise<Answer> {
    this.txm.abort(p.transactionId)
    return {}
  }

  // The older transaction API (transaction.ts): answers carry EJSON strings at the top level.

  private async getInTransaction(p: Params): Promise<Answer> {
    const coll = this.store.require(collectionName(p))
    const tx = this.txm.get(p.transactionId)
    const id = this.oldApiId(p)
    const doc = this.txm.read(tx, coll.name, id)
    return { data: doc === null ? 'null' : toWire(doc) }
  }

  private async updateDocInTransaction(p: Params): Promise<Answer> {
    const now = Date.now()
    const coll = this.store.require(collectionName(p))
    const tx = this.txm.get(p.transactionId)
    const id = this.oldApiId(p)
    const data = parseWireObject(p.data, 'data', now)
    const isReplacement = Object.keys(data).every((k) => !k.startsWith('$'))
    const cur = this.txm.read(tx, coll.name, id)
    const ejsonInt = (n: number) => EJSON.stringify(n, { relaxed: false })
    if (cur) {
      const r = isReplacement ? engine.applyReplacement(cur, data) : engine.applyUpdate(cur, data)
      if (r.changed) this.txm.put(tx, coll.name, r.doc)
      return { top: { updated: ejsonInt(r.changed ? 1 : 0) } }
    }
    if (p.upsert !== true) return { top: { updated: ejsonInt(0) } }
    const doc = upsertDoc({ _id: id }, data, !isReplacement)
    this.txm.insert(tx, coll.name, doc)
    return { top: { updated: ejsonInt(0), upserted: JSON.stringify([{ _id: doc._id }]) } }
  }

  private async deleteDocInTransaction(p: Params): Promise<Answer> {
    const coll = this.store.require(collectionName(p))
    const tx = this.txm.get(p.transactionId)
    const id = this.oldApiId(p)
    const cur = this.txm.read(tx, coll.name, id)
    if (cur) this.txm.delete(tx, coll.name, id)
    return { top: { deleted: EJSON.stringify(cur ? 1 : 0, { relaxed: false }) } }
  }

  private oldApiId(p: Params): DocId {
    if (!isPlainId(p._id)) throw invalidParam('_id must be a string or a number')
    return p._id
  }
}
