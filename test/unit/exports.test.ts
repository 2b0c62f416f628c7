// Exports, the pure part: how a row reads (headers, Shanghai times, masked phones), how a cell is
// written (CSV quoting, formula neutralisation), the BOM, the period and month ranges.
import { parse } from 'csv-parse/sync'
import {
  BOM,
  cellText,
  EXPORT_COLUMNS,
  exportFileName,
  exportHeaders,
  exportMonths,
  exportPercent,
  exportPeriod,
  exportPhone,
  exportRow,
  exportStartInput,
  exportFiltersSchema,
  maySeeFullPhones,
  neutralise,
  type Caller,
  type Order,
  type VolunteerDoc,
} from '../../src/core'
import { csvLines } from '../../cloudfunctions/services/exports'

const ctx = (fullPhones = false) => ({ fullPhones, names: { t1: '东关镇', v1: '东关村' } })
const cell = (kind: 'orders' | 'volunteers' | 'points', doc: unknown, header: string, full = false) => {
  const i = exportHeaders(kind).indexOf(header)
  if (i < 0) throw new Error(`no column ${header}`)
  return exportRow(kind, doc, ctx(full))[i]
}

const at = (iso: string) => new Date(iso)
const order = (over: Partial<Order> = {}): Order =>
  ({
    _id: 'o1',
    no: '20261120-AB12',
    requestId: 'r1',
    status: 'fixed',
    source: 'hotline',
    gridId: 'g1',
    gridCode: 'XF010101',
    gridName: '东关村第一网格',
    villageName: '东关村',
    townshipName: '东关镇',
    scopePath: ['c', 't1', 'v1', 'g1'],
    serviceId: 's1',
    serviceName: '水电维修',
    category: '生活服务',
    description: '厨房的灯不亮了',
    contactName: '张大爷',
    contactPhone: '13812345678',
    villagerId: 'u1',
    history: [
      { at: at('2026-11-20T02:05:00Z'), action: 'place', from: null, to: 'pending', by: 'u1', byName: '张大爷', role: 'villager' },
      { at: at('2026-11-20T03:00:00Z'), action: 'dispatch', from: 'pending', to: 'dispatched', by: 's', byName: '刘站长', role: 'station' },
      { at: at('2026-11-20T16:30:00Z'), action: 'markOverdue', from: 'dispatched', to: 'dispatched', by: 'system', byName: '系统', role: 'system' },
      { at: at('2026-11-20T17:00:00Z'), action: 'accept', from: 'dispatched', to: 'accepted', by: 'v', byName: '王建国', role: 'volunteer' },
      { at: at('2026-11-21T01:00:00Z'), action: 'complete', from: 'accepted', to: 'completed', by: 'v', byName: '王建国', role: 'volunteer' },
      { at: at('2026-11-21T02:00:00Z'), action: 'confirmFixed', from: 'completed', to: 'fixed', by: 'u1', byName: '张大爷', role: 'villager' },
    ],
    assignee: { id: 'v', name: '王建国', teamId: null },
    completion: { note: '换了灯泡', photos: [], at: at('2026-11-21T01:00:00Z'), hours: 1.5, verified: true },
    rating: { fixed: true, stars: 5, comment: '=HYPERLINK("http://evil","点我")', status: 'approved' },
    createdAt: at('2026-11-20T02:05:00Z'),
    updatedAt: at('2026-11-21T02:00:00Z'),
    ...over,
  }) as Order

describe('formula injection: text a spreadsheet would run is neutralised', () => {
  test.each(['=1+1', '+1', '-2+3', '@SUM(A1)', '\tcmd', '\r=1', ' =1+1', '＝1+1'])('%j gets a leading apostrophe', (s) => {
    expect(neutralise(s)).toBe(`'${s}`)
    expect(cellText(s)).toBe(`'${s}`)
  })
  test.each(['厨房的灯不亮了', '13812345678', '2026-11-20 10:05', "'already", 'a=b', 'XF01-0217'])('%j stays as it is', (s) => {
    expect(neutralise(s)).toBe(s)
  })
  test('numbers (ours: points may be negative) are written as numbers, not neutralised', () => {
    expect(cellText(-5)).toBe('-5')
    expect(cellText(1.5)).toBe('1.5')
    expect(cellText(null)).toBe('')
    expect(cellText(Number.NaN)).toBe('')
  })
})

describe('CSV fields and records', () => {
  test('quotes, commas and line breaks survive a round trip through a real CSV parser', () => {
    const cells = ['plain', 'a,b', 'say "hi"', 'line1\nline2', 'cr\r\nlf', '', 42, null, '=cmd|"/C calc"!A0', '中文，全角逗号']
    const text = csvLines([cells, ['second', 1, null, '', '', '', '', '', '', '']])
    const back = parse(text) as string[][]
    expect(back).toHaveLength(2)
    expect(back[0]).toEqual(cells.map(cellText))
    expect(back[0][8]).toBe('\'=cmd|"/C calc"!A0')
  })
  test('a field needs quotes only for a quote, a comma or a line break; records end in CRLF', () => {
    expect(csvLines([['abc', 'a"b', 'a\nb', 1]])).toBe('abc,"a""b","a\nb",1\r\n')
  })
  test('the BOM is the three UTF-8 bytes Excel looks for, and a parser that knows it reads the headers', () => {
    const bytes = Buffer.from(BOM + csvLines([exportHeaders('orders')]), 'utf8')
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect((parse(bytes, { bom: true }) as string[][])[0]).toEqual(exportHeaders('orders'))
  })
})

describe('phones', () => {
  test('masked unless full phones were asked for (and allowed)', () => {
    expect(exportPhone('13812345678', false)).toBe('138****5678')
    expect(exportPhone('13812345678', true)).toBe('13812345678')
    expect(exportPhone('', false)).toBe('')
    expect(cell('orders', order(), '联系电话')).toBe('138****5678')
    expect(cell('orders', order(), '联系电话', true)).toBe('13812345678')
  })
  test('who may see full phones: staff whose subtree holds the record, nobody else', () => {
    const path = ['c', 't1', 'v1', 'g1']
    const who = (roles: Caller['roles']): Caller => ({ openId: 'x', name: 'x', roles })
    expect(maySeeFullPhones(who([{ role: 'station', nodeId: 'v1' }]), path)).toBe(true)
    expect(maySeeFullPhones(who([{ role: 'county', nodeId: 'c' }]), path)).toBe(true)
    expect(maySeeFullPhones(who([{ role: 'station', nodeId: 'v2' }]), path)).toBe(false)
    expect(maySeeFullPhones(who([{ role: 'volunteer', nodeId: 'g1' }]), path)).toBe(false)
    expect(maySeeFullPhones(who([]), path)).toBe(false)
  })
})

describe('columns', () => {
  test('every kind has Chinese headers, one value per header', () => {
    for (const kind of ['orders', 'volunteers', 'points'] as const) {
      const headers = exportHeaders(kind)
      expect(new Set(headers).size).toBe(headers.length)
      for (const h of headers) expect(h).toMatch(/[\u4e00-\u9fa5]/)
      expect(EXPORT_COLUMNS[kind].every((c) => c.width > 0)).toBe(true)
    }
  })
  test('an order: labels, Shanghai times from the history, hours and stars as numbers, the late flag', () => {
    const o = order()
    const get = (h: string) => cell('orders', o, h)
    expect(get('订单编号')).toBe('20261120-AB12')
    expect(get('状态')).toBe('已解决')
    expect(get('来源')).toBe('热线点单')
    expect(get('下单时间')).toBe('2026-11-20 10:05')
    expect(get('派单时间')).toBe('2026-11-20 11:00')
    // 17:00 UTC is already the next day in Shanghai
    expect(get('接单时间')).toBe('2026-11-21 01:00')
    expect(get('办结时间')).toBe('2026-11-21 10:00')
    expect(get('服务时长（小时）')).toBe(1.5)
    expect(get('时长核验')).toBe('已核验')
    expect(get('评价星级')).toBe(5)
    expect(get('村民确认')).toBe('已解决')
    expect(get('是否超时')).toBe('是')
    // the mapping keeps the text; writing it neutralises
    expect(cellText(get('评价内容'))).toBe('\'=HYPERLINK("http://evil","点我")')
  })
  test('an open order has empty times where nothing happened yet', () => {
    const o = order({ status: 'pending', history: [order().history[0]], assignee: undefined, completion: undefined, rating: undefined })
    const get = (h: string) => cell('orders', o, h)
    expect(get('状态')).toBe('待派单')
    expect(get('派单时间')).toBe('')
    expect(get('办结时间')).toBe('')
    expect(get('服务时长（小时）')).toBeNull()
    expect(get('是否超时')).toBe('否')
  })
  test('a volunteer and a ledger entry', () => {
    const v = { _id: 'u', name: '李奶奶', phone: '13900001111', status: 'approved', plate: 'XF02-0008', townshipName: '西山乡', villageName: '西山村', gridName: '西山村第一网格', teamName: '红袖箍巡逻队', skills: ['巡查', '调解'], availability: ['周末'], createdAt: at('2026-03-01T00:00:00Z') } as unknown as VolunteerDoc
    expect(cell('volunteers', v, '手机号')).toBe('139****1111')
    expect(cell('volunteers', v, '状态')).toBe('已通过')
    expect(cell('volunteers', v, '特长')).toBe('巡查、调解')
    expect(cell('volunteers', v, '注册时间')).toBe('2026-03-01 08:00')
    const e = { _id: 'e', userName: '刘志刚', plate: null, kind: 'earn', trigger: 'not_fixed', ruleName: '村民反馈未解决', category: '负面减分', points: -3, hours: 0, hoursKind: null, month: '2026-11', orderNo: null, serviceName: null, reason: null, by: null, townshipId: 't1', villageId: 'v1', at: at('2026-11-30T16:30:00Z') }
    expect(cell('points', e, '积分')).toBe(-3)
    expect(cellText(cell('points', e, '积分'))).toBe('-3')
    expect(cell('points', e, '服务时长（小时）')).toBeNull()
    expect(cell('points', e, '乡镇')).toBe('东关镇')
    expect(cell('points', e, '村（社区）')).toBe('东关村')
    expect(cell('points', e, '类型')).toBe('规则积分')
    expect(cell('points', e, '时间')).toBe('2026-12-01 00:30')
  })
})

describe('filters', () => {
  const now = new Date('2026-11-20T04:00:00Z') // Friday 12:00 in Shanghai
  test('no period means everything; presets and custom days are Shanghai days', () => {
    expect(exportPeriod({}, now)).toBeNull()
    expect(exportPeriod({ preset: 'all' }, now)).toBeNull()
    expect(exportPeriod({ preset: 'lastMonth' }, now)).toMatchObject({ from: '2026-10-01', to: '2026-10-31' })
    expect(exportPeriod({ preset: 'month' }, now)).toMatchObject({ from: '2026-11-01', to: '2026-11-20' })
    expect(exportPeriod({ from: '2026-11-02', to: '2026-11-03' }, now)).toMatchObject({ from: '2026-11-02', to: '2026-11-03' })
    expect(() => exportPeriod({ from: '2026-11-05', to: '2026-11-03' }, now)).toThrow('结束日期不能早于开始日期')
  })
  test('the filters travel as page query params: strings only, bad values refused', () => {
    expect(exportFiltersSchema.parse({ preset: 'lastMonth', status: 'fixed', source: 'hotline', category: '生活服务', nodeId: 'v1' })).toEqual({
      preset: 'lastMonth',
      status: 'fixed',
      source: 'hotline',
      category: '生活服务',
      nodeId: 'v1',
    })
    expect(exportFiltersSchema.safeParse({ status: 'nonsense' }).success).toBe(false)
    expect(exportFiltersSchema.safeParse({ from: '20261101' }).success).toBe(false)
  })
  test('a start names its kind; each kind has its own filters', () => {
    expect(exportStartInput.parse({ kind: 'orders', format: 'xlsx', requestId: 'abcdefgh12' })).toMatchObject({ kind: 'orders', fullPhones: false, filters: {} })
    expect(exportStartInput.safeParse({ kind: 'volunteers', format: 'csv', requestId: 'abcdefgh12', filters: { status: 'approved' } }).success).toBe(true)
    expect(exportStartInput.safeParse({ kind: 'points', format: 'pdf', requestId: 'abcdefgh12' }).success).toBe(false)
    expect(exportStartInput.safeParse({ kind: 'people', format: 'csv', requestId: 'abcdefgh12' }).success).toBe(false)
  })
  test('points months: this year by default, a range, at most 24 months', () => {
    expect(exportMonths({}, now)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'])
    expect(exportMonths({ fromMonth: '2025-12', toMonth: '2026-01' }, now)).toEqual(['2025-12', '2026-01'])
    expect(() => exportMonths({ fromMonth: '2026-02', toMonth: '2026-01' }, now)).toThrow('结束月份不能早于开始月份')
    expect(() => exportMonths({ fromMonth: '2020-01', toMonth: '2026-01' }, now)).toThrow('最多导出 24 个月')
  })
})

test('file names are readable and storage-safe; progress stays below 100 until the file exists', () => {
  expect(exportFileName('orders', '东关村', new Date('2026-11-20T02:05:00Z'), 'xlsx')).toBe('诉求订单_东关村_20261120-1005.xlsx')
  expect(exportFileName('points', 'A B/C?', new Date('2026-11-20T02:05:00Z'), 'csv')).toBe('积分明细_A_B_C_20261120-1005.csv')
  expect(exportPercent('running', 50, 100)).toBe(50)
  expect(exportPercent('running', 100, 100)).toBe(98)
  expect(exportPercent('assembling', 100, 100)).toBe(99)
  expect(exportPercent('done', 0, 0)).toBe(100)
  expect(exportPercent('running', 0, 0)).toBe(0)
})
