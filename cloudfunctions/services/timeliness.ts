// The county's time limits, reminder share, follow-up times and working calendar:
// one document per county (`settings/timeliness_<countyId>`), read through a short
// cache so that a transition costs no extra round trip.
import {
  countyGrantOf,
  AppError,
  DEFAULT_TIMELINESS,
  timelinessSettingsSchema,
  WorkCalendar,
  type GridNode,
  type Service,
  type TimelinessSettings,
  type TimelinessView,
} from '../../src/core'
import { CHINA_CALENDAR } from '../shared/chinaCalendar'
import type { Db, Deps } from '../shared/context'
import { activeServices } from './grid'

export type Timeliness = { settings: TimelinessSettings; calendar: WorkCalendar }

const docId = (countyId: string) => `timeliness_${countyId}`
/** Settings change rarely; another function instance sees a change within this time. */
const TTL_MS = 60_000
const cache = new Map<string, { at: number; value: Timeliness }>()

export function timelinessOf(settings: TimelinessSettings): Timeliness {
  return { settings, calendar: new WorkCalendar(CHINA_CALENDAR, settings.calendar, settings.workHours) }
}

async function readSettings(db: Db, countyId: string): Promise<{ settings: TimelinessSettings; updatedAt: Date | null; updatedBy: string | null }> {
  const doc = (await db.collection('settings').doc(docId(countyId)).get()).data[0] as
    | { settings: unknown; updatedAt?: Date; updatedByName?: string }
    | undefined
  const parsed = doc ? timelinessSettingsSchema.safeParse(doc.settings) : null
  if (parsed && !parsed.success) console.error('[timeliness] stored settings are invalid; using defaults', countyId, parsed.error.issues[0])
  return {
    settings: parsed?.success ? parsed.data : DEFAULT_TIMELINESS,
    updatedAt: doc?.updatedAt ?? null,
    updatedBy: doc?.updatedByName ?? null,
  }
}

/** The county's clock rules. Round trips: 0 when cached, else 1. */
export async function loadTimeliness(db: Db, countyId: string, nowMs = Date.now()): Promise<Timeliness> {
  const hit = cache.get(countyId)
  if (hit && nowMs - hit.at < TTL_MS && nowMs >= hit.at) return hit.value
  const value = timelinessOf((await readSettings(db, countyId)).settings)
  cache.set(countyId, { at: nowMs, value })
  return value
}

async function countyFor(deps: Deps, countyId: string | undefined) {
  const caller = await deps.caller()
  const grant = countyGrantOf(caller, countyId)
  if (!grant) throw new AppError('FORBIDDEN', '只有本县的县级管理员可以设置办理时限')
  const node = (await deps.db.collection('grids').doc(grant.nodeId).get()).data[0] as GridNode | undefined
  if (!node) throw new AppError('NOT_FOUND', '没有找到本县的网格数据')
  return { caller, node }
}

type Stored = Awaited<ReturnType<typeof readSettings>>

function toView(node: GridNode, { settings, updatedAt, updatedBy }: Stored, services: Service[]): TimelinessView {
  return {
    countyId: node._id,
    countyName: node.name,
    settings,
    services: services.map((s) => ({ id: s._id, name: s.name, category: s.category })),
    nationalYears: [...(CHINA_CALENDAR.years ?? [])],
    updatedAt: updatedAt ? new Date(updatedAt).getTime() : null,
    updatedBy,
  }
}

/** The county's settings as the admin page edits them. Round trips: caller, county node, settings + catalogue (at once). */
export async function getTimeliness(deps: Deps, input: { countyId?: string }): Promise<TimelinessView> {
  const { node } = await countyFor(deps, input.countyId)
  const [stored, services] = await Promise.all([readSettings(deps.db, node._id), activeServices(deps.db, deps.now())])
  return toView(node, stored, services)
}

/** Save the county's settings (whole document). New limits apply to stages that start from now on. */
export async function saveTimeliness(
  deps: Deps,
  input: { countyId?: string; settings: TimelinessSettings; baseUpdatedAt?: number | null },
): Promise<TimelinessView> {
  const { caller, node } = await countyFor(deps, input.countyId)
  const [services, current] = await Promise.all([activeServices(deps.db, deps.now()), readSettings(deps.db, node._id)])
  const now = deps.now()
  const unknown = Object.keys(input.settings.services).filter((id) => !services.some((s) => s._id === id))
  if (unknown.length) throw new AppError('VALIDATION', '时限设置里有不存在或已下架的服务，请刷新后重试')
  const stored = current.updatedAt ? new Date(current.updatedAt).getTime() : null
  if (input.baseUpdatedAt !== undefined && input.baseUpdatedAt !== stored) {
    throw new AppError('CONFLICT', `${current.updatedBy ?? '其他管理员'}刚刚修改了设置，请刷新后再改`)
  }
  // the check above and this write are two steps: two saves in the same instant can still both land (last wins)
  await deps.db
    .collection('settings')
    .doc(docId(node._id))
    .set({ settings: input.settings, updatedAt: now, updatedBy: caller.openId, updatedByName: caller.name })
  cache.delete(node._id)
  // what was just written: no read back
  return toView(node, { settings: input.settings, updatedAt: now, updatedBy: caller.name }, services)
}
