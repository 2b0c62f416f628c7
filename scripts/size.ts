import { promises as fs } from 'node:fs'
import path from 'node:path'

/**
 * Build-size report: the weapp main package and each subpackage (bytes as
 * uploaded, no source maps; WeChat's limit is 2 MB per package, our target for
 * the main package is 450 KB), the H5 build and the function bundles.
 */
const root = path.resolve(__dirname, '..')
const MAIN_TARGET = 450 * 1024

async function sizeOf(dir: string, skip: (rel: string) => boolean = () => false, base = dir): Promise<number> {
  let total = 0
  for (const e of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = path.join(dir, e.name)
    const rel = path.relative(base, p)
    if (skip(rel) || e.name.endsWith('.map')) continue
    total += e.isDirectory() ? await sizeOf(p, skip, base) : (await fs.stat(p)).size
  }
  return total
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`

async function main() {
  const weapp = path.join(root, 'dist', 'weapp')
  const appJson = JSON.parse(await fs.readFile(path.join(weapp, 'app.json'), 'utf8').catch(() => 'null'))
  if (!appJson) throw new Error('dist/weapp/app.json missing: run `npm run build:weapp` first')
  const subRoots: string[] = (appJson.subPackages ?? appJson.subpackages ?? []).map((s: { root: string }) => s.root.replace(/\/$/, ''))
  const main = await sizeOf(weapp, (rel) => subRoots.some((r) => rel === r || rel.startsWith(r + path.sep)) || rel === 'project.config.json')
  console.log('weapp (no source maps)')
  console.log(`  main package   ${kb(main).padStart(10)}   target ≤ ${kb(MAIN_TARGET)} ${main <= MAIN_TARGET ? 'OK' : 'OVER'}`)
  for (const r of subRoots) console.log(`  sub ${r.padEnd(10)} ${kb(await sizeOf(path.join(weapp, r))).padStart(10)}`)
  console.log(`  total          ${kb(main + (await Promise.all(subRoots.map((r) => sizeOf(path.join(weapp, r))))).reduce((a, b) => a + b, 0)).padStart(10)}`)
  const h5 = path.join(root, 'dist', 'h5')
  console.log(`h5 total         ${kb(await sizeOf(h5)).padStart(10)}`)
  const fns = path.join(root, 'dist', 'cloudfunctions')
  for (const f of await fs.readdir(fns).catch(() => [] as string[])) console.log(`function ${f.padEnd(8)} ${kb(await sizeOf(path.join(fns, f))).padStart(10)}`)
}

main().catch((e) => {
  console.error(e.message)
  process.exit(1)
})
