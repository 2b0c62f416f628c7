import type { AreaRow } from '@/core/stats'

export type SortKey = 'name' | 'total' | 'open' | 'overdue' | 'fixedRate' | 'onTimeRate' | 'satisfaction'

/** The by-area rows in the chosen order (name: by code, as the tree lists them); rows without a value (no closed orders, no ratings) always last. */
export function sortRows(rows: AreaRow[], key: SortKey, desc: boolean): AreaRow[] {
  const dir = desc ? -1 : 1
  return [...rows].sort((a, b) => {
    if (key === 'name') return dir * a.code.localeCompare(b.code)
    const x = a[key]
    const y = b[key]
    if (x === null || y === null) return x === y ? a.code.localeCompare(b.code) : x === null ? 1 : -1
    return dir * (x - y) || a.code.localeCompare(b.code)
  })
}
