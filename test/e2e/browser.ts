import { existsSync, mkdirSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { startTestRuntime, type TestRuntime } from '../helpers/runtime'

/** Shared by the end-to-end suites: Debian's Chromium, the H5 build on a fresh local runtime, screenshots. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
export const H5 = path.resolve(__dirname, '..', '..', 'dist', 'h5')
const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'e2e')

export const missing = !existsSync(CHROMIUM)
  ? `Chromium not found at ${CHROMIUM} (apt-get install chromium)`
  : !existsSync(path.join(H5, 'index.html'))
    ? 'H5 build missing (npm run build:h5)'
    : null

/**
 * `describe` when the prerequisites are there; otherwise a failing test under CI (the
 * end-to-end suites are mandatory there) or a skipped suite that says why.
 */
export function e2eSuite(name: string, body: () => void) {
  if (!missing) return describe(name, body)
  if (process.env.CI === 'true') {
    return test(`${name}: end-to-end prerequisites`, () => {
      throw new Error(missing)
    })
  }
  console.warn(`[e2e] skipped: ${missing}`)
  // Skipped only outside CI when Chromium or the H5 build is missing — the reason is in the title.
  return describe.skip(`${name} — skipped: ${missing}`, body)
}

export type Session = {
  rt: TestRuntime
  browser: Browser
  page: Page
  shot: (name: string) => Promise<void>
  /** sign in as a demo user; `to` (e.g. '/pages/inbox/index'): the page to land on, in the same navigation */
  signIn: (name: string, to?: string) => Promise<void>
  /** tap the visible element (Taro keeps earlier pages hidden in the DOM) */
  click: (selector: string) => Promise<void>
  /** type into the visible input or textarea of `selector` */
  fill: (selector: string, text: string) => Promise<void>
  /** the confirmation modal: it must say `message` (when given); the person taps `button` (default 确定) */
  confirmModal: (message?: string, button?: string) => Promise<void>
  /** the toast the person is shown must say `text` (it shows for 1.5 s: check right after the tap) */
  toast: (text: string) => Promise<void>
  /** the sweep of order clocks (function `clock`), as the cloud timer runs it, at an instant of the test's choosing */
  sweepAt: (at: Date) => Promise<any>
}

/** `media`: Chromium's fake microphone, granted without asking (the voice-note suite). */
export async function openSession(suite: string, opts: { media?: boolean } = {}): Promise<Session> {
  const rt = await startTestRuntime({ h5Dir: H5, rateLimits: false }) // suites seed their data through the API as one demo villager
  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      ...['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      ...(opts.media ? ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--autoplay-policy=no-user-gesture-required'] : []),
    ],
  })
  const context = await browser.newContext({ viewport: { width: 375, height: 760 }, deviceScaleFactor: 2, locale: 'zh-CN' })
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  const dir = path.join(ARTIFACTS, suite)
  let step = 0
  return {
    rt,
    browser,
    page,
    async shot(name) {
      mkdirSync(dir, { recursive: true })
      await page.waitForTimeout(400) // let the H5 router's page transition finish
      await page.screenshot({ path: path.join(dir, `${String(++step).padStart(2, '0')}-${name}.png`), fullPage: true })
    },
    click: (sel) => page.locator(sel).filter({ visible: true }).first().click(),
    fill: (sel, text) => page.locator(`${sel} textarea, ${sel} input, textarea${sel}, input${sel}`).filter({ visible: true }).first().fill(text),
    async confirmModal(message, button = '确定') {
      if (message) await see(page.locator('.taro-modal__text')).contains(message)
      const ok = page.getByText(button, { exact: true }).filter({ visible: true }).last()
      await ok.waitFor({ timeout: 5000 })
      await ok.click()
    },
    // the wrapper is sizeless (its box is position: fixed): read the title line
    toast: (text) => see(page.locator('.taro__toast p:last-child')).contains(text),
    async sweepAt(at) {
      const r = (await rt.invoke('clock', {}, null, () => at)) as { ok: boolean; data?: unknown; message?: string }
      if (!r.ok) throw new Error(`sweep: ${r.message}`)
      return r.data
    },
    async signIn(name, to) {
      // landing on `to` through the sign-in's own redirect: a separate goto right after could race
      // the sign-in's reLaunch to the role's home page (still loading its subpackage) and lose
      await page.goto(`${rt.url}/#/pages/dev/index${to ? `?redirect=${encodeURIComponent(to)}` : ''}`)
      await page.locator('#dev-users').getByText(name).first().click()
      await page.waitForFunction(() => !location.hash.includes('pages/dev/index'))
    },
  }
}

export async function closeSession(s: Session | undefined) {
  await s?.browser.close()
  await s?.rt.close()
}

/** Web-first assertions on a locator: poll its visible text (Taro keeps earlier pages hidden in the DOM). */
export function see(locator: Locator) {
  const poll = async (check: (text: string) => boolean, describe: string) => {
    const deadline = Date.now() + 15_000
    let last = ''
    while (Date.now() < deadline) {
      last = (await locator.filter({ visible: true }).first().textContent({ timeout: 1000 }).catch(() => null)) ?? ''
      if (check(last.trim())) return
      await new Promise((r) => setTimeout(r, 150))
    }
    throw new Error(`expected ${describe}, last text was: ${JSON.stringify(last)}`)
  }
  return {
    hasText: (t: string) => poll((s) => s === t, `text ${JSON.stringify(t)}`),
    contains: (t: string) => poll((s) => s.includes(t), `text containing ${JSON.stringify(t)}`),
  }
}

/**
 * A villager's order, as they place it: sign in on the signboard's scan landing (`code`), tap the
 * service, describe it, leave a phone (and a name), agree to the privacy guide if this device has
 * not yet, 提交诉求 — and land on the new order's detail. Resolves to the order's id (from the URL).
 */
export async function placeOrderByScan(
  s: Session,
  o: { as?: string; code?: string; service?: string; description: string; phone?: string; name?: string },
): Promise<string> {
  const { page } = s
  await s.signIn(o.as ?? '张大爷', `/pages/scan/index?code=${o.code ?? 'XF010101'}`)
  await page.locator('#service-list').filter({ visible: true }).getByText(o.service ?? '水电维修', { exact: true }).first().click()
  await see(page.locator('#selected-service')).contains(o.service ?? '水电维修')
  const field = (sel: string) => page.locator(sel).filter({ visible: true }).first()
  await field('textarea[placeholder^="请说说是什么事"]').fill(o.description)
  await field('input[placeholder="手机号或座机号"]').fill(o.phone ?? '13800001111')
  if (o.name) {
    await s.click('#more-fields') // name and time are folded into one optional line
    await field('input[placeholder="如：王大爷、李阿姨"]').fill(o.name)
  }
  const consent = page.locator('#privacy-consent').filter({ visible: true }).first()
  if (!/--on\b/.test((await consent.getAttribute('class')) ?? '')) await consent.click()
  await s.click('#submit-order')
  await see(page.locator('#order-status')).hasText('待派单')
  const id = new URLSearchParams(page.url().split('?')[1] ?? '').get('id')
  if (!id) throw new Error(`no order id in ${page.url()}`)
  return id
}

/** A real 8×8 PNG for upload tests. */
export function pngFile(name = 'photo.png') {
  const b64 = 'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEklEQVR4nGP4z8CAFWEXHbQSACj/P8Fu7N9hAAAAAElFTkSuQmCC'
  const p = path.join(os.tmpdir(), name)
  require('node:fs').writeFileSync(p, Buffer.from(b64, 'base64'))
  return p
}
