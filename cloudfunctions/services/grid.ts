import { AppError, assertOrderable, effectiveHotline, OPEN_STATES, placeNames, type GridNode, type GridView, type Service, type ServiceView } from '../../src/core'
import type { Db, Deps } from '../shared/context'
import { toServiceView } from './views'

/**
 * The grid of a signboard code, or a clear refusal. A code the grid had before it was moved
 * (formerCodes) still finds it: old signboards keep working. Codes are never reused, so a
 * code is current or former for at most one grid. One round trip (two for a deactivated
 * grid: its refusal names the station and hotline to turn to).
 */
export async function findOrderableGrid(db: Db, code: string): Promise<GridNode> {
  const found = await gridByCode(db, code)
  if (found && !found.active) await refuseInactive(db, found)
  return assertOrderable(found, code)
}

async function gridByCode(db: Db, code: string): Promise<GridNode | undefined> {
  const _ = db.command
  const res = await db
    .collection('grids')
    .where(_.or([{ code }, { formerCodes: code }]))
    .limit(1)
    .get()
  return res.data[0] as GridNode | undefined
}

/**
 * A deactivated signboard says where to go instead: the nearest active village or township
 * above it and the hotline in effect there. One more round trip, on this path only.
 */
async function refuseInactive(db: Db, grid: GridNode): Promise<never> {
  const ids = grid.path.slice(0, -1)
  const chain = (await db.collection('grids').where({ _id: db.command.in(ids) }).limit(ids.length).get()).data as GridNode[]
  const byId = new Map(chain.map((n) => [n._id, n]))
  const station = [...ids].reverse().map((id) => byId.get(id)).find((n) => n && n.active && n.level !== 'grid' && n.level !== 'county')
  const hotline = effectiveHotline(ids, chain)
  throw new AppError(
    'GRID_INACTIVE',
    `网格「${grid.name}」已停用，不再接单。请联系${station?.name ?? '所在村'}新时代文明实践${station?.level === 'township' ? '所' : '站'}${hotline ? `，服务热线 ${hotline}` : ''}`,
  )
}

/**
 * The scan landing. Round trips: the grid (1), then its open orders and (when it has no
 * hotline of its own) its ancestors for the inherited hotline, in parallel (1). The viewer's
 * own open orders carry their id (to open them); a neighbour's only what the list shows.
 */
export async function resolveGrid({ db, openId }: Deps, { code }: { code: string }): Promise<GridView> {
  const grid = await findOrderableGrid(db, code)
  const _ = db.command
  const ancestorIds = grid.path.slice(0, -1)
  const [open, chain] = await Promise.all([
    db
      .collection('orders')
      // disputes and people needing help (sensitive patrol reports) never show on the public landing
      .where({ gridId: grid._id, status: _.in([...OPEN_STATES]), sensitive: _.neq(true) })
      .orderBy('createdAt', 'desc')
      .limit(5)
      .field({ no: true, serviceName: true, status: true, createdAt: true, villagerId: true })
      .get(),
    grid.hotline || ancestorIds.length === 0
      ? Promise.resolve([] as GridNode[])
      : db
          .collection('grids')
          .where({ _id: _.in(ancestorIds) })
          .field({ hotline: true })
          .limit(ancestorIds.length)
          .get()
          .then((r) => r.data as GridNode[]),
  ])
  return {
    id: grid._id,
    code: grid.code,
    name: grid.name,
    level: grid.level,
    ...placeNames(grid),
    villageId: grid.path[2] ?? null,
    townshipId: grid.path[1] ?? null,
    hotline: grid.hotline || effectiveHotline(ancestorIds, chain),
    leaderName: grid.leaderName ?? null,
    openOrders: (open.data as any[]).map((o) => ({
      no: o.no,
      serviceName: o.serviceName,
      status: o.status,
      createdAt: new Date(o.createdAt).getTime(),
      ...(openId && o.villagerId === openId ? { id: o._id as string } : {}),
    })),
  }
}

// The catalogue changes rarely (county admins edit it in 服务清单); a function instance keeps
// it for a minute so placing an order costs no extra read. The editor's writes clear this
// instance's copy at once; other instances (other functions in the cloud) see them within the minute.
const CATALOGUE_TTL_MS = 60_000
let cache: { at: number; services: Service[] } | null = null

/** Every service, inactive ones too (old orders, the editor), in catalogue order. Round trips: 0 when cached, else 1. */
export async function allServices(db: Db, now: Date): Promise<Service[]> {
  if (cache && now.getTime() - cache.at < CATALOGUE_TTL_MS && now.getTime() >= cache.at) return cache.services
  // the editor keeps a county's catalogue within MAX_SERVICES (+ a margin for ones stopped earlier)
  const res = await db.collection('services').orderBy('sort', 'asc').orderBy('_id', 'asc').limit(1000).get()
  cache = { at: now.getTime(), services: res.data as Service[] }
  return cache.services
}

/** What can be ordered (and what signboards, the landing and the hotline form list). */
export async function activeServices(db: Db, now: Date): Promise<Service[]> {
  return (await allServices(db, now)).filter((s) => s.active)
}

export function clearCatalogueCache() {
  cache = null
}

export async function catalogue({ db, now }: Deps): Promise<ServiceView[]> {
  return (await activeServices(db, now())).map(toServiceView)
}
