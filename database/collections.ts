// Collections and their indexes: the local runtime's bootstrap and the cloud
// bootstrap script (scripts/bootstrap-cloud.ts) both create them from here.
export type IndexSpec = { name: string; keys: { field: string; dir: 1 | -1 }[]; unique?: boolean }
export type CollectionSpec = { name: string; indexes: IndexSpec[] }

const idx = (name: string, fields: string[], unique = false): IndexSpec => ({
  name,
  keys: fields.map((f) => ({ field: f.replace(/^-/, ''), dir: f.startsWith('-') ? -1 : 1 })),
  unique,
})

export const COLLECTIONS: CollectionSpec[] = [
  {
    name: 'grids',
    indexes: [idx('code_unique', ['code'], true), idx('parent', ['parentId']), idx('path', ['path']), idx('former', ['formerCodes']), idx('move', ['move.at'])],
  },
  { name: 'users', indexes: [idx('openId_unique', ['openId'], true), idx('roles_node', ['roles.nodeId']), idx('team', ['teamId']), idx('phone', ['phone'])] },
  { name: 'services', indexes: [idx('active_sort', ['active', 'sort'])] },
  // captain: the captain's desk finds the teams a grid leader captains
  { name: 'teams', indexes: [idx('village', ['villageId']), idx('grids', ['gridIds']), idx('captain', ['captainId'])] },
  {
    name: 'orders',
    indexes: [
      idx('villager_created', ['villagerId', '-createdAt']),
      // 帮家人点单: the orders placed for a family member's account (我的诉求)
      idx('family_created', ['forFamily.userId', '-createdAt']),
      idx('scope_status_created', ['scopePath', 'status', '-createdAt']),
      idx('grid_status', ['gridId', 'status']),
      // volunteer task tabs
      idx('assignee_status', ['assignee.id', 'status', '-updatedAt']),
      idx('team_status', ['team.id', 'status', '-updatedAt']),
      idx('served_updated', ['servedBy', '-updatedAt']),
      // the rating approval queue
      idx('scope_rating', ['scopePath', 'rating.status', '-rating.at']),
      // dispatch suggestions: current load
      idx('status_assignee', ['status', 'assignee.id']),
      // the sweep: orders whose clock has a next step, by when; open 督办 by reply deadline
      idx('clock_next', ['clock.armed', 'clock.nextAt']),
      idx('supervision_due', ['supervision.status', 'supervision.replyBy']),
      // staff work lists, most urgent first
      idx('scope_status_due', ['scopePath', 'status', 'clock.dueAt']),
      idx('scope_overdue_due', ['scopePath', 'clock.overdue', 'clock.dueAt']),
      idx('scope_supervision', ['scopePath', 'supervision.status', 'supervision.replyBy']),
      // rollups: orders changed since the watermark; a grid's orders of one day (and the staff list of every order, newest first)
      idx('updated', ['updatedAt']),
      idx('scope_created', ['scopePath', 'createdAt']),
      idx('scope_extension', ['scopePath', 'extension.status', 'extension.at']),
      idx('scope_status_updated', ['scopePath', 'status', '-updatedAt']),
      // the sweep: point events not yet in the ledger
      idx('points_due', ['pointsDueAt']),
      // Open311 requests.json: by service (and status), newest first
      idx('service_status_created', ['serviceId', 'status', '-createdAt']),
      // 问题台账: a subtree's orders by source, category or ever late, newest first (status: scope_status_created)
      idx('scope_source_created', ['scopePath', 'source', '-createdAt']),
      idx('scope_category_created', ['scopePath', 'category', '-createdAt']),
      idx('scope_late_created', ['scopePath', 'everOverdue', '-createdAt']),
    ],
  },
  {
    name: 'showcases',
    indexes: [
      idx('scope_status_created', ['scopePath', 'status', '-createdAt']),
      idx('status_scope_approved', ['status', 'scopePath', '-approvedAt']),
      idx('author_created', ['author.id', '-createdAt']),
    ],
  },
  // volunteer registrations (_id = openId): one per person, one per phone
  {
    name: 'volunteers',
    indexes: [
      idx('phone_unique', ['phone'], true),
      idx('scope_status_created', ['scopePath', 'status', '-createdAt']),
      // public plate check (亮证); not unique: pending registrations have no plate
      idx('plate', ['plate']),
      // a moved grid's registrations follow it
      idx('grid', ['gridId']),
    ],
  },
  // number plates ever issued (_id = plate): never reused
  { name: 'plates', indexes: [idx('user', ['userId'])] },
  // sequences: plate_<townshipId> → { seq }
  { name: 'counters', indexes: [] },
  // long-running jobs (signboard batches): progress for polling clients
  { name: 'jobs', indexes: [idx('owner_created', ['owner', '-createdAt'])] },
  // exports (cloudfunctions/services/exports.ts): my recent ones, abandoned ones for the sweep, old files to delete
  {
    name: 'exportJobs',
    indexes: [idx('owner_created', ['owner', '-createdAt']), idx('owner_state', ['owner', 'state']), idx('state_updated', ['state', 'updatedAt']), idx('state_finished', ['state', 'finishedAt'])],
  },
  { name: 'inbox', indexes: [idx('user_created', ['userId', '-createdAt']), idx('user_read', ['userId', 'read'])] },
  // county settings: timeliness_<countyId> → time limits, reminders, follow-ups, working calendar
  { name: 'settings', indexes: [] },
  // the points ledger (_id = the event's key: one entry per event, ever); append-only
  {
    name: 'points',
    indexes: [idx('user_created', ['userId', '-createdAt']), idx('township_month', ['townshipId', 'month', '_id'])],
  },
  // one per person (_id = openId): final points, unsettled points by month, hours
  { name: 'pointBalances', indexes: [] },
  // dashboard and 红黑榜 rollups (cloudfunctions/services/stats.ts): u:/n:/t: documents
  {
    name: 'orderStats',
    indexes: [
      // a node's days (trend) and its children's days or months (the by-area table)
      idx('node_period', ['kind', 'id', 'period', 'key']),
      idx('children_period', ['kind', 'parentId', 'period', 'key']),
      // 红黑榜: a county's villages and teams for a month
      idx('county_level', ['kind', 'countyId', 'level', 'period', 'key']),
    ],
  },
  // published 红黑榜 (_id = <countyId>:<YYYY-MM>): immutable snapshots; the public page finds a county's latest
  { name: 'honorLists', indexes: [idx('county_month', ['countyId', '-month'])] },
  // rollups for rankings and summaries: p:<period>:<openId>, t:<period>:<teamId>
  {
    name: 'pointTotals',
    indexes: [
      idx('county_rank', ['subject', 'period', 'countyId', '-points']),
      idx('township_rank', ['subject', 'period', 'townshipId', '-points']),
      idx('village_rank', ['subject', 'period', 'villageId', '-points']),
      idx('person', ['subject', 'id', '-period']),
    ],
  },
  // monthly review per township: <townshipId>:<YYYY-MM>
  { name: 'pointReviews', indexes: [] },
  // objections (_id = the entry objected to)
  { name: 'pointObjections', indexes: [idx('township_month', ['townshipId', 'month', 'status'])] },
  // every version of every county's rules: <countyId>:<version>
  { name: 'pointRules', indexes: [] },
  // 志愿服务记录证明 issued (_id = certificate number), so the issuer can confirm one
  { name: 'certificates', indexes: [idx('user_issued', ['userId', '-issuedAt'])] },
  // 积分超市
  { name: 'storeItems', indexes: [idx('node_price', ['nodeId', 'price'])] },
  {
    name: 'redemptions',
    indexes: [idx('code_unique', ['code'], true), idx('user_created', ['userId', '-createdAt']), idx('state_expires', ['state', 'expiresAt'])],
  },
  // per-caller rate limit counters (_id = <action>:<caller>:<window>), deleted by the sweep once expired
  { name: 'rateLimits', indexes: [idx('expires', ['expiresAt'])] },
  // the audit trail of role grants and tree edits (src/core/audit.ts): a county's newest first; one person's or node's
  { name: 'audit', indexes: [idx('county_at', ['countyId', '-at']), idx('target_at', ['target.id', '-at'])] },
  { name: 'outbox', indexes: [idx('status_created', ['status', 'createdAt']), idx('status_next', ['status', 'nextAttemptAt'])] },
  // subscription-message consents per person (_id = openId): how many messages of each template WeChat still allows
  { name: 'subscriptions', indexes: [] },
]

/** Security rules for every collection: no direct client access; everything goes through functions. */
export const SECURITY_RULE = { read: false, write: false }
