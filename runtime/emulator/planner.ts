// Query planning: narrow the documents a filter has to be tested against.
//
// Only top-level equality terms are used (a plain scalar, `$eq` or `$in` of
// scalars, also inside a top-level `$and`; a top-level `$or` is used when every
// branch is narrowable). `_id` terms are answered from the id map; other terms
// from the index whose FIRST key field is the term's field. The planner only
// ever returns a superset of the matching documents: mingo still tests every
// candidate against the whole filter, so semantics never come from here.
import { isIndexableScalar, valueKey, type Doc } from './codec'
import type { Index } from './indexes'

export interface PlannableCollection {
  /** id key -> entry */
  readonly docs: ReadonlyMap<string, { seq: number }>
  readonly indexes: readonly Index[]
}

/** A set of candidate id keys, or null for "every document". */
type Candidates = Set<string> | null

/** The value keys a filter term pins its field to, or null if it is not a plain equality. */
function equalityKeys(cond: unknown): string[] | null {
  if (isIndexableScalar(cond)) return [valueKey(cond)]
  if (cond === null || typeof cond !== 'object' || Array.isArray(cond) || cond instanceof RegExp) return null
  const ops = cond as Record<string, unknown>
  const keys = Object.keys(ops)
  if (keys.length === 0 || !keys.every((k) => k.startsWith('$'))) return null // embedded-document equality
  let best: string[] | null = null
  if ('$eq' in ops && isIndexableScalar(ops.$eq)) best = [valueKey(ops.$eq)]
  if ('$in' in ops && Array.isArray(ops.$in) && ops.$in.every(isIndexableScalar)) {
    const inKeys = [...new Set((ops.$in as unknown[]).map(valueKey))]
    if (!best || inKeys.length < best.length) best = inKeys
  }
  return best
}

function planTerm(coll: PlannableCollection, field: string, cond: unknown): Candidates {
  const keys = equalityKeys(cond)
  if (!keys) return null
  if (field === '_id') {
    const out = new Set<string>()
    for (const k of keys) if (coll.docs.has(k)) out.add(k)
    return out
  }
  let best: Index | null = null
  let bestSize = Infinity
  for (const ix of coll.indexes) {
    if (ix.firstField !== field) continue
    const size = ix.estimate(keys)
    if (size < bestSize) {
      best = ix
      bestSize = size
    }
  }
  return best ? best.lookup(keys) : null
}

function smaller(a: Candidates, b: Candidates): Candidates {
  if (a === null) return b
  if (b === null) return a
  return b.size < a.size ? b : a
}

function planFilter(coll: PlannableCollection, filter: Doc): Candidates {
  let best: Candidates = null
  for (const [key, cond] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(cond)) {
      for (const sub of cond) if (isPlainObject(sub)) best = smaller(best, planFilter(coll, sub))
    } else if (key === '$or' && Array.isArray(cond) && cond.length > 0) {
      const union = new Set<string>()
      let all = true
      for (const sub of cond) {
        const c = isPlainObject(sub) ? planFilter(coll, sub) : null
        if (c === null) {
          all = false
          break
        }
        for (const id of c) union.add(id)
      }
      if (all) best = smaller(best, union)
    } else if (!key.startsWith('$')) {
      best = smaller(best, planTerm(coll, key, cond))
    }
    if (best !== null && best.size === 0) return best
  }
  return best
}

function isPlainObject(v: unknown): v is Doc {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof RegExp)
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
