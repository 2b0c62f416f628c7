import { z } from 'zod'
import { exportFiltersSchema, pointsExportFilters, volunteerExportFilters, EXPORT_FORMATS, EXPORT_KINDS, type ExportFormat, type ExportKind } from '@/core/exports'
import { decode } from '@/components/util'

/** What the form holds: the kind, the format, and each kind's filters (strings, as in page query params). */
export type ExportForm = {
  kind: ExportKind
  format: ExportFormat
  fullPhones: boolean
  orders: z.infer<typeof exportFiltersSchema>
  volunteers: z.infer<typeof volunteerExportFilters>
  points: z.infer<typeof pointsExportFilters>
}

/** Only the params that pass the schema: a link with one bad value still opens with the rest. */
function pick<T extends z.ZodObject>(schema: T, params: Record<string, string>): z.infer<T> {
  const out: Record<string, string> = {}
  for (const key of Object.keys(schema.shape)) {
    const v = params[key]
    if (v && (schema.shape as Record<string, z.ZodType>)[key].safeParse(v).success) out[key] = v
  }
  return out as z.infer<T>
}

/**
 * The form from the page's query: `kind`, `format` and the kind's filters — for orders the
 * dashboard's (`preset`, `from`, `to`, `status`, `category`, `source`, `nodeId`), for
 * volunteers `status`, for points `fromMonth`, `toMonth`. Other pages link here with them.
 */
export function formFromQuery(raw: Record<string, string | undefined>): ExportForm {
  const params: Record<string, string> = {}
  for (const [k, v] of Object.entries(raw)) if (typeof v === 'string' && v) params[k] = decode(v)
  const kind = (EXPORT_KINDS as readonly string[]).includes(params.kind) ? (params.kind as ExportKind) : 'orders'
  const format = (EXPORT_FORMATS as readonly string[]).includes(params.format) ? (params.format as ExportFormat) : 'xlsx'
  const orders = kind === 'orders' ? pick(exportFiltersSchema, params) : {}
  const volunteers = kind === 'volunteers' ? pick(volunteerExportFilters, params) : {}
  const points = kind === 'points' ? pick(pointsExportFilters, params) : {}
  return { kind, format, fullPhones: false, orders, volunteers, points }
}

/** The start's filters of the chosen kind, with the node (the form keeps it apart) filled in. */
export function filtersOf(f: ExportForm, nodeId: string | undefined) {
  const node = nodeId ? { nodeId } : {}
  if (f.kind === 'orders') return { ...f.orders, ...node }
  if (f.kind === 'volunteers') return { ...f.volunteers, ...node }
  return { ...f.points, ...node }
}
