import { createFunction } from '../shared/handler'
import { cloudMain } from '../shared/cloud'
import { grantRole, me, revokeRole, searchUsers, staffOf } from '../services/user'
import { auditLog } from '../services/audit'

/** user: the caller's profile and roles; staff role grants (county / township); the audit trail (county). */
export const run = createFunction('user', { me, search: searchUsers, grant: grantRole, revoke: revokeRole, staff: staffOf, audit: auditLog })
export const main = cloudMain(run)
