import { createFunction } from '../shared/handler'
import { cloudMain } from '../shared/cloud'
import { incomingOrders, myOrders, orderDetail, placeOrder } from '../services/order'

/** order: the order lifecycle (点、派、接、评、晒). */
export const run = createFunction('order', {
  place: placeOrder,
  mine: myOrders,
  detail: orderDetail,
  incoming: incomingOrders,
})
export const main = cloudMain(run)
