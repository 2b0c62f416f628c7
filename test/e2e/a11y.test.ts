import path from 'node:path'
import type { Page } from 'playwright-core'
import { PRIVACY_VERSION } from '../../src/core'
import { uploadPhotos } from '../helpers/photos'
import type { TestRuntime } from '../helpers/runtime'
import { closeSession, e2eSuite, openSession, see, type Session } from './browser'

/**
 * Every villager page at 375 px, in the default mode and in 长辈模式, measured from the styles
 * Chromium computes (H5 build; 750-wide design px are half as many CSS px at this width):
 *
 * - clipped text: a text box with overflow hidden/clip (or an ellipsis, or a line clamp) whose
 *   content is larger than its box;
 * - wider than the viewport: the document scrolls sideways, or a visible element reaches past 375 px;
 * - numbers broken mid-way: a phone number, time or code (digits with - : . between them) laid out
 *   over more than one line; and short labels (≤ 4 characters, e.g. 拨打) broken over two lines;
 * - font size of visible text: ≥ 16 px; in 长辈模式 body ≥ 20 px, secondary ≥ 18 px (text inside
 *   SECONDARY below), state tags and badges ≥ 18 px and bold (TAGS);
 * - tap targets ≥ 44 × 44 px, ≥ 48 × 48 in 长辈模式: every visible input, textarea, button, link,
 *   and every element with a click handler (Taro's H5 components keep it in the element's
 *   `__events.click`; React host elements in `__reactProps$….onClick`) — what a person can tap;
 * - contrast ≥ 4.5:1 between the text colour (and placeholders) and the first opaque background
 *   found walking up the ancestors (semi-transparent layers blended on the way); disabled controls
 *   are exempt, as WCAG exempts them.
 *
 * The scan landing the HTML draws before the app's scripts run (src/boot.js) is checked the same way.
 * Taro's own H5 navigation bar is left out: the mini-program draws WeChat's native one instead.
 * The data no person in this suite creates (orders along the whole loop, a published showcase) is
 * set up through the API. Screenshots: test-artifacts/e2e/a11y.
 */
const VILLAGER = 'u_villager_zhang' // 张大爷
const STATION = 'u_station_dg'
const VOL = 'u_vol_02'
const SECONDARY = '.xf-muted, .xf-hint, .xf-cell__desc, .xf-form__tip, .xf-form__count, .xf-form__opt, .xf-form__req, .xf-fact__label, .xf-end, .scan__category, .privacy__version, .boot-muted, .boot-status'
const TAGS = '.xf-tag, .xf-badge, .act__status'

type Report = { texts: number; targets: number; minFont: number; minTarget: number; minContrast: number; failures: string[] }

/** All the checks on the page as shown, in the page itself; `scope`: only what is inside it (else the app, without its H5 chrome). */
function measure(page: Page, care: boolean, scope?: string): Promise<Report> {
  return page.evaluate(
    ({ care, SECONDARY, TAGS, scope }) => {
      const W = document.documentElement.clientWidth
      const failures: string[] = []
      const name = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${Array.from(el.classList).join('.')} 「${(el.textContent || (el as HTMLInputElement).placeholder || '').trim().slice(0, 16)}」`
      const shown = (el: Element) => el.checkVisibility({ checkVisibilityCSS: true }) && el.getClientRects().length > 0
      const chrome = (el: Element) => (scope ? !el.closest(scope) : !!el.closest('[class*="taro-navigation-bar"], #boot'))
      const all = Array.from(document.querySelectorAll('body *')).filter((el) => !chrome(el) && shown(el))
      const own = (el: Element) =>
        Array.from(el.childNodes)
          .filter((n) => n.nodeType === Node.TEXT_NODE)
          .map((n) => n.textContent)
          .join('')
          .trim()
      const field = (el: Element) => el.matches('input, textarea')
      const texts = all.filter((el) => own(el) || field(el))

      // --- colour ---
      const rgba = (c: string): number[] => {
        const p = (/\(([^)]+)\)/.exec(c)?.[1] ?? '0,0,0,0').split(/[\s,/]+/).filter(Boolean).map(Number)
        return [p[0], p[1], p[2], p[3] ?? 1]
      }
      const over = (top: number[], bottom: number[]) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1)
      const background = (el: Element) => {
        const layers: number[][] = []
        for (let e: Element | null = el; e; e = e.parentElement) {
          const c = rgba(getComputedStyle(e).backgroundColor)
          if (c[3] > 0) layers.push(c)
          if (c[3] >= 1) break
        }
        return layers.reverse().reduce((acc, l) => over(l, acc), [255, 255, 255, 1])
      }
      const opacity = (el: Element) => {
        let o = 1
        for (let e: Element | null = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity)
        return o
      }
      const lum = (c: number[]) => {
        const [r, g, b] = c.slice(0, 3).map((v) => {
          const s = v / 255
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
        })
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
      }
      const ratio = (a: number[], b: number[]) => {
        const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p)
        return (x + 0.05) / (y + 0.05)
      }

      let minFont = Infinity
      let minContrast = Infinity
      for (const el of texts) {
        const cs = getComputedStyle(el)
        const size = parseFloat(cs.fontSize)
        minFont = Math.min(minFont, size)
        const tag = !!el.closest(TAGS)
        const min = !care ? 16 : tag || el.closest(SECONDARY) ? 18 : 20
        if (size < min - 0.01) failures.push(`font ${size}px < ${min}px: ${name(el)}`)
        if (care && tag && Number(cs.fontWeight) < 700) failures.push(`tag not bold: ${name(el)}`)
        if (el.closest('[aria-disabled="true"]')) continue
        const bg = background(el)
        const colours = [cs.color]
        if (field(el) && (el as HTMLInputElement).placeholder && !(el as HTMLInputElement).value) colours.push(getComputedStyle(el, '::placeholder').color)
        for (const c of colours) {
          const fg = rgba(c)
          const r = ratio(over([fg[0], fg[1], fg[2], fg[3] * opacity(el)], bg), bg)
          minContrast = Math.min(minContrast, r)
          if (r < 4.5) failures.push(`contrast ${r.toFixed(2)} (${c} on rgb(${bg.slice(0, 3).map(Math.round).join(',')})): ${name(el)}`)
        }
      }

      // --- clipped text, numbers and short labels broken over lines ---
      for (const el of all) {
        const cs = getComputedStyle(el)
        // a box of text that hides what does not fit (scrolling containers such as Taro's page are not text boxes)
        const hides = /hidden|clip/.test(cs.overflowX + cs.overflowY) || cs.textOverflow === 'ellipsis' || cs.webkitLineClamp !== 'none'
        if (hides && own(el) && !field(el) && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)) failures.push(`clipped text: ${name(el)}`)
      }
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const parent = n.parentElement
        const text = n.textContent || ''
        if (!parent || !text.trim() || chrome(parent) || !shown(parent)) continue
        const lines = (from: number, to: number) => {
          const r = document.createRange()
          r.setStart(n!, from)
          r.setEnd(n!, to)
          return new Set(Array.from(r.getClientRects()).filter((x) => x.width > 0).map((x) => Math.round(x.bottom))).size
        }
        for (const m of text.matchAll(/\d[\d\-:.]{4,}\d/g)) if (lines(m.index!, m.index! + m[0].length) > 1) failures.push(`number broken over lines: 「${m[0]}」 in ${name(parent)}`)
        const t = text.trim()
        if (t.length >= 2 && t.length <= 4 && parent.childNodes.length === 1 && lines(text.indexOf(t), text.indexOf(t) + t.length) > 1) failures.push(`short label broken over lines: ${name(parent)}`)
      }

      // --- nothing wider than the screen ---
      const sw = document.scrollingElement!.scrollWidth
      if (sw > W) failures.push(`page scrolls sideways: ${sw}px > ${W}px`)
      for (const el of all) {
        const r = el.getBoundingClientRect()
        if (r.width > 0 && (r.right > W + 1 || r.left < -1)) failures.push(`wider than the screen (${Math.round(r.left)}…${Math.round(r.right)}): ${name(el)}`)
      }

      // --- tap targets ---
      const tap = care ? 48 : 44
      const handles = (el: Element) => {
        const events = (el as any).__events
        if (events && events.click) return true
        const key = Object.keys(el).find((k) => k.startsWith('__reactProps$'))
        return !!(key && typeof (el as any)[key]?.onClick === 'function')
      }
      const targets = all.filter((el) => el.matches('input, textarea, button, a[href]') || handles(el))
      let minTarget = Infinity
      for (const el of targets) {
        // Taro's input: the real <input> fills its wrapper; the wrapper is what is measured
        const box = (el.matches('input, textarea') && el.parentElement?.matches('taro-input-core, taro-textarea-core') ? el.parentElement : el).getBoundingClientRect()
        const size = Math.min(box.width, box.height)
        minTarget = Math.min(minTarget, size)
        if (box.width < tap - 0.5 || box.height < tap - 0.5) failures.push(`tap target ${Math.round(box.width)}×${Math.round(box.height)} < ${tap}: ${name(el)}`)
      }
      return { texts: texts.length, targets: targets.length, minFont, minTarget, minContrast, failures }
    },
    { care, SECONDARY, TAGS, scope },
  )
}

e2eSuite('a11y: every villager page in both modes at 375 px (H5 in Chromium)', () => {
  let s: Session
  let rt: TestRuntime
  let page: Page
  const ids: Record<'done' | 'fixed', string> = { done: '', fixed: '' }
  let seq = 0

  beforeAll(async () => {
    s = await openSession('a11y')
    ;({ rt, page } = s)
    // orders along the loop for the detail page, the inbox, the showcase form and the feed
    const place = async (description: string) =>
      (
        await rt.ok(
          'order',
          'place',
          { requestId: `a11y_${Date.now()}_${++seq}`, gridCode: 'XF010101', serviceId: 'svc_01', description, contactPhone: '13800001111', contactName: '张大爷', privacyVersion: PRIVACY_VERSION },
          VILLAGER,
        )
      ).id as string
    const [photo] = await uploadPhotos(rt, 1, VOL)
    const completed = async (description: string) => {
      const id = await place(description)
      await rt.ok('order', 'dispatch', { id, volunteerId: VOL }, STATION)
      await rt.ok('order', 'accept', { id }, VOL)
      await rt.ok('order', 'complete', { id, note: '换了灯泡，检查了线路，已经亮了', photos: [photo] }, VOL)
      return id
    }
    const shown = await completed('堂屋的灯不亮了，开关也松了')
    await rt.ok('order', 'confirm', { id: shown, fixed: true, stars: 5, comment: '来得很快，修得很好' }, VILLAGER)
    const [mine] = await uploadPhotos(rt, 1, VILLAGER)
    const sc = await rt.ok('showcase', 'create', { orderId: shown, story: '志愿者半小时就到，换了灯泡，还帮忙检查了线路，谢谢网格服务队！', photos: [mine] }, VILLAGER)
    await rt.ok('order', 'approve', { kind: 'showcase', id: sc.id }, STATION)
    ids.fixed = await completed('院子里的水管冻裂了，在村东头第三户')
    await rt.ok('order', 'confirm', { id: ids.fixed, fixed: true, stars: 4, comment: '挺好' }, VILLAGER)
    ids.done = await completed('厨房的插座没有电了，麻烦来看看，电话13800001111')
    await place('门口的路灯坏了，晚上看不见路')
  }, 90_000)
  afterAll(() => closeSession(s))

  /** the villager pages, each reached as a person would once signed in, and what shows it is ready */
  const PAGES: { name: string; open: () => Promise<void>; ready: string }[] = [
    { name: 'scan-landing', open: () => go('/pages/scan/index?code=XF010101'), ready: '#service-list' },
    {
      name: 'order-form',
      open: async () => {
        await go('/pages/scan/index?code=XF010101')
        await page.locator('#service-list').filter({ visible: true }).getByText('水电维修', { exact: true }).first().click()
      },
      ready: '#selected-service',
    },
    { name: 'my-orders', open: () => go('/pages/orders/index'), ready: '#my-orders' },
    { name: 'order-detail', open: () => go(`/pages/orders/detail?id=${ids.done}`), ready: '#order-status' },
    { name: 'inbox', open: () => go('/pages/inbox/index'), ready: '#inbox-list' },
    { name: 'showcase-form', open: () => go(`/showcase/new?orderId=${ids.fixed}`), ready: '#showcase-story' },
    { name: 'showcase-feed', open: () => go('/showcase/feed?nodeId=g_XF0101&name=东关村'), ready: '#feed-list' },
    { name: 'privacy-guide', open: () => go('/pages/privacy/index'), ready: '.privacy__title' },
    { name: 'registration', open: () => go('/join/register/index?code=XF010101'), ready: '.reg' },
  ]
  async function go(path: string) {
    await page.goto(`${rt.url}/#${path}`)
  }

  async function checkAll(mode: 'default' | 'care') {
    const rows: string[] = []
    const failures: string[] = []
    let elements = 0
    const min = { font: Infinity, target: Infinity, contrast: Infinity }
    for (const p of PAGES) {
      await p.open()
      await page.locator(p.ready).filter({ visible: true }).first().waitFor()
      await s.shot(`${p.name}-${mode}`) // also lets the page transition finish
      // the page's root carries the mode
      const root = page.locator('.xf-page').filter({ visible: true }).first()
      expect(/\bxf-care\b/.test((await root.getAttribute('class')) ?? '')).toBe(mode === 'care')
      const r = await measure(page, mode === 'care')
      elements += r.texts + r.targets
      min.font = Math.min(min.font, r.minFont)
      min.target = Math.min(min.target, r.minTarget)
      min.contrast = Math.min(min.contrast, r.minContrast)
      rows.push(`${p.name.padEnd(15)} texts ${String(r.texts).padStart(3)} · targets ${String(r.targets).padStart(2)} · min font ${r.minFont}px · min target ${Math.round(r.minTarget)}px · min contrast ${r.minContrast.toFixed(2)} · failures ${r.failures.length}`)
      failures.push(...r.failures.map((f) => `${p.name}: ${f}`))
    }
    console.log(
      `a11y ${mode}: ${PAGES.length} pages × 6 checks (clipping, width, numbers/labels unbroken, font, target, contrast), ${elements} elements\n` +
        rows.join('\n') +
        `\nsmallest: font ${min.font}px · target ${Math.round(min.target)}px · contrast ${min.contrast.toFixed(2)}` +
        (failures.length ? `\nFAILURES:\n${failures.join('\n')}` : ''),
    )
    expect(failures).toEqual([])
  }

  test('in the default mode every villager page has readable text, big targets and nothing cut off', async () => {
    await s.signIn('张大爷', '/pages/scan/index?code=XF010101')
    await see(page.locator('#grid-name')).hasText('东关村第一网格')
    // the first visit asks once; the villager keeps the usual size
    await see(page.locator('#care-ask')).contains('字太小？切换到长辈模式')
    await s.shot('first-visit-question')
    await s.click('#care-no')
    expect(await page.locator('#care-ask').count()).toBe(0)
    await checkAll('default')
  }, 180_000)

  test('the landing the HTML draws before the app (a slow phone) passes the same checks, in both modes', async () => {
    // a cold load of the signboard's URL with the app's scripts held back: only the HTML's own landing shows
    const cold = await page.context().newPage()
    await cold.route(/\/js\/.*\.js$/, (r) => r.abort())
    try {
      for (const mode of ['default', 'care'] as const) {
        await cold.goto(`${rt.url}/#/pages/scan/index?code=XF010101`)
        if (mode === 'care') {
          // 长辈模式 as the app stores it on the device
          await cold.evaluate(() => localStorage.setItem('xf.care', JSON.stringify({ data: 'on' })))
          await cold.reload()
        }
        await see(cold.locator('#boot-services .boot-service').first()).contains('水电维修')
        expect(await cold.locator('#app').innerHTML()).toBe('') // the app never ran
        await cold.screenshot({ path: path.resolve(__dirname, '..', '..', 'test-artifacts', 'e2e', 'a11y', `boot-landing-${mode}.png`), fullPage: true })
        const r = await measure(cold, mode === 'care', '#boot')
        console.log(`a11y boot landing ${mode}: texts ${r.texts} · targets ${r.targets} · min font ${r.minFont}px · min target ${Math.round(r.minTarget)}px · min contrast ${r.minContrast.toFixed(2)}`)
        expect(r.targets).toBeGreaterThanOrEqual(4) // the hotline and the services
        expect(r.minFont).toBeGreaterThanOrEqual(mode === 'care' ? 18 : 16)
        expect(r.failures).toEqual([])
      }
    } finally {
      // as the first test left it: the villager answered the first-visit question with 不用
      await cold.evaluate(() => localStorage.setItem('xf.care', JSON.stringify({ data: 'off' }))).catch(() => {})
      await cold.close()
    }
  }, 60_000)

  test('in 长辈模式, switched on from the landing, every villager page is bigger and says states plainly', async () => {
    await go('/pages/scan/index?code=XF010101')
    await see(page.locator('#care-switch')).contains('长辈模式')
    await s.click('#care-switch')
    await see(page.locator('#care-switch')).contains('开')
    // remembered on the device: a fresh load of another page comes up in 长辈模式, in plain words
    await page.goto(`${rt.url}/#/pages/orders/detail?id=${ids.done}`)
    await page.reload()
    await see(page.locator('#order-status')).hasText('请您确认')
    await checkAll('care')
    // and switched off again from 我的诉求
    await go('/pages/orders/index')
    await s.click('#care-switch')
    await see(page.locator('#care-switch')).contains('关')
    expect(await page.locator('.xf-page.xf-care').filter({ visible: true }).count()).toBe(0)
  }, 180_000)
})
