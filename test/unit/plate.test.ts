import { formatPlate, highestPlateSeqs, maskPersonName, parsePlate, plateCounterId, plateSchema, toVolunteerView, type VolunteerDoc } from '../../src/core'
import { demoCounty } from '../../runtime/seed/demo'

describe('number plates (一人一号牌)', () => {
  test('township code, dash, four digits; parse is the inverse', () => {
    expect(formatPlate('XF01', 1)).toBe('XF01-0001')
    expect(formatPlate('XY11', 9999)).toBe('XY11-9999')
    expect(() => formatPlate('XF01', 0)).toThrow(RangeError)
    expect(() => formatPlate('XF01', 10000)).toThrow(RangeError)
    for (const seq of [1, 17, 217, 9999]) expect(parsePlate(formatPlate('XF02', seq))).toEqual({ townshipCode: 'XF02', seq })
    expect(parsePlate('XF01-0000')).toBeNull()
    expect(parsePlate('XF0101-0001')).toBeNull()
    expect(parsePlate('xf01-0001')).toBeNull()
    expect(plateSchema.parse(' xf01-0217 ')).toBe('XF01-0217')
    expect(plateSchema.safeParse('XF01-217').success).toBe(false)
    expect(plateCounterId('g_XF01')).toBe('plate_g_XF01')
  })

  test('highest sequence per township', () => {
    const m = highestPlateSeqs(['XF01-0003', 'XF02-0001', 'XF01-0012', 'XF01-0009', 'junk'])
    expect([...m]).toEqual([
      ['XF01', 12],
      ['XF02', 1],
    ])
  })

  test('the demo seed: every plated volunteer registered, plates unique, counters at the highest', () => {
    const d = demoCounty()
    const plated = d.users.filter((u) => u.plate)
    expect(d.volunteers).toHaveLength(plated.length)
    expect(new Set(d.plates!.map((p) => p._id)).size).toBe(plated.length)
    expect(d.volunteers!.every((v) => v.status === 'approved' && v.plate && v.scopePath.includes(v.gridId))).toBe(true)
    const byTownship = new Map<string, number>()
    for (const p of d.plates!) byTownship.set(p.townshipId, Math.max(byTownship.get(p.townshipId) ?? 0, parsePlate(p._id)!.seq))
    expect(d.counters).toEqual([...byTownship].map(([tid, seq]) => ({ _id: plateCounterId(tid), seq })))
  })
})

describe('names and views', () => {
  test('masked names keep the first and last character', () => {
    expect(maskPersonName('张三明')).toBe('张*明')
    expect(maskPersonName('张三')).toBe('张*')
    expect(maskPersonName('欧阳小明')).toBe('欧**明')
    expect(maskPersonName('张')).toBe('张')
  })

  test('a view carries no internal fields', () => {
    const at = new Date('2026-11-01T00:00:00Z')
    const doc: VolunteerDoc = {
      _id: 'u1', openId: 'u1', name: '张三', phone: '13800001111', gridId: 'g1', gridName: '一网格', villageName: '东关村', townshipName: '东关镇',
      scopePath: ['g0', 'g1'], skills: ['水电'], availability: ['周末'], status: 'pending', privacyVersion: '2026-11', requestId: 'req12345',
      createdAt: at, updatedAt: at, history: [{ at, action: 'register', by: 'u1', byName: '张三' }],
    }
    const v = toVolunteerView(doc, 'https://x/y.png')
    expect(v).toMatchObject({ id: 'u1', phone: '13800001111', photo: null, photoUrl: null, plate: null, createdAt: at.getTime() })
    expect(v).not.toHaveProperty('history')
    expect(v).not.toHaveProperty('scopePath')
  })
})
