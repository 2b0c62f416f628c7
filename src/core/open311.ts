// Open311 GeoReport v2 (read only): the catalogue as `services`, orders as `requests`, so other
// government systems can read what is ordered where. Location is the grid: its code (address_id)
// and place names (address). Nothing personal ever leaves: no names, phones, descriptions, comments,
// photos, reasons or ids of people; services marked sensitive (disputes, people needing help) and
// their orders are left out entirely. Pure: no I/O.
import { z } from 'zod'
import dayjs from 'dayjs'
import { OPEN_STATES, STATE_LABEL, TERMINAL_STATES, type Order, type OrderState } from './order'
import type { Service } from './schemas'
import { toLocal, ZONE } from './time'

export type Open311Service = {
  service_code: string
  service_name: string
  description: string
  metadata: false
  type: 'realtime'
  keywords: string
  group: string
}

export type Open311Request = {
  service_request_id: string
  status: 'open' | 'closed'
  status_notes: string
  service_name: string
  service_code: string
  agency_responsible: string
  requested_datetime: string
  updated_datetime: string
  expected_datetime: string | null
  address: string
  address_id: string
}

/** Services whose orders may be published: not marked sensitive. */
export const isPublicService = (s: Pick<Service, 'sensitive'>) => s.sensitive !== true

/** The `services` list: active, public services that can be ordered (emergency ones are phoned, not ordered). */
export function toOpen311Services(all: readonly Service[]): Open311Service[] {
  return all
    .filter((s) => s.active && isPublicService(s) && !s.emergency)
    .map((s) => ({
      service_code: s._id,
      service_name: s.name,
      description: s.description ?? '',
      metadata: false,
      type: 'realtime',
      keywords: s.skill ?? '',
      group: s.category,
    }))
}

/** W3C date-time with the Shanghai offset, e.g. 2026-11-10T10:00:00+08:00 */
export const w3c = (t: Date | number | string) => toLocal(new Date(t)).format('YYYY-MM-DDTHH:mm:ssZ')

export const open311Status = (s: OrderState): 'open' | 'closed' => (OPEN_STATES.includes(s) ? 'open' : 'closed')

/** Who holds the order, as an office (never a person): the village station, or the township once escalated. */
function agencyOf(o: Pick<Order, 'status' | 'villageName' | 'townshipName' | 'history'>): string {
  const escalated = o.status === 'escalated' || o.history.some((h) => h.action === 'escalate' || h.action === 'autoEscalate')
  return escalated ? `${o.townshipName}新时代文明实践所` : `${o.villageName}新时代文明实践站`
}

/** One order as a GeoReport request: the whitelist of what may be published. */
export function toOpen311Request(o: Order): Open311Request {
  const due = o.clock && OPEN_STATES.includes(o.status) ? o.clock.dueAt : null
  return {
    service_request_id: o._id,
    status: open311Status(o.status),
    status_notes: STATE_LABEL[o.status] ?? o.status,
    service_name: o.serviceName,
    service_code: o.serviceId,
    agency_responsible: agencyOf(o),
    requested_datetime: w3c(o.createdAt),
    updated_datetime: w3c(o.updatedAt),
    expected_datetime: due ? w3c(due) : null,
    address: `${o.townshipName}${o.villageName}${o.gridName}`,
    address_id: o.gridCode,
  }
}

/** The order fields the mapping reads: queries fetch these and nothing else. */
export const OPEN311_ORDER_FIELDS = ['_id', 'status', 'serviceId', 'serviceName', 'villageName', 'townshipName', 'gridName', 'gridCode', 'history.action', 'clock.dueAt', 'createdAt', 'updatedAt', 'sensitive'] as const

export const OPEN311_MAX_PAGE = 100
export const OPEN311_MAX_SPAN_DAYS = 90

const dateParam = (name: string) =>
  z
    .string()
    .trim()
    .refine((v) => /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(v) && dayjs(v).isValid(), `${name} must be a W3C date-time, e.g. 2026-11-01T00:00:00+08:00`)
    // a date or a time without an offset is Shanghai time
    .transform((v) => (/(Z|[+-]\d{2}:\d{2})$/.test(v) ? new Date(v) : dayjs.tz(v.length === 10 ? `${v} 00:00` : v, ZONE).toDate()))
const intParam = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,4}$/, `${name} must be a whole number`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${name} must be between ${min} and ${max}`)
const listParam = <T extends string>(name: string, item: z.ZodType<T, string>) =>
  z
    .string()
    .transform((v) => v.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(item).min(1, `${name} is empty`).max(20, `${name}: at most 20 values`))

/** GET requests.json query parameters (strings, as a query string gives them). Messages are for programs: English, as the spec is. */
export const open311RequestsQuery = z
  .object({
    service_code: listParam('service_code', z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'service_code is not a valid code')).optional(),
    status: listParam('status', z.enum(['open', 'closed'], { error: 'status must be open or closed' })).optional(),
    start_date: dateParam('start_date').optional(),
    end_date: dateParam('end_date').optional(),
    page: intParam('page', 1, OPEN311_MAX_PAGE).default(1),
    page_size: intParam('page_size', 1, 100).default(50),
  })
  .refine((q) => !q.start_date || !q.end_date || q.start_date.getTime() <= q.end_date.getTime(), { message: 'start_date must not be after end_date', path: ['end_date'] })
  .refine((q) => !q.start_date || !q.end_date || q.end_date.getTime() - q.start_date.getTime() <= OPEN311_MAX_SPAN_DAYS * 86_400_000, {
    message: `start_date and end_date may not span more than ${OPEN311_MAX_SPAN_DAYS} days`,
    path: ['end_date'],
  })
export type Open311RequestsQuery = z.output<typeof open311RequestsQuery>

/** States an Open311 status filter stands for. */
export function statesFor(status: readonly ('open' | 'closed')[] | undefined): OrderState[] | null {
  if (!status || status.length === 2 || new Set(status).size === 2) return null
  return status[0] === 'open' ? [...OPEN_STATES] : [...TERMINAL_STATES]
}

/** A request id in a path: an order id (hex) — anything else is unknown. */
export const open311IdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)

export type Open311Route = { kind: 'services' } | { kind: 'requests' } | { kind: 'request'; id: string } | null

/** Which resource a path names (…/v2/services.json, …/v2/requests.json, …/v2/requests/<id>.json), or null. */
export function open311Route(path: string): Open311Route {
  const m = /\/v2\/(services\.json|requests\.json|requests\/([^/]+)\.json)$/.exec(path)
  if (!m) return null
  if (m[1] === 'services.json') return { kind: 'services' }
  if (m[1] === 'requests.json') return { kind: 'requests' }
  let id: string
  try {
    id = decodeURIComponent(m[2])
  } catch {
    return null
  }
  return { kind: 'request', id }
}

/** An Open311 error body: a list of { code, description } as the spec has it. */
export const open311Error = (code: number, description: string) => [{ code, description }]

/** Query-string parameters as an object (the last value of a repeated key wins). */
export function queryParams(search: string | Record<string, unknown> | null | undefined): Record<string, string> {
  if (!search) return {}
  if (typeof search !== 'string') return Object.fromEntries(Object.entries(search).filter(([, v]) => typeof v === 'string')) as Record<string, string>
  return Object.fromEntries(new URLSearchParams(search.replace(/^\?/, '')))
}
