// Value encodings.
//
// * Wire (SDK <-> emulator): canonical Extended JSON strings, parsed with bson's
//   EJSON (relaxed: false) and normalised into plain JS values that mingo
//   understands; answered as canonical EJSON strings like the cloud does.
// * Storage (log / snapshot lines): JSON where the few non-JSON values (Date,
//   RegExp, non-finite numbers, other BSON types) are written as canonical EJSON
//   wrappers, so every stored line is also valid Extended JSON.
import { randomBytes } from 'node:crypto'
import { BSONRegExp, EJSON, Long } from 'bson'
import { EmulatorError, ErrorCode, invalidParam } from './errors'

export type Doc = Record<string, unknown>
export type DocId = string | number | object

/** The CloudBase server-date placeholder sent by `db.serverDate({ offset })`. */
const SERVER_DATE = '$tcb_server_date'

/** JS RegExp flags that keep their meaning from MongoDB regex options. */
const REGEX_FLAGS = new Set(['i', 'm', 's', 'u'])

function bsonType(v: object): string | undefined {
  const t = (v as { _bsontype?: unknown })._bsontype
  return typeof t === 'string' ? t : undefined
}

function toJsRegExp(re: BSONRegExp): RegExp {
  let flags = ''
  for (const f of re.options) {
    if (REGEX_FLAGS.has(f)) flags += f
    else if (f !== 'l') throw new EmulatorError(ErrorCode.INVALID_PARAM, `unsupported regular expression option '${f}'`)
  }
  return new RegExp(re.pattern, flags)
}

/**
 * Normalise an EJSON-parsed value in place: BSON number wrappers become JS
 * numbers, BSON regexes become RegExp, `{ $tcb_server_date: { offset } }`
 * becomes the server's current Date plus offset.
 */
export function normalize(v: unknown, now: number): unknown {
  if (v === null || typeof v !== 'object') return v
  if (v instanceof Date || v instanceof RegExp) return v
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = normalize(v[i], now)
    return v
  }
  const t = bsonType(v)
  if (t) {
    switch (t) {
      case 'Int32':
      case 'Double':
        return (v as { value: number }).value
      case 'Long': {
        const n = (v as Long).toNumber()
        return Number.isSafeInteger(n) ? n : v
      }
      case 'BSONRegExp':
        return toJsRegExp(v as BSONRegExp)
      default:
        return v
    }
  }
  const o = v as Record<string, unknown>
  const keys = Object.keys(o)
  if (keys.length === 1 && keys[0] === SERVER_DATE) {
    const spec = normalize(o[SERVER_DATE], now) as { offset?: unknown } | null
    const offset = Number(spec?.offset ?? 0)
    if (!Number.isFinite(offset)) throw invalidParam('serverDate offset must be a number')
    return new Date(now + offset)
  }
  for (const k of keys) o[k] = normalize(o[k], now)
  return o
}

/** Parse one canonical EJSON string from the wire. */
export function parseWire(text: unknown, what: string, now: number): unknown {
  if (typeof text !== 'string') throw invalidParam(`${what} must be an EJSON string`)
  let raw: unknown
  try {
    raw = EJSON.parse(text, { relaxed: false })
  } catch (e) {
    if (e instanceof EmulatorError) throw e
    throw invalidParam(`${what} is not valid Extended JSON: ${(e as Error).message}`)
  }
  return normalize(raw, now)
}

/** Parse an EJSON string that must hold an object (query, update, document). */
export function parseWireObject(text: unknown, what: string, now: number): Doc {
  const v = parseWire(text, what, now)
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Date || v instanceof RegExp)
    throw invalidParam(`${what} must be an object`)
  return v as Doc
}

/** A document as the cloud answers it: a canonical EJSON string. */
export function toWire(doc: unknown): string {
  return EJSON.stringify(doc as Doc, { relaxed: false })
}

// ---------------------------------------------------------------------------
// Storage encoding

function storageReplacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key]
  if (raw instanceof Date) return { $date: { $numberLong: String(raw.getTime()) } }
  if (typeof raw === 'number' && !Number.isFinite(raw)) return { $numberDouble: String(raw) }
  if (raw instanceof RegExp) return { $regularExpression: { pattern: raw.source, options: raw.flags } }
  if (raw !== null && typeof raw === 'object' && bsonType(raw)) return EJSON.serialize(raw as Doc, { relaxed: false })
  return value
}

export function encodeStored(value: unknown): string {
  return JSON.stringify(value, storageReplacer)
}

function revive(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = revive(v[i])
    return v
  }
  const o = v as Record<string, unknown>
  let first: string | undefined
  for (const k in o) {
    first = k
    break
  }
  if (first !== undefined && first.charCodeAt(0) === 36 /* $ */) {
    // Fast path for the wrapper written for every Date (see storageReplacer).
    const d = o.$date as { $numberLong?: unknown } | undefined
    if (first === '$date' && d && typeof d.$numberLong === 'string') return new Date(Number(d.$numberLong))
    return normalize(EJSON.deserialize(o, { relaxed: false }), Date.now())
  }
  for (const k in o) o[k] = revive(o[k])
  return o
}

export function decodeStored<T = unknown>(text: string): T {
  return revive(JSON.parse(text)) as T
}

// ---------------------------------------------------------------------------
// Ids and cloning

/** A new document id like CloudBase's: 32 lowercase hex characters. */
export function newDocId(): string {
  return randomBytes(16).toString('hex')
}

/**
 * Key of a value in index and id maps. Distinguishes types the way MongoDB
 * equality does (1 and "1" differ; 1 and 1.0 are the same number).
 */
export function valueKey(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return 's' + v
    case 'number':
      return 'n' + v
    case 'boolean':
      return v ? 'bt' : 'bf'
    case 'undefined':
      return 'z'
    case 'bigint':
      return 'n' + v.toString()
    default:
      break
  }
  if (v === null) return 'z'
  if (v instanceof Date) return 'd' + v.getTime()
  if (v instanceof RegExp) return 'r' + String(v)
  if (typeof v === 'object' && bsonType(v) === 'Long') return 'n' + (v as Long).toString()
  return 'o' + EJSON.stringify(v as Doc, { relaxed: false })
}

/** Scalars that index lookups can answer by equality. */
export function isIndexableScalar(v: unknown): boolean {
  const t = typeof v
  return t === 'string' || t === 'number' || t === 'boolean' || v instanceof Date
}

/** Deep copy of a stored document (plain objects, arrays, Dates, RegExps; BSON values are immutable and shared). */
export function deepClone<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v
  if (v instanceof Date) return new Date(v.getTime()) as T
  if (v instanceof RegExp) return new RegExp(v.source, v.flags) as T
  if (Array.isArray(v)) return v.map(deepClone) as T
  if (bsonType(v)) return v
  const out: Record<string, unknown> = {}
  for (const k in v as Record<string, unknown>) out[k] = deepClone((v as Record<string, unknown>)[k])
  return out as T
}

/**
 * A deep copy of a caller-supplied value as it would survive the wire: fields
 * holding undefined/functions/symbols are dropped, such array items become null.
 */
export function sanitize(v: unknown): unknown {
  if (v === null) return null
  const t = typeof v
  if (t === 'undefined' || t === 'function' || t === 'symbol') return undefined
  if (t !== 'object') return v
  if (v instanceof Date) return new Date(v.getTime())
  if (v instanceof RegExp) return new RegExp(v.source, v.flags)
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : sanitize(x) ?? null))
  if (bsonType(v as object)) return v
  const out: Record<string, unknown> = {}
  for (const k in v as Record<string, unknown>) {
    const x = sanitize((v as Record<string, unknown>)[k])
    if (x !== undefined) out[k] = x
  }
  return out
}
