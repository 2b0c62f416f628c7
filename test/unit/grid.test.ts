import {
  childCode,
  codeDepth,
  codeEntryHint,
  codeFromLaunchParams,
  formatPlate,
  gridCodeSchema,
  isDescendantCode,
  parentCodeOf,
} from '../../src/core'

describe('grid codes (一乡一编码)', () => {
  test('a child code extends its parent code by two digits', () => {
    expect(childCode('XY', 3)).toBe('XY03')
    expect(childCode('XY03', 7)).toBe('XY0307')
    expect(childCode('XY0307', 12)).toBe('XY030712')
    expect(parentCodeOf('XY030712')).toBe('XY0307')
    expect(parentCodeOf('XY')).toBeNull()
    expect(codeDepth('XY030712')).toBe(3)
    expect(isDescendantCode('XY030712', 'XY03')).toBe(true)
    expect(isDescendantCode('XY03', 'XY03')).toBe(false)
    expect(isDescendantCode('XY0412', 'XY03')).toBe(false)
  })

  test('sequences outside 1..99 are refused', () => {
    expect(() => childCode('XY', 0)).toThrow(RangeError)
    expect(() => childCode('XY', 100)).toThrow(RangeError)
    expect(() => childCode('XY', 1.5)).toThrow(RangeError)
  })

  test('siblings get distinct codes', () => {
    const codes = Array.from({ length: 99 }, (_, i) => childCode('XF01', i + 1))
    expect(new Set(codes).size).toBe(99)
  })

  test('code schema normalises case and whitespace and rejects malformed codes with a Chinese message', () => {
    expect(gridCodeSchema.parse(' xf010101 ')).toBe('XF010101')
    for (const bad of ['', 'X', 'XF0', 'XF01-01', '12345678', 'XF01010', '<script>']) {
      const r = gridCodeSchema.safeParse(bad)
      expect(r.success).toBe(false)
      if (!r.success) expect(r.error.issues[0].message).toMatch(/网格编码/)
    }
  })

  test('number plates derive from the township code', () => {
    expect(formatPlate('XY03', 217)).toBe('XY03-0217')
    expect(() => formatPlate('XY03', 0)).toThrow(RangeError)
    expect(() => formatPlate('XY03', 10000)).toThrow(RangeError)
  })

  test('launch params: plain code, URL-encoded WeChat scene, key=value scene', () => {
    expect(codeFromLaunchParams({ code: 'XF010101' })).toBe('XF010101')
    expect(codeFromLaunchParams({ scene: encodeURIComponent('XF010101') })).toBe('XF010101')
    expect(codeFromLaunchParams({ scene: encodeURIComponent('g=XF010102&v=1') })).toBe('XF010102')
    expect(codeFromLaunchParams({})).toBeNull()
    expect(codeFromLaunchParams({ scene: '%E0%A4%A' })).toBe('%E0%A4%A') // malformed escape: left for validation to refuse
  })
})

describe('the hint in a code box', () => {
  // 昔阳 (XY) is a real county: its codes must not be offered as this county's example
  test("no fixed example that is another county's code: the person's last signboard, else where to look", () => {
    expect(codeEntryHint(null)).toBe('标识牌二维码下方的编码')
    expect(codeEntryHint(null)).not.toMatch(/[A-Z]{2}\d/)
    expect(codeEntryHint('XF010101')).toBe('标识牌上的编码，如 XF010101')
    expect(codeEntryHint('not a code')).toBe('标识牌二维码下方的编码')
  })

  test('a mistyped code is told the format without another county as the example', () => {
    const r = gridCodeSchema.safeParse('东关村')
    expect(r.success).toBe(false)
    expect(r.error!.issues[0].message).toContain('字母加数字')
    expect(r.error!.issues[0].message).not.toMatch(/[A-Z]{2}\d/)
  })
})
