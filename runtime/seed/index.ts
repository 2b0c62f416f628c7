import type { GridNode, Service } from '../../src/core'
import type { Emulator } from '../emulator'
import { demoCounty, type DemoAccount } from './demo'
import { referenceCounty } from './county'
import { timelinessSeed } from './timeliness'

export type Scale = 'demo' | 'county'
export type Progress = (what: string, done: number, total: number) => void

/** Write a seed straight into the emulator's store (bulk, one fsync per batch). */
export async function seed(emulator: Emulator, scale: Scale, onProgress?: Progress): Promise<{ accounts: DemoAccount[]; counts: Record<string, number> }> {
  const data = scale === 'county' ? referenceCounty(onProgress) : demoCounty()
  const settings = [timelinessSeed(data.grids as GridNode[], data.services as Service[])]
  const counts: Record<string, number> = {}
  const BATCH = 5000
  for (const [collection, docs] of Object.entries({ grids: data.grids, users: data.users, services: data.services, teams: data.teams, orders: data.orders ?? [], volunteers: data.volunteers ?? [], plates: data.plates ?? [], counters: data.counters ?? [], settings })) {
    for (let i = 0; i < docs.length; i += BATCH) {
      await emulator.insertMany(collection, docs.slice(i, i + BATCH) as Record<string, unknown>[])
      onProgress?.(`写入 ${collection}`, Math.min(i + BATCH, docs.length), docs.length)
    }
    counts[collection] = docs.length
  }
  return { accounts: data.accounts, counts }
}

