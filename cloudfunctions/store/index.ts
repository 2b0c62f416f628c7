import { createFunction } from '../shared/handler'
import { cloudMain } from '../shared/cloud'
import { handover, lookup, myRedemptions, redeem, saveItem, storeItems } from '../services/store'

/** store: 积分超市 — items, redemption with final points, hand-over by the store keeper. */
export const run = createFunction('store', {
  items: storeItems,
  saveItem,
  redeem,
  mine: myRedemptions,
  lookup,
  handover,
})
export const main = cloudMain(run)
