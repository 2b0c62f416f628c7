// Secondary indexes: an equality map on the first key field (multikey: each
// array element is indexed) used to narrow query candidates, and, for unique
// indexes, a map on the full key tuple that enforces uniqueness like MongoDB
// (a missing field counts as null, so two documents without it collide).
import { valueKey, type Doc } from './codec'
import { EmulatorError, ErrorCode } from './errors'

export type IndexKey = { field: string; dir: 1 | -1 }
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

export class Index {
  readonly spec: IndexSpec
  /** first-field value key -> ids (id keys) of the documents holding it */
  private readonly byFirst = new Map<string, Set<string>>()
  /** full key tuple -> id key, only for unique indexes */
  private readonly tuples?: Map<string, string>

  constructor(spec: IndexSpec) {
    this.spec = spec
    if (spec.unique) this.tuples = new Map()
  }

  get firstField(): string {
    return this.spec.keys[0].field
  }

  private tupleKeys(doc: Doc): string[] {
    let tuples: string[] = ['']
    for (const { field } of this.spec.keys) {
      const keys = keysAtPath(doc, field)
      const next: string[] = []
      for (const t of tuples) for (const k of keys) next.push(t === '' ? k : t + '\u0000' + k)
      tuples = next
      if (tuples.length > MAX_TUPLES)
        throw new EmulatorError(ErrorCode.REQUEST_FAILED, `index ${this.spec.name}: too many multikey combinations`)
    }
    return tuples
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
    for (const k of keysAtPath(doc, this.firstField)) {
      let set = this.byFirst.get(k)
      if (!set) this.byFirst.set(k, (set = new Set()))
      set.add(idKey)
    }
    if (this.tuples) for (const t of this.tupleKeys(doc)) this.tuples.set(t, idKey)
  }

  remove(idKey: string, doc: Doc): void {
    for (const k of keysAtPath(doc, this.firstField)) {
      const set = this.byFirst.get(k)
      if (!set) continue
      set.delete(idKey)
      if (set.size === 0) this.byFirst.delete(k)
    }
    if (this.tuples)
      for (const t of this.tupleKeys(doc)) if (this.tuples.get(t) === idKey) this.tuples.delete(t)
  }

  /** Ids of documents whose first key field holds one of the given value keys. */
  lookup(valueKeys: string[]): Set<string> {
    if (valueKeys.length === 1) return this.byFirst.get(valueKeys[0]) ?? new Set()
    const out = new Set<string>()
    for (const k of valueKeys) for (const id of this.byFirst.get(k) ?? []) out.add(id)
    return out
  }

  /** Estimated number of candidates a lookup would return (for choosing between indexes). */
  estimate(valueKeys: string[]): number {
    let n = 0
    for (const k of valueKeys) n += this.byFirst.get(k)?.size ?? 0
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
    if (k.dir !== 1 && k.dir !== -1) throw new Error(`index ${spec.name}: dir must be 1 or -1`)
  }
}
