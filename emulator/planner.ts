// Query planning: narrow the documents a filter has to be tested against.
//
// Only top-level equality terms are used: a plain scalar, `$eq`, or `$in` of
// scalars, also inside a top-level `$and`; a top-level `$or` is used when
// every branch can be narrowed. `_id` terms are answered from the id map;
// other terms from the index whose leading key fields they pin (the longest
// such prefix the index keeps an equality map for). The planner only ever
// returns a superset of the matching documents: mingo still tests every
// candidate against the whole filter, so semantics never come from here.
import { isIndexableScalar, valueKey, type Doc } from './codec'
import { tupleProduct, type Index } from './indexes'

export interface PlannableCollection {
  /** id key -> entry */
  readonly docs: ReadonlyMap<string, { seq: number }>
  readonly indexes: readonly Index[]
}

/** A set of candidate id keys, or null for "every document". */
type Candidates = Set<string> | null

/** Most key combinations a compound lookup may expand to. */
const MAX_LOOKUP_TUPLES = 256

function isPlainObject(v: unknown): v is Doc {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof RegExp)
}

/** The value keys a filter term pins its field to, or null if it is not a plain equality. */
function equalityKeys(cond: unknown): string[] | null {
  if (isIndexableScalar(cond)) return [valueKey(cond)]
  if (!isPlainObject(cond)) return null
  const keys = Object.keys(cond)
  if (keys.length === 0 || !keys.every((k) => k.startsWith('$'))) return null // embedded-document equality
  let best: string[] | null = null
  if ('$eq' in cond && isIndexableScalar(cond.$eq)) best = [valueKey(cond.$eq)]
  if ('$in' in cond && Array.isArray(cond.$in) && cond.$in.every(isIndexableScalar)) {
    const inKeys = [...new Set((cond.$in as unknown[]).map(valueKey))]
    if (!best || inKeys.length < best.length) best = inKeys
  }
  return best
}

/** Collect the equality terms of a conjunction (top level and nested $and) and its $or lists. */
function collectTerms(filter: Doc, eq: Map<string, string[]>, ors: unknown[][]): void {
  for (const [key, cond] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(cond)) {
      for (const sub of cond) if (isPlainObject(sub)) collectTerms(sub, eq, ors)
    } else if (key === '$or' && Array.isArray(cond) && cond.length > 0) {
      ors.push(cond)
    } else if (!key.startsWith('$')) {
      const keys = equalityKeys(cond)
      const prev = eq.get(key)
      // Both terms must hold: either one alone gives a superset; keep the narrower.
      if (keys && (!prev || keys.length < prev.length)) eq.set(key, keys)
    }
  }
}

function smaller(a: Candidates, b: Candidates): Candidates {
  if (a === null) return b
  if (b === null) return a
  return b.size < a.size ? b : a
}

function planIndex(ix: Index, eq: Map<string, string[]>): { size: number; run: () => Set<string> } | null {
  const fields = ix.spec.keys.map((k) => k.field)
  let prefix = 0
  while (prefix < ix.prefixLength && eq.has(fields[prefix])) prefix++
  for (; prefix > 0; prefix--) {
    const tuples = tupleProduct(fields.slice(0, prefix).map((f) => eq.get(f)!), MAX_LOOKUP_TUPLES)
    if (!tuples) continue
    const p = prefix
    return { size: ix.estimate(p, tuples), run: () => ix.lookup(p, tuples) }
  }
  return null
}

function planFilter(coll: PlannableCollection, filter: Doc): Candidates {
  const eq = new Map<string, string[]>()
  const ors: unknown[][] = []
  collectTerms(filter, eq, ors)

  let best: Candidates = null
  const ids = eq.get('_id')
  if (ids) {
    best = new Set(ids.filter((k) => coll.docs.has(k)))
    if (best.size <= 1) return best
  }
  let plan: { size: number; run: () => Set<string> } | null = null
  for (const ix of coll.indexes) {
    const p = planIndex(ix, eq)
    if (p && (!plan || p.size < plan.size)) plan = p
  }
  if (plan && (best === null || plan.size < best.size)) best = plan.run()

  for (const branches of ors) {
    if (best !== null && best.size === 0) break
    const union = new Set<string>()
    let narrowed = true
    for (const sub of branches) {
      const c = isPlainObject(sub) ? planFilter(coll, sub) : null
      if (c === null) {
        narrowed = false
        break
      }
      for (const id of c) union.add(id)
    }
    if (narrowed) best = smaller(best, union)
  }
  return best
}

/**
 * Id keys of the documents `filter` may match, in natural (insertion) order,
 * or null when the whole collection must be scanned.
 */
export function planCandidates(coll: PlannableCollection, filter: Doc): string[] | null {
  const c = planFilter(coll, filter)
  if (c === null) return null
  if (c.size * 8 > coll.docs.size) {
    // A large share of the collection: a pass in natural order is cheaper than sorting.
    const ids: string[] = []
    for (const k of coll.docs.keys()) if (c.has(k)) ids.push(k)
    return ids
  }
  const ids = [...c].filter((k) => coll.docs.has(k))
  if (ids.length > 1) {
    const seq = new Map(ids.map((k) => [k, coll.docs.get(k)!.seq]))
    ids.sort((a, b) => seq.get(a)! - seq.get(b)!)
  }
  return ids
}
