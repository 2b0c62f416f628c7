import type { CatalogueItemView, CatalogueView } from '@/core/api'
import type { SaveServiceInput } from '@/core/catalogue'
import type { EmergencyNumber, FieldType } from '@/core/serviceFields'
import type { StageLimits } from '@/core/timeliness'

/** One extra question as the form edits it: options as typed (separated by 、 or commas). */
export type FieldDraft = { key: string; label: string; type: FieldType; options: string; required: boolean }

/** The open form: a new service (id null) or one being edited. */
export type FormDraft = {
  id: string | null
  name: string
  category: string
  description: string
  skill: string
  fields: FieldDraft[]
  emergency: boolean
  number: EmergencyNumber
  note: string
  sensitive: boolean
  ownLimits: boolean
  limits: StageLimits
  ownPoints: boolean
  /** NaN while the box is empty */
  points: number
}

export const splitOptions = (text: string) =>
  text
    .split(/[、,，;；\n]/)
    .map((o) => o.trim())
    .filter(Boolean)

export function draftOf(item: CatalogueItemView | null, view: CatalogueView): FormDraft {
  return {
    id: item?.id ?? null,
    name: item?.name ?? '',
    category: item?.category ?? '',
    description: item?.description ?? '',
    skill: item?.skill ?? '',
    fields: (item?.fields ?? []).map((f) => ({ key: f.key, label: f.label, type: f.type, options: (f.options ?? []).join('、'), required: f.required })),
    emergency: !!item?.emergency,
    number: item?.emergency?.number ?? '119',
    note: item?.emergency?.note ?? '',
    sensitive: item?.sensitive ?? false,
    ownLimits: !!item?.limits,
    limits: item?.limits ?? view.defaults,
    ownPoints: item?.basePoints != null,
    points: item?.basePoints ?? item?.pointsNow ?? 5,
  }
}

/**
 * What 保存 sends: the service, and its limits and base points only when they changed (each with
 * the version the edit started from). A stopped service carries neither.
 */
export function inputOf(d: FormDraft, view: CatalogueView): SaveServiceInput {
  const item = view.services.find((s) => s.id === d.id) ?? null
  const input: SaveServiceInput = {
    ...(d.id ? { id: d.id } : {}),
    service: {
      name: d.name.trim(),
      category: d.category.trim(),
      description: d.description.trim(),
      skill: d.skill as SaveServiceInput['service']['skill'],
      fields: d.fields.map((f) => ({ key: f.key, label: f.label.trim(), type: f.type, required: f.required, ...(f.type === 'select' ? { options: splitOptions(f.options) } : {}) })),
      emergency: d.emergency ? { number: d.number, note: d.note.trim() } : null,
      sensitive: d.sensitive,
    },
  }
  if (item && !item.active) return input
  const limits = d.ownLimits ? d.limits : null
  if (JSON.stringify(limits) !== JSON.stringify(item?.limits ?? null)) Object.assign(input, { limits, timelinessBase: view.timelinessBase })
  const points = d.ownPoints ? d.points : null
  if (points !== (item?.basePoints ?? null)) Object.assign(input, { basePoints: points, pointsVersion: view.pointsVersion })
  return input
}

/** Nothing to save: the form says what the view already has. */
export function unchanged(d: FormDraft | null, view: CatalogueView): boolean {
  if (!d) return true
  const item = view.services.find((s) => s.id === d.id) ?? null
  return JSON.stringify(draftOf(item, view)) === JSON.stringify(d)
}
