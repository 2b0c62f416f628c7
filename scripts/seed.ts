import path from 'node:path'
import { parseArgs } from 'node:util'
import { Emulator } from '../emulator'
import { bootstrap } from '../runtime/server'
import { seed, type Scale } from '../runtime/seed'

/**
 * `npm run seed -- [--scale demo|county] [--data-dir DIR] [--force]`
 * Writes a seed into a local data dir (default ./.data). Refuses a dir that
 * already has data unless --force, which wipes it first.
 */
async function main() {
  const { values } = parseArgs({ options: { scale: { type: 'string' }, 'data-dir': { type: 'string' }, force: { type: 'boolean' } } })
  const scale = (values.scale ?? 'demo') as Scale
  if (scale !== 'demo' && scale !== 'county') throw new Error(`unknown scale: ${scale} (demo | county)`)
  const dataDir = path.resolve(values['data-dir'] ?? process.env.XF_DATA_DIR ?? path.join(__dirname, '..', '.data'))
  if (values.force) {
    const { rmSync } = await import('node:fs')
    rmSync(dataDir, { recursive: true, force: true })
  }
  const emulator = await Emulator.open({ dataDir })
  try {
    await bootstrap(emulator)
    const existing = (await emulator.handle({ action: 'database.calculateDocument', collectionName: 'grids', query: '{}' })) as { data?: { total?: number } }
    if ((existing.data?.total ?? 0) > 0) {
      console.error(`${dataDir} already holds data; pass --force to wipe it and seed again`)
      process.exitCode = 2
      return
    }
    const t0 = Date.now()
    let last = ''
    const { counts } = await seed(emulator, scale, (what, done, total) => {
      const line = `  ${what}: ${done}/${total} (${Math.round((done / total) * 100)}%)`
      if (line !== last) process.stdout.write(`\r${line.padEnd(50)}`)
      last = line
    })
    process.stdout.write('\n')
    console.log(`seeded ${scale} into ${dataDir} in ${((Date.now() - t0) / 1000).toFixed(1)} s:`, counts)
  } finally {
    await emulator.close()
  }
}

main().catch((e) => {
  console.error(e.message ?? e)
  process.exit(1)
})
