import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { CSV_COLUMNS, type GridNode, type ImportReport } from '../src/core'
import { startRuntime } from '../runtime/server'
import { referenceCounty } from '../runtime/seed/county'

/**
 * The county-scale tree (runtime/seed/county.ts) as a CSV in the import format:
 *
 *   npx tsx scripts/county-csv.ts out.csv             write the file
 *   npx tsx scripts/county-csv.ts out.csv --measure   …then import it into a fresh runtime
 *                                                     holding only the county root, and print
 *                                                     rows, created and ms (and a re-import)
 *
 * One row per node from the township down (a node's own hotline / leader sit on the row where it
 * is the deepest name). Namesakes under one parent (the seed draws village names at random) get
 * a "(2)" suffix: the import matches nodes by name under their parent.
 */
const { positionals, values } = parseArgs({ allowPositionals: true, options: { measure: { type: 'boolean', default: false } } })
const out = positionals[0]
if (!out) {
  console.error('usage: tsx scripts/county-csv.ts <out.csv> [--measure]')
  process.exit(2)
}

function countyCsv(nodes: readonly GridNode[]): { csv: string; root: GridNode; rows: number } {
  const root = nodes.find((n) => n.parentId === null)!
  const byId = new Map(nodes.map((n) => [n._id, n]))
  // unique names among siblings
  const name = new Map<string, string>()
  const seen = new Map<string, number>()
  for (const n of [...nodes].sort((a, b) => (a.code < b.code ? -1 : 1))) {
    const key = `${n.parentId}\u0000${n.name}`
    const k = (seen.get(key) ?? 0) + 1
    seen.set(key, k)
    name.set(n._id, k === 1 ? n.name : `${n.name}(${k})`)
  }
  const esc = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)
  const lines = [CSV_COLUMNS.join(',')]
  for (const n of [...nodes].sort((a, b) => (a.code < b.code ? -1 : 1))) {
    if (n === root) continue
    const names = n.path.slice(1).map((id) => name.get(id) ?? byId.get(id)!.name)
    while (names.length < 4) names.push('')
    lines.push([...names, n.hotline ?? '', n.leaderName ?? ''].map(esc).join(','))
  }
  return { csv: lines.join('\n') + '\n', root, rows: lines.length - 1 }
}

async function measure(csv: string, root: GridNode) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'xf-import-'))
  const rt = await startRuntime({ dataDir, quiet: true })
  try {
    const county: GridNode = { _id: root._id, code: root.code, name: root.name, level: 'county', parentId: null, path: [root._id], pathNames: [root.name], hotline: root.hotline, active: true }
    await rt.emulator.insertMany('grids', [county])
    await rt.emulator.insertMany('users', [{ _id: 'u_county', openId: 'u_county', name: '县管理员', roles: [{ role: 'county', nodeId: root._id }], createdAt: new Date() }])
    for (const label of ['import', 're-import']) {
      rt.emulator.resetStats()
      const t0 = performance.now()
      const res = (await rt.invoke('grid', { action: 'importCsv', data: { parentId: root._id, csv } }, 'u_county')) as { ok: boolean; data: ImportReport; message?: string }
      const wall = Math.round(performance.now() - t0)
      if (!res.ok) throw new Error(res.message)
      const r = res.data
      console.log(`${label}: rows ${r.rows}, created ${r.created}, existing ${r.existing}, errors ${r.errors.length}, ms ${r.ms} (wall ${wall} ms, DB requests ${rt.emulator.stats().total})`)
      if (r.errors.length) console.log(r.errors.slice(0, 5))
    }
    const total = (await rt.db.collection('grids').count()).total
    console.log(`grids now: ${total}`)
    for (const q of ['1号', 'XY0305', '沟']) {
      const t1 = performance.now()
      const res = (await rt.invoke('grid', { action: 'search', data: { q } }, 'u_county')) as { ok: boolean; data: unknown[] }
      console.log(`search "${q}" as county: ${res.ok ? res.data.length : 'failed'} hits, ${Math.round(performance.now() - t1)} ms`)
    }
  } finally {
    await rt.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

async function main() {
  const t0 = performance.now()
  const { grids } = referenceCounty()
  const { csv, root, rows } = countyCsv(grids)
  writeFileSync(out!, csv)
  console.log(`wrote ${out}: ${rows} rows, ${Buffer.byteLength(csv)} bytes (${Math.round(performance.now() - t0)} ms)`)
  if (values.measure) await measure(csv, root)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
