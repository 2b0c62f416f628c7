import type { GridNode, MeView } from '../../src/core'
import type { Deps } from '../shared/context'

/** Who am I, with the names of the nodes my roles are held at. */
export async function me(deps: Deps): Promise<MeView> {
  const caller = await deps.caller()
  const ids = [...new Set(caller.roles.map((r) => r.nodeId))]
  let names = new Map<string, string>()
  if (ids.length) {
    const _ = deps.db.command
    const res = await deps.db.collection('grids').where({ _id: _.in(ids) }).field({ name: true }).limit(100).get()
    names = new Map((res.data as GridNode[]).map((g) => [g._id, g.name]))
  }
  return {
    openId: caller.openId,
    name: caller.name,
    roles: caller.roles.map((r) => ({ role: r.role, nodeId: r.nodeId, nodeName: names.get(r.nodeId) ?? '' })),
  }
}
