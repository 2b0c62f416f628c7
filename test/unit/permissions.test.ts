import {
  adminGrants,
  APPOINTERS,
  AppError,
  countyGrantOf,
  coversScope,
  holdsRole,
  isLeader,
  isStaffCaller,
  mayPublishHonor,
  requireCountyAdmin,
  requireScope,
  STAFF_ROLES,
  volunteerGrants,
  type Caller,
} from '../../src/core'

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

const township: Caller = { openId: 'u4', name: '李所长', roles: [{ role: 'township', nodeId: 'g_XF01' }] }
const leader: Caller = { openId: 'u5', name: '赵队长', roles: [{ role: 'leader', nodeId: 'g_XF010101' }] }
const twoHats: Caller = { openId: 'u6', name: '钱双', roles: [{ role: 'volunteer', nodeId: 'g_XF020101' }, { role: 'station', nodeId: 'g_XF0101' }] }

describe('who is who: the role predicates services ask instead of comparing role names', () => {
  test('a grid leader is a leader; a volunteer or staff member is not', () => {
    expect([leader, volunteer, station, county].map(isLeader)).toEqual([true, false, false, false])
  })
  test('staff of any level are staff, wherever their grant lies; volunteers and leaders are not', () => {
    expect([station, township, county, twoHats].every(isStaffCaller)).toBe(true)
    expect([volunteer, leader].some(isStaffCaller)).toBe(false)
  })
  test('volunteer grants are where someone serves, leaving their staff grants aside', () => {
    expect(volunteerGrants(twoHats)).toEqual([{ role: 'volunteer', nodeId: 'g_XF020101' }])
    expect(volunteerGrants(leader)).toEqual(leader.roles)
    expect(volunteerGrants(county)).toEqual([])
  })
  test('holdsRole names one role anywhere', () => {
    expect(holdsRole(twoHats, 'station')).toBe(true)
    expect(holdsRole(twoHats, 'county')).toBe(false)
  })
  test('county and township are administrators; a station is not', () => {
    expect(adminGrants(county)).toEqual(county.roles)
    expect(adminGrants(township)).toEqual(township.roles)
    expect(adminGrants(station)).toEqual([])
  })
})

describe('scope checks answer yes or no the way requireScope decides', () => {
  test('coversScope is requireScope without the throw', () => {
    for (const c of [station, township, county, volunteer, leader, twoHats])
      for (const path of [inDongguan, inXishan]) {
        let allowed = true
        try {
          requireScope(c, STAFF_ROLES, path)
        } catch {
          allowed = false
        }
        expect(coversScope(c, STAFF_ROLES, path)).toBe(allowed)
      }
  })
  test('a township covers its own villages only', () => {
    expect(coversScope(township, STAFF_ROLES, inDongguan)).toBe(true)
    expect(coversScope(township, STAFF_ROLES, inXishan)).toBe(false)
  })
})

describe('the county administrator', () => {
  test('countyGrantOf finds the county grant, of the given county when one is named', () => {
    expect(countyGrantOf(county)).toEqual({ role: 'county', nodeId: 'g_XF' })
    expect(countyGrantOf(county, 'g_XF')).toEqual({ role: 'county', nodeId: 'g_XF' })
    expect(countyGrantOf(county, 'g_OTHER')).toBeUndefined()
    expect(countyGrantOf(township)).toBeUndefined()
  })
  test('requireCountyAdmin refuses anyone else, naming what they tried', () => {
    expect(requireCountyAdmin(county, '设置积分规则').nodeId).toBe('g_XF')
    expect(() => requireCountyAdmin(township, '设置积分规则')).toThrow('只有本县的县级管理员可以设置积分规则')
  })
  test('only the county’s own administrator publishes its 红黑榜', () => {
    expect(mayPublishHonor(county.roles, 'g_XF')).toBe(true)
    expect(mayPublishHonor(county.roles, 'g_OTHER')).toBe(false)
    expect(mayPublishHonor(township.roles, 'g_XF')).toBe(false)
  })
})

describe('who appoints whom', () => {
  test('a station is appointed by its township or the county; townships and the county only by the county', () => {
    // a township appoints in its own villages, not in another township's
    expect(coversScope(township, APPOINTERS.station, inDongguan)).toBe(true)
    expect(coversScope(township, APPOINTERS.station, inXishan)).toBe(false)
    expect(coversScope(township, APPOINTERS.township, inDongguan)).toBe(false)
  })
})
