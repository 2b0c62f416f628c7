import { AppError, requireScope, STAFF_ROLES, type Caller } from '../../src/core'

const station: Caller = { openId: 'u1', name: '刘站长', roles: [{ role: 'station', nodeId: 'g_XF0101' }] }
const county: Caller = { openId: 'u2', name: '周主任', roles: [{ role: 'county', nodeId: 'g_XF' }] }
const volunteer: Caller = { openId: 'u3', name: '王建国', roles: [{ role: 'volunteer', nodeId: 'g_XF010101' }] }
const inDongguan = ['g_XF', 'g_XF01', 'g_XF0101', 'g_XF010101']
const inXishan = ['g_XF', 'g_XF02', 'g_XF0201', 'g_XF020101']

describe('scope by grid subtree', () => {
  test('a village station acts inside its village only', () => {
    expect(requireScope(station, STAFF_ROLES, inDongguan).nodeId).toBe('g_XF0101')
    expect(() => requireScope(station, STAFF_ROLES, inXishan)).toThrow(AppError)
  })
  test('the county covers every village', () => {
    expect(requireScope(county, STAFF_ROLES, inXishan).role).toBe('county')
  })
  test('a volunteer holds no staff scope even on their own grid', () => {
    expect(() => requireScope(volunteer, STAFF_ROLES, inDongguan)).toThrow(/无权/)
  })
})
