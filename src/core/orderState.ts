// The order's states, a leaf the modules that order.ts itself builds on (timeliness, supervision)
// can name without importing the state machine. order.ts re-exports them.
export const ORDER_STATES = [
  'pending', // placed or returned to the station, waiting for dispatch
  'escalated', // sent up to the township (大事不出乡)
  'dispatched', // assigned to a volunteer or team, waiting for accept
  'pooled', // open in a team's grab pool (抢单)
  'accepted', // a volunteer took it
  'in_service', // volunteer checked in on site
  'completed', // volunteer reported done, waiting for the villager
  'fixed', // villager confirmed fixed (the only "solved" outcome)
  'rejected', // station refused it, with a reason
  'referred', // closed: not our remit, referred elsewhere
  'closed', // closed without action, with a reason
  'cancelled', // villager withdrew it before it was accepted
  'unconfirmed', // completed, but the villager never confirmed nor could be reached (not a confirmed fix)
  'handled', // 就地处置: a patrol report its reporter handled on the spot (closed at once, with an after-photo)
] as const
export type OrderState = (typeof ORDER_STATES)[number]
