import { build } from 'esbuild'
import { promises as fs } from 'node:fs'
import path from 'node:path'

/**
 * Bundle each cloud function (its entry, the services and the domain core)
 * into a deployable folder under project.config.json's cloudfunctionRoot:
 *   index.js      one file; @cloudbase/node-sdk stays a runtime dependency
 *   package.json  runtime dependencies, installed by CloudBase on deploy
 *   config.json   timeout (default 3 s is too short), triggers, openapi permissions
 */
const root = path.resolve(__dirname, '..')
type FunctionConfig = {
  timeout: number
  triggers?: unknown[]
  openapi?: string[]
  /** npm packages left out of the bundle and installed on deploy (versions from our package.json) */
  runtimeDeps?: string[]
  /** files copied next to index.js: [source (resolved from the repo), path in the function folder] */
  assets?: [string, string][]
}
const FONT = (dir: string, file: string): [string, string] => [require.resolve(`@expo-google-fonts/noto-sans-sc/${dir}/${file}`), `fonts/${file}`]

const FUNCTIONS: Record<string, FunctionConfig> = {
  // imports and moves of big subtrees write thousands of documents
  grid: { timeout: 60 },
  // badges render their QR with qrcode (a runtime dependency, like pdfkit for signboard)
  volunteer: { timeout: 10, runtimeDeps: ['qrcode'] },
  // print-ready PDFs: pdfkit reads its own data files at runtime (so it cannot be bundled);
  // the two CJK fonts travel with the function (shared/pdf.ts looks in ./fonts first)
  signboard: {
    timeout: 300,
    openapi: ['wxacode.getUnlimited'],
    runtimeDeps: ['pdfkit'],
    assets: [FONT('400Regular', 'NotoSansSC_400Regular.ttf'), FONT('700Bold', 'NotoSansSC_700Bold.ttf')],
  },
  // arrival codes render their QR with qrcode
  order: { timeout: 20, openapi: ['security.msgSecCheck'], runtimeDeps: ['qrcode'] },
  showcase: { timeout: 20, openapi: ['security.msgSecCheck'] },
  // the volunteer service record (PDF): pdfkit and the two CJK fonts, like signboard
  points: { timeout: 30, runtimeDeps: ['pdfkit'], assets: [FONT('400Regular', 'NotoSansSC_400Regular.ttf'), FONT('700Bold', 'NotoSansSC_700Bold.ttf')] },
  // redemption codes render their QR with qrcode
  store: { timeout: 10, runtimeDeps: ['qrcode'] },
  user: { timeout: 10, openapi: ['phonenumber.getPhoneNumber'] },
  // dashboards read rollups; the 红黑榜 poster is drawn with @napi-rs/canvas and the CJK font
  stats: { timeout: 30, runtimeDeps: ['@napi-rs/canvas'], assets: [FONT('400Regular', 'NotoSansSC_400Regular.ttf'), FONT('700Bold', 'NotoSansSC_700Bold.ttf')] },
  inbox: { timeout: 10 },
  // the outbox sender: one timer trigger per function; cron has 7 fields (second minute hour day month weekday year)
  notify: {
    timeout: 60,
    triggers: [{ name: 'notifyEvery5Minutes', type: 'timer', config: '0 */5 * * * * *' }],
    openapi: ['subscribeMessage.send'],
  },
  // the sweep of order clocks (催办, 超时, 上报, 回访): its own timer; it also finishes exports whose
  // page was left (≤ 30 s of work per run), so it carries exceljs too — give it 512 MB like `export`
  clock: {
    timeout: 120,
    triggers: [{ name: 'clockEvery5Minutes', type: 'timer', config: '0 */5 * * * * *' }],
    runtimeDeps: ['exceljs'],
  },
  // exports (xlsx / csv) as jobs: each step is bounded (≈ 5 s), but the last one assembles the whole
  // file in /tmp (100,000 orders: see README, 导出) — a long timeout, and set its memory to 512 MB at
  // deploy (console or CLI: config.json has no memory field); exceljs is installed on deploy
  export: { timeout: 300, runtimeDeps: ['exceljs'] },
  // Open311 GeoReport v2 (read only, public): behind the HTTP access service at /open311 (README: deploying)
  open311: { timeout: 10 },
}

async function main() {
  const project = JSON.parse(await fs.readFile(path.join(root, 'project.config.json'), 'utf8'))
  const outRoot = path.join(root, project.cloudfunctionRoot)
  const pkg = JSON.parse(await fs.readFile(path.join(root, 'package.json'), 'utf8'))
  const sdkVersion = pkg.dependencies['@cloudbase/node-sdk']
  await fs.rm(outRoot, { recursive: true, force: true })
  for (const [name, cfg] of Object.entries(FUNCTIONS)) {
    const dir = path.join(outRoot, name)
    await fs.mkdir(dir, { recursive: true })
    const result = await build({
      entryPoints: [path.join(root, 'cloudfunctions', name, 'index.ts')],
      bundle: true,
      platform: 'node',
      target: 'node16', // the oldest Node.js runtime CloudBase offers that we support
      format: 'cjs',
      outfile: path.join(dir, 'index.js'),
      // qrcode: only the local WeChat port loads it (lazily); fontkit comes with pdfkit
      external: ['@cloudbase/node-sdk', 'qrcode', 'pdfkit', 'fontkit', ...(cfg.runtimeDeps ?? [])],
      minify: true,
      keepNames: true,
      legalComments: 'none',
      metafile: true,
      logLevel: 'warning',
    })
    const dependencies: Record<string, string> = { '@cloudbase/node-sdk': sdkVersion }
    for (const dep of cfg.runtimeDeps ?? []) {
      if (!pkg.dependencies[dep]) throw new Error(`${name}: runtime dependency ${dep} is not in package.json dependencies`)
      dependencies[dep] = pkg.dependencies[dep]
    }
    await fs.writeFile(path.join(dir, 'package.json'), JSON.stringify({ name, version: pkg.version, main: 'index.js', private: true, dependencies }, null, 2) + '\n')
    for (const [from, to] of cfg.assets ?? []) {
      await fs.mkdir(path.dirname(path.join(dir, to)), { recursive: true })
      await fs.copyFile(from, path.join(dir, to))
    }
    await fs.writeFile(
      path.join(dir, 'config.json'),
      JSON.stringify({ timeout: cfg.timeout, envVariables: {}, triggers: cfg.triggers ?? [], permissions: { openapi: cfg.openapi ?? [] } }, null, 2) + '\n',
    )
    const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0)
    const extra = (cfg.assets ?? []).length ? ` + ${(cfg.assets ?? []).length} assets` : ''
    console.log(`  ${name.padEnd(9)} ${(bytes / 1024).toFixed(1)} KB${extra}  → ${path.relative(root, dir)}`)
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
