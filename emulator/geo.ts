// Geo queries as CloudBase offers them (db.command.geoNear / geoWithin /
// geoIntersects, aggregate().geoNear()), over the GeoJSON the SDK stores for
// db.Geo.Point / Polygon / MultiPolygon ({ type, coordinates }, longitude first).
// The SDK sends geoNear as MongoDB's $nearSphere. All geometry is @turf's.
import { booleanIntersects } from '@turf/boolean-intersects'
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon'
import { booleanWithin } from '@turf/boolean-within'
import { distance } from '@turf/distance'
import type { Geometry, Point, Polygon, MultiPolygon, Position } from 'geojson'
import type { Doc } from './codec'
import { invalidParam } from './errors'

const GEOMETRY_TYPES = new Set(['Point', 'LineString', 'Polygon', 'MultiPoint', 'MultiLineString', 'MultiPolygon'])

/** A GeoJSON geometry as the SDK serialises it, or null. */
export function asGeometry(v: unknown): Geometry | null {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null
  const g = v as { type?: unknown; coordinates?: unknown }
  return typeof g.type === 'string' && GEOMETRY_TYPES.has(g.type) && Array.isArray(g.coordinates) ? (v as Geometry) : null
}

function requireGeometry(v: unknown, what: string): Geometry {
  const g = asGeometry(v)
  if (!g) throw invalidParam(`${what} must be a GeoJSON geometry (db.Geo.Point, db.Geo.Polygon...)`)
  return g
}

/** A point given as GeoJSON or as a legacy [longitude, latitude] pair. */
function requirePoint(v: unknown, what: string): Position {
  if (Array.isArray(v) && v.length === 2 && v.every((n) => typeof n === 'number')) return v as Position
  const g = asGeometry(v)
  if (!g || g.type !== 'Point') throw invalidParam(`${what} must be a db.Geo.Point`)
  return (g as Point).coordinates
}

function optionalMetres(v: unknown, what: string): number | undefined {
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'number' || !(v >= 0)) throw invalidParam(`${what} must be a non-negative number of metres`)
  return v
}

/** Every geometry stored at a resolved field value (a field may hold a list of them). */
function geometriesOf(value: unknown): Geometry[] {
  const g = asGeometry(value)
  if (g) return [g]
  return Array.isArray(value) ? value.map(asGeometry).filter((x): x is Geometry => x !== null) : []
}

/** Great-circle distance in metres from `from` to a stored point; null for other geometries. */
export function metresTo(from: Position, value: unknown): number | null {
  let best: number | null = null
  for (const g of geometriesOf(value)) {
    if (g.type !== 'Point') continue
    const d = distance(from, g.coordinates, { units: 'meters' })
    if (best === null || d < best) best = d
  }
  return best
}

export type NearSpec = { point: Position; min?: number; max?: number }

/** The operand of $nearSphere / $near: { $geometry, $maxDistance, $minDistance } in metres. */
export function parseNear(value: unknown): NearSpec {
  if (value === null || typeof value !== 'object') throw invalidParam('geoNear needs { geometry, maxDistance, minDistance }')
  const v = value as Doc
  return {
    point: requirePoint(v.$geometry, 'geoNear geometry'),
    max: optionalMetres(v.$maxDistance, 'geoNear maxDistance'),
    min: optionalMetres(v.$minDistance, 'geoNear minDistance'),
  }
}

export function withinRange(d: number | null, spec: { min?: number; max?: number }): d is number {
  return d !== null && (spec.min === undefined || d >= spec.min) && (spec.max === undefined || d <= spec.max)
}

/** Whether a stored geometry lies inside `area` (a Polygon or MultiPolygon). */
function within(g: Geometry, area: Polygon | MultiPolygon): boolean {
  return g.type === 'Point' ? booleanPointInPolygon(g.coordinates, area) : booleanWithin(g, area)
}

const EARTH_RADIUS_M = 6378100

/**
 * Predicate of $geoWithin: { $geometry: Polygon | MultiPolygon } or, as the SDK
 * also sends, { $centerSphere: [[lng, lat], radiusInRadians] } (points only).
 */
export function geoWithinTest(value: unknown): (fieldValue: unknown) => boolean {
  const v = (value ?? {}) as Doc
  if (v.$centerSphere !== undefined) {
    const cs = v.$centerSphere
    if (!Array.isArray(cs) || cs.length !== 2 || typeof cs[1] !== 'number') throw invalidParam('centerSphere must be [point, radius in radians]')
    const center = requirePoint(cs[0], 'centerSphere centre')
    const max = cs[1] * EARTH_RADIUS_M
    return (fieldValue) => withinRange(metresTo(center, fieldValue), { max })
  }
  const area = requireGeometry(v.$geometry, 'geoWithin geometry')
  if (area.type !== 'Polygon' && area.type !== 'MultiPolygon') throw invalidParam('geoWithin geometry must be a Polygon or a MultiPolygon')
  return (fieldValue) => geometriesOf(fieldValue).some((g) => within(g, area))
}

/** Predicate of $geoIntersects: { $geometry }. */
export function geoIntersectsTest(value: unknown): (fieldValue: unknown) => boolean {
  const shape = requireGeometry(((value ?? {}) as Doc).$geometry, 'geoIntersects geometry')
  return (fieldValue) => geometriesOf(fieldValue).some((g) => booleanIntersects(g, shape))
}

export type GeoNearStage = NearSpec & { distanceField: string; key?: string; query?: Doc; multiplier: number; includeLocs?: string }

/** The options of the aggregate $geoNear stage (MongoDB's names; distances in metres). */
export function parseGeoNearStage(value: unknown): GeoNearStage {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalidParam('$geoNear needs an options object')
  const v = value as Doc
  if (typeof v.distanceField !== 'string' || !v.distanceField) throw invalidParam('$geoNear requires distanceField')
  if (v.key !== undefined && typeof v.key !== 'string') throw invalidParam('$geoNear key must be a field name')
  if (v.query !== undefined && (v.query === null || typeof v.query !== 'object')) throw invalidParam('$geoNear query must be an object')
  const multiplier = v.distanceMultiplier ?? 1
  if (typeof multiplier !== 'number') throw invalidParam('$geoNear distanceMultiplier must be a number')
  return {
    point: requirePoint(v.near, '$geoNear near'),
    max: optionalMetres(v.maxDistance, '$geoNear maxDistance'),
    min: optionalMetres(v.minDistance, '$geoNear minDistance'),
    distanceField: v.distanceField,
    key: v.key as string | undefined,
    query: v.query as Doc | undefined,
    multiplier,
    includeLocs: typeof v.includeLocs === 'string' ? v.includeLocs : undefined,
  }
}
