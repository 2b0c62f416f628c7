import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { planCandidates } from '../emulator'
import { startRuntime, type Runtime } from '../runtime/server'
import { seed, type Scale } from '../runtime/seed'
import { SEED_NOW } from '../runtime/seed/county'
import { DEMO_ACCOUNTS } from '../runtime/seed/demo'
import { refreshStats } from '../cloudfunctions/services/stats'
import { uploadPrefix } from '../cloudfunctions/shared/files'
import { monthOf, PRIVACY_VERSION, quarterOf, yearOf, type GridNode, type StoreView } from '../src/core'

/**
 * p50/p95 latency of the app's actions through the local runtime (HTTP → function →
 * real SDK → emulator → disk), and DB round trips per action as the emulator counts
 * them (target ≤ 2). `npm run bench` runs both scales; `-- --scale demo|county` one.
 */
const { values } = parseArgs({ options: { scale: { type: 'string' }, n: { type: 'string' } } })
const scales: Scale[] = values.scale ? [values.scale as Scale] : ['demo', 'county']
const N = Number(values.n ?? 200)

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]
}

async function login(rt: Runtime, userId: string) {
  const res = await fetch(`${rt.url}/dev/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId }) })
  return ((await res.json()) as { token: string }).token
}

async function measure(rt: Runtime, label: string, token: string, fn: string, event: (i: number) => unknown) {
  const times: number[] = []
  let trips = 0
  const start = rt.emulator.stats().byAction
  for (let i = 0; i < N; i++) {
    const before = rt.emulator.stats().total
    const t0 = performance.now()
    const res = await fetch(`${rt.url}/fn/${fn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(event(i)),
    })
    const body = (await res.json()) as { result: { ok: boolean; message?: string } }
    times.push(performance.now() - t0)
    trips += rt.emulator.stats().total - before
    if (!body.result.ok) throw new Error(`${label}: ${body.result.message}`)
  }
  const row = { action: label, n: N, p50_ms: +pct(times, 50).toFixed(2), p95_ms: +pct(times, 95).toFixed(2), db_round_trips: +(trips / N).toFixed(2) }
  console.log(`  ${label.padEnd(28)} p50 ${String(row.p50_ms).padStart(7)} ms   p95 ${String(row.p95_ms).padStart(7)} ms   round trips ${row.db_round_trips}`)
  if (row.db_round_trips > 6) {
    // which requests: a transaction's reads and writes are one request per document
    const end = rt.emulator.stats().byAction
    const per = Object.entries(end)
      .map(([a, n]) => [a.replace(/^database\./, ''), (n - (start[a] ?? 0)) / N] as const)
      .filter(([, n]) => n > 0)
      .map(([a, n]) => `${a} ${+n.toFixed(2)}`)
    console.log(`  ${''.padEnd(28)} per call: ${per.join(', ')}`)
  }
  return row
}

/** A real 1×1 PNG (complete's photos must be images in storage). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')

/**
 * The loop's hot actions on N fresh orders at the volunteer's grid: accept,
 * complete (with one stored photo), approve (a pending rating). The orders are
 * placed, dispatched and confirmed untimed, straight through the runtime.
 */
async function loopRows(rt: Runtime, run: string, station: string) {
  const vol = 'u_vol_02'
  const volToken = await login(rt, vol)
  const volUser = (await rt.db.collection('users').doc(vol).get()).data[0] as { roles: { nodeId: string }[] }
  const volGrid = (await rt.db.collection('grids').doc(volUser.roles[0].nodeId).get()).data[0] as { code: string }
  const must = async (fn: string, action: string, data: unknown, who: string) => {
    const r = (await rt.invoke(fn, { action, data }, who)) as { ok: boolean; data?: any; message?: string }
    if (!r.ok) throw new Error(`${fn}.${action}: ${r.message}`)
    return r.data
  }
  const ids: string[] = []
  for (let i = 0; i < N; i++) {
    const o = await must(
      'order',
      'place',
      { requestId: `benchloop_${run}_${i}`, gridCode: volGrid.code, serviceId: 'svc_01', description: '压测：厨房的灯不亮了', contactPhone: '13800001111', privacyVersion: PRIVACY_VERSION },
      'u_villager_zhang',
    )
    await must('order', 'dispatch', { id: o.id, volunteerId: vol }, 'u_station_dg')
    ids.push(o.id)
  }
  // photos must be the volunteer's own uploads (under their prefix)
  const photo = (await rt.app.uploadFile({ cloudPath: `${uploadPrefix(vol)}bench-${run}.png`, fileContent: PNG })).fileID
  const rows = [await measure(rt, 'order.accept', volToken, 'order', (i) => ({ action: 'accept', data: { id: ids[i] } }))]
  rows.push(await measure(rt, 'order.complete', volToken, 'order', (i) => ({ action: 'complete', data: { id: ids[i], note: '换了灯泡，已亮', photos: [photo] } })))
  // the villager confirms fixed: the transition and the ledger's transaction (base points)
  const villager = await login(rt, 'u_villager_zhang')
  rows.push(await measure(rt, 'order.confirm→points', villager, 'order', (i) => ({ action: 'confirm', data: { id: ids[i], fixed: true, stars: 5, comment: '很好' } })))
  rows.push(await measure(rt, 'order.approve rating', station, 'order', (i) => ({ action: 'approve', data: { kind: 'rating', id: ids[i] } })))
  rows.push(await measure(rt, 'order.approvals', station, 'order', () => ({ action: 'approvals', data: { kind: 'rating' } })))
  rows.push(await measure(rt, 'order.suggest', station, 'order', (i) => ({ action: 'suggest', data: { id: ids[i] } })))
  rows.push(await measure(rt, 'showcase.feed', station, 'showcase', () => ({ action: 'feed', data: {} })))
  return rows
}

/**
 * The sweep of order clocks (function `clock`), as the timer runs it: a catch-up run at
 * `at` (everything whose step is due, e.g. after the timer was down), the runs that
 * finish that backlog, then a steady-state run five minutes later. Wall time and DB
 * requests, which must grow with the due orders, not with all orders.
 */
async function sweepRows(rt: Runtime, at: Date) {
  const open = (await rt.db.collection('orders').where({ 'clock.armed': true }).count()).total
  const all = (await rt.db.collection('orders').count()).total
  console.log(`  sweep: ${all} orders, ${open} with a running clock`)
  const runs: { label: string; at: Date }[] = [
    { label: 'catch-up', at },
    { label: 'catch-up (rest)', at },
    { label: 'steady +5 min', at: new Date(at.getTime() + 5 * 60_000) },
    { label: 'steady +10 min', at: new Date(at.getTime() + 10 * 60_000) },
    // the orders the catch-up escalated all started their township clock then: their reminders come together
    { label: '+4 h (reminders)', at: new Date(at.getTime() + 4 * 3_600_000) },
  ]
  const rows = []
  for (const r of runs) {
    const before = rt.emulator.stats().total
    const t0 = performance.now()
    const res = (await rt.invoke('clock', {}, null, () => r.at)) as { ok: boolean; data: { picked: number; reminded: number; overdue: number; escalated: number; followUps: number; autoClosed: number; lost: number; failed: number; statsUnits: number } }
    const ms = performance.now() - t0
    const trips = rt.emulator.stats().total - before
    if (!res.ok) throw new Error('sweep failed')
    const d = res.data
    const steps = d.reminded + d.overdue + d.escalated + d.followUps + d.autoClosed
    console.log(
      `  ${`clock.sweep ${r.label}`.padEnd(30)} ${ms.toFixed(0).padStart(6)} ms   due ${String(d.picked).padStart(5)}   steps ${steps} (催办 ${d.reminded}, 超时 ${d.overdue}, 上报 ${d.escalated}, 回访 ${d.followUps}, 办结 ${d.autoClosed}), rollups ${d.statsUnits} grid-days   DB requests ${trips} (${d.picked ? (trips / d.picked).toFixed(1) : '-'} per due order)`,
    )
    rows.push({ action: `clock.sweep ${r.label}`, ms, due: d.picked, steps, db_requests: trips })
  }
  return rows
}

/**
 * How many documents the emulator tests for a query: the candidates its planner takes
 * from an index (equality on the index's leading fields), all of which are then matched
 * and, with orderBy, sorted (the emulator's sorting is not index-backed).
 */
function examined(rt: Runtime, collection: string, filter: Record<string, unknown>): string {
  // a diagnostic: the store is the emulator's own
  const coll = rt.emulator['store'].collection(collection)!
  const ids = planCandidates(coll, filter)
  return `${ids ? ids.length : `${coll.docs.size} (full scan)`} of ${coll.docs.size}`
}

const previousMonth = (m: string) => (m.endsWith('-01') ? `${Number(m.slice(0, 4)) - 1}-12` : `${m.slice(0, 5)}${String(Number(m.slice(5)) - 1).padStart(2, '0')}`)

/**
 * Points at the seed's scale: 我的积分 of the demo volunteer with the most final points, the
 * review list of the township with the most entries last month (first page), rankings
 * from the rollups (the county's people this year, its teams last month) and a
 * redemption. Periods are the seed's (its ledger ends at SEED_NOW).
 */
async function pointsRows(rt: Runtime) {
  const year = yearOf(SEED_NOW)
  const lastMonth = previousMonth(monthOf(SEED_NOW))
  const countyAdmin = await login(rt, 'u_county')
  // the longest seeded history (the loop rows above added to u_vol_02's current month, not to its final points)
  const _ = rt.db.command
  const vols = DEMO_ACCOUNTS.filter((a) => a.id.startsWith('u_vol_')).map((a) => a.id)
  const balances = (await rt.db.collection('pointBalances').where({ _id: _.in(vols) }).limit(100).get()).data as { _id: string; final: number }[]
  const id = balances.sort((a, b) => b.final - a.final)[0]._id
  const vol = { id, n: (await rt.db.collection('points').where({ userId: id }).count()).total as number }
  const volToken = await login(rt, vol.id)
  const townships = (await rt.db.collection('grids').where({ level: 'township' }).limit(100).get()).data as GridNode[]
  const sizes = await Promise.all(townships.map(async (t) => ({ t, n: (await rt.db.collection('points').where({ townshipId: t._id, month: lastMonth }).count()).total as number })))
  const largest = sizes.sort((a, b) => b.n - a.n)[0]
  const county = townships[0].path[0]
  const entries = (await rt.db.collection('points').count()).total
  console.log(`  points: ${entries} ledger entries; ${vol.id} has ${vol.n}; ${largest.t.name} has ${largest.n} in ${lastMonth}`)
  const rows = [
    await measure(rt, 'points.mine', volToken, 'points', () => ({ action: 'mine', data: {} })),
    await measure(rt, 'points.review township', countyAdmin, 'points', () => ({ action: 'review', data: { townshipId: largest.t._id, month: lastMonth } })),
    await measure(rt, `points.ranking ${year}`, countyAdmin, 'points', () => ({ action: 'ranking', data: { period: year, subject: 'person' } })),
    await measure(rt, `points.ranking team ${lastMonth}`, countyAdmin, 'points', () => ({ action: 'ranking', data: { period: lastMonth, subject: 'team' } })),
  ]
  console.log(`  documents examined per query (emulator planner: index candidates, then matched and sorted):`)
  console.log(`    ranking person ${year}: ${examined(rt, 'pointTotals', { subject: 'person', period: year, countyId: county })} pointTotals`)
  console.log(`    ranking team ${lastMonth}: ${examined(rt, 'pointTotals', { subject: 'team', period: lastMonth, countyId: county })} pointTotals`)
  console.log(`    review list: ${examined(rt, 'points', { townshipId: largest.t._id, month: lastMonth })} points`)
  console.log(`    my entries: ${examined(rt, 'points', { userId: vol.id })} points; my rollups: ${examined(rt, 'pointTotals', { subject: 'person', id: vol.id })} pointTotals`)

  // a redemption: the cheapest item of the volunteer's store that N redemptions can afford
  await openStoreNow(rt)
  const shop = (await rt.invoke('store', { action: 'items', data: {} }, vol.id)) as { ok: boolean; data: StoreView }
  const item = shop.data.items.filter((i) => i.stock >= N && i.price * N <= shop.data.available).sort((a, b) => a.price - b.price)[0]
  if (!item) {
    console.log(`  store.redeem: skipped (${vol.id} has ${shop.data.available} final points; no open item with stock ${N} it can buy ${N} times)`)
    return rows
  }
  const run = Date.now().toString(36)
  rows.push(await measure(rt, `store.redeem (${item.price} pts)`, volToken, 'store', (i) => ({ action: 'redeem', data: { itemId: item.id, requestId: `bench_redeem_${run}_${i}` } })))
  return rows
}

/** The seed's items are open in the seed's quarter and the next; open them in the quarter the bench runs in too. */
/** Dashboards (rollups only) of a village, a township and the county; a year-long period; the rollup refresh. */
async function statsRows(rt: Runtime, who: { station: string; township: string; countyAdmin: string }) {
  const docs = (await rt.db.collection('orderStats').count()).total
  console.log(`  dashboards: ${docs} rollup documents`)
  const today = new Date()
  const yearAgo = new Date(today.getTime() - 364 * 86_400_000)
  const day = (t: Date) => t.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
  const rows = [
    await measure(rt, 'stats.dashboard village', who.station, 'stats', () => ({ action: 'dashboard', data: { preset: 'month' } })),
    await measure(rt, 'stats.dashboard township', who.township, 'stats', () => ({ action: 'dashboard', data: { preset: 'month' } })),
    await measure(rt, 'stats.dashboard county', who.countyAdmin, 'stats', () => ({ action: 'dashboard', data: { preset: 'month' } })),
    await measure(rt, 'stats.dashboard county week', who.countyAdmin, 'stats', () => ({ action: 'dashboard', data: { preset: 'week' } })),
    await measure(rt, 'stats.dashboard county year', who.countyAdmin, 'stats', () => ({ action: 'dashboard', data: { preset: 'custom', from: day(yearAgo), to: day(today) } })),
    // 红黑榜: the draft of last month (villages, teams), computed from the rollups on each view
    await measure(rt, 'stats.honorDraft villages', who.countyAdmin, 'stats', () => ({ action: 'honorDraft', data: { month: previousMonth(monthOf(today)), subject: 'village' } })),
    await measure(rt, 'stats.honorDraft teams', who.countyAdmin, 'stats', () => ({ action: 'honorDraft', data: { month: previousMonth(monthOf(today)), subject: 'team' } })),
  ]
  // the sweep's part: recount what changed since the last run (here: the orders this bench touched)
  const before = rt.emulator.stats().total
  const t0 = performance.now()
  const r = await refreshStats(rt.db, new Date(Date.now() + 60_000), 5000)
  console.log(`  stats refresh: ${r.orders} changed orders, ${r.units} grid-days recounted in ${(performance.now() - t0).toFixed(0)} ms, ${rt.emulator.stats().total - before} DB requests`)
  return rows
}

/** 随手拍 (report and on the spot), the problem ledger of a township and the county, the captain's desk. */
async function patrolRows(rt: Runtime, run: string, who: { township: string; countyAdmin: string }) {
  const leader = 'u_vol_01'
  const token = await login(rt, leader)
  const grids = (await rt.invoke('order', { action: 'patrolGrids', data: {} }, leader)) as { ok: boolean; data: { id: string }[] }
  if (!grids.ok || !grids.data.length) throw new Error('patrolGrids')
  const upload = async (name: string) => (await rt.app.uploadFile({ cloudPath: `${uploadPrefix(leader)}patrol-${run}-${name}.png`, fileContent: PNG })).fileID
  const [photo, after] = [await upload('found'), await upload('after')]
  const report = (handled: boolean) => (i: number) => ({
    action: 'patrol',
    data: { requestId: `benchp_${run}_${handled ? 'h' : 'r'}_${i}`, kind: 'hazard', gridId: grids.data[0].id, note: '压测：路口井盖松动', photos: [photo], handled, ...(handled ? { afterPhotos: [after] } : {}) },
  })
  const captains = (await rt.db.collection('teams').where({ captainId: leader }).limit(1).get()).data.length
  return [
    await measure(rt, 'order.patrolGrids', token, 'order', () => ({ action: 'patrolGrids', data: {} })),
    await measure(rt, 'order.patrol 上报', token, 'order', report(false)),
    await measure(rt, 'order.patrol 就地处置', token, 'order', report(true)),
    await measure(rt, 'order.ledger township', who.township, 'order', () => ({ action: 'ledger', data: {} })),
    await measure(rt, 'order.ledger county patrol', who.countyAdmin, 'order', () => ({ action: 'ledger', data: { source: 'patrol', state: 'closed' } })),
    await measure(rt, 'order.ledger county overdue', who.countyAdmin, 'order', () => ({ action: 'ledger', data: { overdue: true } })),
    ...(captains ? [await measure(rt, 'order.teamDesk', token, 'order', () => ({ action: 'teamDesk', data: {} }))] : []),
  ]
}

async function openStoreNow(rt: Runtime) {
  const _ = rt.db.command
  await rt.db.collection('storeItems').where({ active: true }).update({ quarters: _.addToSet(quarterOf(new Date())) })
}

async function benchScale(scale: Scale) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `xf-bench-${scale}-`))
  const rt = await startRuntime({ dataDir, accounts: DEMO_ACCOUNTS, rateLimits: false /* one villager places hundreds of orders */ })
  try {
    const t0 = performance.now()
    const { counts } = await seed(rt.emulator, scale, (what, done, total) => process.stdout.write(`\r  seeding ${what} ${done}/${total}        `))
    process.stdout.write('\r' + ' '.repeat(60) + '\r')
    console.log(`scale ${scale}: ${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')} (seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s)`)
    const villager = await login(rt, 'u_villager_zhang')
    const station = await login(rt, 'u_station_dg')
    const countyAdmin = await login(rt, 'u_county')
    const township = await login(rt, 'u_township_dg')
    const grid = (await rt.db.collection('grids').where({ level: 'grid' }).limit(1).get()).data[0] as { _id: string; code: string; name: string }
    // a grid of the station's village, for hotline entry
    const stationUser = (await rt.db.collection('users').doc('u_station_dg').get()).data[0] as { roles: { nodeId: string }[] }
    const stationGrid = (await rt.db.collection('grids').where({ path: stationUser.roles[0].nodeId, level: 'grid' }).limit(1).get()).data[0] as { _id: string }
    // a seeded volunteer's plate, for the public badge check
    const plated = (await rt.db.collection('volunteers').where({ status: 'approved' }).limit(1).get()).data[0] as { plate: string } | undefined
    const run = Date.now().toString(36)
    // warm up (catalogue cache, JIT)
    await measure(rt, 'warm-up', villager, 'grid', () => ({ action: 'catalogue', data: {} }))
    const rows = [
      await measure(rt, 'order.place', villager, 'order', (i) => ({
        action: 'place',
        data: { requestId: `bench_${run}_${i}`, gridCode: grid.code, serviceId: 'svc_01', description: '压测：厨房的灯不亮了', contactPhone: '13800001111', privacyVersion: PRIVACY_VERSION },
      })),
      await measure(rt, 'order.incoming', station, 'order', () => ({ action: 'incoming', data: {} })),
      await measure(rt, 'order.incoming county', countyAdmin, 'order', () => ({ action: 'incoming', data: {} })),
      await measure(rt, 'order.mine', villager, 'order', () => ({ action: 'mine', data: {} })),
      await measure(rt, 'grid.resolve', villager, 'grid', () => ({ action: 'resolve', data: { code: grid.code } })),
      await measure(rt, 'order.placeHotline', station, 'order', (i) => ({
        action: 'placeHotline',
        data: { requestId: `benchh_${run}_${i}`, gridId: stationGrid._id, serviceId: 'svc_04', description: '压测：电话点单', callerName: '王奶奶', callerPhone: '13900002222' },
      })),
      // hotline entry's grid search: the station's village, and the whole county
      await measure(rt, 'grid.search station', station, 'grid', () => ({ action: 'search', data: { q: '第一' } })),
      await measure(rt, 'grid.search county', countyAdmin, 'grid', () => ({ action: 'search', data: { q: grid.name.slice(-4) } })),
      ...(plated ? [await measure(rt, 'volunteer.verify plate', villager, 'volunteer', () => ({ action: 'verify', data: { plate: plated.plate } }))] : []),
      ...(await loopRows(rt, run, station)),
      // the seed's open orders were placed in the week before it; their clocks are due by now
      ...(await sweepRows(rt, new Date())),
      // work lists, most urgent first (after the sweep marked what is late): the 超时 tab of a
      // township and of the county, the county's open orders
      await measure(rt, 'overdue list township', township, 'order', () => ({ action: 'incoming', data: { list: 'overdue' } })),
      await measure(rt, 'overdue list county', countyAdmin, 'order', () => ({ action: 'incoming', data: { list: 'overdue' } })),
      await measure(rt, 'open by urgency county', countyAdmin, 'order', () => ({ action: 'incoming', data: { list: 'open' } })),
      ...(await pointsRows(rt)),
      ...(await statsRows(rt, { station, township, countyAdmin })),
      ...(await patrolRows(rt, run, { township, countyAdmin })),
    ]
    return { scale, rows }
  } finally {
    await rt.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

async function main() {
  console.log(`bench: ${N} sequential calls per action over HTTP on 127.0.0.1 (node ${process.version}, ${os.cpus().length} cores)`)
  for (const s of scales) await benchScale(s)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
