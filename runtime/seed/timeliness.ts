import { DEFAULT_TIMELINESS, URGENT_LIMITS, type GridNode, type Service, type TimelinessSettings } from '../../src/core'
/** The county's time limits: the defaults (12345 practice), safety hazards urgent (round the clock). */
export function timelinessSeed(grids: GridNode[], services: Service[]) {
  const county = grids.find((g) => g.level === 'county')!
  const urgent = services.filter((s) => s.category === '安全隐患' && s.name === '隐患上报')
  const settings: TimelinessSettings = { ...DEFAULT_TIMELINESS, services: Object.fromEntries(urgent.map((s) => [s._id, URGENT_LIMITS])) }
  return { _id: `timeliness_${county._id}`, settings, updatedAt: null, updatedBy: null, updatedByName: null }
}
