import {
  allocateChildCodes,
  AppError,
  assertMovable,
  childLevelFor,
  effectiveHotline,
  highestChildSeq,
  planImport,
  readImportHeader,
  codeAfterMove,
  movedNode,
  subtreeRebase,
  validateImportRows,
  type GridNode,
} from '../../src/core'

const n = (code: string, over: Partial<GridNode> = {}): GridNode => {
  const levels = ['county', 'township', 'village', 'grid', 'micro'] as const
  const depth = (code.length - 2) / 2
  const path = Array.from({ length: depth + 1 }, (_, i) => `g_${code.slice(0, 2 + 2 * i)}`)
  return {
    _id: `g_${code}`,
    code,
    name: `节点${code}`,
    level: levels[depth],
    parentId: depth ? path[depth - 1] : null,
    path,
    pathNames: path.map((p) => `节点${p.slice(2)}`),
    active: true,
    ...over,
  }
}

describe('code allocation (一乡一编码, never reused)', () => {
  test('codes extend the parent code and are unique', () => {
    const codes = allocateChildCodes(n('XY03'), 4, 3)
    expect(codes).toEqual(['XY0305', 'XY0306', 'XY0307'])
    expect(new Set(codes).size).toBe(3)
    expect(codes.every((c) => c.startsWith('XY03') && c.length === 6)).toBe(true)
  })

  test('the counter wins over existing children: codes of deactivated or moved-out children are not reused', () => {
    // children 01..03 exist, 04 was moved out: the counter says 4
    expect(highestChildSeq({ code: 'XY03', childSeq: 4 }, ['XY0301', 'XY0302', 'XY0303'])).toBe(4)
    expect(allocateChildCodes(n('XY03'), 4, 1)).toEqual(['XY0305'])
  })

  test('without a counter (seeds) the highest child code (current or former) counts, deactivated ones included', () => {
    expect(highestChildSeq({ code: 'XY03' }, ['XY0301', 'XY0307', 'XY0302'])).toBe(7)
    expect(highestChildSeq({ code: 'XY03' }, [])).toBe(0)
    // grandchildren and other parents' codes do not count
    expect(highestChildSeq({ code: 'XY03' }, ['XY030799', 'XY0499', 'XY0302'])).toBe(2)
  })

  test('a move keeps every old code in formerCodes; the new codes replace the prefix', () => {
    const grid = n('XY030702', { formerCodes: ['XY010101'] })
    const newParent = n('XY0405')
    const move = { id: 'mv_1', fromCode: 'XY030702', fromParentId: 'g_XY0307', toParentId: 'g_XY0405', at: new Date(0) }
    expect(movedNode(grid, newParent, 'XY040509', move)).toEqual({
      code: 'XY040509',
      parentId: 'g_XY0405',
      path: ['g_XY', 'g_XY04', 'g_XY0405', 'g_XY030702'],
      pathNames: ['节点XY', '节点XY04', '节点XY0405', '节点XY030702'],
      formerCodes: ['XY010101', 'XY030702'],
      move,
    })
    expect(codeAfterMove('XY03070211', move, 'XY040509')).toBe('XY04050911')
    // done already (or created under the new code meanwhile): nothing to do
    expect(codeAfterMove('XY04050911', move, 'XY040509')).toBeNull()
    expect(codeAfterMove('XY040509', move, 'XY040509')).toBeNull()
  })

  test("everything below a moved node takes the node's ancestors and their place names; its own and lower names stay", () => {
    const moved = { path: ['g_XY', 'g_XY04', 'g_XY0405', 'g_XY030702'], pathNames: ['县', '乡二', '村五', '网格'] }
    expect(subtreeRebase(moved)).toEqual({
      grids: { 'path.0': 'g_XY', 'path.1': 'g_XY04', 'path.2': 'g_XY0405', 'pathNames.0': '县', 'pathNames.1': '乡二', 'pathNames.2': '村五' },
      scope: { 'scopePath.0': 'g_XY', 'scopePath.1': 'g_XY04', 'scopePath.2': 'g_XY0405', townshipName: '乡二', villageName: '村五' },
    })
    // a village moving to another township keeps its own name as the village name below it
    const village = { path: ['g_XY', 'g_XY04', 'g_XY0307'], pathNames: ['县', '乡二', '村七'] }
    expect(subtreeRebase(village).scope).toEqual({ 'scopePath.0': 'g_XY', 'scopePath.1': 'g_XY04', townshipName: '乡二' })
  })

  test('sequence exhaustion (99) is a clear error', () => {
    expect(allocateChildCodes(n('XY03'), 98, 1)).toEqual(['XY0399'])
    expect(() => allocateChildCodes(n('XY03'), 99, 1)).toThrow(AppError)
    expect(() => allocateChildCodes(n('XY03'), 97, 3)).toThrow(/最多99个/)
  })
})

describe('depth and moves', () => {
  test('the child level follows the parent; maxLevel stops it', () => {
    expect(childLevelFor(n('XY03'))).toBe('village')
    expect(childLevelFor(n('XY030702'))).toBe('micro')
    expect(() => childLevelFor(n('XY03070201'))).toThrow(AppError)
    expect(() => childLevelFor(n('XY0307'), 'village')).toThrow(/最多分到「村（社区）」/)
    expect(childLevelFor(n('XY0307'), 'grid')).toBe('grid')
  })

  test('a node cannot move under itself or a descendant, nor to the wrong level', () => {
    const village = n('XY0307')
    expect(() => assertMovable(village, n('XY030702'))).toThrow(/自己或它的下级/)
    expect(() => assertMovable(village, village)).toThrow(/自己或它的下级/)
    expect(() => assertMovable(village, n('XY'))).toThrow(/只能移到乡镇之下/)
    expect(() => assertMovable(village, n('XY03'))).toThrow(/已在/)
    expect(() => assertMovable(village, n('XY04', { active: false }))).toThrow(/已停用/)
    expect(() => assertMovable(village, n('XY04'))).not.toThrow()
  })

  test('the effective hotline is the own one, else the nearest ancestor’s', () => {
    const chain = [n('XY', { hotline: '12345' }), n('XY03', { hotline: '0354-1111111' }), n('XY0307'), n('XY030702')]
    expect(effectiveHotline(['g_XY', 'g_XY03', 'g_XY0307', 'g_XY030702'], chain)).toBe('0354-1111111')
    expect(effectiveHotline(['g_XY', 'g_XY04'], chain)).toBe('12345')
    expect(effectiveHotline(['g_XY0307'], chain)).toBeNull()
  })
})

describe('CSV import rules', () => {
  const cols = readImportHeader(['乡镇', '村（社区）', '网格', '微网格', '服务热线', '网格长'])!
  const rec = (line: number, ...cells: string[]) => ({ line, cells })

  test('header: 村 may be spelled several ways; unknown headers are refused', () => {
    expect(cols).toEqual({ township: 0, village: 1, grid: 2, micro: 3, hotline: 4, leader: 5 })
    expect(readImportHeader(['\uFEFF乡镇', '社区'])).toEqual({ township: 0, village: 1 })
    expect(readImportHeader(['乡镇', '村(社区)', '网格'])).toMatchObject({ village: 1, grid: 2 })
    expect(readImportHeader(['镇', '村'])).toBeNull()
  })

  test('every bad row is reported with its line; good rows pass', () => {
    const { rows, errors, read } = validateImportRows(
      [rec(2, '甲镇', '甲村', '甲网格'), rec(3, '甲镇', '', '', '微1'), rec(4, '', '', '', '', '', ''), rec(5, '甲镇', '甲村', '甲网格'), rec(6, '甲镇', '甲村', '乙网格', '', 'abc')],
      cols,
    )
    expect(read).toBe(4)
    expect(rows.map((r) => r.line)).toEqual([2])
    expect(errors).toEqual([
      { line: 3, reason: '填写了「微网格」但缺少「村(社区)」' },
      { line: 5, reason: '与第2行重复' },
      { line: 6, reason: expect.stringContaining('热线号码格式不正确') },
    ])
  })

  test('planning reuses existing nodes by name and allocates after the highest sequence', () => {
    const root = n('XY', { childSeq: 3 })
    const t1 = n('XY01', { name: '甲镇', pathNames: ['县', '甲镇'] })
    const v = n('XY0102', { name: '甲村', pathNames: ['县', '甲镇', '甲村'] })
    const { rows } = validateImportRows([rec(2, '甲镇', '甲村', '新网格', '', '13900001111', '王五'), rec(3, '乙镇', '乙村')], cols)
    const plan = planImport(root, [t1, v], rows)
    expect(plan.errors).toEqual([])
    expect(plan.existing).toBe(2)
    expect(plan.docs.map((d) => [d.code, d.name, d.level])).toEqual([
      ['XY010201', '新网格', 'grid'],
      ['XY04', '乙镇', 'township'],
      ['XY0401', '乙村', 'village'],
    ])
    expect(plan.docs[0]).toMatchObject({ hotline: '13900001111', leaderName: '王五', path: ['g_XY', 'g_XY01', 'g_XY0102', 'g_XY010201'] })
    expect(plan.docs[1].childSeq).toBe(1)
    expect(plan.seqUpdates.sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual([
      { id: 'g_XY', from: 3, to: 4 },
      { id: 'g_XY0102', from: undefined, to: 1 },
    ])
  })

  test('planning refuses exhaustion and inactive parents, with lines', () => {
    const root = n('XY', { childSeq: 99 })
    const off = n('XY05', { name: '停用镇', active: false, pathNames: ['县', '停用镇'] })
    const { rows } = validateImportRows([rec(2, '新镇', '新村'), rec(3, '停用镇', '某村')], cols)
    const plan = planImport(root, [off], rows)
    expect(plan.errors.map((e) => e.line)).toEqual([2, 3])
    expect(plan.errors[0].reason).toContain('编码已用完')
    expect(plan.errors[1].reason).toContain('已停用')
  })
})

describe('CSV import: where a row puts its hotline and leader', () => {
  const cols = readImportHeader(['乡镇', '村（社区）', '网格', '微网格', '服务热线', '网格长'])!
  const rec = (line: number, ...cells: string[]) => ({ line, cells })
  const root = n('XY', { childSeq: 0, name: '县', pathNames: ['县'] })
  const byName = (docs: GridNode[], name: string) => docs.find((d) => d.name === name)

  test("a row reaching a micro-grid gives them to its 网格, not the micro-grid (the import page's own example)", () => {
    const { rows, errors } = validateImportRows(
      [rec(2, '东关镇', '东关村', '第一网格', '一组', '0354-1234567', '张建国'), rec(3, '东关镇', '东关村', '第一网格', '二组', '', ''), rec(4, '东关镇', '东关村', '第二网格', '', '', '李秀英')],
      cols,
    )
    expect(errors).toEqual([])
    const plan = planImport(root, [], rows)
    expect(byName(plan.docs, '第一网格')).toMatchObject({ level: 'grid', hotline: '0354-1234567', leaderName: '张建国' })
    expect(byName(plan.docs, '一组')).toMatchObject({ level: 'micro' })
    expect(byName(plan.docs, '一组')!.leaderName).toBeUndefined()
    expect(byName(plan.docs, '一组')!.hotline).toBeUndefined()
    expect(byName(plan.docs, '第二网格')).toMatchObject({ leaderName: '李秀英' })
  })

  test('a row that stops above the grids gives its hotline to its last level', () => {
    const { rows } = validateImportRows([rec(2, '北岭镇', '', '', '', '0354-3300000', ''), rec(3, '北岭镇', '北岭村', '', '', '13911112222', '')], cols)
    const plan = planImport(root, [], rows)
    expect(byName(plan.docs, '北岭镇')).toMatchObject({ level: 'township', hotline: '0354-3300000' })
    expect(byName(plan.docs, '北岭村')).toMatchObject({ level: 'village', hotline: '13911112222' })
  })

  test("two micro-grid rows that disagree on their grid's leader are refused, naming the other line", () => {
    const { rows, errors } = validateImportRows([rec(2, '甲镇', '甲村', '甲网格', '一组', '', '王五'), rec(3, '甲镇', '甲村', '甲网格', '二组', '', '赵六')], cols)
    expect(rows.map((r) => r.line)).toEqual([2])
    expect(errors).toEqual([{ line: 3, reason: '「甲镇 / 甲村 / 甲网格」在第2行的网格长是王五，这里是赵六，请只保留一个' }])
  })
})

describe('CSV import under a township', () => {
  const cols = readImportHeader(['乡镇', '村（社区）', '网格', '微网格', '服务热线', '网格长'])!
  const rec = (line: number, ...cells: string[]) => ({ line, cells })
  const township = n('XY01', { name: '甲镇', pathNames: ['县', '甲镇'], childSeq: 2 })

  test("rows of the township are planned below it; a row of another township is refused with its line", () => {
    const { rows } = validateImportRows([rec(2, '甲镇', '新村', '新村网格', '', '', '王五'), rec(3, '乙镇', '乙村')], cols)
    const plan = planImport(township, [], rows, 'micro')
    expect(plan.docs.map((d) => [d.code, d.name, d.level])).toEqual([
      ['XY0103', '新村', 'village'],
      ['XY010301', '新村网格', 'grid'],
    ])
    expect(plan.docs[1]).toMatchObject({ leaderName: '王五', path: ['g_XY', 'g_XY01', 'g_XY0103', 'g_XY010301'], pathNames: ['县', '甲镇', '新村', '新村网格'] })
    expect(plan.errors).toEqual([{ line: 3, reason: expect.stringContaining('「乙镇」不在「甲镇」') }])
  })

  test("the county's depth applies under a township too", () => {
    const { rows } = validateImportRows([rec(2, '甲镇', '新村', '新村网格')], cols, 'grid')
    expect(planImport(township, [], rows, 'village').errors).toEqual([{ line: 2, reason: expect.stringContaining('最多分到「村（社区）」') }])
  })
})
