import type { Order, OrderView, Service, ServiceView } from '../../src/core'

export function toOrderView(o: Order): OrderView {
  return {
    id: o._id,
    no: o.no,
    status: o.status,
    source: o.source,
    gridCode: o.gridCode,
    gridName: o.gridName,
    villageName: o.villageName,
    townshipName: o.townshipName,
    serviceName: o.serviceName,
    category: o.category,
    description: o.description,
    contactName: o.contactName ?? null,
    contactPhone: o.contactPhone,
    preferredTime: o.preferredTime ?? null,
    createdAt: new Date(o.createdAt).getTime(),
    updatedAt: new Date(o.updatedAt).getTime(),
    history: o.history.map(({ at, by: _by, ...h }) => ({ ...h, at: new Date(at).getTime() })),
    assignee: o.assignee ?? null,
    team: o.team ?? null,
    completion: o.completion ? { ...o.completion, at: new Date(o.completion.at).getTime() } : null,
    rating: o.rating ?? null,
  }
}

export const toServiceView = (s: Service): ServiceView => ({
  id: s._id,
  name: s.name,
  category: s.category,
  description: s.description ?? null,
})
