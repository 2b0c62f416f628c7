// What the order loop earns or costs in points: the bridge from order transitions (order.ts) to
// point events (points.ts), kept apart so that neither of those two imports the other.
import type { Order, OrderAction } from './order'
import type { PointEvent } from './points'

const orderFacts = (o: Order) => ({
  orderId: o._id,
  orderNo: o.no,
  serviceId: o.serviceId,
  serviceName: o.serviceName,
  category: o.category,
  path: o.scopePath.slice(0, 3),
})

/**
 * The point events of one transition (pure). Keyed by order and history position,
 * so the same transition always yields the same keys.
 */
export function pointEventsFor(p: { action: OrderAction; before: Order; after: Order; at: Date }): PointEvent[] {
  const { action, before, after, at } = p
  const n = after.history.length
  const ev = (trigger: PointEvent['trigger'], who: { id: string; name: string } | undefined, more: Partial<PointEvent> = {}): PointEvent[] =>
    who ? [{ key: `${after._id}:${n}:${trigger}`, trigger, userId: who.id, userName: who.name, at, ...orderFacts(after), ...more }] : []
  const late = before.clock && at.getTime() > new Date(before.clock.dueAt).getTime()
  switch (action) {
    case 'accept':
      return late && before.clock?.stage === 'accept' ? ev('accept_late', after.assignee) : []
    case 'complete': {
      // the hours served are recorded at once (they count whatever the villager says later)
      const c = after.completion
      const hours = c?.hours ? ev('hours', after.assignee, { hours: c.hours, hoursKind: c.verified ? 'verified' : 'unverified' }) : []
      return [...hours, ...(late && before.clock?.stage === 'complete' ? ev('complete_late', after.assignee) : [])]
    }
    case 'confirmFixed':
    case 'followUpFixed': {
      const hours = after.completion?.hours
      return [
        ...ev('service_fixed', before.assignee),
        ...(hours && after.completion?.verified ? ev('service_hours', before.assignee, { hours }) : []),
      ]
    }
    case 'confirmNotFixed':
    case 'followUpNotFixed':
      return ev('not_fixed', before.assignee)
    case 'recall':
      return ev('recalled', before.assignee)
    case 'handBack':
      return ev('handed_back', before.assignee)
    case 'handleOnSpot':
      // the reporter handled it themselves: their work, closed at once (no hours: nobody checked in)
      return ev('patrol_handled', after.assignee)
    default:
      return []
  }
}

/** An approved 4–5 star rating earns the volunteer who served a bonus (once per order). */
export function ratingEvent(o: Order, at: Date): PointEvent | null {
  if (!o.rating || o.rating.status !== 'approved' || o.rating.stars < 4 || !o.assignee) return null
  return { key: `${o._id}:rating`, trigger: 'rating_approved', userId: o.assignee.id, userName: o.assignee.name, at, ...orderFacts(o) }
}
