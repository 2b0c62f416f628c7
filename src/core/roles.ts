// Who someone is to the system: the roles, their names in Chinese and the staff ranks.
// No schema library here: the villager pages (weapp main package) read these labels, and the
// full zod must stay out of that package. schemas.ts re-exports them beside the schemas.

export const STAFF_ROLES = ['station', 'township', 'county'] as const
export const ROLES = ['villager', 'volunteer', 'leader', ...STAFF_ROLES] as const
export type Role = (typeof ROLES)[number]
export type StaffRole = (typeof STAFF_ROLES)[number]

export const ROLE_LABEL: Record<Role, string> = {
  villager: '村民',
  volunteer: '志愿者',
  leader: '网格长/队长',
  station: '村文明实践站',
  township: '乡镇实践所',
  county: '县级管理员',
}

/** Who can act on an order: a role holder, or the system (the sweep: reminders, deadlines). Nobody can be granted 'system'. */
export const ACTOR_ROLES = [...ROLES, 'system'] as const
export type ActorRole = (typeof ACTOR_ROLES)[number]
export const ACTOR_LABEL: Record<ActorRole, string> = { ...ROLE_LABEL, system: '系统' }

/** Staff levels, lowest first: the level above approves, supervises and takes over. */
export const STAFF_RANK: Record<StaffRole, number> = { station: 1, township: 2, county: 3 }
