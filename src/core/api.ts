import { z } from 'zod'
import { gridCodeSchema } from './grid'
import { idSchema, type Role } from './schemas'
import { listQueryInput, placeOrderInput, type HistoryEntry, type OrderState } from './order'

/**
 * The contract between the app and the cloud functions: which function serves
 * which action, and the schema its input must pass. Functions are grouped by
 * domain (fewer functions, fewer cold starts). An event is `{ action, data }`.
 */
export const API = {
  grid: {
    resolve: z.object({ code: gridCodeSchema }),
    catalogue: z.object({}),
  },
  order: {
    place: placeOrderInput,
    mine: listQueryInput,
    detail: z.object({ id: idSchema }),
    incoming: listQueryInput.extend({ nodeId: idSchema.optional() }),
  },
  user: {
    me: z.object({}),
  },
} as const

export type FunctionName = keyof typeof API
export type ActionName<F extends FunctionName> = keyof (typeof API)[F] & string
export type ActionInput<F extends FunctionName, A extends ActionName<F>> = z.input<(typeof API)[F][A] & z.ZodType>

// ---------- what the app gets back ----------
export type GridView = {
  id: string
  code: string
  name: string
  level: string
  villageName: string
  townshipName: string
  hotline: string | null
  leaderName: string | null
  /** orders still open at this signboard, so a villager can follow one instead of duplicating */
  openOrders: { no: string; serviceName: string; status: OrderState; createdAt: number }[]
}

export type ServiceView = { id: string; name: string; category: string; description: string | null }

export type HistoryView = Omit<HistoryEntry, 'at' | 'by'> & { at: number }

export type OrderView = {
  id: string
  no: string
  status: OrderState
  source: 'scan' | 'hotline'
  gridCode: string
  gridName: string
  villageName: string
  townshipName: string
  serviceName: string
  category: string
  description: string
  contactName: string | null
  contactPhone: string
  preferredTime: string | null
  createdAt: number
  updatedAt: number
  history: HistoryView[]
}

export type MeView = {
  openId: string
  name: string
  roles: { role: Role; nodeId: string; nodeName: string }[]
}

export type ActionOutput = {
  grid: { resolve: GridView; catalogue: ServiceView[] }
  order: { place: OrderView; mine: OrderView[]; detail: OrderView; incoming: OrderView[] }
  user: { me: MeView }
}

/** First issue of a zod error as one Chinese sentence. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0]
  if (!issue) return '输入不正确'
  const msg = issue.message
  // zod's own (English) messages get a generic Chinese wrapper naming the field
  if (/^[\x00-\x7F]*$/.test(msg)) return `输入不正确：${issue.path.join('.') || '请求'}（${msg}）`
  return msg
}
