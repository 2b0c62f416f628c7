import { z } from 'zod'
import { auditListInput, type AuditEntryView } from './audit'
import { cursorMsSchema, gridCodeSchema, idSchema, MAX_DATE_MS, type Role, type StaffRole } from './schemas'

/**
 * Staff work lists (most urgent first): dispatch = waiting for the caller's level to
 * dispatch; open = every open order; overdue = past a deadline (or an unanswered 督办);
 * supervision = orders with a 督办 (filter by its status); followUp = completed, not
 * confirmed, due for a call back; extension = extension requests waiting for a decision;
 * closed = finished orders, the latest first; all = every order in every state, the newest first.
 */
export const WORK_LISTS = ['dispatch', 'open', 'overdue', 'supervision', 'followUp', 'extension', 'closed', 'all'] as const
export type WorkList = (typeof WORK_LISTS)[number]
import { hotlineOrderInput, listQueryInput, placeOrderInput, type HistoryEntry, type OrderSource, type OrderState } from './order'
import { timelinessSettingsSchema, type Stage, type StageLimits, type TimelinessSettings } from './timeliness'
import { reorderServicesInput, saveServiceInput, setServiceActiveInput } from './catalogue'
import type { Emergency, ServiceField } from './serviceFields'
import {
  answerSupervisionInput,
  decideExtensionInput,
  followUpInput,
  requestExtensionInput,
  superviseInput,
  SUPERVISION_FILTERS,
  type Extension,
  type SupervisionStatus,
} from './supervision'
import type { TimeLimit } from './calendar'
import {
  createNodeInput,
  grantInput,
  importCsvInput,
  moveNodeInput,
  searchGridsInput,
  setActiveInput,
  signboardInput,
  signboardProgressInput,
  staffListInput,
  treeInput,
  updateNodeInput,
  userSearchInput,
  type GridNodeView,
} from './tree'
import {
  approveVolunteerInput,
  registerInput,
  verifyInput,
  volunteerIdInput,
  volunteerListInput,
  volunteerReasonInput,
  type VolunteerView,
} from './volunteer'
import {
  cancelInput,
  completeInput,
  confirmInput,
  dispatchInput,
  openPoolInput,
  orderIdInput,
  redispatchInput,
  tasksInput,
  withReasonInput,
  subscribeInput,
  type NoticeKind,
  type SubscribeMoment,
} from './loop'
import {
  checkInInput,
  codeInput,
  manualPointsInput,
  objectInput,
  pointsPageInput,
  rankingInput,
  redeemInput,
  resolveObjectionInput,
  reviewListInput,
  reviewMonthInput,
  saveRulesInput,
  storeItemInput,
  storeListInput,
  type EntryKind,
  type HoursKind,
  type PointRules,
  type PointTrigger,
  type RedemptionState,
  type ReviewState,
} from './points'
import {
  approvalsInput,
  approveInput,
  feedInput,
  myShowcasesInput,
  rejectApprovalInput,
  showcaseInput,
  suggestInput,
  type ApprovalKind,
  type ReviewStatus,
} from './review'
import { dashboardInput, type DashboardView } from './stats'
import { assignInput, ledgerInput, patrolGridsInput, patrolInput, teamDeskInput, type PatrolGridView } from './patrol'
import { honorDraftInput, honorListInput, honorPosterInput, honorPublishInput, saveHonorRulesInput, type HonorDraftView, type HonorListView, type HonorPosterView, type HonorRulesView } from './honor'
import { exportJobsInput, exportStartInput, exportStepInput, type ExportJobView } from './exports'

/**
 * The contract between the app and the cloud functions: which function serves
 * which action, and the schema its input must pass. Functions are grouped by
 * domain (fewer functions, fewer cold starts). An event is `{ action, data }`.
 */
export const API = {
  grid: {
    resolve: z.object({ code: gridCodeSchema }),
    catalogue: z.object({}),
    // the grid tree (county / township administrators, within their subtree)
    tree: treeInput,
    create: createNodeInput,
    update: updateNodeInput,
    move: moveNodeInput,
    setActive: setActiveInput,
    importCsv: importCsvInput,
    /** grids (signboard levels) of the caller's subtree by name or code: hotline entry */
    search: searchGridsInput,
    /** the county's time limits, reminder share, follow-up times and working calendar (county admin) */
    timeliness: z.object({ countyId: idSchema.optional() }),
    /** `baseUpdatedAt`: the `updatedAt` the edit started from (null: never saved); a save by someone else since is refused */
    saveTimeliness: z.object({ countyId: idSchema.optional(), settings: timelinessSettingsSchema, baseUpdatedAt: z.number().int().nonnegative().nullable().optional() }),
    // the service catalogue (服务清单), county admin: every service (inactive too) with its limits and base points
    services: z.object({}),
    saveService: saveServiceInput,
    reorderServices: reorderServicesInput,
    setServiceActive: setServiceActiveInput,
  },
  signboard: {
    /** a print-ready PDF of signboards; runs to completion, poll `progress` meanwhile */
    generate: signboardInput,
    progress: signboardProgressInput,
  },
  order: {
    place: placeOrderInput,
    /** staff enter an order for a hotline caller (station / township, within their subtree) */
    placeHotline: hotlineOrderInput,
    /** 随手拍 (volunteers and grid leaders, in their area): report a problem to the station, or record it handled on the spot */
    patrol: patrolInput,
    /** the grids and micro-grids the caller may report in */
    patrolGrids: patrolGridsInput,
    /** 问题台账 (staff): orders and patrol reports of the subtree, filtered */
    ledger: ledgerInput,
    /** the captain's desk: the team's pool and orders, and who on the team is busy */
    teamDesk: teamDeskInput,
    /** the captain hands a team order to a member */
    assign: assignInput,
    mine: listQueryInput,
    detail: z.object({ id: idSchema }),
    /**
     * Staff work lists of the caller's subtree. Without `list`: newest first by createdAt
     * (`status`, `before`). With `list`: most urgent first, paged by `after` = the last
     * item's `cursor` (the next page starts after it).
     */
    incoming: listQueryInput.extend({
      /** list one area: a node the caller holds a staff role at, or any node below it (refused outside) */
      nodeId: idSchema.optional(),
      list: z.enum(WORK_LISTS).optional(),
      supervision: z.enum(SUPERVISION_FILTERS).optional(),
      after: z
        .string()
        .regex(/^\d{1,16}:[A-Za-z0-9_-]{1,64}$/, '分页参数不正确')
        .refine((c) => Number(c.slice(0, c.indexOf(':'))) <= MAX_DATE_MS, '分页参数不正确')
        .optional(),
    }),
    // 派 (station / township)
    dispatch: dispatchInput,
    openPool: openPoolInput,
    redispatch: redispatchInput,
    reject: withReasonInput,
    escalate: withReasonInput,
    refer: withReasonInput,
    close: withReasonInput,
    // villager
    cancel: cancelInput,
    confirm: confirmInput,
    // 接 (volunteer)
    tasks: tasksInput,
    accept: orderIdInput,
    decline: withReasonInput,
    /** 到场签到; with the villager's 6-digit code or the signboard's grid code the hours count as verified */
    checkIn: checkInInput,
    /** the villager: the arrival code to show the volunteer at the door (到场核验码) */
    arrivalCode: orderIdInput,
    complete: completeInput,
    /** 退单: the volunteer hands an accepted order back before arriving */
    handBack: withReasonInput,
    // keeping orders moving (station / township / county)
    /** 收回: take an order back from the volunteer who accepted it */
    recall: withReasonInput,
    /** 回访: record what the villager said on the phone */
    followUp: followUpInput,
    supervise: superviseInput,
    answerSupervision: answerSupervisionInput,
    requestExtension: requestExtensionInput,
    decideExtension: decideExtensionInput,
    // 派: ranked volunteers and teams for an order (station / township / county)
    suggest: suggestInput,
    // 评/晒 approvals (station / township / county, within their subtree)
    approvals: approvalsInput,
    approve: approveInput,
    rejectApproval: rejectApprovalInput,
  },
  showcase: {
    /** 晒: the villager (or the serving team's leader) of a FIXED order */
    create: showcaseInput,
    /** my showcases with their review status */
    mine: myShowcasesInput,
    /** public: approved showcases of a village / township; no sign-in needed */
    feed: feedInput,
  },
  inbox: {
    inbox: z.object({
      unreadOnly: z.boolean().default(false),
      before: cursorMsSchema.optional(),
      limit: z.number().int().min(1).max(50).default(20),
    }),
    /** mark some messages read, or all of mine when `ids` is absent */
    readInbox: z.object({ ids: z.array(idSchema).min(1).max(100).optional() }),
  },
  user: {
    me: z.object({}),
    /** the phone WeChat vouches for: the one-time code of <Button openType='getPhoneNumber'> */
    wxPhone: z.object({ code: z.string().trim().min(1).max(128) }),
    /** the subscription-message templates the person accepted in WeChat's consent dialog (each allows one message) */
    subscribe: subscribeInput,
    /** people by phone (exact) or name (contains), for granting staff roles (county / township) */
    search: userSearchInput,
    grant: grantInput,
    revoke: grantInput,
    /** staff holding roles at the node or below */
    staff: staffListInput,
    /** the county administrator: the audit trail of role grants and tree edits, newest first */
    audit: auditListInput,
  },
  volunteer: {
    /** any signed-in villager applies; pending until staff decide */
    register: registerInput,
    /** my registration, or null */
    mine: z.object({}),
    /** staff: registrations in their subtree by status */
    list: volunteerListInput,
    approve: approveVolunteerInput,
    reject: volunteerReasonInput,
    suspend: volunteerReasonInput,
    restore: volunteerIdInput,
    /** 亮码: my badge with a freshly signed token */
    badge: z.object({}),
    /** 亮证: public — a scanned badge token or a typed plate */
    verify: verifyInput,
  },
  points: {
    /** 我的积分: balance (final / pending), hours, monthly and quarterly sums, latest entries */
    mine: z.object({}),
    entries: pointsPageInput,
    /** 志愿服务记录证明 (PDF) of my verified services */
    certificate: z.object({}),
    /** object to one of my entries while its month is published */
    object: objectInput,
    /** the county's rules (county admin) */
    rules: z.object({}),
    saveRules: saveRulesInput,
    /** staff: points, a commendation or hours by hand, with a reason */
    manual: manualPointsInput,
    /** township / county: a month's entries (or objections) of one township */
    review: reviewListInput,
    publish: reviewMonthInput,
    resolve: resolveObjectionInput,
    finalise: reviewMonthInput,
    /** public (masked names) or staff (full): volunteers or teams by points for a month or a year */
    ranking: rankingInput,
  },
  store: {
    /** items of the caller's county / township (volunteers: what they can redeem this quarter) */
    items: storeListInput,
    /** county / township admins add or change an item */
    saveItem: storeItemInput,
    redeem: redeemInput,
    /** my redemptions with their codes */
    mine: z.object({}),
    /** store keeper (staff): what a code is for */
    lookup: codeInput,
    /** store keeper: hand the item over */
    handover: codeInput,
  },
  stats: {
    /** staff: the dashboard of their node or a node below it, for a period */
    dashboard: dashboardInput,
    /** 红黑榜: the county's formula and thresholds (county admin), versioned like the points rules */
    honorRules: z.object({}),
    saveHonorRules: saveHonorRulesInput,
    /** county / township staff: the month's villages or teams as they rank now (or as published) */
    honorDraft: honorDraftInput,
    /** county admin, after the month: the immutable published list */
    honorPublish: honorPublishInput,
    /** public: a published month (default the latest) with its 广播稿 */
    honorList: honorListInput,
    /** public: the published month's poster (PNG, drawn once, kept in storage) */
    honorPoster: honorPosterInput,
  },
  export: {
    /** staff: export orders / volunteers / points of their scope as a job (xlsx or csv) */
    start: exportStartInput,
    /** the job's owner: advance it by a bounded amount of work; the URL once done */
    step: exportStepInput,
    /** my recent exports (download links of finished ones) */
    jobs: exportJobsInput,
  },
} as const

export type FunctionName = keyof typeof API
export type ActionName<F extends FunctionName> = keyof (typeof API)[F] & string
export type ActionInput<F extends FunctionName, A extends ActionName<F>> = z.input<(typeof API)[F][A] & z.ZodType>

// ---------- what the app gets back ----------
export type GridView = {
  id: string
  code: string
  name: string
  level: string
  villageName: string
  townshipName: string
  /** grid-tree ids of the village and township (e.g. the showcase feed's nodeId) */
  villageId?: string | null
  townshipId?: string | null
  hotline: string | null
  leaderName: string | null
  /**
   * orders still open at this signboard, so a villager can follow one instead of duplicating;
   * `id` only on the viewer's own (their detail opens), the others say no more than this
   */
  openOrders: { no: string; serviceName: string; status: OrderState; createdAt: number; id?: string }[]
}

/** A service on the landing and the hotline form; `fields` and `emergency` only when the service has them. */
export type ServiceView = { id: string; name: string; category: string; description: string | null; fields?: ServiceField[]; emergency?: Emergency }

/** The catalogue editor: every service in order, with what the county's settings say about it. */
export type CatalogueItemView = {
  id: string
  name: string
  category: string
  description: string
  skill: string
  sort: number
  active: boolean
  fields: ServiceField[]
  emergency: Emergency | null
  sensitive: boolean
  /** its own time limits (null: the defaults) */
  limits: StageLimits | null
  /** its own base points (null: none of its own) and what a confirmed fix earns now, by which rule */
  basePoints: number | null
  pointsNow: number | null
  pointsRule: string | null
}
export type CatalogueView = {
  countyId: string
  countyName: string
  services: CatalogueItemView[]
  defaults: StageLimits
  /** the versions the edits start from (compare-and-set) */
  timelinessBase: number | null
  pointsVersion: number
}

export type HistoryView = Omit<HistoryEntry, 'at' | 'by'> & { at: number }

export type OrderView = {
  id: string
  no: string
  status: OrderState
  source: OrderSource
  gridCode: string
  gridName: string
  villageName: string
  townshipName: string
  serviceName: string
  category: string
  description: string
  contactName: string | null
  contactPhone: string
  preferredTime: string | null
  /** a voice note (staff and the serving volunteer play it; never on public pages); url: a temp URL when it resolved */
  voice?: { fileId: string; seconds: number; url: string | null } | null
  /** 帮家人点单: the family member it is for (phone masked as the contact's is) */
  forFamily?: { name: string; phone: string } | null
  /** 帮家人点单, seen by that family member: someone else ordered it (they confirm and cancel it) */
  orderedForYou?: boolean
  createdAt: number
  updatedAt: number
  history: HistoryView[]
  /** answers to the service's extra fields (附加信息), with their labels */
  extras?: { label: string; value: string }[]
  /** 网格上报: the kind found, the household or spot, and the photos (fileIDs; photoUrls: temp URLs to display) */
  report?: { kind: string; kindLabel: string; spot: string | null; photos: string[]; photoUrls: string[] } | null
  /** a dispute or a person needing help: public pages never show it */
  sensitive?: boolean
  /** the five-step loop (absent on views built before it) */
  assignee?: { id: string; name: string; teamId: string | null } | null
  team?: { id: string; name: string } | null
  /**
   * photos: storage fileIDs; photoUrls: http(s) temp URLs of those that resolved (display these);
   * hours: check-in to completion, capped by the county's rule (null on orders completed before points);
   * verified: whether the check-in was verified on site (the villager's code or the signboard)
   */
  completion?: { note: string; photos: string[]; photoUrls: string[]; at: number; hours?: number | null; verified?: boolean | null } | null
  /** 到场签到: when, and how it was verified (absent before check-in) */
  arrival?: { at: number; verified: boolean; method: 'villager' | 'signboard' | 'none' } | null
  /** only an approved rating counts in any score */
  rating?: { fixed: boolean; stars: number; comment: string; status: ReviewStatus; at: number | null; reason: string | null } | null
  /** the order's showcase, if one was submitted; reason when rejected */
  showcase?: { id: string; status: ReviewStatus; reason: string | null } | null
  /** the current stage's clock; null once closed */
  clock?: ClockView | null
  /** the latest 督办 */
  supervision?: SupervisionView | null
  /** the latest extension request, and how many were granted */
  extension?: ExtensionView | null
  extensionsUsed?: number
  /** work lists: where this item stands in the list (pass the last one as `after`) */
  cursor?: string
}

export type ClockView = {
  stage: Stage
  /** ms */
  dueAt: number
  remindAt: number | null
  overdue: boolean
  /** confirm stage: waiting for a follow-up call */
  followUp: boolean
  /** e.g. 半个工作日 (null in the confirm stage) */
  limitText: string | null
  /** who has the order now, e.g. 东关村实践站 / 志愿者刘志刚 */
  holder: string
  /** the villager's plain-language line (who, by when, what if late) */
  line: string | null
}
export type SupervisionView = {
  byName: string
  role: StaffRole
  /** the level that must answer */
  to: StaffRole
  instruction: string
  at: number
  replyBy: number
  status: SupervisionStatus
  reply: { text: string; at: number; byName: string } | null
}
export type ExtensionView = {
  byName: string
  role: StaffRole
  reason: string
  workdays: number
  at: number
  status: Extension['status']
  decision: { byName: string; at: number; reason: string | null } | null
}

export type TimelinessView = {
  countyId: string
  countyName: string
  settings: TimelinessSettings
  /** the active catalogue, for per-service limits */
  services: { id: string; name: string; category: string }[]
  /** years the built-in national holiday arrangement covers; other years need the county's own entries */
  nationalYears: number[]
  updatedAt: number | null
  updatedBy: string | null
}
export type { TimeLimit }

/** A showcase (晒). Public views (feed) carry no phone numbers and no user ids. */
export type ShowcaseView = {
  id: string
  orderId: string
  orderNo: string
  serviceName: string
  category: string
  gridName: string
  villageName: string
  townshipName: string
  story: string
  /** storage fileIDs */
  photos: string[]
  /** http(s) temp URLs of the photos that resolved (display these) */
  photoUrls: string[]
  /** 'villager': 村民晒单 (name masked in the feed, e.g. 张**); 'team': the team's own */
  author: { kind: 'villager' | 'team'; name: string }
  teamName: string | null
  volunteerName: string | null
  status: ReviewStatus
  /** why it was rejected (own / staff views only) */
  reason: string | null
  createdAt: number
  approvedAt: number | null
}

/** One item of the approval queue. `id` is what approve / rejectApproval take. */
export type ApprovalItemView = {
  kind: ApprovalKind
  /** rating: the order id; showcase: the showcase id */
  id: string
  orderId: string
  orderNo: string
  serviceName: string
  gridName: string
  villageName: string
  townshipName: string
  status: ReviewStatus
  /** when it was submitted (ms); page with `before` = the last item's submittedAt */
  submittedAt: number
  /** who submitted it (villager name or team) */
  authorName: string
  volunteerName: string | null
  rating: { fixed: boolean; stars: number; comment: string } | null
  showcase: { story: string; photos: string[]; photoUrls: string[] } | null
  reason: string | null
  reviewedBy: string | null
  reviewedAt: number | null
}

export type SuggestedVolunteer = {
  id: string
  name: string
  plate: string | null
  teamId: string | null
  teamName: string | null
  sameGrid: boolean
  skillMatch: boolean
  /** orders accepted / in service now */
  load: number
  /** short Chinese reasons, e.g. ['同网格', '擅长水电', '当前空闲'] */
  reasons: string[]
}
export type SuggestedTeam = { id: string; name: string; captainName: string | null; skillMatch: boolean; load: number; memberCount: number }
export type SuggestView = { skill: string | null; volunteers: SuggestedVolunteer[]; teams: SuggestedTeam[] }

/** A team member on the captain's desk: how many open orders they hold (dispatched to them, accepted, in service). */
export type TeamMemberView = { id: string; name: string; plate: string | null; captain: boolean; busy: number }
export type TeamDeskView = {
  team: { id: string; name: string }
  /** the team's orders still to be taken (pooled or dispatched to the team), then those its members hold, most urgent first */
  waiting: OrderView[]
  held: OrderView[]
  members: TeamMemberView[]
}

export type InboxItemView = { id: string; orderId: string; orderNo: string; kind: NoticeKind; text: string; read: boolean; createdAt: number }
export type InboxView = { items: InboxItemView[]; unread: number }

export type MeView = {
  openId: string
  name: string
  roles: { role: Role; nodeId: string; nodeName: string }[]
  /** where this person's photo uploads go (only files there can be attached) */
  uploadPrefix: string
  /** subscription-message template ids to ask consent for at each tap (weapp; empty when none are configured) */
  subscribe?: Record<SubscribeMoment, string[]>
  /** the phone this person last gave on an order of their own, else their user record's: prefills the order form */
  phone: string | null
}

// ---------- grid tree administration ----------
export type TreeView = {
  /** null when no nodeId was given: `children` are then the caller's own staff nodes */
  node: GridNodeView | null
  ancestors: { id: string; code: string; name: string }[]
  children: GridNodeView[]
  /** may the caller change this subtree (county / township grant covering it) */
  canEdit: boolean
  /** the deepest level allowed below the county (configurable per county) */
  maxLevel: string
}
export type GridOption = { id: string; code: string; name: string; level: string; villageName: string; townshipName: string; active: boolean }
export type ImportReport = {
  dryRun: boolean
  /** data rows read (header excluded) */
  rows: number
  /** nodes created (dry run: nodes the import would create; 0 when any row was bad) */
  created: number
  /** nodes the file names that already existed (matched by name under the same parent) */
  existing: number
  /** every bad row, 1-based line numbers as a spreadsheet shows them; any error → nothing written */
  errors: { line: number; reason: string }[]
  ms: number
}
export type StaffView = { userId: string; name: string; phone: string | null; role: Role; nodeId: string; nodeName: string }
export type UserOption = { id: string; name: string; phone: string | null; plate: string | null; roles: { role: Role; nodeId: string }[] }

// ---------- signboards ----------
export type SignboardResult = { fileId: string; url: string; pages: number; bytes: number; ms: number; fileName: string }
export type JobView = { id: string; status: 'running' | 'done' | 'failed'; done: number; total: number; message: string | null }

// ---------- volunteers ----------
export type BadgeView = {
  volunteer: VolunteerView
  token: string
  /** what the QR encodes: the public verify page with the token */
  verifyUrl: string
  /** the QR as a data:image/png;base64 URL */
  qr: string
  expiresAt: number
}
export type VerifyView = {
  result: 'verified' | 'suspended' | 'invalid' | 'expired'
  /** one plain sentence for the person at the door */
  message: string
  name: string | null
  plate: string | null
  teamName: string | null
  gridName: string | null
  villageName: string | null
  townshipName: string | null
  photoUrl: string | null
}

// ---------- points and the store ----------
export type PointEntryView = {
  id: string
  kind: EntryKind
  trigger: PointTrigger | null
  title: string
  category: string
  points: number
  hours: number | null
  hoursKind: HoursKind | null
  month: string
  orderId: string | null
  orderNo: string | null
  serviceName: string | null
  reason: string | null
  capped: boolean
  at: number
  userName: string
  plate: string | null
  by: string | null
  objection: { status: 'open' | 'accepted' | 'refused'; reason: string; answer: string | null } | null
  /** the owner may still object (its month is published and the window open) */
  objectable: boolean
}
export type MonthSummary = { month: string; points: number; hours: number; state: ReviewState }
export type MyPointsView = {
  name: string
  plate: string | null
  final: number
  pending: number
  hours: Record<HoursKind, number>
  months: MonthSummary[]
  quarters: { quarter: string; points: number; hours: number }[]
  entries: PointEntryView[]
}
export type PointRulesView = {
  countyId: string
  countyName: string
  version: number
  rules: PointRules
  updatedAt: number | null
  updatedBy: string | null
  services: { id: string; name: string; category: string }[]
}
export type ReviewView = {
  townshipId: string
  townshipName: string
  month: string
  state: ReviewState
  publishedAt: number | null
  objectUntil: number | null
  finalAt: number | null
  openObjections: number
  entries: PointEntryView[]
  /** the next page starts after this */
  next: string | null
}
export type RankingRow = { rank: number; id: string; name: string; plate: string | null; teamName: string | null; points: number; hours: number }
export type RankingView = { period: string; subject: 'person' | 'team'; scopeName: string; full: boolean; rows: RankingRow[] }
export type CertificateView = { url: string; fileId: string; fileName: string; certificateNo: string; services: number; hours: number }
export type StoreItemView = {
  id: string
  nodeId: string
  nodeName: string
  name: string
  description: string
  photo: string | null
  photoUrl: string | null
  price: number
  stock: number
  place: string
  quarters: string[]
  active: boolean
  /** open for redemption this quarter */
  open: boolean
}
export type StoreView = { quarter: string; available: number; items: StoreItemView[] }
export type RedemptionView = {
  id: string
  code: string
  itemId: string
  itemName: string
  place: string
  price: number
  state: RedemptionState
  userName: string
  plate: string | null
  createdAt: number
  expiresAt: number
  collectedAt: number | null
  collectedBy: string | null
  /** data URL of the code's QR (mine only) */
  qr: string | null
}

export type ActionOutput = {
  grid: {
    timeliness: TimelinessView
    saveTimeliness: TimelinessView
    resolve: GridView
    catalogue: ServiceView[]
    tree: TreeView
    create: GridNodeView
    update: GridNodeView
    move: GridNodeView
    setActive: GridNodeView
    importCsv: ImportReport
    search: GridOption[]
    services: CatalogueView
    saveService: CatalogueView
    reorderServices: CatalogueView
    setServiceActive: CatalogueView
  }
  signboard: { generate: SignboardResult; progress: JobView }
  order: {
    place: OrderView
    placeHotline: OrderView
    patrol: OrderView
    patrolGrids: PatrolGridView[]
    ledger: OrderView[]
    teamDesk: TeamDeskView
    assign: OrderView
    mine: OrderView[]
    detail: OrderView
    incoming: OrderView[]
    dispatch: OrderView
    openPool: OrderView
    redispatch: OrderView
    reject: OrderView
    escalate: OrderView
    refer: OrderView
    close: OrderView
    cancel: OrderView
    confirm: OrderView
    /** volunteer task lists; the villager's phone is masked unless the caller is serving the order now */
    tasks: OrderView[]
    accept: OrderView
    decline: OrderView
    checkIn: OrderView
    arrivalCode: { code: string; qr: string; validUntil: number }
    complete: OrderView
    handBack: OrderView
    recall: OrderView
    followUp: OrderView
    supervise: OrderView
    answerSupervision: OrderView
    requestExtension: OrderView
    decideExtension: OrderView
    suggest: SuggestView
    approvals: ApprovalItemView[]
    approve: ApprovalItemView
    rejectApproval: ApprovalItemView
  }
  showcase: { create: ShowcaseView; mine: ShowcaseView[]; feed: ShowcaseView[] }
  inbox: { inbox: InboxView; readInbox: { updated: number; unread: number } }
  user: { me: MeView; subscribe: { recorded: string[] }; wxPhone: { phone: string }; search: UserOption[]; grant: StaffView; revoke: { removed: boolean }; staff: StaffView[]; audit: AuditEntryView[] }
  volunteer: {
    register: VolunteerView
    mine: VolunteerView | null
    list: VolunteerView[]
    approve: VolunteerView
    reject: VolunteerView
    suspend: VolunteerView
    restore: VolunteerView
    badge: BadgeView
    verify: VerifyView
  }
  points: {
    mine: MyPointsView
    entries: PointEntryView[]
    certificate: CertificateView
    object: PointEntryView
    rules: PointRulesView
    saveRules: PointRulesView
    manual: PointEntryView
    review: ReviewView
    publish: ReviewView
    resolve: PointEntryView
    finalise: ReviewView
    ranking: RankingView
  }
  store: { items: StoreView; saveItem: StoreItemView; redeem: RedemptionView; mine: RedemptionView[]; lookup: RedemptionView; handover: RedemptionView }
  stats: {
    dashboard: DashboardView
    honorRules: HonorRulesView
    saveHonorRules: HonorRulesView
    honorDraft: HonorDraftView
    honorPublish: HonorListView
    honorList: HonorListView
    honorPoster: HonorPosterView
  }
  export: { start: ExportJobView; step: ExportJobView; jobs: ExportJobView[] }
}

// kept here for its callers; it lives in errors.ts so that pages need not load the whole contract
export { describeZodError } from './errors'
export type { GridNodeView } from './tree'
export type { VolunteerView } from './volunteer'
