import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { startRuntime } from '../runtime/server'
import { seed } from '../runtime/seed'
import type { GridNode } from '../src/core'

/**
 * Signboard PDF at county scale: seeds the reference county into a temp data dir, then
 * generates the signboards of its largest township (most active basic grids), then of the whole
 * county, through the
 * local runtime as the county admin: ms, pages, bytes, KB per page, the longest event-loop
 * stall (the PDF work is synchronous CPU). `npx tsx scripts/bench-signboards.ts`
 */
async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'xf-bench-signboards-'))
  const rt = await startRuntime({ dataDir, quiet: true })
  try {
    const t0 = Date.now()
    const { accounts, counts } = await seed(rt.emulator, 'county')
    console.log(`seeded county in ${((Date.now() - t0) / 1000).toFixed(1)} s:`, counts)
    const county = (await rt.db.collection('grids').where({ level: 'county' }).limit(1).get()).data[0] as GridNode
    const townships = (await rt.db.collection('grids').where({ parentId: county._id, level: 'township' }).limit(100).get()).data as GridNode[]
    const sizes = await Promise.all(
      townships.map(async (t) => ({ t, grids: (await rt.db.collection('grids').where({ path: t._id, level: 'grid', active: true }).count()).total as number })),
    )
    const largest = sizes.sort((a, b) => b.grids - a.grids)[0]
    const admin = accounts.find((a) => a.id === 'u_county')?.id ?? 'u_county'
    console.log(`largest township: ${largest.t.name} (${largest.t.code}), ${largest.grids} active basic grids`)

    // the township twice (the second run has warm fonts and caches), then the whole county once
    const runs = [
      { label: 'township', node: largest.t },
      { label: 'township', node: largest.t },
      { label: 'county', node: county },
    ]
    for (const [i, { label, node }] of runs.entries()) {
      const run = `${i + 1} ${label}`
      const loop = monitorEventLoopDelay({ resolution: 10 })
      loop.enable()
      const before = rt.emulator.stats().total
      const t1 = performance.now()
      const res = (await rt.invoke('signboard', { action: 'generate', data: { nodeId: node._id, jobId: `bench_${Date.now()}_${i}` } }, admin)) as {
        ok: boolean
        data?: { pages: number; bytes: number; ms: number; fileName: string }
        message?: string
      }
      const wall = performance.now() - t1
      loop.disable()
      if (!res.ok || !res.data) throw new Error(res.message)
      const { pages, bytes, ms, fileName } = res.data
      console.log(
        `run ${run}: ${fileName}  ${ms} ms (wall ${wall.toFixed(0)} ms)  ${pages} pages  ${(bytes / 1024).toFixed(1)} KB  ` +
          `${(bytes / 1024 / pages).toFixed(1)} KB/page  ${(ms / pages).toFixed(1)} ms/page  ` +
          `db round trips ${rt.emulator.stats().total - before}  longest event-loop stall ${(loop.max / 1e6).toFixed(0)} ms`,
      )
    }
  } finally {
    await rt.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
