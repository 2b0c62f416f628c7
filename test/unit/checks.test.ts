import { checkFamily, checkGridCode, checkPlaceOrder, familySchema, gridCodeSchema, placeOrderInput, PRIVACY_VERSION, type Checked } from '../../src/core'

// The villager pages check what they send without zod (checks.ts); the function checks it with
// the schemas. A villager must never be told one thing by the page and another by the server:
// on any input, both accept or both refuse, with the same first issue (where and what), and an
// accepted input reads the same.

/** a small seeded generator: every run tries the same inputs, and a failure names its seed */
function rng(seed: number) {
  let s = seed >>> 0
  const next = () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32)
  return { next, pick: <T,>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] }
}

const text = (r: ReturnType<typeof rng>, parts: readonly string[], max = 6) => Array.from({ length: Math.floor(r.next() * max) }, () => r.pick(parts)).join('')
const PHONES = ['13812345678', ' 13812345678 ', '1381234567', '0351-1234567', '03511234567', '035112345', 'abc', '', '  ', '138123456789']
const CODES = ['XY030702', ' xy030702 ', 'XY0307021', '东关村', '', 'X', 'ABCDE01', 'xf01']
const REQUEST_IDS = ['req_12345678', 'short', 'bad id with spaces', 'a'.repeat(64), 'a'.repeat(65)]
const WORDS = ['水管', '漏水', ' ', '家', '门口路灯坏了', '\n', 'a']

/** one field's possible values, good and bad */
const FIELDS: Record<string, (r: ReturnType<typeof rng>) => unknown> = {
  requestId: (r) => r.pick([...REQUEST_IDS, undefined]),
  gridCode: (r) => r.pick([...CODES, undefined, 7]),
  serviceId: (r) => r.pick(['svc_1', ' svc ', '', ' ', 'x'.repeat(65), undefined]),
  description: (r) => r.pick([() => text(r, WORDS), () => text(r, WORDS, 3), () => '帮'.repeat(r.pick([499, 500, 501])), () => undefined, () => null])(),
  contactPhone: (r) => r.pick([...PHONES, undefined]),
  privacyVersion: (r) => r.pick([PRIVACY_VERSION, undefined, '2020-01']),
  contactName: (r) => r.pick([text(r, ['王', '大爷', ' ']), '名'.repeat(21), undefined, 3]),
  preferredTime: (r) => r.pick([text(r, ['明天', '上午', ' ']), '时'.repeat(41), undefined]),
  voice: (r) =>
    r.pick([
      undefined,
      null,
      'x',
      { fileId: r.pick(['cloud://env/u/v1.mp3', 'cloud://env/u/v1.exe', 'http://x/v.mp3', 'cloud://' + 'a'.repeat(400) + '.mp3', undefined]), seconds: r.pick([1, 0, 60, 61, 2.5, NaN, Infinity, '5', undefined]) },
    ]),
  forFamily: (r) => r.pick([undefined, 'x', { name: r.pick(['妈妈', ' ', '', '称'.repeat(21), undefined]), phone: r.pick(PHONES) }]),
  extras: (r) =>
    r.pick([
      'x',
      Array.from({ length: r.pick([0, 1, 5, 6]) }, () => r.pick([{ key: r.pick(['floor', 'k'.repeat(21)]), value: r.pick(['3', 'v'.repeat(100), 'v'.repeat(101)]) }, 'x', { key: 'floor' }])),
    ]),
}

/** a good order with a few of its fields (none to four) changed to any of their values */
function draft(r: ReturnType<typeof rng>): Record<string, unknown> {
  const d: Record<string, unknown> = { requestId: 'req_12345678', gridCode: 'XY030702', serviceId: 'svc_1', description: '家里水管漏水', contactPhone: '13812345678', privacyVersion: PRIVACY_VERSION }
  const n = r.pick([0, 1, 1, 2, 2, 3, 4])
  for (let i = 0; i < n; i++) {
    const key = r.pick(Object.keys(FIELDS))
    d[key] = FIELDS[key](r)
  }
  return d
}

/** zod's own English wording marks an issue no person can cause from the page: only its place counts */
const first = (issues: { path: PropertyKey[]; message: string }[]) => {
  const i = issues[0]
  return { path: i.path.map(String), message: /^[\x00-\x7F]*$/.test(i.message) ? '(zod)' : i.message }
}
const same = (mine: Checked<unknown>, zods: { success: boolean; data?: unknown; error?: { issues: { path: PropertyKey[]; message: string }[] } }) => {
  expect(mine.success).toBe(zods.success)
  if (mine.success && zods.success) expect(JSON.parse(JSON.stringify(mine.data))).toEqual(JSON.parse(JSON.stringify(zods.data)))
  if (!mine.success && !zods.success) {
    const m = first(mine.error.issues)
    expect({ ...m, message: m.message === '输入不正确' ? '(zod)' : m.message }).toEqual(first(zods.error!.issues))
  }
}

describe('the villager pages check as the server does (no zod in the main package)', () => {
  test('the order form: placing accepts and refuses exactly what placeOrderInput does, first issue and all', () => {
    const seed = Number(process.env.CHECKS_SEED || 20261130)
    const r = rng(seed)
    let accepted = 0
    for (let i = 0; i < 4000; i++) {
      const input = draft(r)
      try {
        const mine = checkPlaceOrder(input)
        if (mine.success) accepted++
        same(mine, placeOrderInput.safeParse(input))
      } catch (e) {
        throw new Error(`seed ${seed}, input ${i}: ${JSON.stringify(input)}\n${(e as Error).message}`)
      }
    }
    // the inputs must try both answers, not only refusals
    expect(accepted).toBeGreaterThan(100)
  })

  test('a good order reads the same both ways (trimmed, the code in capitals)', () => {
    const input = { requestId: 'req_12345678', gridCode: ' xy030702 ', serviceId: ' svc_1 ', description: ' 家里水管漏水 ', contactPhone: ' 13812345678 ', contactName: ' 王大爷 ', privacyVersion: PRIVACY_VERSION }
    const mine = checkPlaceOrder(input)
    expect(mine).toEqual({ success: true, data: expect.objectContaining({ gridCode: 'XY030702', serviceId: 'svc_1', description: '家里水管漏水', contactPhone: '13812345678', contactName: '王大爷' }) })
    same(mine, placeOrderInput.safeParse(input))
  })

  test('the order form knows every field the schema takes (a new one must be checked on the page too)', () => {
    const known = ['requestId', 'gridCode', 'serviceId', 'description', 'voice', 'forFamily', 'contactPhone', 'contactName', 'preferredTime', 'privacyVersion', 'extras']
    expect(Object.keys(placeOrderInput.shape).sort()).toEqual([...known].sort())
  })

  test('a typed grid code and a family member are checked with the schema’s own words', () => {
    for (const c of [...CODES, undefined, 3]) same(checkGridCode(c), gridCodeSchema.safeParse(c))
    for (const name of ['妈妈', ' ', '', '称'.repeat(21), undefined]) for (const phone of PHONES) same(checkFamily({ name, phone }), familySchema.safeParse({ name, phone }))
    expect(checkGridCode(' xy030702 ')).toEqual({ success: true, data: 'XY030702' })
  })
})
