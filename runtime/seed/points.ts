// A seeded points history: ledger entries as the loop and staff would have made them
// under the default rules (version 0), with the balances, rollups and monthly reviews
// computed from exactly those entries the way the ledger's transaction does, and the
// store's items. Deterministic: the same seed gives the same ledger.
import dayjs from 'dayjs'
import { reviewId } from '../../cloudfunctions/services/points'
import { emptyBalance, entryFrom, foldEntry, lineOf, totalId, type BalanceDoc, type EntryDoc, type Owner, type TotalDoc } from '../../cloudfunctions/services/ledger'
import {
  DEFAULT_POINT_RULES,
  monthEnd,
  monthOf,
  orderNumber,
  quarterEnd,
  quarterOf,
  serviceHours,
  ZONE,
  type CommendationLevel,
  type GridNode,
  type PointEvent,
  type ReviewDoc,
  type Service,
  type VolunteerDoc,
} from '../../src/core'

/** Deterministic pseudo-random numbers (mulberry32), so two seeds are the same seed. */
export function rng(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
type Rand = () => number

/** The rules the seeded entries are made under: no county settings, so the defaults as version 0. */
const RULES = DEFAULT_POINT_RULES
const SEED_RULES = { version: 0, rules: RULES }

export type ReviewSeed = ReviewDoc & { _id: string; townshipId: string; month: string }
/** What store.ts stores for an item (saveItem's fields). */
export type StoreItemSeed = {
  _id: string
  nodeId: string
  nodeName: string
  countyId: string
  name: string
  description: string
  photo: string | null
  price: number
  stock: number
  place: string
  quarters: string[]
  active: boolean
  createdAt: Date
  updatedAt: Date
}

/** One volunteer and how many services a year they do (the rest of their entries follow from it). */
export type Earner = { volunteer: VolunteerDoc; servicesPerYear: number }

export type LedgerPlan = {
  seed: number
  earners: Earner[]
  services: Service[]
  /** entries fall in [from, until) */
  from: Date
  until: Date
  /** the seed's "now": months that ended before it are reviewed and final */
  now: Date
  townships: GridNode[]
}

// ---------- the fold: what the ledger's transaction does per entry ----------

/**
 * Balances and rollups from entries, folded as `writeLines` folds them (ledger.foldEntry).
 * Points of months in `final` go to the balance's `final` at once (what a redemption's
 * settling would do), the rest stay by month.
 */
export class Rollups {
  readonly balances = new Map<string, BalanceDoc>()
  readonly totals = new Map<string, TotalDoc>()
  constructor(private readonly final: (month: string) => boolean) {}

  add(e: EntryDoc, who: Owner) {
    let b = this.balances.get(who.id)
    if (!b) this.balances.set(who.id, (b = emptyBalance(who, e.createdAt)))
    foldEntry(b, this.totals, e, who, this.final(e.month))
  }
}

// ---------- events ----------

const HOUR = 3_600_000
const MANUAL_REASONS: [string, number][] = [
  ['参加防汛值守', 5],
  ['协助人口普查入户登记', 3],
  ['参与森林防火巡查', 4],
  ['组织村里文艺演出', 3],
  ['协助疫苗接种现场引导', 2],
  ['无故缺席集中服务活动', -2],
  ['服务中态度生硬，村民投诉属实', -3],
]
const MANUAL_HOURS: [string, number][] = [
  ['参加防汛值守', 4],
  ['春节慰问孤寡老人', 3],
  ['协助秋收互助', 6],
  ['清理村道积雪', 2.5],
]
const COMMENDATIONS: [CommendationLevel, number, string][] = [
  ['county', 0.0025, '获评县级优秀志愿者'],
  ['city', 0.0004, '获评市级优秀志愿者'],
  ['province', 0.00008, '获评省级优秀志愿者'],
  ['nation', 0.000008, '获评全国最美志愿者'],
]

// Local time without dayjs's time-zone plugin, which is far too slow for half a million
// entries: Asia/Shanghai is UTC+8 all year (no daylight saving since 1991). `ledger`
// checks these against the core's monthOf.
const DAY = 24 * HOUR
const OFFSET = 8 * HOUR
const localIso = (t: number) => new Date(t + OFFSET).toISOString()
const monthKey = (t: number) => localIso(t).slice(0, 7)
const dayKey = (t: number) => localIso(t).slice(0, 10).replace(/-/g, '')
const localMidnight = (t: number) => Math.floor((t + OFFSET) / DAY) * DAY - OFFSET
function nextMonthStart(t: number): number {
  const d = new Date(t + OFFSET)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - OFFSET
}

/** A local instant of the working day (07:00–19:00) of a random day in [from, until). */
function workingInstant(rand: Rand, from: number, until: number): number {
  const day = localMidnight(from + rand() * (until - from))
  return Math.min(until - 1, Math.max(from, day + 7 * HOUR + Math.floor(rand() * 12 * 60) * 60_000))
}

/**
 * The point events of one volunteer's period, oldest first: what the loop (pointEventsFor,
 * ratingEvent) and staff entries would have sent. The orders they name are made up: the
 * seeded order history has no assignees, so they are not in `orders`. Keys are left
 * empty: the entries get the seed's own (`seed:<n>`).
 */
function eventsOf(plan: LedgerPlan, earner: Earner, rand: Rand, orderSeq: { n: number }): PointEvent[] {
  const v = earner.volunteer
  const path = v.scopePath.slice(0, 3)
  const from = plan.from.getTime()
  const until = plan.until.getTime()
  const years = (until - from) / (365 * 24 * HOUR)
  const out: PointEvent[] = []
  const base = { userId: v._id, userName: v.name, path }
  const orderFacts = (s: Service, placed: number) => {
    const id = `seed${(orderSeq.n++).toString(16).padStart(10, '0')}`
    return { orderId: id, orderNo: orderNumber(dayKey(placed), id), serviceId: s._id, serviceName: s.name, category: s.category }
  }
  const push = (at: number, e: Omit<PointEvent, 'key' | 'at' | 'userId' | 'userName' | 'path'>) => {
    if (at < until) out.push({ key: '', at: new Date(at), ...base, ...e })
  }
  // mostly the services of their skills
  const own = plan.services.filter((s) => !!s.skill && v.skills.includes(s.skill))
  // emergency services are phoned, never ordered: nobody earns points for them
  const orderable = plan.services.filter((s) => !s.emergency)
  const pickService = () => {
    const pool = own.length && rand() < 0.7 ? own : orderable
    return pool[Math.floor(rand() * pool.length)]
  }
  const services = Math.round(earner.servicesPerYear * years * (0.7 + rand() * 0.6))
  for (let i = 0; i < services; i++) {
    const s = pickService()
    const placed = workingInstant(rand, from, until)
    const facts = orderFacts(s, placed)
    // 退单 / 收回: the volunteer had accepted, then it went to someone else
    const r = rand()
    if (r < 0.01 || r > 0.995) {
      push(placed + (1 + rand() * 6) * HOUR, { trigger: r < 0.01 ? 'handed_back' : 'recalled', ...facts })
      continue
    }
    const accepted = placed + (0.2 + rand() * 8) * HOUR
    if (rand() < 0.04) push(accepted, { trigger: 'accept_late', ...facts })
    const checkIn = accepted + (0.3 + rand() * 4) * HOUR
    const completed = checkIn + (0.25 + -Math.log(1 - rand() * 0.999) * 0.9) * HOUR
    const { hours, verified } = serviceHours({ at: new Date(checkIn), verified: rand() < 0.8 }, new Date(completed), RULES.hoursCap)
    if (hours) push(completed, { trigger: 'hours', hours, hoursKind: verified ? 'verified' : 'unverified', ...facts })
    if (rand() < 0.02) push(completed, { trigger: 'complete_late', ...facts })
    const outcome = rand()
    if (outcome > 0.97) continue // never confirmed (yet): only the hours
    const confirmed = completed + (0.1 + rand() * 72) * HOUR
    if (outcome > 0.93) {
      push(confirmed, { trigger: 'not_fixed', ...facts })
      continue
    }
    push(confirmed, { trigger: 'service_fixed', ...facts })
    if (hours && verified) push(confirmed, { trigger: 'service_hours', hours, ...facts })
    if (rand() < 0.55) push(confirmed + (2 + rand() * 46) * HOUR, { trigger: 'rating_approved', ...facts })
  }
  // staff entries, month by month while the volunteer is active
  const none = { orderId: null, orderNo: null, serviceId: null, serviceName: null, category: null }
  if (earner.servicesPerYear > 0) {
    for (let lo = from; lo < until; lo = nextMonthStart(lo)) {
      const hi = Math.min(until, nextMonthStart(lo))
      const by = { id: 'seed', name: `${v.townshipName}新时代文明实践所` }
      if (rand() < 0.02) {
        const [reason, points] = MANUAL_REASONS[Math.floor(rand() * MANUAL_REASONS.length)]
        push(workingInstant(rand, lo, hi), { trigger: 'manual', points, reason, by, ...none })
      }
      if (rand() < 0.02) {
        const [reason, hours] = MANUAL_HOURS[Math.floor(rand() * MANUAL_HOURS.length)]
        push(workingInstant(rand, lo, hi), { trigger: 'hours', hours, hoursKind: 'manual', reason, by, ...none })
      }
      for (const [level, p, reason] of COMMENDATIONS) if (rand() < p) push(workingInstant(rand, lo, hi), { trigger: 'commendation', level, reason, by, ...none })
    }
  }
  return out.sort((a, b) => a.at.getTime() - b.at.getTime())
}

/** The entry an event makes (the ledger's own lineOf and entryFrom), or null when no rule applies. */
function entryOf(e: PointEvent, id: string, who: Owner, used: (ruleId: string) => number): EntryDoc | null {
  const line = lineOf({ ...e, key: id }, SEED_RULES, used, monthKey(e.at.getTime()))
  return line ? entryFrom(line, who, e.at) : null
}

const monthStart = (month: string) => dayjs.tz(`${month}-01 00:00`, ZONE).toDate()

/** Months whose review is final: every month that ended before the month of `now`. */
export function finalMonthsBefore(from: Date, now: Date): string[] {
  const current = monthOf(now)
  const out: string[] = []
  for (let m = monthOf(from); m < current; m = monthOf(monthEnd(m))) out.push(m)
  return out
}

/**
 * The ledger of a plan. `entries()` yields the entries (person by person, each
 * person's oldest first) and folds each into `rollups` as it goes; once it is
 * exhausted, `rollups` holds the balances and rollups of exactly those entries.
 * `progress` counts the people done.
 */
export function ledger(plan: LedgerPlan) {
  for (const t of [plan.from, plan.until, new Date(nextMonthStart(plan.from.getTime()) - 1), new Date(nextMonthStart(plan.from.getTime()))]) {
    if (monthKey(t.getTime()) !== monthOf(t)) throw new Error(`local month of ${t.toISOString()}: ${monthKey(t.getTime())} ≠ ${monthOf(t)}`)
  }
  const finals = finalMonthsBefore(plan.from, plan.now)
  const isFinal = new Set(finals)
  const rollups = new Rollups((m) => isFinal.has(m))
  const reviews: ReviewSeed[] = plan.townships.flatMap((t) =>
    finals.map((month) => {
      const clamp = (d: Date) => (d > plan.now ? plan.now : d)
      const publishedAt = clamp(new Date(monthEnd(month).getTime() + 2 * 24 * HOUR + 10 * HOUR))
      const objectUntil = clamp(new Date(publishedAt.getTime() + RULES.publicationDays * 24 * HOUR))
      return { _id: reviewId(t._id, month), townshipId: t._id, month, state: 'final' as const, publishedAt, objectUntil, finalAt: clamp(new Date(objectUntil.getTime() + 24 * HOUR)), openObjections: 0 }
    }),
  )
  const progress = { people: 0, of: plan.earners.length }
  function* entries(): Generator<EntryDoc> {
    const rand = rng(plan.seed)
    const orderSeq = { n: 1 }
    let n = 0
    for (const earner of plan.earners) {
      progress.people++
      const v = earner.volunteer
      const who: Owner = {
        id: v._id,
        name: v.name,
        plate: v.plate ?? null,
        teamId: v.teamId ?? null,
        teamName: v.teamName ?? null,
        countyId: v.scopePath[0],
        townshipId: v.scopePath[1] ?? v.scopePath[0],
        villageId: v.scopePath[2] ?? v.scopePath[1] ?? v.scopePath[0],
      }
      for (const e of eventsOf(plan, earner, rand, orderSeq)) {
        const pm = rollups.totals.get(totalId('person', monthKey(e.at.getTime()), v._id))
        const entry = entryOf(e, `seed:${String(++n).padStart(7, '0')}`, who, (ruleId) => pm?.byRule?.[ruleId] ?? 0)
        if (!entry) continue
        rollups.add(entry, who)
        yield entry
      }
    }
  }
  return { entries, rollups, reviews, progress }
}

// ---------- the store ----------

const TOWNSHIP_ITEMS: [name: string, price: number, stock: number, description: string][] = [
  ['香皂', 5, 500, '每人每季度限兑2块'],
  ['牙膏', 8, 400, ''],
  ['毛巾', 10, 300, '纯棉，颜色随机'],
  ['挂面（2斤）', 15, 200, ''],
  ['洗衣液（2kg）', 20, 200, ''],
  ['酱油醋套装', 25, 150, ''],
  ['雨伞', 40, 80, ''],
  ['食用油（5L）', 50, 100, ''],
  ['大米（10斤）', 60, 100, '本地小米也可换'],
  ['保温杯', 80, 40, ''],
]
const COUNTY_ITEMS: [name: string, price: number, stock: number, description: string][] = [
  ['理发券（5次）', 30, 300, '县城合作理发店通用'],
  ['电热水壶', 200, 30, ''],
  ['电饭煲', 300, 20, ''],
  ['体检套餐', 500, 10, '县人民医院，预约后使用'],
]

/** Items of the county (when `county` is true) and of each township, open this quarter and the next. */
export function storeItemsSeed(p: { county: GridNode; townships: GridNode[]; now: Date; countyItems: boolean; perTownship: number }): StoreItemSeed[] {
  const { county, now } = p
  const quarters = [quarterOf(now), quarterOf(quarterEnd(quarterOf(now)))]
  const at = monthStart(monthOf(now))
  const item = (node: GridNode, i: number, [name, price, stock, description]: (typeof TOWNSHIP_ITEMS)[number], place: string): StoreItemSeed => ({
    _id: `item_${node.code}_${String(i + 1).padStart(2, '0')}`,
    nodeId: node._id,
    nodeName: node.name,
    countyId: county._id,
    name,
    description,
    photo: null,
    price,
    stock,
    place,
    quarters,
    active: true,
    createdAt: at,
    updatedAt: at,
  })
  return [
    ...(p.countyItems ? COUNTY_ITEMS.map((x, i) => item(county, i, x, `${county.name}新时代文明实践中心`)) : []),
    ...p.townships.flatMap((t) => TOWNSHIP_ITEMS.slice(0, p.perTownship).map((x, i) => item(t, i, x, `${t.name}新时代文明实践所`))),
  ]
}

// ---------- the two scales ----------

export type PointsSeed = { ledger: ReturnType<typeof ledger>; storeItems: StoreItemSeed[] }
type Data = { grids: GridNode[]; services: Service[]; volunteers?: VolunteerDoc[] }

/**
 * The county: every registered volunteer over the 12 months before `now` (about
 * 500,000 entries). Activity is skewed as in practice: a fifth never serve, most a few
 * times a year, a core of 2 % (and the demo accounts) about every working day or two.
 */
export function countyPoints(data: Data, now: Date): PointsSeed {
  const rand = rng(20261201)
  const earners = (data.volunteers ?? []).map((volunteer): Earner => {
    const r = rand()
    const servicesPerYear = volunteer._id.startsWith('u_vol_') ? 240 : r < 0.2 ? 0 : r < 0.22 ? 60 + rand() * 120 : -Math.log(1 - rand()) * 3.4
    return { volunteer, servicesPerYear }
  })
  const county = data.grids.find((g) => g.level === 'county')!
  const townships = data.grids.filter((g) => g.level === 'township')
  return {
    ledger: ledger({ seed: 20261202, earners, services: data.services, from: dayjs(now).subtract(1, 'year').toDate(), until: now, now, townships }),
    storeItems: storeItemsSeed({ county, townships, now, countyItems: true, perTownship: TOWNSHIP_ITEMS.length }),
  }
}

/**
 * Demo volunteers with a history. u_vol_02–u_vol_05 start clean (the integration tests
 * count their points), and so does 和事佬调解队 (u_vol_08–u_vol_13), so that
 * 东关村网格服务队 still leads 东关镇's team ranking as the tests expect.
 */
const DEMO_EARNERS: Record<string, number> = { u_vol_01: 120, u_vol_06: 60, u_vol_07: 40, u_vol_14: 150, u_vol_15: 70, u_vol_16: 50, u_vol_17: 30, u_vol_18: 60, u_vol_19: 20, u_vol_20: 40 }

/**
 * The demo county: the three complete months before `now`, all reviewed and final (so
 * nothing lands in the current month the tests work in), and a few items in 西山乡's
 * store (东关镇's and the county's stay empty for the tests' own items).
 */
export function demoPoints(data: Data, now: Date): PointsSeed {
  const earners = (data.volunteers ?? []).filter((v) => DEMO_EARNERS[v._id]).map((volunteer) => ({ volunteer, servicesPerYear: DEMO_EARNERS[volunteer._id] }))
  const county = data.grids.find((g) => g.level === 'county')!
  const townships = data.grids.filter((g) => g.level === 'township')
  const until = monthStart(monthOf(now))
  return {
    ledger: ledger({ seed: 20261203, earners, services: data.services, from: dayjs(until).tz(ZONE).subtract(3, 'month').toDate(), until, now, townships }),
    storeItems: storeItemsSeed({ county, townships: townships.filter((t) => t.name === '西山乡'), now, countyItems: false, perTownship: 3 }),
  }
}
