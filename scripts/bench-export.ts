import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { startRuntime, type Runtime } from '../runtime/server'
import { seed, type Scale } from '../runtime/seed'
import { DEMO_ACCOUNTS } from '../runtime/seed/demo'
import type { ExportFormat, ExportJobView } from '../src/core'

/**
 * The export of every order of the seeded county, as the county administrator's page runs it:
 * `export.start`, then `export.step` until the file exists. Prints wall time, steps (and the
 * slowest one: the assembly), rows, file size, DB requests and the process's peak RSS
 * (sampled every 20 ms; the emulator lives in the same process, so the baseline before the
 * export is printed too — the difference is the export's share).
 *   npx tsx scripts/bench-export.ts [--scale county|demo] [--format xlsx|csv|both]
 * scripts/bench.ts can call benchExport(rt) on its county runtime instead.
 */
export async function benchExport(rt: Runtime, format: ExportFormat, who = 'u_county') {
  let peak = process.memoryUsage().rss
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 20)
  const baseline = process.memoryUsage().rss
  const requests0 = rt.emulator.stats().total
  const t0 = performance.now()
  const must = async (action: string, data: unknown): Promise<ExportJobView> => {
    const r = (await rt.invoke('export', { action, data }, who)) as { ok: boolean; data: ExportJobView; message?: string }
    if (!r.ok) throw new Error(`export.${action}: ${r.message}`)
    return r.data
  }
  try {
    let job = await must('start', { requestId: `bench_export_${format}_${Date.now().toString(36)}`, kind: 'orders', format })
    const startMs = performance.now() - t0
    let steps = 0
    let slowest = 0
    while (job.state === 'running' || job.state === 'assembling') {
      const s0 = performance.now()
      job = await must('step', { jobId: job.id })
      slowest = Math.max(slowest, performance.now() - s0)
      steps++
    }
    const ms = performance.now() - t0
    if (job.state !== 'done') throw new Error(`export ${job.state}: ${job.error}`)
    const row = {
      format,
      rows: job.rows,
      total: job.total,
      steps,
      seconds: +(ms / 1000).toFixed(1),
      start_ms: Math.round(startMs),
      slowest_step_ms: Math.round(slowest),
      mb: +((job.bytes ?? 0) / 1024 / 1024).toFixed(1),
      db_requests: rt.emulator.stats().total - requests0,
      rss_baseline_mb: Math.round(baseline / 1024 / 1024),
      rss_peak_mb: Math.round(peak / 1024 / 1024),
    }
    console.log(
      `  export orders ${format.padEnd(4)} ${row.rows} rows (count ${row.total}) in ${row.seconds} s, ${row.steps} steps (start ${row.start_ms} ms, slowest step ${row.slowest_step_ms} ms), ${row.mb} MB, ${row.db_requests} DB requests, RSS ${row.rss_baseline_mb} → peak ${row.rss_peak_mb} MB`,
    )
    return row
  } finally {
    clearInterval(sampler)
  }
}

async function main() {
  const { values } = parseArgs({ options: { scale: { type: 'string' }, format: { type: 'string' } } })
  const scale = (values.scale ?? 'county') as Scale
  const formats: ExportFormat[] = values.format === 'csv' ? ['csv'] : values.format === 'xlsx' ? ['xlsx'] : ['xlsx', 'csv']
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `xf-bench-export-${scale}-`))
  const rt = await startRuntime({ dataDir, accounts: DEMO_ACCOUNTS, quiet: true })
  try {
    const t0 = performance.now()
    const { counts } = await seed(rt.emulator, scale, (what, done, total) => process.stdout.write(`\r  seeding ${what} ${done}/${total}        `))
    process.stdout.write('\r' + ' '.repeat(60) + '\r')
    console.log(`scale ${scale}: ${counts.orders} orders (seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s); node ${process.version}, ${os.cpus().length} cores`)
    for (const f of formats) await benchExport(rt, f)
  } finally {
    await rt.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e)
    process.exit(1)
  })
}
