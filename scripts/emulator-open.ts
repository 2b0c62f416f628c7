import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { Emulator } from '../emulator'

/**
 * `npx tsx scripts/emulator-open.ts [--dir DATA_DIR] [--scale county|demo] [--keep]`
 *
 * How long opening a data dir takes and how much memory the open store holds: rss and
 * heapUsed before and after Emulator.open, the documents per collection, the snapshot
 * and log sizes before and after (opening may compact).
 *
 * With --dir it measures that dir. Without, it first builds one in a temp dir (the seed
 * of --scale, default county: the reference county with a year of points entries), then
 * measures it in a fresh process so the build's garbage does not count; --keep leaves
 * the built dir in place. The county build takes several minutes.
 */
const { values } = parseArgs({ options: { dir: { type: 'string' }, scale: { type: 'string' }, keep: { type: 'boolean' } } })

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`

function fileSizes(dir: string): Record<string, number> {
  const out: Record<string, number> = {}
  for (const name of fs.readdirSync(dir).sort()) if (/^(snapshot|wal)/.test(name)) out[name] = fs.statSync(path.join(dir, name)).size
  return out
}

function memory() {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc) {
    gc()
    gc()
  }
  const m = process.memoryUsage()
  return { rss: m.rss, heapUsed: m.heapUsed }
}

async function measure(dir: string) {
  if (!fs.existsSync(dir)) throw new Error(`no data dir at ${dir}`)
  const filesBefore = fileSizes(dir)
  const before = memory()
  const t0 = performance.now()
  const emulator = await Emulator.open({ dataDir: dir })
  const openMs = performance.now() - t0
  const after = memory()
  const documents: Record<string, number> = {}
  let total = 0
  for (const name of emulator.listCollections().sort()) {
    const res = await emulator.handle({ action: 'database.calculateDocument', collectionName: name })
    documents[name] = (res.data as { total: number }).total
    total += documents[name]
  }
  await emulator.close()
  const filesAfter = fileSizes(dir)
  console.log(`opened ${dir} in ${(openMs / 1000).toFixed(2)} s (node ${process.version}${(globalThis as { gc?: unknown }).gc ? ', after gc' : ', run with --expose-gc for settled numbers'})`)
  console.log(`  rss       ${mb(before.rss)} -> ${mb(after.rss)} (+${mb(after.rss - before.rss)})`)
  console.log(`  heapUsed  ${mb(before.heapUsed)} -> ${mb(after.heapUsed)} (+${mb(after.heapUsed - before.heapUsed)})`)
  console.log(`  documents ${total} in ${Object.keys(documents).length} collections; largest: ${Object.entries(documents).sort((a, b) => b[1] - a[1]).slice(0, 5).map(([c, n]) => `${c} ${n}`).join(', ')}`)
  console.log(`  files before open: ${Object.entries(filesBefore).map(([f, n]) => `${f} ${mb(n)}`).join(', ') || 'none'}`)
  console.log(`  files after close: ${Object.entries(filesAfter).map(([f, n]) => `${f} ${mb(n)}`).join(', ') || 'none'}`)
  console.log(JSON.stringify({ dir, openMs: Math.round(openMs), before, after, documents: total, byCollection: documents, filesBefore, filesAfter }))
}

async function build(scale: 'demo' | 'county'): Promise<string> {
  const { bootstrap } = await import('../runtime/server')
  const { seed } = await import('../runtime/seed')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `emulator-open-${scale}-`))
  const t0 = performance.now()
  const emulator = await Emulator.open({ dataDir: dir })
  try {
    await bootstrap(emulator)
    let last = ''
    const { counts } = await seed(emulator, scale, (what, done, all) => {
      const line = `  ${what}: ${Math.round((done / all) * 100)}%`
      if (line !== last && process.stdout.isTTY) process.stdout.write(`\r${line.padEnd(50)}`)
      last = line
    })
    if (process.stdout.isTTY) process.stdout.write('\n')
    console.log(`built the ${scale} seed in ${dir} in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${Object.values(counts).reduce((a, b) => a + b, 0)} documents (points: ${counts.points})`)
  } finally {
    await emulator.close()
  }
  return dir
}

async function main() {
  if (values.dir) return measure(path.resolve(values.dir))
  const scale = (values.scale ?? 'county') as 'demo' | 'county'
  if (scale !== 'demo' && scale !== 'county') throw new Error(`unknown scale: ${scale} (demo | county)`)
  const dir = await build(scale)
  try {
    // a fresh process, so that what the build left on the heap does not count
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, '--dir', dir], { stdio: 'inherit' })
    if (r.status !== 0) throw new Error(`measuring ${dir} failed (exit ${r.status ?? r.signal})`)
  } finally {
    if (values.keep) console.log(`kept ${dir}`)
    else fs.rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
