import type { GridNode } from '../../src/core'
import type { Db } from '../shared/context'

/** The most documents one CloudBase query returns. */
export const PAGE = 1000

/**
 * Every grid node matching `where`, in code order: 1,000 per round trip, paged on the code
 * (not skip, which slows down with the offset). `fields` projects (code is always kept).
 */
export async function gridsWhere(db: Db, where: Record<string, unknown>, fields?: Record<string, boolean>): Promise<GridNode[]> {
  const _ = db.command
  const out: GridNode[] = []
  let after: string | null = null
  for (;;) {
    const q = db
      .collection('grids')
      .where(after === null ? where : { ...where, code: _.gt(after) })
      .orderBy('code', 'asc')
      .limit(PAGE)
    const batch = (await (fields ? q.field({ ...fields, code: true }) : q).get()).data as GridNode[]
    out.push(...batch)
    if (batch.length < PAGE) return out
    after = batch[batch.length - 1].code
  }
}

/** Every node of the subtree of `id` (itself included), via the path index. */
export const subtreeOf = (db: Db, id: string, extra: Record<string, unknown> = {}, fields?: Record<string, boolean>) =>
  gridsWhere(db, { path: id, ...extra }, fields)
