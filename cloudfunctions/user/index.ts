import { createFunction } from '../shared/handler'
import { cloudMain } from '../shared/cloud'
import { grantRole, me, revokeRole, searchUsers, staffOf } from '../services/user'

/** user: the caller's profile and roles; staff role grants (county / township). */
export const run = createFunction('user', { me, search: searchUsers, grant: grantRole, revoke: revokeRole, staff: staffOf })
export const main = cloudMain(run)
