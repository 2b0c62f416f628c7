import type { GridNode, Order, Service } from '../../src/core'
import { rollupsOf, STATS, WATERMARK_ID } from '../../cloudfunctions/services/stats'
import { existsSync, promises as fs } from 'node:fs'
import path from 'node:path'
import { Emulator } from '../../emulator'
import { bootstrap } from '../server'
import { demoCounty, type DemoAccount } from './demo'
import { referenceCounty, SEED_NOW } from './county'
import type { EntryDoc } from '../../cloudfunctions/services/ledger'
import { countyPoints, demoPoints } from './points'
import { timelinessSeed } from './timeliness'

export type Scale = 'demo' | 'county'
export type Progress = (what: string, done: number, total: number) => void

/** Write a seed straight into the emulator's store (bulk, one fsync per batch). */
export async function seed(emulator: Emulator, scale: Scale, onProgress?: Progress): Promise<{ accounts: DemoAccount[]; counts: Record<string, number> }> {
  const data = scale === 'county' ? referenceCounty(onProgress) : demoCounty()
  const settings = [timelinessSeed(data.grids as GridNode[], data.services as Service[])]
  const counts: Record<string, number> = {}
  const BATCH = 5000
  const insertAll = async (collection: string, docs: readonly unknown[]) => {
    for (let i = 0; i < docs.length; i += BATCH) {
      await emulator.insertMany(collection, docs.slice(i, i + BATCH) as Record<string, unknown>[])
      onProgress?.(`写入 ${collection}`, Math.min(i + BATCH, docs.length), docs.length)
    }
    counts[collection] = docs.length
  }
  const orders = (data.orders ?? []) as Order[]
  // the dashboards' rollups of exactly these orders, and the watermark the sweep goes on from
  const rollups = [...rollupsOf(orders, SEED_NOW).values()]
  if (orders.length) settings.push({ _id: WATERMARK_ID, at: new Date(orders.reduce((m, o) => Math.max(m, new Date(o.updatedAt).getTime()), 0)) } as never)
  for (const [collection, docs] of Object.entries({ grids: data.grids, users: data.users, services: data.services, teams: data.teams, orders, volunteers: data.volunteers ?? [], plates: data.plates ?? [], counters: data.counters ?? [], settings, [STATS]: rollups })) {
    await insertAll(collection, docs)
  }

  // the points ledger is streamed (500,000 entries at county scale); balances, rollups
  // and reviews are what was folded from exactly those entries
  const points = scale === 'county' ? countyPoints(data, SEED_NOW) : demoPoints(data, SEED_NOW)
  const { progress } = points.ledger
  let batch: EntryDoc[] = []
  let written = 0
  const flush = async () => {
    await emulator.insertMany('points', batch)
    written += batch.length
    batch = []
    onProgress?.(`写入 points（${written} 条）`, progress.people, progress.of)
  }
  for (const entry of points.ledger.entries()) {
    batch.push(entry)
    if (batch.length === BATCH) await flush()
  }
  if (batch.length) await flush()
  counts.points = written
  await insertAll('pointBalances', [...points.ledger.rollups.balances.values()])
  await insertAll('pointTotals', [...points.ledger.rollups.totals.values()])
  await insertAll('pointReviews', points.ledger.reviews)
  await insertAll('storeItems', points.storeItems)
  return { accounts: data.accounts, counts }
}

/**
 * First start: seed a new data dir all-or-nothing. The seed is written into a sibling
 * folder and renamed into place only when complete, so a kill -9 or Ctrl+C half-way leaves
 * no data dir (the next start seeds again) rather than a half-seeded one. A data dir that
 * exists is left as it is.
 */
export async function seedOnce(dataDir: string, scale: Scale, log: (s: string) => unknown = (s) => process.stdout.write(s)): Promise<boolean> {
  const parent = path.dirname(dataDir)
  const base = path.basename(dataDir)
  await fs.mkdir(parent, { recursive: true })
  // leftovers of an interrupted first start
  for (const name of await fs.readdir(parent)) {
    if (name.startsWith(`${base}.seeding-`)) await fs.rm(path.join(parent, name), { recursive: true, force: true })
  }
  if (existsSync(dataDir) && (await fs.readdir(dataDir)).length > 0) return false
  const tmp = path.join(parent, `${base}.seeding-${process.pid}`)
  log(`首次启动：写入演示数据（${scale === 'county' ? '县级规模' : '演示县'}）…\n`)
  const emulator = await Emulator.open({ dataDir: tmp })
  try {
    await bootstrap(emulator)
    await seed(emulator, scale, (what, done, all) => log(`\r  ${what} ${done}/${all}   `))
  } finally {
    await emulator.close()
  }
  log('\n')
  await fs.rm(dataDir, { recursive: true, force: true }) // an empty dir, if any
  await fs.rename(tmp, dataDir)
  return true
}
