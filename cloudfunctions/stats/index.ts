import { createFunction } from '../shared/handler'
import { cloudMain } from '../shared/cloud'
import { dashboard } from '../services/stats'
import { honorDraft, honorList, honorPoster, honorPublish, honorRules, saveHonorRules } from '../services/honor'

/** stats: dashboards of a staff member's area (rollups kept by the clock sweep) and the monthly 红黑榜. */
export const run = createFunction('stats', {
  dashboard,
  honorRules,
  saveHonorRules,
  honorDraft,
  honorPublish,
  honorList,
  honorPoster,
})
export const main = cloudMain(run)
