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

const SETTLE_MS = 3000
const runsArg = process.argv.indexOf('--runs')
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3

async function throttled(browser: Browser, p: Profile): Promise<{ page: Page; cdp: CDPSession; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, locale: 'zh-CN' })
  const page = await context.newPage()
  // a new window makes this Chromium load its own omnibox pages (hundreds of chrome:// scripts) for
  // about two seconds; a phone opening a link does nothing of the kind, so let that finish first
  await page.goto('about:blank')
  await page.waitForTimeout(SETTLE_MS)
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
 * One cold load: ms until `done` holds and until `also` holds (wall clock from the navigation, as
 * Playwright sees it), the page's own paint times since its navigation started (first contentful
 * paint; the first service painted, from Element Timing on the list the HTML draws), bytes received.
 */
async function load(browser: Browser, p: Profile, url: string, done: (page: Page) => Promise<unknown>, also?: (page: Page) => Promise<unknown>) {
  const { page, cdp, close } = await throttled(browser, p)
  let bytes = 0
  cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => (bytes += e.encodedDataLength))
  try {
    const t0 = Date.now()
    await page.goto(url, { waitUntil: 'commit', timeout: 120_000 })
    const [ms, alsoMs] = await Promise.all([done(page).then(() => Date.now() - t0), also ? also(page).then(() => Date.now() - t0) : null])
    // a string: tsx would wrap named functions in a helper the page does not have
    const paints: { fcp: number | null; services: number | null } = await page.evaluate(`new Promise((resolve) => {
      const out = { fcp: null, services: null }
      const done = () => out.fcp !== null && (out.services !== null || !document.getElementById('boot'))
      const seen = (list) => {
        for (const e of list.getEntries()) {
          if (e.name === 'first-contentful-paint') out.fcp = e.startTime
          if (e.identifier === 'services') out.services = Math.min(out.services ?? Infinity, e.renderTime)
        }
        if (done()) resolve(out)
      }
      new PerformanceObserver(seen).observe({ type: 'paint', buffered: true })
      new PerformanceObserver(seen).observe({ type: 'element', buffered: true })
      setTimeout(() => resolve(out), 2000)
    })`)
    const round = (x: number | null) => (x === null ? null : Math.round(x))
    return { ms, alsoMs, fcp: round(paints.fcp), servicesPainted: round(paints.services), kb: Math.round(bytes / 1024) }
  } finally {
    await close()
  }
}

const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : NaN)
const visible = (page: Page, selector: string) => page.locator(selector).first().waitFor({ state: 'visible', timeout: 120_000 })
const servicesShown = (page: Page) => visible(page, '#boot-services .boot-service, #service-list .scan__service')
const appServices = (page: Page) => visible(page, '#service-list .scan__service')
const loaded = (page: Page) => page.waitForLoadState('load', { timeout: 120_000 })
const nums = (xs: (number | null)[]) => xs.filter((x): x is number => x !== null)

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
    const row = (profile: Profile, page: string, ms: number, how: string, kb?: number) =>
      rows.push({ profile: profile.name, page, 'ms (median)': Number.isNaN(ms) ? null : ms, measured: how, ...(kb === undefined ? {} : { 'KB received': kb }) })
    const blank4 = []
    const land4 = []
    for (let i = 0; i < RUNS; i++) {
      blank4.push(await load(browser, FOUR_G, blank, loaded))
      land4.push(await load(browser, FOUR_G, landing, servicesShown, appServices))
    }
    const blankPaint = median(nums(blank4.map((r) => r.fcp)))
    const listPaint = median(nums(land4.map((r) => r.servicesPainted)))
    row(FOUR_G, 'blank page (/healthz)', blankPaint, 'first contentful paint')
    row(FOUR_G, 'scan landing: service list', listPaint, 'first service painted (Element Timing)', land4[0].kb)
    row(FOUR_G, 'blank page (/healthz)', median(blank4.map((r) => r.ms)), 'load event, wall clock')
    row(FOUR_G, 'scan landing: service list', median(land4.map((r) => r.ms)), 'visible to Playwright, wall clock')
    row(FOUR_G, "scan landing: the app's own list", median(land4.map((r) => r.alsoMs!)), 'visible to Playwright, wall clock')

    const land2 = []
    for (let i = 0; i < RUNS; i++) land2.push(await load(browser, TWO_G, landing, servicesShown, appServices))
    const placeholder2 = median(nums(land2.map((r) => r.fcp)))
    const list2 = median(land2.map((r) => r.ms))
    const app2 = median(land2.map((r) => r.alsoMs!))
    row(TWO_G, 'scan landing: first paint (placeholder)', placeholder2, 'first contentful paint')
    row(TWO_G, 'scan landing: service list', list2, 'visible to Playwright, wall clock', land2[0].kb)
    row(TWO_G, "scan landing: the app's own list", app2, 'visible to Playwright, wall clock')
    console.table(rows)
    const ratio = (a: number, b: number) => (a / b).toFixed(2)
    console.log(
      `landing / blank under ${FOUR_G.name}: ${ratio(listPaint, blankPaint)}× painted (target ≤ 2.0×); ` +
        `wall clock: ${ratio(median(land4.map((r) => r.ms)), median(blank4.map((r) => r.ms)))}×, the app's own list ${ratio(median(land4.map((r) => r.alsoMs!)), median(blank4.map((r) => r.ms)))}×`,
    )
    console.log(`2G: placeholder ${(placeholder2 / 1000).toFixed(1)} s (target ≤ 3 s), services ${(list2 / 1000).toFixed(1)} s (target ≤ 10 s), the app's own list ${(app2 / 1000).toFixed(1)} s`)
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
