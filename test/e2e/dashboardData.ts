import { PRIVACY_VERSION } from '../../src/core'
import type { TestRuntime } from '../helpers/runtime'

/**
 * A month of orders for the dashboard suite, placed and moved through the loop with the
 * functions' clock set to each step's time (no person in the suite does these steps). Each
 * order says in its description where and when it was placed (`XF010101-11-03`), so a list
 * can be checked by eye and by test.
 */
export const VILLAGER = 'u_villager_zhang'
export const STATION_DG = 'u_station_dg' // 东关村
export const STATION_XS = 'u_station_xs' // 西山村
export const TOWNSHIP = 'u_township_dg' // 东关镇

/** fixed: served and confirmed with `stars` (approved); closed: closed by staff; late: never dispatched (the sweep escalates it); cancelled; completed: waiting for the villager */
export type Fate = 'fixed' | 'closed' | 'late' | 'cancelled' | 'completed'
export type Spec = { day: string; grid: string; service: string; category: string; fate: Fate; stars?: number; hotline?: boolean }

const S = {
  water: ['svc_01', '生活帮扶'],
  appliance: ['svc_02', '生活帮扶'],
  errand: ['svc_03', '生活帮扶'],
  care: ['svc_04', '生活帮扶'],
  dispute: ['svc_05', '邻里调解'],
  family: ['svc_06', '邻里调解'],
  policy: ['svc_07', '邻里调解'],
  lamp: ['svc_09', '安全隐患'],
  clean: ['svc_10', '安全隐患'],
  clinic: ['svc_11', '文化健康'],
  haircut: ['svc_12', '文化健康'],
} as const
const spec = (day: string, grid: string, svc: keyof typeof S, fate: Fate, extra: Partial<Spec> = {}): Spec => ({ day, grid, service: S[svc][0], category: S[svc][1], fate, ...extra })

/** 东关镇: 东关村 (XF010101, XF010102) and 南街社区 (XF010201, XF010202); 柳树村 has none. 西山村 (another township) must never show. */
export const SPECS: Spec[] = [
  // October (上月 when the clock says late November)
  spec('2026-10-15', 'XF010101', 'water', 'fixed', { stars: 4 }),
  spec('2026-10-20', 'XF010102', 'appliance', 'fixed', { stars: 4 }),
  spec('2026-10-22', 'XF010101', 'haircut', 'closed'),
  // November
  spec('2026-11-02', 'XF010101', 'water', 'fixed', { stars: 5 }),
  spec('2026-11-03', 'XF010101', 'water', 'late'),
  spec('2026-11-04', 'XF010102', 'care', 'late'),
  spec('2026-11-05', 'XF010101', 'appliance', 'fixed', { stars: 5, hotline: true }),
  spec('2026-11-06', 'XF010201', 'dispute', 'fixed', { stars: 4 }),
  spec('2026-11-09', 'XF010102', 'lamp', 'fixed', { stars: 4 }),
  spec('2026-11-10', 'XF010101', 'haircut', 'closed'),
  spec('2026-11-11', 'XF010101', 'errand', 'cancelled'),
  spec('2026-11-12', 'XF010101', 'errand', 'fixed', { stars: 5 }),
  spec('2026-11-13', 'XF010201', 'policy', 'fixed', { stars: 5 }),
  spec('2026-11-16', 'XF010102', 'water', 'fixed', { stars: 4 }),
  spec('2026-11-17', 'XF010102', 'clinic', 'closed'),
  spec('2026-11-19', 'XF010101', 'clean', 'fixed', { stars: 5, hotline: true }),
  spec('2026-11-20', 'XF010202', 'dispute', 'fixed', { stars: 3 }),
  spec('2026-11-23', 'XF010101', 'water', 'fixed', { stars: 5 }),
  spec('2026-11-27', 'XF010201', 'family', 'completed'),
  // another township: never in 东关镇's numbers
  spec('2026-11-08', 'XF020101', 'water', 'fixed', { stars: 1 }),
  spec('2026-11-14', 'XF020101', 'haircut', 'closed'),
]

/** What the specs of a period and area add up to, counted here from the plan (not by the app's code). */
export function expected(specs: Spec[], from: string, to: string, gridPrefix: string) {
  const mine = specs.filter((s) => s.day >= from && s.day <= to && s.grid.startsWith(gridPrefix))
  const count = (f: Fate) => mine.filter((s) => s.fate === f).length
  const fixed = count('fixed')
  const closed = fixed + count('closed')
  const rated = mine.filter((s) => s.fate === 'fixed')
  const starSum = rated.reduce((a, s) => a + (s.stars ?? 0), 0)
  return {
    total: mine.length,
    open: count('late') + count('completed'),
    closed,
    fixed,
    overdue: count('late'),
    fixedRate: closed ? Math.round((fixed / closed) * 1000) / 10 : null,
    satisfaction: rated.length ? Math.round((starSum / rated.length) * 10) / 10 : null,
    ratings: rated.length,
    hotline: mine.filter((s) => s.hotline).length,
    scan: mine.filter((s) => !s.hotline).length,
  }
}

const DG_VOLUNTEER = 'u_vol_02' // 刘志刚, 东关村网格服务队
const NJ_VOLUNTEER = 'u_vol_09' // 和事佬调解队 (serves every grid of 东关镇)
const XS_VOLUNTEER = 'u_vol_15' // 西山村红袖箍巡逻队

/** 09:00 in Shanghai on `day`, plus `minutes`. */
const atDay = (day: string, minutes = 0) => new Date(new Date(`${day}T09:00:00+08:00`).getTime() + minutes * 60_000)

export async function placeSpecs(rt: TestRuntime, specs: Spec[] = SPECS): Promise<Map<Spec, string>> {
  const ok = async (fn: string, action: string, data: unknown, who: string, at: Date) => {
    const r = await rt.call(fn, action, data, who, at)
    if (!r.ok) throw new Error(`${fn}.${action} as ${who} at ${at.toISOString()}: ${r.code} ${r.message}`)
    return r.data
  }
  const gridIds = new Map<string, string>()
  for (const code of new Set(specs.map((s) => s.grid))) {
    const res = await rt.db.collection('grids').where({ code }).limit(1).get()
    gridIds.set(code, (res.data[0] as { _id: string })._id)
  }
  const ids = new Map<Spec, string>()
  let n = 0
  for (const s of specs) {
    const t = (m: number) => atDay(s.day, m)
    const desc = `请帮忙处理（${s.grid}-${s.day.slice(5)}）`
    const dongguan = s.grid.startsWith('XF0101')
    const xishan = s.grid.startsWith('XF02')
    const staff = dongguan ? STATION_DG : xishan ? STATION_XS : TOWNSHIP
    const volunteer = dongguan ? DG_VOLUNTEER : xishan ? XS_VOLUNTEER : NJ_VOLUNTEER
    const placed = s.hotline
      ? await ok('order', 'placeHotline', { requestId: `dash_${++n}_${s.day}`, gridId: gridIds.get(s.grid), serviceId: s.service, description: desc, callerName: '王大娘', callerPhone: '13800003333' }, staff, t(0))
      : await ok('order', 'place', { requestId: `dash_${++n}_${s.day}`, gridCode: s.grid, serviceId: s.service, description: desc, contactPhone: '13800001111', contactName: '张大爷', privacyVersion: PRIVACY_VERSION }, VILLAGER, t(0))
    const id = placed.id as string
    ids.set(s, id)
    // a hotline order's result is confirmed by the staff member who took the call
    const requester = s.hotline ? staff : VILLAGER
    if (s.fate === 'closed') await ok('order', 'close', { id, reason: '村民已自行解决，无需上门' }, staff, t(120))
    if (s.fate === 'cancelled') await ok('order', 'cancel', { id }, VILLAGER, t(20))
    if (s.fate === 'fixed' || s.fate === 'completed') {
      await ok('order', 'dispatch', { id, volunteerId: volunteer }, staff, t(30))
      await ok('order', 'accept', { id }, volunteer, t(60))
      await ok('order', 'checkIn', { id }, volunteer, t(90))
      await ok('order', 'complete', { id, note: '已上门处理好了' }, volunteer, t(150))
    }
    if (s.fate === 'fixed') {
      await ok('order', 'confirm', { id, fixed: true, stars: s.stars, comment: '' }, requester, t(240))
      // ratings count once approved, by staff of the area other than the one who gave it
      await ok('order', 'approve', { kind: 'rating', id }, requester === staff && staff !== TOWNSHIP ? (xishan ? 'u_county' : TOWNSHIP) : staff, t(300))
    }
  }
  return ids
}
