import { codeAfterMove, ORDERABLE_LEVELS, placeNames, subtreeRebase, type GridNode } from '../../src/core'
import type { Db, Deps } from '../shared/context'
import { subtreeOf } from './gridQueries'

// Finishing grid moves. grid.move (tree.ts) decides a move with one compare-and-set on the
// node that records it there (GridNode.move); what follows — the subtree, its codes, the
// orders, registrations and showcases of its grids — is done here in idempotent steps, by
// the move itself, by whoever finds the record later (another move, a retry) or by the sweep.

const grids = (db: Db) => db.collection('grids')

export type MoveCtx = Pick<Deps, 'db' | 'now' | 'faults'>

/**
 * Finish the move recorded on `node` (as stored: already under its new parent). Each step is
 * idempotent and takes its values from the node as stored, so repeating any of them — after
 * a crash, or by two finishers at once — changes nothing more:
 * 1. the subtree's paths and names (one update: they share the node's ancestors);
 * 2. the scope of the orders, registrations and showcases below it (one update each): from
 *    here on the old township and village no longer see them, and new orders get the new path;
 * 3. the codes below it (old prefix → new, compare-and-set on the old code), 50 at a time;
 * 4. each grid's orders, registrations and showcases once more with its new code;
 * 5. the record removed.
 * Round trips: 1, 1, the subtree (1 per 1,000) + 1 per 50 nodes, 1 per 25 grids, 1.
 */
export async function finishMove(ctx: MoveCtx, node: GridNode): Promise<GridNode> {
  const { db } = ctx
  const { move, ...done } = node
  if (!move) return node
  const _ = db.command
  const now = ctx.now()
  const rebase = subtreeRebase(node)
  await grids(db).where({ path: node._id }).update(rebase.grids)
  ctx.faults?.at('move.paths')
  await Promise.all([
    // updatedAt: the dashboards' rollups move the grids' days to the new village
    db.collection('orders').where({ scopePath: node._id }).update({ ...rebase.scope, updatedAt: now }),
    db.collection('volunteers').where({ scopePath: node._id }).update(rebase.scope),
    db.collection('showcases').where({ scopePath: node._id }).update(rebase.scope),
  ])
  ctx.faults?.at('move.scoped')
  const subtree = await subtreeOf(db, node._id)
  const recode = subtree.flatMap((n) => {
    const code = codeAfterMove(n.code, move, node.code)
    return code ? [{ n, code }] : []
  })
  const CHUNK = 50
  for (let i = 0; i < recode.length; i += CHUNK) {
    await Promise.all(recode.slice(i, i + CHUNK).map(({ n, code }) => grids(db).where({ _id: n._id, code: n.code }).update({ code, formerCodes: _.push([n.code]) })))
    ctx.faults?.at('move.recoded')
  }
  const codes = new Map(recode.map(({ n, code }) => [n._id, code]))
  await rescope(db, now, subtree.filter((n) => ORDERABLE_LEVELS.includes(n.level)).map((n) => ({ ...n, code: codes.get(n._id) ?? n.code })))
  ctx.faults?.at('move.rescoped')
  await grids(db).where({ _id: node._id, 'move.id': move.id }).update({ move: _.remove() })
  return done
}

/** Finish the move recorded on node `id`, read fresh (a move above it may just have rebased it). */
export async function finishMoveOf(ctx: MoveCtx, id: string): Promise<void> {
  const node = (await grids(ctx.db).doc(id).get()).data[0] as GridNode | undefined
  if (node?.move) await finishMove(ctx, node)
}

/**
 * Moves decided over a minute ago and not finished (the function died midway): finished here,
 * ancestors first, a few per run. For the sweep; one query that finds nothing otherwise.
 */
export async function finishPendingMoves(ctx: Pick<Deps, 'db' | 'now'>): Promise<number> {
  const { db } = ctx
  const before = new Date(ctx.now().getTime() - 60_000)
  const res = await grids(db).where({ 'move.at': db.command.lte(before) }).field({ path: true, code: true }).limit(20).get()
  const pending = (res.data as GridNode[]).sort((a, b) => a.path.length - b.path.length)
  for (const p of pending) await finishMoveOf(ctx, p._id)
  return pending.length
}

/**
 * Orders, showcases and volunteer registrations of moved grids follow them: their scopePath (what staff
 * scope queries match) and place names become the new ones, so the new village's station
 * handles them and the old one no longer sees them; the next sweep moves their rollups. One update per grid and collection.
 */
async function rescope(db: Db, now: Date, moved: readonly Pick<GridNode, '_id' | 'code' | 'path' | 'pathNames'>[]) {
  const CHUNK = 25
  for (let i = 0; i < moved.length; i += CHUNK) {
    await Promise.all(
      moved.slice(i, i + CHUNK).flatMap((g) => {
        const places = placeNames(g)
        return [
          // updatedAt: the dashboards' rollups move the grid's days to the new village
          db.collection('orders').where({ gridId: g._id }).update({ scopePath: g.path, gridCode: g.code, ...places, updatedAt: now }),
          db.collection('volunteers').where({ gridId: g._id }).update({ scopePath: g.path, ...places }),
          // showcases carry their order's scopePath, which ends with the grid
          db.collection('showcases').where({ scopePath: g._id }).update({ scopePath: g.path, ...places }),
        ]
      }),
    )
  }
}
