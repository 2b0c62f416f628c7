import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Browser, CDPSession, Page } from 'playwright-core'
import { startRuntime } from '../runtime/server'
import { seed } from '../runtime/seed'

/**
 * Cold loads of the H5 build from the local runtime, as a villager's phone would see them:
 *
 * - "4G + 4× CPU" (Lighthouse's mobile profile: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up,
 *   CPU slowed 4×): the scan landing until its service list shows, against a blank page from the
 *   same server under the same throttle, and their ratio;
 * - "2G" (800 ms round trip, 250 kbit/s both ways): the first paint (the HTML's own placeholder)
 *   and the service list.
 *
 * "Service list" is the first one a villager can tap: the one the HTML draws itself (src/boot.js)
 * or the app's, whichever shows first; "app's list" is the app's own (its scripts loaded and run).
 *
 * Every load starts with an empty cache (a new browser context). Median of `--runs` (default 3).
 * Needs the H5 build (`npm run build:h5`) and Chromium. `npx tsx scripts/bench-load.ts`
 */
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
const GRID = 'XF010101'

type Profile = { name: string; latency: number; downKbps: number; upKbps: number; cpu: number }
const FOUR_G: Profile = { name: '4G + 4× CPU', latency: 150, downKbps: 1600, upKbps: 750, cpu: 4 }
const TWO_G: Profile = { name: '2G', latency: 800, downKbps: 250, upKbps: 250, cpu: 1 }

const runsArg = process.argv.indexOf('--runs')
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3

async function throttled(browser: Browser, p: Profile): Promise<{ page: Page; cdp: CDPSession; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, locale: 'zh-CN' })
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: p.latency,
    downloadThroughput: (p.downKbps * 1000) / 8,
    uploadThroughput: (p.upKbps * 1000) / 8,
  })
  if (p.cpu > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: p.cpu })
  return { page, cdp, close: () => context.close() }
}

/**
 * ms from navigation start until `done` holds (and until `also`, when given, holds too), plus the
 * first contentful paint and bytes received.
 */
async function load(browser: Browser, p: Profile, url: string, done: (page: Page) => Promise<unknown>, also?: (page: Page) => Promise<unknown>) {
  const { page, cdp, close } = await throttled(browser, p)
  let bytes = 0
  cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => (bytes += e.encodedDataLength))
  try {
    const t0 = Date.now()
    await page.goto(url, { waitUntil: 'commit', timeout: 120_000 })
    const [ms, alsoMs] = await Promise.all([done(page).then(() => Date.now() - t0), also ? also(page).then(() => Date.now() - t0) : null])
    const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null)
    return { ms, alsoMs, fcp: fcp === null ? null : Math.round(fcp), kb: Math.round(bytes / 1024) }
  } finally {
    await close()
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const visible = (page: Page, selector: string) => page.locator(selector).first().waitFor({ state: 'visible', timeout: 120_000 })
const servicesShown = (page: Page) => visible(page, '#boot-services .boot-service, #service-list .scan__service')
const appServices = (page: Page) => visible(page, '#service-list .scan__service')
const loaded = (page: Page) => page.waitForLoadState('load', { timeout: 120_000 })

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'xf-bench-load-'))
  const rt = await startRuntime({ dataDir, quiet: true })
  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'] })
  try {
    await seed(rt.emulator, 'demo')
    const landing = `${rt.url}/#/pages/scan/index?code=${GRID}`
    const blank = `${rt.url}/healthz`
    // one untimed load: the runtime compresses each file once, on first request
    await load(browser, { ...FOUR_G, latency: 0, cpu: 1, downKbps: 1e6, upKbps: 1e6 }, landing, servicesShown)

    const rows: Record<string, string | number | null>[] = []
    const b4: number[] = []
    const l4: number[] = []
    const a4: number[] = []
    let kb4 = 0
    for (let i = 0; i < RUNS; i++) {
      b4.push((await load(browser, FOUR_G, blank, loaded)).ms)
      const l = await load(browser, FOUR_G, landing, servicesShown, appServices)
      l4.push(l.ms)
      a4.push(l.alsoMs!)
      kb4 = l.kb
    }
    rows.push({ profile: FOUR_G.name, page: 'blank page (/healthz)', 'done ms (median)': median(b4) })
    rows.push({ profile: FOUR_G.name, page: 'scan landing → service list', 'done ms (median)': median(l4), 'KB received': kb4 })
    rows.push({ profile: FOUR_G.name, page: "scan landing → the app's list", 'done ms (median)': median(a4) })
    const ratio = median(l4) / median(b4)
    const appRatio = median(a4) / median(b4)

    const fcp2: number[] = []
    const l2: number[] = []
    const a2: number[] = []
    let kb2 = 0
    for (let i = 0; i < RUNS; i++) {
      const l = await load(browser, TWO_G, landing, servicesShown, appServices)
      if (l.fcp !== null) fcp2.push(l.fcp)
      l2.push(l.ms)
      a2.push(l.alsoMs!)
      kb2 = l.kb
    }
    rows.push({ profile: TWO_G.name, page: 'scan landing: first paint (placeholder)', 'done ms (median)': fcp2.length ? median(fcp2) : null })
    rows.push({ profile: TWO_G.name, page: 'scan landing → service list', 'done ms (median)': median(l2), 'KB received': kb2 })
    rows.push({ profile: TWO_G.name, page: "scan landing → the app's list", 'done ms (median)': median(a2) })
    console.table(rows)
    console.log(`landing / blank under ${FOUR_G.name}: ${ratio.toFixed(2)}× (target ≤ 2.0×); the app's own list ${appRatio.toFixed(2)}×`)
    console.log(
      `2G: placeholder ${fcp2.length ? (median(fcp2) / 1000).toFixed(1) : '–'} s (target ≤ 3 s), services ${(median(l2) / 1000).toFixed(1)} s (target ≤ 10 s), the app's list ${(median(a2) / 1000).toFixed(1)} s`,
    )
  } finally {
    await browser.close()
    await rt.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
