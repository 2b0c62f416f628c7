import { createFunction } from '../shared/handler'
import { cloudMain } from '../shared/cloud'
import { grantRole, me, revokeRole, searchUsers, staffOf, wxPhone } from '../services/user'
import { auditLog } from '../services/audit'
import { recordSubscriptions } from '../services/subscriptions'

/** user: the caller's profile and roles (and the phone WeChat vouches for); staff role grants (county / township); the audit trail (county). */
export const run = createFunction('user', { me, wxPhone, subscribe: recordSubscriptions, search: searchUsers, grant: grantRole, revoke: revokeRole, staff: staffOf, audit: auditLog })
export const main = cloudMain(run)
