// Secondary indexes: equality maps on key prefixes (multikey: each array
// element is indexed) used to narrow query candidates, and, for unique
// indexes, a map on the full key tuple that enforces uniqueness like MongoDB
// (a missing field counts as null, so two documents without it collide).
import { valueKey, type Doc } from './codec'
import { EmulatorError, ErrorCode } from './errors'

/**
 * An index key: ascending (1), descending (-1), or a geo index ('2dsphere'),
 * which the cloud requires for geoNear and which geoNear checks for here.
 */
export type IndexKey = { field: string; dir: 1 | -1 | '2dsphere' }
export type IndexSpec = { name: string; keys: IndexKey[]; unique?: boolean }

/**
 * Every value reachable at a dotted path, traversing arrays the way MongoDB
 * does (arrays at any level are expanded; a numeric component also indexes
 * into an array). A final array contributes its elements. The result is a
 * superset of the values an equality query on the path can match; a missing
 * path yields [undefined].
 */
export function valuesAtPath(doc: unknown, path: string): unknown[] {
  const out: unknown[] = []
  collect(doc, path.split('.'), 0, out)
  if (out.length === 0) out.push(undefined)
  return out
}

function collect(cur: unknown, parts: string[], i: number, out: unknown[]): void {
  if (i === parts.length) {
    if (Array.isArray(cur)) {
      if (cur.length === 0) out.push(undefined)
      for (const el of cur) out.push(el)
    } else out.push(cur)
    return
  }
  if (cur === null || typeof cur !== 'object') return
  const part = parts[i]
  if (Array.isArray(cur)) {
    if (/^\d+$/.test(part) && Number(part) < cur.length) collect(cur[Number(part)], parts, i + 1, out)
    for (const el of cur) if (el !== null && typeof el === 'object') collect(el, parts, i, out)
    return
  }
  if (cur instanceof Date || cur instanceof RegExp) return
  const next = (cur as Record<string, unknown>)[part]
  if (next === undefined) {
    // Missing leaf: MongoDB indexes it as null.
    if (i === parts.length - 1) out.push(undefined)
    return
  }
  collect(next, parts, i + 1, out)
}

/** Distinct keys of the values at a path. */
function keysAtPath(doc: Doc, path: string): string[] {
  const keys = new Set<string>()
  for (const v of valuesAtPath(doc, path)) keys.add(valueKey(v))
  return [...keys]
}

const MAX_TUPLES = 1000

/** Cartesian product of per-field key lists, joined into tuple keys. */
export function tupleProduct(perField: string[][], max = MAX_TUPLES): string[] | null {
  let tuples: string[] = ['']
  for (let i = 0; i < perField.length; i++) {
    const next: string[] = []
    for (const t of tuples) for (const k of perField[i]) next.push(i === 0 ? k : t + '\u0000' + k)
    if (next.length > max) return null
    tuples = next
  }
  return tuples
}

export class Index {
  readonly spec: IndexSpec
  /**
   * Equality maps on key prefixes: prefixes[k - 1] maps the tuple of the first
   * k key fields' values to the ids (id keys) of the documents holding it.
   * Every field but the last of a compound index gets one (the last is usually
   * the sort/range field); a single-field index has one.
   */
  private readonly prefixes: Map<string, Set<string>>[]
  /** full key tuple -> id key, only for unique indexes */
  private readonly tuples?: Map<string, string>

  constructor(spec: IndexSpec) {
    this.spec = spec
    this.prefixes = Array.from({ length: Math.max(1, spec.keys.length - 1) }, () => new Map())
    if (spec.unique) this.tuples = new Map()
  }

  /** Number of leading key fields the equality maps cover. */
  get prefixLength(): number {
    return this.prefixes.length
  }

  private fieldKeys(doc: Doc, n: number): string[][] {
    return this.spec.keys.slice(0, n).map(({ field }) => keysAtPath(doc, field))
  }

  private tupleKeys(doc: Doc): string[] {
    const tuples = tupleProduct(this.fieldKeys(doc, this.spec.keys.length))
    if (!tuples) throw new EmulatorError(ErrorCode.REQUEST_FAILED, `index ${this.spec.name}: too many multikey combinations`)
    return tuples
  }

  private prefixTuples(doc: Doc): string[][] {
    const perField = this.fieldKeys(doc, this.prefixes.length)
    return this.prefixes.map((_, k) => tupleProduct(perField.slice(0, k + 1)) ?? [])
  }

  /** The id key of another document that already holds `doc`'s unique key, if any. */
  conflict(idKey: string, doc: Doc): string | null {
    if (!this.tuples) return null
    for (const t of this.tupleKeys(doc)) {
      const owner = this.tuples.get(t)
      if (owner !== undefined && owner !== idKey) return owner
    }
    return null
  }

  add(idKey: string, doc: Doc): void {
    this.prefixTuples(doc).forEach((tuples, k) => {
      const map = this.prefixes[k]
      for (const t of tuples) {
        let set = map.get(t)
        if (!set) map.set(t, (set = new Set()))
        set.add(idKey)
      }
    })
    if (this.tuples) for (const t of this.tupleKeys(doc)) this.tuples.set(t, idKey)
  }

  remove(idKey: string, doc: Doc): void {
    this.prefixTuples(doc).forEach((tuples, k) => {
      const map = this.prefixes[k]
      for (const t of tuples) {
        const set = map.get(t)
        if (!set) continue
        set.delete(idKey)
        if (set.size === 0) map.delete(t)
      }
    })
    if (this.tuples)
      for (const t of this.tupleKeys(doc)) if (this.tuples.get(t) === idKey) this.tuples.delete(t)
  }

  /** Ids of documents whose first `prefix` key fields hold one of the given tuples. */
  lookup(prefix: number, tuples: string[]): Set<string> {
    const map = this.prefixes[prefix - 1]
    if (tuples.length === 1) return map.get(tuples[0]) ?? new Set()
    const out = new Set<string>()
    for (const t of tuples) for (const id of map.get(t) ?? []) out.add(id)
    return out
  }

  /** Upper bound of the number of ids a lookup returns (for choosing a plan). */
  estimate(prefix: number, tuples: string[]): number {
    const map = this.prefixes[prefix - 1]
    let n = 0
    for (const t of tuples) n += map.get(t)?.size ?? 0
    return n
  }
}

export function describeDupKey(spec: IndexSpec, doc: Doc): string {
  const parts = spec.keys.map(({ field }) => {
    const v = valuesAtPath(doc, field)[0]
    return `${field}: ${v === undefined ? 'null' : JSON.stringify(v)}`
  })
  return `{ ${parts.join(', ')} }`
}

export function sameIndexSpec(a: IndexSpec, b: IndexSpec): boolean {
  return (
    a.name === b.name &&
    !!a.unique === !!b.unique &&
    a.keys.length === b.keys.length &&
    a.keys.every((k, i) => k.field === b.keys[i].field && k.dir === b.keys[i].dir)
  )
}

export function validateIndexSpec(spec: IndexSpec): void {
  if (!spec || typeof spec.name !== 'string' || !spec.name) throw new Error('index needs a name')
  if (!Array.isArray(spec.keys) || spec.keys.length === 0) throw new Error(`index ${spec.name} needs keys`)
  for (const k of spec.keys) {
    if (typeof k.field !== 'string' || !k.field || k.field.startsWith('$'))
      throw new Error(`index ${spec.name}: invalid field ${String(k.field)}`)
    if (k.dir !== 1 && k.dir !== -1 && k.dir !== '2dsphere') throw new Error(`index ${spec.name}: dir must be 1, -1 or '2dsphere'`)
  }
}
