import { createFunction } from '../shared/handler'
import { cloudMain } from '../shared/cloud'
import { finalise, getRules, manualEntry, myEntries, myPoints, objectTo, publish, ranking, resolve, reviewList, saveRules } from '../services/points'
import { certificate } from '../services/certificate'

/** points: 我的积分, the county's rules, staff entries, the monthly review (公示) and rankings. */
export const run = createFunction('points', {
  mine: myPoints,
  entries: myEntries,
  certificate,
  object: objectTo,
  rules: getRules,
  saveRules,
  manual: manualEntry,
  review: reviewList,
  publish,
  resolve,
  finalise,
  ranking,
})
export const main = cloudMain(run)
