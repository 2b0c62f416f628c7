import type { Locator, Page } from 'playwright-core'
import { URGENT_LIMITS } from '../../src/core'
import type { TestRuntime } from '../helpers/runtime'
import { closeSession, e2eSuite, openSession, see, type Session } from './browser'

/**
 * 办理时限设置 as the county admin clicks it (H5 in Debian's Chromium on a fresh local
 * runtime): from his workbench to the page, a default limit changed, a service made
 * urgent, a holiday entered with the date picker, saved, and still there after a reload
 * and in the stored settings. Screenshots: test-artifacts/e2e/timeliness.
 */

// the picker's geometry (Taro H5's weui picker): rows of 34px, the chosen row 102px from the top
const ROW = 34
const CHOSEN_TOP = 102

e2eSuite('timeliness settings: the county admin edits limits, an urgent service and the calendar (H5 in Chromium)', () => {
  let s: Session
  let rt: TestRuntime
  let page: Page
  const shot = (name: string) => s.shot(name)
  const visible = (sel: string) => page.locator(sel).filter({ visible: true }).first()
  /** Taro H5 wraps <input> in its own element carrying the id */
  const field = (id: string) => visible(`#${id} input, input#${id}`)
  const isOn = async (l: Locator) => /xf-form__chip--on/.test((await l.getAttribute('class')) ?? '')
  const storedSettings = async () => (await rt.db.collection('settings').doc('timeliness_g_XF').get()).data[0] as any

  /** Turn the open date picker's wheels to `date` (YYYY-MM-DD) by dragging them, as a finger would, then 确定. */
  async function pickDate(date: string) {
    const [y, m, d] = date.split('-')
    const wanted = [`${y}年`, `${m}月`, `${d}日`]
    const picker = visible('.weui-picker')
    await picker.waitFor()
    await page.waitForTimeout(400) // the slide-up animation
    for (let col = 0; col < wanted.length; col++) {
      const wheel = picker.locator('.weui-picker__group').nth(col)
      for (let turn = 0; ; turn++) {
        const { items, at } = await wheel.evaluate((g, [row, top]) => {
          const content = g.querySelector('.weui-picker__content') as HTMLElement
          const offset = Number(/translate3d\(0(?:px)?,\s*(-?[\d.]+)px/.exec(content.style.transform)?.[1] ?? top)
          return { items: Array.from(content.querySelectorAll('.weui-picker__item')).map((i) => i.textContent), at: Math.round((top - offset) / row) }
        }, [ROW, CHOSEN_TOP])
        const target = items.indexOf(wanted[col])
        if (target < 0) throw new Error(`${wanted[col]} is not on the wheel: ${items.join(' ')}`)
        if (target === at) break
        if (turn > 20) throw new Error(`the wheel did not reach ${wanted[col]}`)
        // a drag downwards brings earlier items up; at most 5 rows, so the pointer stays on the wheel
        const rows = Math.max(-5, Math.min(5, at - target))
        const box = (await wheel.boundingBox())!
        const x = box.x + box.width / 2
        const from = box.y + box.height / 2 - (rows * ROW) / 2
        await page.mouse.move(x, from)
        await page.mouse.down()
        await page.mouse.move(x, from + rows * ROW, { steps: 8 })
        await page.mouse.up()
        await page.waitForTimeout(350)
      }
    }
    await picker.locator('.weui-picker__action').last().click() // 确定
  }

  beforeAll(async () => {
    s = await openSession('timeliness-settings')
    ;({ rt, page } = s)
  }, 60_000)
  afterAll(() => closeSession(s))

  test('周主任 changes the default 派单 limit, makes 水电维修 urgent, adds a holiday, saves; all kept after a reload and stored', async () => {
    const service = (await rt.db.collection('services').where({ name: '水电维修' }).get()).data[0] as any
    const before = await storedSettings()
    expect(before.settings.services[service._id]).toBeUndefined()

    // from his workbench
    await s.signIn('周主任')
    await page.goto(`${rt.url}/#/staff/incoming/index`)
    await visible('#link-timeliness').waitFor()
    await shot('workbench')
    await visible('#link-timeliness').click()
    await see(page.locator('#tl-county')).contains('幸福县')
    await see(page.locator('#tl-default-dispatch')).contains('派单时限：半个工作日')
    await shot('page-loaded')
    await visible('#tl-followup-said').scrollIntoViewIfNeeded()
    await see(page.locator('#tl-followup-said')).contains('村民3天未确认的，列入回访；再过7天仍联系不上的，按“已完成，未经确认”办结')
    await shot('reminders-and-follow-up')

    // a limit of 0 is refused on the page, with where it is
    await field('tl-default-dispatch-value').fill('0')
    await see(page.locator('#tl-dirty')).contains('有修改还没有保存')
    await visible('#tl-save').click()
    await see(page.locator('#tl-error')).contains('默认时限 · 派单：时限必须大于0')

    // 派单 within 2 hours, round the clock
    await field('tl-default-dispatch-value').fill('2')
    await visible('#tl-default-dispatch-hours').click()
    await see(page.locator('#tl-default-dispatch')).contains('派单时限：2小时')

    // 水电维修 gets the urgent preset
    await visible(`#tl-svc-${service._id}-urgent`).click()
    await see(page.locator('#tl-own-list')).contains('水电维修')
    await see(page.locator(`#tl-svc-${service._id}-dispatch`)).contains('派单时限：30分钟')
    await see(page.locator(`#tl-svc-${service._id}-complete`)).contains('办理时限：24小时')
    await shot('limits-edited')

    // 2027-01-01 off: the built-in arrangement does not cover 2027 yet
    await visible('#tl-add-date').click()
    await pickDate('2027-01-01')
    await see(page.locator('#tl-add-date')).contains('2027-01-01 周五')
    await visible('#tl-add-holiday').click()
    await field('tl-add-note').fill('元旦')
    await visible('#tl-add-entry').click()
    await see(page.locator('#tl-entry-2027-01-01')).contains('放假')
    await see(page.locator('#tl-entry-2027-01-01')).contains('元旦')
    await shot('calendar-entry-added')

    await visible('#tl-save').click()
    await see(page.locator('body')).contains('新的时限只对保存以后开始的环节生效')
    await shot('save-confirm')
    await page.getByText('确认保存', { exact: true }).filter({ visible: true }).last().click()
    await see(page.locator('#tl-updated')).contains('· 周主任')
    expect(await page.locator('#tl-dirty').filter({ visible: true }).count()).toBe(0)
    await shot('saved')

    const stored = await storedSettings()
    expect(stored.updatedByName).toBe('周主任')
    expect(stored.settings.defaults.dispatch).toEqual({ value: 2, unit: 'hours' })
    expect(stored.settings.defaults.accept).toEqual(before.settings.defaults.accept)
    expect(stored.settings.services[service._id]).toEqual(URGENT_LIMITS)
    // the seed's urgent 隐患上报 is untouched
    expect(Object.keys(stored.settings.services).sort()).toEqual([...Object.keys(before.settings.services), service._id].sort())
    expect(stored.settings.calendar).toEqual([{ date: '2027-01-01', kind: 'holiday', note: '元旦' }])

    // what the page shows after a reload comes from the server
    await page.reload()
    await see(page.locator('#tl-updated')).contains('· 周主任')
    expect(await field('tl-default-dispatch-value').inputValue()).toBe('2')
    expect(await isOn(visible('#tl-default-dispatch-hours'))).toBe(true)
    expect(await isOn(visible(`#tl-svc-${service._id}-own`))).toBe(true)
    await see(page.locator('#tl-own-list')).contains('水电维修')
    await see(page.locator(`#tl-svc-${service._id}-dispatch`)).contains('派单时限：30分钟')
    await see(page.locator('#tl-entry-2027-01-01')).contains('放假')
    await shot('after-reload')
  }, 120_000)
})
