import { createFunction } from '../shared/handler'
import { cloudMain } from '../shared/cloud'
import {
  approveVolunteer,
  myBadge,
  myRegistration,
  registerVolunteer,
  rejectVolunteer,
  restoreVolunteer,
  suspendVolunteer,
  verifyBadge,
  volunteerList,
} from '../services/volunteer'

/** volunteer: registration, approval and number plates (一人一号牌), badges and their public check (亮码亮证). */
export const run = createFunction('volunteer', {
  register: registerVolunteer,
  mine: myRegistration,
  list: volunteerList,
  approve: approveVolunteer,
  reject: rejectVolunteer,
  suspend: suspendVolunteer,
  restore: restoreVolunteer,
  badge: myBadge,
  verify: verifyBadge,
})
export const main = cloudMain(run)
