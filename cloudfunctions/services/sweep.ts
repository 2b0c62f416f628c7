// The sweep: every few minutes (a timer in the cloud, a loop in the local runtime,
// or any outside scheduler calling the `clock` function) it does what the clocks
// of open orders say is due — 催办, 超时 (and the automatic 上报 of an undispatched
// village order), 待回访, the unconfirmed close — and marks overdue 督办.
//
// Due orders are found through an index (`clock.armed` + `clock.nextAt`, and open
// 督办 by `supervision.replyBy`), never by scanning. Each step is one transition
// with a compare-and-set on the exact event read (status + clock.next + clock.nextAt,
// or the 督办's deadline), so overlapping or retried sweeps do each step exactly once;
// a step done leaves the query, so a sweep cut short resumes where it stopped.
import { clockAfter, countyOf, OPEN_STATES, startClock, SYSTEM_CALLER, type Clock, type ClockEvent, type Order, type OrderAction, type Team } from '../../src/core'
import { recordOverdueDue } from './ledger'
import { expireRedemptions } from './store'
import { refreshStats } from './stats'
import { finishPendingMoves } from './moves'
import { sweepExports } from './exports'
import type { FilesPort } from '../shared/files'
import type { Db } from '../shared/context'
import type { StaffMemo } from './inbox'
import { applyTransition, type Plan } from './loop'
import { loadTimeliness } from './timeliness'

const PAGE = 100
const PARALLEL = 10
/** a run gives up after this many orders it could not step (they are logged; the next run tries again) */
const MAX_STUCK = 200

export type SweepReport = { backfilled: number; picked: number; reminded: number; overdue: number; escalated: number; followUps: number; autoClosed: number; supervisionsOverdue: number; lost: number; failed: number; pointsRecorded: number; redemptionsExpired: number; movesFinished: number; statsUnits: number; ms: number; exportSteps?: number }

/**
 * The event to do now: a reminder whose deadline has passed too (the sweep did not run
 * for a while) is skipped for the deadline; likewise a follow-up whose close time passed.
 */
function dueEvent(c: Clock, now: Date): ClockEvent {
  if (c.next === 'remind' && c.dueAt.getTime() <= now.getTime()) return 'overdue'
  if (c.next === 'followUp' && c.closeAt && c.closeAt.getTime() <= now.getTime()) return 'autoClose'
  return c.next!
}

/** What the clock's event does to an order in this status. */
function stepFor(order: Order, event: ClockEvent): { action: OrderAction; key: keyof SweepReport } {
  switch (event) {
    case 'remind':
      return { action: 'remind', key: 'reminded' }
    case 'overdue':
      // 大事不出乡: an undispatched village order goes up to its township when late
      return order.status === 'pending' ? { action: 'autoEscalate', key: 'escalated' } : { action: 'markOverdue', key: 'overdue' }
    case 'followUp':
      return { action: 'followUpDue', key: 'followUps' }
    case 'autoClose':
      return { action: 'autoClose', key: 'autoClosed' }
  }
}

async function captainOf(db: Db, order: Order): Promise<string | undefined> {
  if (!order.team || order.assignee) return undefined
  const team = (await db.collection('teams').doc(order.team.id).get()).data[0] as Team | undefined
  return team?.captainId
}

/**
 * Do what is due at `now`. Round trips: one query per page of due orders, then per
 * order its compare-and-set (1), notifications (inbox + outbox inserts, at once) and, for
 * a reminder to a team, the team (1); staff of a village or township are read once per
 * run. `maxOrders` bounds one run (a timer run must end in time); the next run finds the rest.
 */
export async function sweep(p: { db: Db; now: () => Date; maxOrders?: number; files?: FilesPort }): Promise<SweepReport> {
  const { db } = p
  const started = Date.now()
  const now = p.now()
  const _ = db.command
  const report: SweepReport = { backfilled: 0, picked: 0, reminded: 0, overdue: 0, escalated: 0, followUps: 0, autoClosed: 0, supervisionsOverdue: 0, lost: 0, failed: 0, pointsRecorded: 0, redemptionsExpired: 0, movesFinished: 0, statsUnits: 0, ms: 0 }
  /** the staff of each village and township, looked up once per run (notices go to many orders of the same ones) */
  const staff: StaffMemo = new Map()
  /** orders a step failed on (they still match): left out of the next pages of this run */
  const stuck: string[] = []
  const max = p.maxOrders ?? 2000

  async function one(order: Order) {
    const s = order.supervision
    if (s?.status === 'open' && s.replyBy.getTime() <= now.getTime()) {
      // an unanswered 督办 is overdue itself (the 超时 lists show it too); the stage's own clock is left alone
      const plan: Plan = {
        guard: () => ({ 'supervision.status': 'open', 'supervision.at': s.at }),
        fields: () => ({ set: { supervision: { ...s, status: 'overdue' } } }),
      }
      if (await attempt(order, 'superviseOverdue', plan)) report.supervisionsOverdue++
      return // the clock's own event (if also due) comes back in a later page, on the fresh document
    }
    const c = order.clock
    if (!c?.next || !c.nextAt || c.nextAt.getTime() > now.getTime()) {
      stuck.push(order._id) // matched the query but has nothing due (inconsistent data): don't pick it again
      return
    }
    const event = dueEvent(c, now)
    const step = stepFor(order, event)
    const after: Clock | null = clockAfter(c, event)
    const plan: Plan = {
      guard: () => ({ 'clock.next': c.next, 'clock.nextAt': c.nextAt }),
      // autoEscalate and autoClose move the order: the transition starts the next stage's clock (or none)
      fields: async () => ({
        set: {
          ...(step.action === 'autoEscalate' || step.action === 'autoClose' ? {} : { clock: after }),
          // the clock forgets a late stage once the next one starts; the order remembers it ran late (问题台账)
          ...((step.action === 'autoEscalate' || step.action === 'markOverdue') && !order.everOverdue ? { everOverdue: true } : {}),
        },
        ...(step.action === 'remind' ? { captainId: await captainOf(db, order) } : {}),
      }),
    }
    if (await attempt(order, step.action, plan)) report[step.key]++
  }

  /** true when this run did the step; false when another run (or a person) got there first, or it failed */
  async function attempt(order: Order, action: OrderAction, plan: Plan): Promise<boolean> {
    try {
      await applyTransition({ db, now, staff }, order, SYSTEM_CALLER, action, plan)
      return true
    } catch (e) {
      const code = (e as { code?: string }).code
      if (code === 'CONFLICT') report.lost++
      else {
        report.failed++
        stuck.push(order._id)
        console.error('[sweep] order', order._id, action, e)
      }
      return false
    }
  }

  report.backfilled = await backfill(db, now)
  const due = _.or([
    { 'clock.armed': true, 'clock.nextAt': _.lte(now) },
    { 'supervision.status': 'open', 'supervision.replyBy': _.lte(now), status: _.in([...OPEN_STATES]) },
  ])
  // a done step takes its order out of the query, so each page is the next one
  while (report.picked < max && stuck.length <= MAX_STUCK) {
    const res = await db
      .collection('orders')
      .where(stuck.length ? _.and([due, { _id: _.nin(stuck) }]) : due)
      .limit(PAGE)
      .get()
    const page = res.data as Order[]
    report.picked += page.length
    for (let i = 0; i < page.length; i += PARALLEL) await Promise.all(page.slice(i, i + PARALLEL).map(one))
    if (page.length < PAGE) break
  }
  // points a transition could not record (the function died in between) and codes not collected by the quarter's end
  report.pointsRecorded = await recordOverdueDue(db, now)
  report.redemptionsExpired = await expireRedemptions(db, now)
  // grid moves a function died in the middle of (before the rollups: their orders change village)
  report.movesFinished = await finishPendingMoves({ db, now: p.now })
  // rate limit counters whose longest window has ended (one call; a caller has a few per day)
  await db.collection('rateLimits').where({ expiresAt: _.lte(now) }).remove()
  // last, so the rollups include this run's own steps
  const stats = await refreshStats(db, now)
  report.statsUnits = stats.units
  // exports whose page was left: a bounded share of work per run (needs storage)
  if (p.files) report.exportSteps = (await sweepExports({ db, files: p.files, now: p.now })).advanced
  report.ms = Date.now() - started
  if (report.picked || report.pointsRecorded || report.redemptionsExpired || report.movesFinished) console.log('[sweep]', JSON.stringify(report))
  return report
}

/**
 * Open orders written before clocks existed (or by an import) get the clock of the stage
 * they are in, starting now; a page per run, through the status index.
 * Once every open order has one, this is one query that finds nothing.
 */
async function backfill(db: Db, now: Date): Promise<number> {
  const _ = db.command
  const res = await db
    .collection('orders')
    .where({ status: _.in([...OPEN_STATES]), clock: _.exists(false) })
    .limit(PAGE)
    .get()
  let n = 0
  for (const o of res.data as Order[]) {
    const rules = await loadTimeliness(db, countyOf(o), now.getTime())
    // counted from now: nobody was told of a deadline before, so none has passed yet
    const clock = startClock({ status: o.status, serviceId: o.serviceId, now, ...rules })
    const r = await db.collection('orders').where({ _id: o._id, status: o.status, clock: _.exists(false) }).update({ clock: _.set(clock) })
    n += r.updated ? 1 : 0
  }
  return n
}
