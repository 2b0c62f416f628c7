// Open311 GeoReport v2, read only: services.json, requests.json, requests/<id>.json.
// Anonymous and public: what leaves is the whitelist of src/core/open311.ts (no person, no
// description), and sensitive services are left out with their orders. Every query is on an
// index (orders: serviceId, status, createdAt) and limited to one page.
import {
  isPublicService,
  open311Error,
  open311IdSchema,
  open311RequestsQuery,
  open311Route,
  OPEN311_ORDER_FIELDS,
  PATROL_KINDS,
  patrolService,
  statesFor,
  toOpen311Request,
  toOpen311Services,
  type Order,
} from '../../src/core'
import type { Db } from '../shared/context'
import { allServices } from './grid'

export type Open311Request = { method: string; path: string; query: Record<string, string> }
export type Open311Answer = { status: number; body: unknown }

const FIELDS = Object.fromEntries(OPEN311_ORDER_FIELDS.map((f) => [f, true]))

/**
 * One GeoReport call. Round trips: services.json — the catalogue (cached: usually none);
 * requests.json — the catalogue and one page of orders; requests/<id>.json — the catalogue and one order.
 */
export async function answerOpen311(db: Db, req: Open311Request, now: Date): Promise<Open311Answer> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return { status: 405, body: open311Error(405, 'only GET is supported') }
  const route = open311Route(req.path)
  if (!route) return { status: 404, body: open311Error(404, 'unknown resource: use /open311/v2/services.json, requests.json or requests/<id>.json') }
  // patrol reports (网格上报) are filed under a service per kind; sensitive kinds stay out like sensitive services
  const services = [...(await allServices(db, now)), ...PATROL_KINDS.map(patrolService)]
  const publicIds = services.filter(isPublicService).map((s) => s._id)

  if (route.kind === 'services') return { status: 200, body: toOpen311Services(services) }

  if (route.kind === 'request') {
    const id = open311IdSchema.safeParse(route.id)
    const order = id.success ? ((await db.collection('orders').doc(id.data).field(FIELDS).get()).data[0] as Order | undefined) : undefined
    if (!order || !publicIds.includes(order.serviceId) || order.sensitive) return { status: 404, body: open311Error(404, `service request ${route.id} not found`) }
    return { status: 200, body: [toOpen311Request(order)] }
  }

  const parsed = open311RequestsQuery.safeParse(req.query)
  if (!parsed.success) return { status: 400, body: open311Error(400, parsed.error.issues[0]?.message ?? 'invalid parameters') }
  const q = parsed.data
  const codes = q.service_code ? q.service_code.filter((c) => publicIds.includes(c)) : publicIds
  if (codes.length === 0) return { status: 200, body: [] }
  const _ = db.command
  const states = statesFor(q.status)
  const conds: Record<string, unknown>[] = [{ serviceId: codes.length === 1 ? codes[0] : _.in(codes) }]
  if (states) conds.push({ status: _.in(states) })
  if (q.start_date) conds.push({ createdAt: _.gte(q.start_date) })
  if (q.end_date) conds.push({ createdAt: _.lte(q.end_date) })
  const res = await db
    .collection('orders')
    .where(_.and(conds))
    .orderBy('createdAt', 'desc')
    .orderBy('_id', 'desc')
    .skip((q.page - 1) * q.page_size)
    .limit(q.page_size)
    .field(FIELDS)
    .get()
  return { status: 200, body: (res.data as Order[]).map(toOpen311Request) }
}
