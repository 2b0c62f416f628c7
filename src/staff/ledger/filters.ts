import type { LedgerInput } from '@/core/patrol'
import type { OrderView } from '@/core/api'
import { ORDER_SOURCES, TERMINAL_STATES, TRANSITIONS, type OrderSource } from '@/core/order'
import { decode, query } from '@/components/util'

export const LEDGER_STATES = ['all', 'open', 'closed'] as const
export type LedgerState = (typeof LEDGER_STATES)[number]

/** What the ledger is filtered by; also its page's query params (`source`, `state`, `overdue=1`, `category`, `nodeId`, `area`). */
export type LedgerFilters = {
  source?: OrderSource
  state: LedgerState
  overdue: boolean
  category?: string
  /** one area of the caller's subtree (a dashboard's or a list's drill-down), and its name to show */
  nodeId?: string
  area?: string
}

export function filtersFromQuery(raw: Record<string, string | undefined>): LedgerFilters {
  const p = (k: string) => decode(raw[k]) || undefined
  const source = p('source')
  const state = p('state')
  return {
    source: (ORDER_SOURCES as readonly string[]).includes(source ?? '') ? (source as OrderSource) : undefined,
    state: (LEDGER_STATES as readonly string[]).includes(state ?? '') ? (state as LedgerState) : 'all',
    overdue: p('overdue') === '1',
    category: p('category')?.slice(0, 10),
    nodeId: p('nodeId'),
    area: p('area'),
  }
}

/** One page of the ledger: `before` is the last entry's createdAt. */
export function ledgerInputOf(f: LedgerFilters, limit: number, before?: number): LedgerInput {
  return {
    state: f.state,
    limit,
    ...(f.source ? { source: f.source } : {}),
    ...(f.overdue ? { overdue: true } : {}),
    ...(f.category ? { category: f.category } : {}),
    ...(f.nodeId ? { nodeId: f.nodeId } : {}),
    ...(before ? { before } : {}),
  }
}

/** A key that changes whenever the list would: the page reloads on it. */
export const filtersKey = (f: LedgerFilters) => JSON.stringify([f.source ?? '', f.state, f.overdue, f.category ?? '', f.nodeId ?? ''])

/**
 * The export page with the filters it understands (see ../export/filters.ts): source, category,
 * area. 在办/已办结 and 只看超时 have no export filter: the sheet has every state and the
 * timeliness columns to filter by.
 */
export function exportUrlOf(f: LedgerFilters): string {
  return `/staff/export/index?${query({ kind: 'orders', source: f.source, category: f.category, nodeId: f.nodeId })}`
}

/** How a finished entry ended: its last step into the final state (what, who, when, why). Null while open. */
export function endingOf(o: Pick<OrderView, 'status' | 'history'>): { label: string; byName: string; at: number; reason: string | null } | null {
  if (!TERMINAL_STATES.includes(o.status)) return null
  const last = [...o.history].reverse().find((h) => h.to === o.status)
  if (!last) return null
  const label = (TRANSITIONS as Record<string, { label: string }>)[last.action]?.label ?? last.action
  return { label, byName: last.byName, at: last.at, reason: last.reason?.trim() || null }
}
