// Query, update and aggregation semantics, all delegated to mingo. This file
// only wires mingo up (operator context, safety options) and maps its errors;
// it never matches or modifies documents by hand.
import { Aggregator, Context, ProcessingMode, Query, update as mingoUpdate } from 'mingo'
import { deepClone, encodeStored, type Doc } from './codec'
import { EmulatorError, ErrorCode, fromEngineError, invalidParam } from './errors'
import { metresTo, parseGeoNearStage, parseNear, withinRange, type NearSpec } from './geo'
import { expressionOverrides, queryOverrides, rejectUnsupported } from './operators'
import { planCandidates } from './planner'
import type { Collection, Entry } from './store'

type MingoOptions = NonNullable<ConstructorParameters<typeof Aggregator>[1]>
type ContextOps = NonNullable<Parameters<typeof Context.init>[0]>
type PipelineOps = NonNullable<ContextOps['pipeline']>
type PipelineOp = PipelineOps[string]

// mingo's operator modules are exported as package subpaths, which the
// project's "node" module resolution cannot type; they are loaded untyped.
const accumulatorOps = require('mingo/operators/accumulator') as ContextOps['accumulator']
const expressionOps = require('mingo/operators/expression') as ContextOps['expression']
const pipelineOps = require('mingo/operators/pipeline') as PipelineOps
const projectionOps = require('mingo/operators/projection') as ContextOps['projection']
const queryOps = require('mingo/operators/query') as ContextOps['query']
const windowOps = require('mingo/operators/window') as ContextOps['window']
const mingoUtil = require('mingo/util') as {
  /** The comparator mingo's $sort orders values with (MongoDB type order first). */
  compare(a: unknown, b: unknown): number
  /** The path resolver mingo's $sort reads sort keys with. */
  resolve(obj: object, selector: string): unknown
}
const GEO_INDEX = '2dsphere'

/** Update operators CloudBase offers (db.command.set/remove/inc/mul/push/pull/pullAll/pop/shift/unshift/addToSet/rename/max/min/bit). */
const UPDATE_OPERATORS = new Set(['$set', '$unset', '$inc', '$mul', '$min', '$max', '$rename', '$push', '$pull', '$pullAll', '$pop', '$addToSet', '$bit'])

/** Stages that never modify their input documents (a pipeline of only these needs no input copies). */
const READ_ONLY_STAGES = new Set(['$match', '$sort', '$skip', '$limit', '$group', '$count', '$sortByCount', '$project', '$bucket', '$bucketAuto', '$sample'])

/** Stages that write elsewhere; CloudBase's aggregate does not offer them. */
const FORBIDDEN_STAGES = new Set(['$out', '$merge'])

/**
 * Stages that read another collection hand out references to its stored
 * documents; their results are deep-copied so later stages cannot modify the
 * store through them.
 */
const withClonedJoin =
  (op: PipelineOp, field: (expr: Doc) => string | null): PipelineOp =>
  (collection, expr, options) =>
    op(collection, expr, options).map((value: unknown) => {
      const doc = value as Doc
      const as = field(expr as Doc)
      return as === null ? deepClone(doc) : { ...doc, [as]: deepClone(doc[as]) }
    })

const context = Context.init({
  accumulator: accumulatorOps,
  expression: { ...expressionOps, ...expressionOverrides } as ContextOps['expression'],
  pipeline: {
    ...pipelineOps,
    // aggregate() runs a leading $geoNear itself (it needs the collection's geo index).
    $geoNear: () => {
      throw invalidParam('$geoNear is only valid as the first stage of a pipeline')
    },
    $lookup: withClonedJoin(pipelineOps.$lookup, (e) => String(e.as)),
    $graphLookup: withClonedJoin(pipelineOps.$graphLookup, (e) => String(e.as)),
    $unionWith: withClonedJoin(pipelineOps.$unionWith, () => null),
  },
  projection: projectionOps,
  query: { ...queryOps, ...queryOverrides } as ContextOps['query'],
  window: windowOps,
})

const baseOptions: Partial<MingoOptions> = {
  context,
  useGlobalContext: false,
  scriptEnabled: false, // no $where / $function / $accumulator
  useStrictMode: true,
}

export type Filter = Doc
export type SortSpec = Record<string, 1 | -1>

/** Compile a filter (throws a client error for unknown operators). */
export function compileFilter(filter: Filter): Query {
  rejectUnsupported(filter)
  try {
    return new Query(filter, baseOptions)
  } catch (e) {
    throw fromEngineError(e, 'query')
  }
}

/** Whether one document matches `filter`. */
export function matches(doc: Doc, filter: Filter): boolean {
  const query = compileFilter(filter)
  try {
    return query.test(doc)
  } catch (e) {
    throw fromEngineError(e, 'query')
  }
}

/** Entries of `coll` matching `filter`, in natural order, at most `max`. */
export function matchEntries(coll: Collection, filter: Filter, max = Infinity): Array<[string, Entry]> {
  const query = compileFilter(filter)
  nearClause(coll, filter)
  const out: Array<[string, Entry]> = []
  const test = (e: Entry) => {
    try {
      return query.test(e.doc)
    } catch (err) {
      throw fromEngineError(err, 'query')
    }
  }
  const ids = planCandidates(coll, filter)
  if (ids) {
    for (const k of ids) {
      const e = coll.docs.get(k)!
      if (test(e)) out.push([k, e])
      if (out.length >= max) break
    }
  } else {
    for (const [k, e] of coll.docs) {
      if (test(e)) out.push([k, e])
      if (out.length >= max) break
    }
  }
  return out
}

/** Documents that may match (narrowed by indexes), in natural order. */
function candidateDocs(coll: Collection, filter: Filter): Doc[] {
  const ids = planCandidates(coll, filter)
  if (ids) return ids.map((k) => coll.docs.get(k)!.doc)
  const out: Doc[] = new Array(coll.docs.size)
  let i = 0
  for (const e of coll.docs.values()) out[i++] = e.doc
  return out
}

// ---------------------------------------------------------------------------
// Geo: geoNear needs a geo index (the cloud refuses it without one) and orders by distance.

type Near = { field: string; spec: NearSpec }

function geoIndexFields(coll: Collection): string[] {
  return coll.indexes.flatMap((ix) => ix.spec.keys.filter((k) => k.dir === GEO_INDEX).map((k) => k.field))
}

/** The filter's top-level `{ field: { $nearSphere } }` (where MongoDB allows it), after checking its geo index. */
function nearClause(coll: Collection, filter: Filter): Near | null {
  for (const [field, cond] of Object.entries(filter)) {
    if (field.startsWith('$') || cond === null || typeof cond !== 'object' || !('$nearSphere' in cond)) continue
    if (!geoIndexFields(coll).includes(field))
      throw invalidParam(`geoNear on ${coll.name}.${field} needs a geo index: declare { field: '${field}', dir: '${GEO_INDEX}' }`)
    return { field, spec: parseNear((cond as Doc).$nearSphere) }
  }
  return null
}

function sortByDistance(docs: Doc[], near: Near): Doc[] {
  const dist = new Map(docs.map((d) => [d, metresTo(near.spec.point, mingoUtil.resolve(d, near.field)) ?? Infinity]))
  return [...docs].sort((a, b) => dist.get(a)! - dist.get(b)!)
}

/**
 * The documents a leading $geoNear stage hands on: within range of `near` on
 * the geo-indexed field (or `key`), nearest first, each a copy carrying its
 * distance in metres (times distanceMultiplier) in `distanceField`.
 */
function geoNearInput(coll: Collection, stage: unknown): Doc[] {
  const opts = parseGeoNearStage(stage)
  const fields = geoIndexFields(coll)
  const key = opts.key ?? (fields.length === 1 ? fields[0] : undefined)
  if (!key || !fields.includes(key))
    throw invalidParam(`$geoNear on ${coll.name} needs exactly one geo index (dir '${GEO_INDEX}') or a key naming one`)
  const docs = opts.query ? matchEntries(coll, opts.query).map(([, e]) => e.doc) : candidateDocs(coll, {})
  const hits: Array<{ doc: Doc; d: number }> = []
  for (const doc of docs) {
    const d = metresTo(opts.point, mingoUtil.resolve(doc, key))
    if (withinRange(d, opts)) hits.push({ doc, d })
  }
  hits.sort((a, b) => a.d - b.d)
  return hits.map(({ doc, d }) => {
    const out = deepClone(doc)
    const set: Doc = { [opts.distanceField]: d * opts.multiplier }
    if (opts.includeLocs) set[opts.includeLocs] = deepClone(mingoUtil.resolve(doc, key))
    mingoUpdate(out, { $set: set } as Parameters<typeof mingoUpdate>[1])
    return out
  })
}

export type FindOptions = { order?: SortSpec; skip?: number; limit?: number; projection?: Doc }

/**
 * Sort keys of one field as primitives when that gives exactly mingo's order:
 * all Dates (by time), all finite numbers, or all strings (mingo compares
 * values of one such type with < and >). Otherwise null: use mingo.compare.
 */
function primitiveKeys(values: unknown[]): Array<number | string> | null {
  if (values.every((v) => v instanceof Date && !Number.isNaN(v.getTime()))) return values.map((v) => (v as Date).getTime())
  if (values.every((v) => typeof v === 'number' && Number.isFinite(v))) return values as number[]
  if (values.every((v) => typeof v === 'string')) return values as string[]
  return null
}

/**
 * Order documents like mingo's $sort does (same key resolver, same comparator,
 * stable, later keys break ties), with one decorated Array.sort instead of
 * $sort's per-key regrouping, which is much slower on large candidate sets.
 */
function sortDocs(docs: Doc[], order: SortSpec): Doc[] {
  const fields = Object.keys(order)
  const columns = fields.map((f) => {
    const values = docs.map((doc) => mingoUtil.resolve(doc, f))
    const prim = primitiveKeys(values)
    const dir = order[f] === -1 ? -1 : 1
    return prim
      ? (a: number, b: number) => (prim[a] < prim[b] ? -dir : prim[a] > prim[b] ? dir : 0)
      : (a: number, b: number) => dir * mingoUtil.compare(values[a], values[b])
  })
  const idx = docs.map((_, i) => i)
  idx.sort((a, b) => {
    for (const cmp of columns) {
      const c = cmp(a, b)
      if (c !== 0) return c
    }
    return a - b
  })
  return idx.map((i) => docs[i])
}

/** where().orderBy().skip().limit().field().get(): references to stored documents unless projected. */
export function find(coll: Collection, filter: Filter, opts: FindOptions): Doc[] {
  const query = compileFilter(filter)
  const near = nearClause(coll, filter)
  const skip = opts.skip ?? 0
  const end = opts.limit === undefined ? Infinity : skip + opts.limit
  const ordered = !!opts.order && Object.keys(opts.order).length > 0
  const sorted = ordered || near !== null
  try {
    let docs: Doc[] = []
    for (const doc of candidateDocs(coll, filter)) {
      if (!query.test(doc)) continue
      docs.push(doc)
      if (!sorted && docs.length >= end) break
    }
    // geoNear answers nearest first unless the caller orders explicitly (as MongoDB's $nearSphere does).
    if (ordered) docs = sortDocs(docs, opts.order!)
    else if (near) docs = sortByDistance(docs, near)
    docs = docs.slice(skip, end)
    if (opts.projection && Object.keys(opts.projection).length) docs = new Query({}, baseOptions).find<Doc>(docs, opts.projection).all()
    return docs
  } catch (e) {
    throw fromEngineError(e, 'query')
  }
}

export function count(coll: Collection, filter: Filter): number {
  return matchEntries(coll, filter).length
}

/** Apply a projection to one document. */
export function project(doc: Doc, projection: Doc | undefined): Doc {
  if (!projection || Object.keys(projection).length === 0) return doc
  try {
    return new Query({}, baseOptions).find<Doc>([doc], projection).all()[0]
  } catch (e) {
    throw fromEngineError(e, 'projection')
  }
}

/** Throw unless `update` is a valid operator update (every top-level key a supported operator). */
export function validateOperatorUpdate(update: Doc): void {
  const ops = Object.keys(update)
  if (ops.length === 0) throw invalidParam('update document must not be empty')
  for (const op of ops) {
    if (!op.startsWith('$'))
      throw invalidParam(`update operators and plain fields cannot be mixed (found field '${op}')`)
    if (!UPDATE_OPERATORS.has(op)) throw new EmulatorError(ErrorCode.INVALID_PARAM, `unsupported update operator ${op}`)
    const args = update[op]
    if (args === null || typeof args !== 'object' || Array.isArray(args))
      throw invalidParam(`the argument of ${op} must be an object`)
  }
}

/** Throw unless `doc` is a valid replacement document (no operators at top level). */
export function validateReplacement(doc: Doc): void {
  for (const k of Object.keys(doc)) if (k.startsWith('$')) throw invalidParam(`replacement document cannot contain operator ${k}`)
}

/**
 * Apply an operator update to a copy of `doc`. Returns the new document and
 * whether anything changed (MongoDB's nModified semantics).
 */
export function applyUpdate(doc: Doc, update: Doc): { doc: Doc; changed: boolean } {
  validateOperatorUpdate(update)
  const next = deepClone(doc)
  let changed = false
  try {
    for (const [op, args] of Object.entries(update)) {
      const paths = mingoUpdate(next, { [op]: args } as Parameters<typeof mingoUpdate>[1])
      if (paths.length) changed = true
    }
  } catch (e) {
    throw fromEngineError(e, 'update')
  }
  if (encodeStored(next._id) !== encodeStored(doc._id))
    throw invalidParam("Performing an update on the path '_id' would modify the immutable field '_id'")
  return { doc: next, changed }
}

/** Replace `doc`'s content by `replacement`, keeping its _id. */
export function applyReplacement(doc: Doc, replacement: Doc): { doc: Doc; changed: boolean } {
  validateReplacement(replacement)
  if ('_id' in replacement && encodeStored(replacement._id) !== encodeStored(doc._id))
    throw invalidParam("Performing an update on the path '_id' would modify the immutable field '_id'")
  const { _id: _ignored, ...rest } = deepClone(replacement)
  const next: Doc = { _id: doc._id, ...rest }
  return { doc: next, changed: encodeStored(next) !== encodeStored(doc) }
}

/**
 * The document an upsert inserts: the filter's equality fields (as MongoDB
 * does), then the update applied to it.
 */
export function upsertBase(filter: Filter): Doc {
  const base: Doc = {}
  const setPaths: Doc = {}
  const visit = (f: Filter) => {
    for (const [k, v] of Object.entries(f)) {
      if (k === '$and' && Array.isArray(v)) v.forEach((s) => s && typeof s === 'object' && visit(s as Filter))
      else if (k.startsWith('$')) continue
      else if (v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof RegExp)) {
        const ops = v as Doc
        const keys = Object.keys(ops)
        if (keys.length && keys.every((x) => x.startsWith('$'))) {
          if ('$eq' in ops) setPaths[k] = ops.$eq
        } else setPaths[k] = v
      } else if (!(v instanceof RegExp)) setPaths[k] = v
    }
  }
  visit(filter)
  if (Object.keys(setPaths).length) {
    try {
      mingoUpdate(base, { $set: deepClone(setPaths) } as Parameters<typeof mingoUpdate>[1])
    } catch (e) {
      throw fromEngineError(e, 'upsert')
    }
  }
  return base
}

export type Stage = Record<string, unknown>

/**
 * Run an aggregation pipeline over a collection. A leading $match is planned
 * with the indexes; `resolve` gives the documents of other collections
 * ($lookup and friends).
 */
export function aggregate(coll: Collection, pipeline: Stage[], resolve: (name: string) => Doc[]): Doc[] {
  for (const stage of pipeline) {
    const keys = Object.keys(stage)
    if (keys.length !== 1) throw invalidParam(`an aggregation stage must have exactly one operator, got ${keys.join(',') || 'none'}`)
    if (FORBIDDEN_STAGES.has(keys[0])) throw new EmulatorError(ErrorCode.INVALID_PARAM, `unsupported aggregation stage ${keys[0]}`)
  }
  rejectUnsupported(pipeline)
  let input: Doc[]
  let rest = pipeline
  const first = pipeline[0]
  if (first && '$geoNear' in first) {
    input = geoNearInput(coll, first.$geoNear)
    rest = pipeline.slice(1)
  } else if (first && '$match' in first && first.$match && typeof first.$match === 'object') {
    input = matchEntries(coll, first.$match as Filter).map(([, e]) => e.doc)
    rest = pipeline.slice(1)
  } else input = candidateDocs(coll, {})
  try {
    const agg = new Aggregator(rest, {
      ...baseOptions,
      // Stages such as $unwind or $addFields modify their input: never let them touch stored documents.
      processingMode: rest.every((st) => READ_ONLY_STAGES.has(Object.keys(st)[0])) ? ProcessingMode.CLONE_OFF : ProcessingMode.CLONE_INPUT,
      collectionResolver: resolve,
    })
    return agg.run(input) as Doc[]
  } catch (e) {
    throw fromEngineError(e, 'aggregate')
  }
}
