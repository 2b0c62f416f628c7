import type { GridNode, Service, Team, User, VolunteerDoc } from '../../src/core'
import { AVAILABILITY, childCode, formatPlate, GRID_LEVELS, highestPlateSeqs, placeNames, plateCounterId, PRIVACY_VERSION, VOLUNTEER_SKILLS } from '../../src/core'

/** Everything a seed writes, by collection. */
export type SeedData = {
  grids: GridNode[]
  users: User[]
  services: Service[]
  teams: Team[]
  orders?: unknown[]
  /** approved registrations of the seeded volunteers, the plates they hold, the plate counters */
  volunteers?: VolunteerDoc[]
  plates?: { _id: string; userId: string; townshipId: string; at: Date }[]
  counters?: { _id: string; seq: number }[]
}

/** Demo accounts offered by the dev sign-in (they exist in both seed scales). */
export type DemoAccount = { id: string; label: string }

/** A service names the volunteer skill it needs (core VOLUNTEER_SKILLS). */
const CATALOGUE: [category: string, name: string, skill: (typeof VOLUNTEER_SKILLS)[number]][] = [
  ['生活帮扶', '水电维修', '水电'],
  ['生活帮扶', '家电维修', '家电'],
  ['生活帮扶', '代购代办', '跑腿'],
  ['生活帮扶', '助老陪护', '陪护'],
  ['邻里调解', '邻里纠纷调解', '调解'],
  ['邻里调解', '家庭矛盾调解', '调解'],
  ['邻里调解', '政策咨询', '政策'],
  ['安全隐患', '隐患上报', '巡查'],
  ['安全隐患', '路灯维修', '水电'],
  ['安全隐患', '环境卫生', '保洁'],
  ['文化健康', '健康义诊', '医疗'],
  ['文化健康', '理发服务', '理发'],
]
/**
 * Registrations (approved), plates and counters for seeded users holding a plate, so the
 * seeded volunteers look as if they had registered and been approved, and new approvals
 * continue each township's sequence. One pass over the users; nodes and teams by id.
 */
export function volunteerRecords(
  users: readonly User[],
  nodes: readonly GridNode[],
  teams: readonly Team[],
): Required<Pick<SeedData, 'volunteers' | 'plates' | 'counters'>> {
  const nodeById = new Map(nodes.map((n) => [n._id, n]))
  const teamById = new Map(teams.map((t) => [t._id, t]))
  const townshipByCode = new Map(nodes.filter((n) => n.level === 'township').map((n) => [n.code, n]))
  const volunteers: VolunteerDoc[] = []
  const plates: NonNullable<SeedData['plates']> = []
  users.forEach((u, i) => {
    const grant = u.roles.find((r) => r.role === 'volunteer' || r.role === 'leader')
    const grid = grant && nodeById.get(grant.nodeId)
    if (!u.plate || !grid || !u.phone) return
    const team = u.teamId ? teamById.get(u.teamId) : undefined
    volunteers.push({
      _id: u._id,
      openId: u.openId,
      name: u.name,
      phone: u.phone,
      gridId: grid._id,
      gridName: grid.name,
      ...placeNames(grid),
      scopePath: grid.path,
      skills: u.skills ?? [],
      availability: [AVAILABILITY[i % AVAILABILITY.length]],
      status: 'approved',
      plate: u.plate,
      ...(team ? { teamId: team._id, teamName: team.name } : {}),
      privacyVersion: PRIVACY_VERSION,
      // registrations a minute apart (as people sign up), so lists page through them in a stable order
      createdAt: new Date(u.createdAt.getTime() + i * 60_000),
      updatedAt: new Date(u.createdAt.getTime() + i * 60_000),
      history: [{ at: u.createdAt, action: 'approve', by: 'seed', byName: '初始导入' }],
    })
    plates.push({ _id: u.plate, userId: u._id, townshipId: grid.path[1], at: u.createdAt })
  })
  const counters = [...highestPlateSeqs(plates.map((p) => p._id))].flatMap(([code, seq]) => {
    const township = townshipByCode.get(code)
    return township ? [{ _id: plateCounterId(township._id), seq }] : []
  })
  return { volunteers, plates, counters }
}

/** 助老陪护 (people needing help) and the disputes of 邻里调解 are never published (Open311). */
const SENSITIVE = new Set(['助老陪护', '邻里纠纷调解', '家庭矛盾调解', '政策咨询'])

export function catalogue(): Service[] {
  const services: Service[] = CATALOGUE.map(([category, name, skill], i) => ({
    _id: `svc_${String(i + 1).padStart(2, '0')}`,
    name,
    category,
    skill,
    sort: i + 1,
    active: true,
    ...(SENSITIVE.has(name) ? { sensitive: true } : {}),
    // an extra question a service may ask (附加信息)
    ...(name === '家电维修'
      ? { fields: [{ key: 'appliance', label: '电器类型', type: 'select' as const, options: ['电视', '冰箱', '洗衣机', '空调', '热水器', '其他'], required: false }] }
      : {}),
  }))
  // services that must not wait for a volunteer: the app shows the number to call instead of a form
  const emergency: [name: string, number: '119' | '120', note: string][] = [
    ['燃气泄漏', '119', '闻到煤气味：马上关阀门、开窗，不要开关电器、不要打电话，到屋外拨打119'],
    ['急病求助', '120', '突发急病请立即拨打120，说清村名和位置，再告诉家人和网格长'],
  ]
  emergency.forEach(([name, number, note], k) =>
    services.push({ _id: `svc_${13 + k}`, name, category: '紧急求助', description: `请直接拨打${number}`, sort: 13 + k, active: true, emergency: { number, note } }),
  )
  return services
}

/** Builds grid nodes with codes that extend their parent's. */
export class TreeBuilder {
  readonly nodes: GridNode[] = []
  root(code: string, name: string, hotline: string): GridNode {
    const n: GridNode = { _id: `g_${code}`, code, name, level: 'county', parentId: null, path: [`g_${code}`], pathNames: [name], hotline, active: true }
    this.nodes.push(n)
    return n
  }
  child(parent: GridNode, seq: number, name: string, extra: Partial<GridNode> = {}): GridNode {
    const code = childCode(parent.code, seq)
    const level = GRID_LEVELS[parent.path.length]
    const _id = `g_${code}`
    const n: GridNode = {
      _id,
      code,
      name,
      level,
      parentId: parent._id,
      path: [...parent.path, _id],
      pathNames: [...parent.pathNames, name],
      active: true,
      ...extra,
    }
    this.nodes.push(n)
    return n
  }
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { id: 'u_villager_zhang', label: '村民 · 张大爷（东关村）' },
  { id: 'u_villager_li', label: '村民 · 李奶奶（西山村）' },
  { id: 'u_vol_01', label: '网格长 · 王建国（东关村网格服务队）' },
  { id: 'u_vol_02', label: '志愿者 · 刘志刚（东关村网格服务队）' },
  { id: 'u_vol_14', label: '网格长 · 张二虎（西山村红袖箍巡逻队）' },
  { id: 'u_station_dg', label: '村实践站 · 刘站长（东关村）' },
  { id: 'u_station_xs', label: '村实践站 · 赵站长（西山村）' },
  { id: 'u_township_dg', label: '乡镇实践所 · 陈所长（东关镇）' },
  { id: 'u_county', label: '县管理员 · 周主任（幸福县）' },
]

const at = new Date('2026-01-05T02:00:00Z')
const user = (id: string, name: string, phone: string, roles: User['roles'], extra: Partial<User> = {}): User => ({
  _id: id,
  openId: id,
  name,
  phone,
  roles,
  createdAt: at,
  ...extra,
})

/** The default demo county: 2 townships × 3 villages, 2 grids each, 2 micro-grids per grid. */
export function demoCounty(): SeedData & { accounts: DemoAccount[] } {
  const t = new TreeBuilder()
  const county = t.root('XF', '幸福县', '0354-12345')
  const plan: [string, string[]][] = [
    ['东关镇', ['东关村', '南街社区', '柳树村']],
    ['西山乡', ['西山村', '石门村', '杏花村']],
  ]
  const leaders = ['王建国', '李秀英', '张志强', '刘桂兰', '陈永福', '杨春梅', '赵德明', '黄淑珍', '周新民', '吴玉兰', '徐长河', '孙丽华']
  const villages: GridNode[] = []
  const grids: GridNode[] = []
  plan.forEach(([tname, vnames], ti) => {
    const township = t.child(county, ti + 1, tname, { hotline: `0354-22${ti + 1}0000` })
    vnames.forEach((vname, vi) => {
      const village = t.child(township, vi + 1, vname, { hotline: `0354-22${ti + 1}${vi + 1}${String(100 + vi).slice(-3)}` })
      villages.push(village)
      for (let gi = 1; gi <= 2; gi++) {
        const grid = t.child(village, gi, `${vname}第${gi === 1 ? '一' : '二'}网格`, {
          hotline: village.hotline,
          leaderName: leaders[grids.length % leaders.length],
        })
        grids.push(grid)
        for (let mi = 1; mi <= 2; mi++) t.child(grid, mi, `${grid.name}${mi}号微网格`)
      }
    })
  })
  const [dongguan, nanjie] = villages
  const xishan = villages[3]
  const teams: Team[] = [
    { _id: 'team_dg', name: '东关村网格服务队', gridIds: grids.filter((g) => g.path.includes(dongguan._id)).map((g) => g._id), villageId: dongguan._id, townshipId: dongguan.path[1], captainId: 'u_vol_01', skills: ['水电', '家电', '跑腿', '陪护'] },
    { _id: 'team_hsl', name: '和事佬调解队', gridIds: grids.filter((g) => g.path[1] === dongguan.path[1]).map((g) => g._id), villageId: nanjie._id, townshipId: dongguan.path[1], captainId: 'u_vol_08', skills: ['调解', '政策'] },
    { _id: 'team_hxg', name: '西山村红袖箍巡逻队', gridIds: grids.filter((g) => g.path.includes(xishan._id)).map((g) => g._id), villageId: xishan._id, townshipId: xishan.path[1], captainId: 'u_vol_14', skills: ['巡查', '保洁', '水电'] },
  ]
  const volunteerNames = ['王建国', '刘志刚', '马春花', '郭建平', '韩秀兰', '冯国强', '曹玉梅', '李长顺', '程丽娟', '宋福来', '田桂芳', '许金山', '邓彩云', '张二虎', '范秋菊', '白永生', '牛晓燕', '贾守义', '温巧玲', '秦宝山']
  const users: User[] = []
  const teamOf = (i: number) => (i < 7 ? teams[0] : i < 13 ? teams[1] : teams[2])
  const plateSeq = new Map<string, number>()
  volunteerNames.forEach((name, i) => {
    const team = teamOf(i)
    const grid = grids.find((g) => g._id === team.gridIds[i % team.gridIds.length])!
    const township = t.nodes.find((n) => n._id === grid.path[1])!
    const seq = (plateSeq.get(township.code) ?? 0) + 1
    plateSeq.set(township.code, seq)
    const id = `u_vol_${String(i + 1).padStart(2, '0')}`
    const isCaptain = team.captainId === id
    users.push(
      user(id, name, `139${String(10000000 + i * 7919).slice(-8)}`, [{ role: isCaptain ? 'leader' : 'volunteer', nodeId: grid._id }], {
        teamId: team._id,
        plate: formatPlate(township.code, seq),
        skills: team.skills.slice(i % 2, (i % 2) + 2),
      }),
    )
  })
  users.push(
    user('u_villager_zhang', '张大爷', '13800001111', []),
    user('u_villager_li', '李奶奶', '13800002222', []),
    user('u_station_dg', '刘站长', '13700000001', [{ role: 'station', nodeId: dongguan._id }]),
    user('u_station_xs', '赵站长', '13700000002', [{ role: 'station', nodeId: xishan._id }]),
    user('u_township_dg', '陈所长', '13700000003', [{ role: 'township', nodeId: dongguan.path[1] }]),
    user('u_county', '周主任', '13700000004', [{ role: 'county', nodeId: county._id }]),
  )
  return { grids: t.nodes, users, services: catalogue(), teams, ...volunteerRecords(users, t.nodes, teams), accounts: DEMO_ACCOUNTS }
}
