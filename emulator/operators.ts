// Operators where CloudBase (MongoDB) and mingo disagree, or that mingo lacks.
// Each is a small mingo operator registered in engine.ts's context; the
// semantics they follow are MongoDB's, which CloudBase's database runs on.
import { Query } from 'mingo'
import type { Doc } from './codec'
import { EmulatorError, ErrorCode, invalidParam } from './errors'
import { geoIntersectsTest, geoWithinTest, metresTo, parseNear, withinRange } from './geo'

type Options = NonNullable<ConstructorParameters<typeof Query>[1]>
type QueryOp = (selector: string, value: unknown, options: Options) => (obj: Doc) => boolean
type ExpressionOp = (obj: Doc, expr: unknown, options: Options) => unknown

// Untyped subpath modules (see engine.ts).
const mingoCore = require('mingo/core') as { computeValue(obj: unknown, expr: unknown, op: string | null, options: Options): unknown }
const mingoUtil = require('mingo/util') as { resolve(obj: object, selector: string, opts?: { unwrapArray?: boolean }): unknown }
const queryOps = require('mingo/operators/query') as Record<string, QueryOp>
const dateOps = require('mingo/operators/expression/date') as Record<string, ExpressionOp>

export function unsupported(what: string): EmulatorError {
  return new EmulatorError(ErrorCode.INVALID_PARAM, `unsupported operator ${what}: the CloudBase emulator does not implement it`)
}

/**
 * Operators CloudBase rejects or the emulator cannot run. They are refused
 * before anything runs, so an empty collection answers the same error as a
 * full one (mingo would only fail once it evaluates a document).
 */
const UNSUPPORTED = new Set(['$jsonSchema', '$text', '$meta', '$where', '$function', '$accumulator', '$near', '$search', '$indexStats', '$collStats', '$currentOp', '$listSessions', '$planCacheStats', '$changeStream'])

/** Throw the "unsupported" error for the first unsupported operator anywhere in `value`. */
export function rejectUnsupported(value: unknown): void {
  if (value === null || typeof value !== 'object') return
  if (Array.isArray(value)) return value.forEach(rejectUnsupported)
  if (Object.getPrototypeOf(value) !== Object.prototype) return
  for (const [k, v] of Object.entries(value)) {
    if (k === '$literal') continue
    if (UNSUPPORTED.has(k)) throw unsupported(k)
    rejectUnsupported(v)
  }
}

const isPlainDoc = (v: unknown): boolean => v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype

/**
 * $elemMatch. With field conditions ({ value: { $gt: 0 } }) MongoDB only tests
 * embedded documents: a plain value has no fields, so [1, 2, 9] never matches
 * (mingo wraps each value and lets `$exists`/`$gt` see it). With operator-only
 * conditions ({ $gt: 5 }) the values themselves are tested: mingo does that.
 */
const $elemMatch: QueryOp = (selector, value, options) => {
  const spec = (value ?? {}) as Doc
  const operatorOnly = Object.keys(spec).every((k) => k.startsWith('$') && !['$and', '$or', '$nor'].includes(k))
  if (operatorOnly) return queryOps.$elemMatch(selector, value, options)
  const query = new Query(spec, options)
  return (obj) => {
    const list = mingoUtil.resolve(obj, selector, { unwrapArray: true })
    return Array.isArray(list) && list.some((el) => isPlainDoc(el) && query.test(el as Doc))
  }
}

/** A query operator that tests the value at `selector` with `test`. */
const fieldTest =
  (make: (value: unknown) => (fieldValue: unknown) => boolean): QueryOp =>
  (selector, value) => {
    const test = make(value)
    return (obj) => test(mingoUtil.resolve(obj, selector))
  }

/** geoNear: the SDK's `_.geoNear({ geometry, maxDistance, minDistance })`. Ordering by distance is find()'s job. */
const $nearSphere = fieldTest((value) => {
  const spec = parseNear(value)
  return (fieldValue) => withinRange(metresTo(spec.point, fieldValue), spec)
})

const args = (obj: Doc, expr: unknown, options: Options, op: string): unknown[] => {
  const v = mingoCore.computeValue(obj, expr, null, options)
  if (!Array.isArray(v)) throw invalidParam(`${op} takes an array of arguments`)
  return v
}

/**
 * $week: weeks start on Sunday; days before the year's first Sunday are week 0
 * (MongoDB, like strftime's %U). Built on mingo's $dayOfYear / $dayOfWeek so
 * the { date, timezone } form keeps working.
 */
const $week: ExpressionOp = (obj, expr, options) => {
  const dayOfYear = dateOps.$dayOfYear(obj, expr, options) as number | null
  const dayOfWeek = dateOps.$dayOfWeek(obj, expr, options) as number | null
  if (dayOfYear === null || dayOfWeek === null || dayOfYear === undefined || dayOfWeek === undefined) return null
  return Math.floor((dayOfYear - dayOfWeek + 7) / 7)
}

/**
 * $substrBytes over UTF-8 bytes (MongoDB): a negative length means "to the end
 * of the string", and a range may not cut a character in half. mingo's own
 * cannot reach the end of the string at all.
 */
const $substrBytes: ExpressionOp = (obj, expr, options) => {
  const [s, start, count] = args(obj, expr, options, '$substrBytes')
  if (s === null || s === undefined) return ''
  if (typeof s !== 'string' || typeof start !== 'number' || typeof count !== 'number' || start < 0)
    throw invalidParam('$substrBytes needs a string, a non-negative byte index and a byte count')
  const bytes = Buffer.from(s, 'utf8')
  const end = count < 0 ? bytes.length : Math.min(start + count, bytes.length)
  const from = Math.min(start, bytes.length)
  const isContinuation = (i: number) => i < bytes.length && (bytes[i] & 0xc0) === 0x80
  if (isContinuation(from) || isContinuation(end)) throw invalidParam('$substrBytes: the range starts or ends inside a UTF-8 character')
  return bytes.subarray(from, end).toString('utf8')
}

/** $indexOfCP: code-point index of a substring, -1 when absent, null for a null string (MongoDB). */
const $indexOfCP: ExpressionOp = (obj, expr, options) => {
  const [s, sub, start = 0, end] = args(obj, expr, options, '$indexOfCP')
  if (s === null || s === undefined) return null
  if (typeof s !== 'string' || typeof sub !== 'string') throw invalidParam('$indexOfCP needs a string and a substring')
  if (typeof start !== 'number' || start < 0 || (end !== undefined && (typeof end !== 'number' || end < 0)))
    throw invalidParam('$indexOfCP start and end must be non-negative numbers')
  const chars = Array.from(s)
  const needle = Array.from(sub)
  const last = Math.min(end === undefined ? chars.length : (end as number), chars.length) - needle.length
  for (let i = start; i <= last; i++) if (needle.every((c, j) => chars[i + j] === c)) return i
  return -1
}

export const queryOverrides: Record<string, QueryOp> = {
  $elemMatch,
  $nearSphere,
  $geoWithin: fieldTest(geoWithinTest),
  $geoIntersects: fieldTest(geoIntersectsTest),
}

export const expressionOverrides: Record<string, ExpressionOp> = {
  $week,
  $substrBytes,
  $indexOfCP,
}
