// the page helpers share the app's URL helpers, which load Taro (not needed by these pure functions)
jest.mock('@tarojs/taro', () => ({}))

import { endingOf, exportUrlOf, filtersFromQuery, ledgerInputOf } from '../../src/staff/ledger/filters'
import { formFromQuery } from '../../src/staff/export/filters'
import { ledgerInput } from '../../src/core/patrol'
import type { HistoryView } from '../../src/core/api'

const step = (action: HistoryView['action'], from: HistoryView['from'], to: HistoryView['to'], at: number, reason?: string): HistoryView =>
  ({ action, from, to, at, byName: '王建国', role: 'leader', ...(reason ? { reason } : {}) }) as HistoryView

describe('the problem ledger (问题台账) filters', () => {
  test('a link opens the ledger with the filters it names, ignoring values that are not filters', () => {
    const f = filtersFromQuery({ source: 'patrol', state: 'closed', overdue: '1', category: '安全隐患', nodeId: 'g_XF0101', area: '东关村' })
    expect(f).toEqual({ source: 'patrol', state: 'closed', overdue: true, category: '安全隐患', nodeId: 'g_XF0101', area: '东关村' })
    expect(filtersFromQuery({ source: 'fax', state: 'done', overdue: 'yes' })).toEqual({ state: 'all', overdue: false })
  })

  test('every combination of filters is a page the ledger action accepts', () => {
    for (const source of [undefined, 'scan', 'hotline', 'patrol'] as const)
      for (const state of ['all', 'open', 'closed'] as const)
        for (const overdue of [false, true]) {
          const input = ledgerInputOf({ source, state, overdue, category: '环境卫生', nodeId: 'g_XF0101' }, 20, 1_700_000_000_000)
          expect(ledgerInput.safeParse(input).success).toBe(true)
        }
  })

  test('导出 opens the export page with the same source, category and area', () => {
    const url = exportUrlOf({ source: 'patrol', state: 'closed', overdue: true, category: '安全隐患', nodeId: 'g_XF0101' })
    const params = Object.fromEntries(new URLSearchParams(url.split('?')[1]))
    const form = formFromQuery(params)
    expect(form.kind).toBe('orders')
    expect(form.orders).toEqual({ source: 'patrol', category: '安全隐患', nodeId: 'g_XF0101' })
  })

  test('a finished entry ends with its last step into the final state; an open one has no ending', () => {
    const history = [step('report', null, 'pending', 1), step('dispatch', 'pending', 'dispatched', 2), step('close', 'dispatched', 'closed', 3, ' 村民已自行修好 ')]
    expect(endingOf({ status: 'closed', history })).toEqual({ label: '关闭', byName: '王建国', at: 3, reason: '村民已自行修好' })
    expect(endingOf({ status: 'dispatched', history: history.slice(0, 2) })).toBeNull()
    expect(endingOf({ status: 'handled', history: [step('handleOnSpot', null, 'handled', 5)] })).toMatchObject({ label: '就地处置', reason: null })
  })
})
