import { AppError, approvalsInput, rankVolunteers, reviewerRole, scores, showcaseAuthor, showcaseInput, type Caller, type Candidate, type Order } from '../../src/core'
import { blockedWordsFromEnv, DEFAULT_BLOCKED_WORDS, localWechat } from '../../cloudfunctions/shared/wechat'

const PATH = ['g_XF', 'g_XF01', 'g_XF0101', 'g_XF010101']
const station: Caller = { openId: 's', name: '刘站长', roles: [{ role: 'station', nodeId: 'g_XF0101' }] }
const otherStation: Caller = { openId: 's2', name: '赵站长', roles: [{ role: 'station', nodeId: 'g_XF0201' }] }
const township: Caller = { openId: 't', name: '陈所长', roles: [{ role: 'township', nodeId: 'g_XF01' }] }
const county: Caller = { openId: 'c', name: '周主任', roles: [{ role: 'county', nodeId: 'g_XF' }] }
const volunteer: Caller = { openId: 'v', name: '刘志刚', roles: [{ role: 'volunteer', nodeId: 'g_XF010101' }], teamId: 'team_dg' }
const leader: Caller = { openId: 'l', name: '王建国', roles: [{ role: 'leader', nodeId: 'g_XF010101' }], teamId: 'team_dg' }
const villager: Caller = { openId: 'u_villager', name: '张大爷', roles: [] }

const order = (over: Partial<Order> = {}): Order =>
  ({
    _id: 'o1',
    status: 'fixed',
    villagerId: 'u_villager',
    scopePath: PATH,
    gridId: 'g_XF010101',
    assignee: { id: 'v', name: '刘志刚', teamId: 'team_dg' },
    history: [],
    ...over,
  }) as Order

describe('reviewerRole: station of the village, township, county — each within its subtree', () => {
  test.each([
    ['station', station],
    ['township', township],
    ['county', county],
  ] as const)('%s reviews within its subtree', (role, caller) => expect(reviewerRole(caller, PATH)).toBe(role))
  test('other village and non-staff are refused', () => {
    expect(() => reviewerRole(otherStation, PATH)).toThrow('无权审核其他区域的内容')
    for (const c of [volunteer, leader, villager]) expect(() => reviewerRole(c, PATH)).toThrow('只有村站、乡镇所或县级管理员可以审核')
  })
})

test('scores count only approved ratings', () => {
  const r = (stars: number, status: 'pending' | 'approved' | 'rejected') => ({ rating: { fixed: true, stars, comment: '', status } })
  expect(scores([r(5, 'approved'), r(3, 'approved'), r(1, 'rejected'), r(1, 'pending'), { rating: undefined }])).toEqual({
    approved: 2,
    pending: 1,
    average: 4,
    stars: [0, 0, 1, 0, 1],
  })
  expect(scores([]).average).toBeNull()
})

describe('showcaseAuthor', () => {
  test('the villager or the serving team leader, on a fixed order', () => {
    expect(showcaseAuthor(order(), villager).kind).toBe('villager')
    expect(showcaseAuthor(order(), leader).kind).toBe('team')
    expect(showcaseAuthor(order({ assignee: undefined, team: { id: 'team_dg', name: '东关村网格服务队' } }), leader).kind).toBe('team')
  })
  test('others refused; other states refused', () => {
    expect(() => showcaseAuthor(order(), volunteer)).toThrow(AppError)
    expect(() => showcaseAuthor(order(), station)).toThrow('只有下单的村民或服务队队长可以晒单')
    expect(() => showcaseAuthor(order({ assignee: { id: 'x', name: 'x', teamId: 'team_other' } }), leader)).toThrow(AppError)
    for (const status of ['completed', 'pending', 'closed', 'cancelled'] as const) {
      expect(() => showcaseAuthor(order({ status }), villager)).toThrow('订单确认解决后才能晒单')
    }
  })
})

test('showcase input: story 10–500, photos 1–9', () => {
  const ok = { orderId: 'o1', story: '一二三四五六七八九十', photos: ['cloud://a/1.png'] }
  expect(showcaseInput.safeParse(ok).success).toBe(true)
  expect(showcaseInput.safeParse({ ...ok, story: '一二三四五六七八九' }).error?.issues[0].message).toBe('服务故事至少写10个字')
  expect(showcaseInput.safeParse({ ...ok, story: '字'.repeat(501) }).error?.issues[0].message).toBe('服务故事不能超过500字')
  expect(showcaseInput.safeParse({ ...ok, photos: [] }).error?.issues[0].message).toBe('请至少上传1张照片')
  expect(showcaseInput.safeParse({ ...ok, photos: Array.from({ length: 10 }, (_, i) => `cloud://a/${i}.png`) }).error?.issues[0].message).toBe('照片最多9张')
  expect(approvalsInput.safeParse({ kind: 'vote' }).error?.issues[0].message).toBe('请选择审核类型（评价或晒单）')
})

test('rankVolunteers: same grid, then skill, then least load, at most `limit`', () => {
  const c = (id: string, nodeId: string, skills: string[]): Candidate => ({ id, name: id, nodeId, teamId: null, skills })
  const candidates = [
    c('far_skill', 'g_XF010102', ['水电']),
    c('same_noskill', 'g_XF010101', ['调解']),
    c('same_skill_busy', 'g_XF010101', ['水电']),
    c('same_skill_free', 'g_XF010101', ['水电']),
    c('micro_parent', 'g_XF0101', ['水电']), // granted at the village: not "same grid"
  ]
  const load = new Map([['same_skill_busy', 2]])
  const ranked = rankVolunteers({ scopePath: PATH, gridId: 'g_XF010101' }, '水电', candidates, load)
  expect(ranked.map((r) => r.id)).toEqual(['same_skill_free', 'same_skill_busy', 'same_noskill', 'far_skill', 'micro_parent'])
  expect(ranked[1]).toMatchObject({ sameGrid: true, skillMatch: true, load: 2, reasons: ['同网格', '擅长水电', '手头2单'] })
  expect(rankVolunteers({ scopePath: PATH, gridId: 'g_XF010101' }, '水电', candidates, load, 2)).toHaveLength(2)
})

describe('local WeChat port', () => {
  test('word list: defaults plus XF_BLOCKED_WORDS (comma separated, either comma)', () => {
    const words = blockedWordsFromEnv({ XF_BLOCKED_WORDS: ' 坏词 ,另一个，第三个,' })
    expect(words).toEqual([...DEFAULT_BLOCKED_WORDS, '坏词', '另一个', '第三个'])
  })
  test('msgSecCheck refuses a listed word with a reason; sends are recorded', async () => {
    const port = localWechat({ blockedWords: ['坏词', 'BadWord'] })
    expect(await port.msgSecCheck('一切都很好', 'u')).toEqual({ ok: true })
    expect(await port.msgSecCheck('这里有个坏词', 'u')).toEqual({ ok: false, reason: '含有不适宜公开的词语「坏词」' })
    expect((await port.msgSecCheck('a badword here', 'u')).ok).toBe(false)
    const rec = { kind: 'order_update', toOpenId: 'u', orderId: 'o1', data: {}, attempts: 1 }
    expect(await port.sendSubscribeMessage(rec)).toEqual({ ok: true, recorded: true })
    expect(port.sent).toEqual([rec])
  })
})
