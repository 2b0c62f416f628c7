import {
  AppError,
  canTransition,
  maskPhone,
  nextState,
  OPEN_STATES,
  ORDER_ACTIONS,
  ORDER_STATES,
  placeOrderInput,
  PRIVACY_VERSION,
  ACTOR_ROLES,
  SAME,
  TERMINAL_STATES,
  TRANSITIONS,
  type OrderState,
} from '../../src/core'

describe('order state machine', () => {
  test('placing creates a pending order; only villagers and staff (hotline) may place', () => {
    expect(nextState('place', null, 'villager')).toBe('pending')
    expect(canTransition('place', null, 'station')).toBe(true)
    expect(canTransition('place', null, 'volunteer')).toBe(false)
    expect(canTransition('place', 'pending', 'villager')).toBe(false)
  })

  test('refusals say why, in Chinese, with the right code', () => {
    const forbidden = () => nextState('accept', 'dispatched', 'villager')
    expect(forbidden).toThrow(AppError)
    expect(forbidden).toThrow(/当前身份不能执行「接单」/)
    try {
      nextState('cancel', 'fixed', 'villager')
    } catch (e) {
      expect((e as AppError).code).toBe('INVALID_TRANSITION')
      expect((e as AppError).message).toBe('订单当前状态为「已解决」，不能取消')
    }
    expect.assertions(4)
  })

  test('actions that need a reason refuse a blank one', () => {
    expect(() => nextState('reject', 'pending', 'station', '  ')).toThrow(/需要填写原因/)
    expect(nextState('reject', 'pending', 'station', '不属于服务范围')).toBe('rejected')
  })

  test('terminal states have no way out; every non-terminal state has one', () => {
    for (const s of ORDER_STATES) {
      const out = ORDER_ACTIONS.filter((a) => ACTOR_ROLES.some((r) => canTransition(a, s, r)))
      if (TERMINAL_STATES.includes(s)) expect(out).toEqual([])
      else expect(out.length).toBeGreaterThan(0)
    }
    expect(OPEN_STATES).not.toContain('fixed')
  })

  test('random walks through the machine only ever visit declared states', () => {
    let seed = 42
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    for (let walk = 0; walk < 500; walk++) {
      let state: OrderState | null = null
      for (let step = 0; step < 30; step++) {
        const action = ORDER_ACTIONS[Math.floor(rand() * ORDER_ACTIONS.length)]
        const role = ACTOR_ROLES[Math.floor(rand() * ACTOR_ROLES.length)]
        const allowed = canTransition(action, state, role)
        if (!allowed) {
          expect(() => nextState(action, state, role, 'r')).toThrow(AppError)
          continue
        }
        const to: OrderState = nextState(action, state, role, 'r')
        expect(ORDER_STATES).toContain(to)
        // actions that only record something (督办, 催办…) leave the state as it was
        const declared = TRANSITIONS[action].to
        expect(to).toBe(declared === SAME ? state : declared)
        state = to
      }
    }
  })
})

describe('place order input', () => {
  const ok = { requestId: 'req_12345678', gridCode: 'xf010101', serviceId: 'svc_01', description: '厨房灯不亮了', contactPhone: '13800001111', privacyVersion: PRIVACY_VERSION }

  test('valid input is normalised', () => {
    const r = placeOrderInput.parse(ok)
    expect(r.gridCode).toBe('XF010101')
  })

  test.each([
    [{ description: '灯' }, '请至少用4个字描述'],
    [{ contactPhone: '12345' }, '电话号码格式不正确'],
    [{ gridCode: 'XF-01' }, '网格编码格式不正确'],
    [{ requestId: 'x' }, '请求编号格式不正确'],
    [{ description: 'x'.repeat(501) }, '描述不能超过500字'],
  ])('refuses %o with a Chinese message', (patch, message) => {
    const r = placeOrderInput.safeParse({ ...ok, ...patch })
    expect(r.success).toBe(false)
    if (!r.success) expect(r.error.issues[0].message).toContain(message)
  })

  test('phones are masked for people who must not see them', () => {
    expect(maskPhone('13800001111')).toBe('138****1111')
    expect(maskPhone('123')).toBe('****')
  })
})
