import { createFunction } from '../shared/handler'
import { cloudMain } from '../shared/cloud'
import { incomingOrders, myOrders, orderDetail, placeHotlineOrder, placeOrder } from '../services/order'
import { approvals, approve, rejectApproval, suggest } from '../services/review'
import { accept, arrivalCodeFor, cancel, checkIn, close, complete, confirm, decline, dispatch, escalate, openPool, redispatch, refer, reject, tasks } from '../services/loop'
import { answerSupervision, decideExtension, followUp, handBack, recall, requestExtension, supervise } from '../services/supervision'
import { assign, teamDesk } from '../services/captain'
import { ledger, patrol, patrolGrids } from '../services/patrol'

/** order: the order lifecycle (点、派、接、评、晒). */
export const run = createFunction('order', {
  place: placeOrder,
  placeHotline: placeHotlineOrder,
  patrol,
  patrolGrids,
  ledger,
  mine: myOrders,
  detail: orderDetail,
  incoming: incomingOrders,
  dispatch,
  openPool,
  redispatch,
  reject,
  escalate,
  refer,
  close,
  cancel,
  confirm,
  tasks,
  teamDesk,
  assign,
  accept,
  decline,
  checkIn,
  arrivalCode: arrivalCodeFor,
  complete,
  handBack,
  recall,
  followUp,
  supervise,
  answerSupervision,
  requestExtension,
  decideExtension,
  suggest,
  approvals,
  approve,
  rejectApproval,
})
export const main = cloudMain(run)
