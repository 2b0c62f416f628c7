// The catalogue's pure rules: extra answers checked against a service's fields, emergency
// services refused with the number to call, the editor's input, base points and reordering.
import {
  AppError,
  checkExtras,
  DEFAULT_POINT_RULES,
  emergencyRefusal,
  reorder,
  requireOrderable,
  ruleFor,
  saveServiceInput,
  serviceInputSchema,
  serviceProblem,
  withBasePoints,
  withServiceLimits,
  URGENT_LIMITS,
  type Service,
  type ServiceField,
} from '../../src/core'

const FIELDS: ServiceField[] = [
  { key: 'appliance', label: '电器类型', type: 'select', options: ['电视', '冰箱', '空调'], required: true },
  { key: 'age', label: '使用年数', type: 'number', required: false },
  { key: 'brand', label: '品牌', type: 'text', required: false },
]

describe('extra answers of an order', () => {
  test('come back in the fields’ order with their labels; empty optional answers are left out', () => {
    const r = checkExtras(FIELDS, [
      { key: 'brand', value: ' 海尔 ' },
      { key: 'age', value: '' },
      { key: 'appliance', value: '冰箱' },
    ])
    expect(r).toEqual({
      ok: true,
      extras: [
        { key: 'appliance', label: '电器类型', value: '冰箱' },
        { key: 'brand', label: '品牌', value: '海尔' },
      ],
    })
  })

  test.each([
    ['a required choice is missing', [], 'appliance', '请选择「电器类型」'],
    ['a choice that is not offered', [{ key: 'appliance', value: '电脑' }], 'appliance', '「电器类型」请从给出的选项中选择'],
    ['a number that is not a number', [{ key: 'appliance', value: '电视' }, { key: 'age', value: '三年' }], 'age', '「使用年数」请填写数字'],
    ['text that is too long', [{ key: 'appliance', value: '电视' }, { key: 'brand', value: '长'.repeat(51) }], 'brand', '「品牌」不能超过50字'],
    ['an answer the service does not ask for', [{ key: 'appliance', value: '电视' }, { key: 'colour', value: '白' }], 'colour', '附加信息已经更新'],
    ['the same answer twice', [{ key: 'appliance', value: '电视' }, { key: 'appliance', value: '冰箱' }], 'appliance', '填写了两次'],
  ])('are refused when %s', (_name, given, key, message) => {
    const r = checkExtras(FIELDS, given)
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.key).toBe(key)
    expect(r.message).toContain(message)
  })

  test('a required text field says 请填写', () => {
    const r = checkExtras([{ key: 'room', label: '门牌号', type: 'text', required: true }], [{ key: 'room', value: '   ' }])
    expect(r).toEqual({ ok: false, key: 'room', message: '请填写「门牌号」' })
  })

  test('a service without fields takes no answers and needs none', () => {
    expect(checkExtras(undefined, undefined)).toEqual({ ok: true, extras: [] })
    expect(checkExtras([], [{ key: 'x', value: '1' }]).ok).toBe(false)
  })
})

describe('an emergency service', () => {
  const gas = { name: '燃气泄漏', emergency: { number: '119' as const, note: '关阀门、开窗，到屋外拨打119' } }

  test('cannot be ordered: the refusal names the service and the number', () => {
    expect(emergencyRefusal(gas)).toBe('「燃气泄漏」不能等待志愿者，请立即拨打 119')
    expect(() => requireOrderable(gas, [])).toThrow(new AppError('VALIDATION', '「燃气泄漏」不能等待志愿者，请立即拨打 119'))
  })

  test('is refused even with valid answers; an ordinary service passes with its answers checked', () => {
    expect(() => requireOrderable({ ...gas, fields: FIELDS }, [{ key: 'appliance', value: '电视' }])).toThrow('119')
    expect(emergencyRefusal({ name: '水电维修', emergency: null })).toBeNull()
    expect(requireOrderable({ name: '家电维修', fields: FIELDS }, [{ key: 'appliance', value: '电视' }])).toEqual([{ key: 'appliance', label: '电器类型', value: '电视' }])
    expect(() => requireOrderable({ name: '家电维修', fields: FIELDS }, [])).toThrow('请选择「电器类型」')
  })
})

describe('the editor’s input', () => {
  const ok = { name: '家电维修', category: '生活帮扶', description: '电视、冰箱、洗衣机', skill: '家电', fields: FIELDS }

  test('a select needs two different options; only a select keeps options', () => {
    expect(serviceInputSchema.safeParse({ ...ok, fields: [{ key: 'a', label: '类型', type: 'select', options: ['一'] }] }).error?.issues[0].message).toContain('至少给出2个选项')
    expect(serviceInputSchema.safeParse({ ...ok, fields: [{ key: 'a', label: '类型', type: 'select', options: ['一', '一'] }] }).error?.issues[0].message).toContain('选项有重复')
    const parsed = serviceInputSchema.parse({ ...ok, fields: [{ key: 'a', label: '门牌', type: 'text', options: ['x'] }] })
    expect(parsed.fields).toEqual([{ key: 'a', label: '门牌', type: 'text', required: false }])
  })

  test.each([
    ['a bad field key', { fields: [{ key: '1x', label: '类型', type: 'text' }] }, '字段编号'],
    ['repeated keys', { fields: [{ key: 'a', label: '甲', type: 'text' }, { key: 'a', label: '乙', type: 'text' }] }, '字段编号不能重复'],
    ['six fields', { fields: 'abcdef'.split('').map((k) => ({ key: k, label: k, type: 'text' })) }, '最多5项'],
    ['a long label', { fields: [{ key: 'a', label: '一二三四五六七八九十一', type: 'text' }] }, '不能超过10字'],
    ['an unknown emergency number', { emergency: { number: '999', note: '拨打' } }, '110、119、120 或 122'],
    ['a long emergency note', { emergency: { number: '119', note: '字'.repeat(61) } }, '不能超过60字'],
    ['a long description', { description: '字'.repeat(101) }, '不能超过100字'],
    ['an unknown skill', { skill: '开挖掘机' }, '擅长技能'],
  ])('refuses %s', (_name, patch, message) => {
    const r = serviceInputSchema.safeParse({ ...ok, ...patch })
    expect(r.success).toBe(false)
    expect(r.error?.issues[0].message).toContain(message)
  })

  test('limits and base points need the version they were edited from', () => {
    expect(saveServiceInput.safeParse({ service: ok, limits: URGENT_LIMITS }).error?.issues[0].message).toContain('时限设置的版本')
    expect(saveServiceInput.safeParse({ service: ok, basePoints: 6 }).error?.issues[0].message).toContain('积分规则的版本')
    expect(saveServiceInput.safeParse({ service: ok, limits: null, timelinessBase: null, basePoints: 6, pointsVersion: 3 }).success).toBe(true)
  })

  test('a name another service has is refused, saying when that one is stopped', () => {
    const all = [{ _id: 's1', name: '家电维修', active: false }] as Service[]
    expect(serviceProblem(serviceInputSchema.parse(ok), undefined, all)).toContain('已停用')
    expect(serviceProblem(serviceInputSchema.parse(ok), 's1', all)).toBeNull()
  })
})

describe('a service’s own limits and base points', () => {
  const tv = { _id: 'svc_02', name: '家电维修', category: '生活帮扶' }

  test('own base points become the most specific rule; null hands back to the general one', () => {
    const withOwn = withBasePoints(DEFAULT_POINT_RULES, tv, 7)!
    expect(ruleFor(withOwn, { trigger: 'service_fixed', serviceId: 'svc_02', category: '生活帮扶' })?.points).toBe(7)
    expect(withBasePoints(withOwn, tv, 7)).toBeNull() // nothing to change
    const changed = withBasePoints(withOwn, tv, 9)!
    expect(changed.items.filter((i) => i.serviceId === 'svc_02').map((i) => i.points)).toEqual([9])
    const back = withBasePoints(changed, tv, null)!
    expect(ruleFor(back, { trigger: 'service_fixed', serviceId: 'svc_02', category: '生活帮扶' })?.id).toBe('base')
    expect(withBasePoints(DEFAULT_POINT_RULES, tv, null)).toBeNull()
  })

  test('limits are set or removed; limits of services no longer listed are dropped', () => {
    const own = { svc_08: URGENT_LIMITS, gone: URGENT_LIMITS }
    expect(Object.keys(withServiceLimits(own, 'svc_02', URGENT_LIMITS, ['svc_08', 'svc_02'])).sort()).toEqual(['svc_02', 'svc_08'])
    expect(Object.keys(withServiceLimits(own, 'svc_08', null, ['svc_08']))).toEqual([])
  })
})

describe('reordering', () => {
  const all = [
    { _id: 'a', sort: 1 },
    { _id: 'b', sort: 2 },
    { _id: 'c', sort: 3 },
  ] as Service[]
  test('writes only the services whose place changed', () => {
    expect(reorder(all, ['a', 'c', 'b'])).toEqual([
      { id: 'c', sort: 2 },
      { id: 'b', sort: 3 },
    ])
  })
  test('refuses a list that is not the whole catalogue', () => {
    expect(() => reorder(all, ['a', 'b'])).toThrow('刷新')
    expect(() => reorder(all, ['a', 'b', 'x'])).toThrow('刷新')
  })
})
