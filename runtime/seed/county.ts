import { createHash } from 'node:crypto'
import dayjs from 'dayjs'
import { timelinessOf } from '../../cloudfunctions/services/timeliness'
import { timelinessSeed } from './timeliness'
import { formatPlate, localDay, orderNumber, ORDER_STATES, startClock, TERMINAL_STATES, VOLUNTEER_SKILLS as SKILLS, type GridNode, type Order, type Team, type User } from '../../src/core'
import { catalogue, demoCounty, TreeBuilder, volunteerRecords, type DemoAccount, type SeedData } from './demo'
import { rng } from './points'

/** The reference county (昔阳县's published scale). */
export const COUNTY_SCALE = { townships: 11, villages: 250, grids: 288, micro: 3447, volunteers: 30_000, teams: 335, orders: 100_000 }

/** The seeds' "now": order history and the points ledger end here (fixed, so two seeds are the same). */
export const SEED_NOW = new Date('2026-11-20T00:00:00Z')

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文'
const GIVEN = '建国秀英志强桂兰永福春梅德明淑珍新民玉兰长河丽华金山彩云宝山巧玲守义晓燕永生秋菊二虎福来丽娟长顺玉梅国强秀兰建平春花志刚'
const TOWNSHIP_NAMES = ['乐平镇', '皋落镇', '冶头镇', '沾尚镇', '大寨镇', '李家庄乡', '界都乡', '三都乡', '赵壁乡', '孔氏乡', '城区社区']
const VILLAGE_WORDS = '东西南北前后上下大小石杏柳桃李枣河沟坡峪庄'
const VILLAGE_SUFFIX = ['村', '庄', '沟', '峪', '坪', '社区']

const spread = (total: number, parts: number) => Array.from({ length: parts }, (_, i) => Math.floor((total * (i + 1)) / parts) - Math.floor((total * i) / parts))

/**
 * Generates the county at full scale. The demo accounts of the small county
 * are kept (re-homed onto this tree) so the dev sign-in works at any scale.
 */
export function referenceCounty(onProgress?: (what: string, done: number, total: number) => void): SeedData & { accounts: DemoAccount[] } {
  const rand = rng(20261123)
  const pick = <T,>(a: readonly T[]) => a[Math.floor(rand() * a.length)]
  const personName = () => pick([...SURNAMES]) + GIVEN.substr(Math.floor(rand() * (GIVEN.length / 2)) * 2, rand() < 0.3 ? 1 : 2)
  const t = new TreeBuilder()
  const county = t.root('XY', '昔阳县', '0354-4100000')
  const townships: GridNode[] = []
  const villages: GridNode[] = []
  const grids: GridNode[] = []
  const villagesPer = spread(COUNTY_SCALE.villages, COUNTY_SCALE.townships)
  TOWNSHIP_NAMES.forEach((name, ti) => {
    const township = t.child(county, ti + 1, name, { hotline: `0354-41${String(ti + 1).padStart(2, '0')}000` })
    townships.push(township)
    for (let vi = 0; vi < villagesPer[ti]; vi++) {
      const vname = pick([...VILLAGE_WORDS]) + pick([...VILLAGE_WORDS]) + pick(VILLAGE_SUFFIX)
      villages.push(t.child(township, vi + 1, vname, { hotline: `0354-41${String(ti + 1).padStart(2, '0')}${String(vi + 1).padStart(3, '0')}` }))
    }
  })
  // 288 grids over 250 villages: every village one, the first 38 a second
  villages.forEach((v, i) => {
    const n = i < COUNTY_SCALE.grids - COUNTY_SCALE.villages ? 2 : 1
    for (let gi = 1; gi <= n; gi++) grids.push(t.child(v, gi, `${v.name}第${gi === 1 ? '一' : '二'}网格`, { hotline: v.hotline, leaderName: personName() }))
  })
  spread(COUNTY_SCALE.micro, grids.length).forEach((n, gi) => {
    for (let mi = 1; mi <= n; mi++) t.child(grids[gi], mi, `${grids[gi].name}${mi}号微网格`)
  })
  onProgress?.('网格', t.nodes.length, t.nodes.length)

  // teams: one per grid (the grid leader is its captain) + township-wide ones (调解、巡逻…)
  const teams: Team[] = grids.map((g, i) => ({
    _id: `team_${String(i + 1).padStart(3, '0')}`,
    name: `${g.name}服务队`,
    gridIds: [g._id],
    villageId: g.path[2],
    townshipId: g.path[1],
    skills: [pick(SKILLS), pick(SKILLS), pick(SKILLS)],
  }))
  const special = ['和事佬调解队', '红袖箍巡逻队', '银发助老队', '医疗义诊队', '文艺宣传队']
  for (let i = teams.length; i < COUNTY_SCALE.teams; i++) {
    const township = townships[i % townships.length]
    const tg = grids.filter((g) => g.path[1] === township._id)
    teams.push({
      _id: `team_${String(i + 1).padStart(3, '0')}`,
      name: `${township.name}${special[i % special.length]}`,
      gridIds: tg.map((g) => g._id),
      villageId: tg[0].path[2],
      townshipId: township._id,
      skills: [pick(SKILLS), pick(SKILLS)],
    })
  }

  const created = new Date('2025-06-01T00:00:00Z')
  const users: User[] = []
  const plates = new Map<string, number>()
  for (let i = 0; i < COUNTY_SCALE.volunteers; i++) {
    const team = teams[i % teams.length]
    const gridId = team.gridIds[i % team.gridIds.length]
    const township = townships.find((x) => x._id === team.townshipId)!
    const seq = (plates.get(township.code) ?? 0) + 1
    plates.set(township.code, seq)
    const id = `u_v${String(i + 1).padStart(5, '0')}`
    if (!team.captainId) team.captainId = id
    users.push({
      _id: id,
      openId: id,
      name: personName(),
      phone: `13${String(100000000 + i * 7).slice(-9)}`,
      roles: [{ role: team.captainId === id ? 'leader' : 'volunteer', nodeId: gridId }],
      teamId: team._id,
      plate: formatPlate(township.code, seq),
      skills: [pick(SKILLS)],
      createdAt: created,
    })
    if (i % 5000 === 4999) onProgress?.('志愿者', i + 1, COUNTY_SCALE.volunteers)
  }

  // demo accounts, re-homed: villagers stay, staff get nodes of this tree
  const demo = demoCounty()
  const homes: Record<string, string> = {
    u_station_dg: villages[0]._id,
    u_station_xs: villages[villagesPer[0]]._id,
    u_township_dg: townships[0]._id,
    u_county: county._id,
    u_vol_01: grids[0]._id,
    u_vol_02: grids[0]._id,
    u_vol_14: grids[grids.length - 1]._id,
  }
  const nodeById = new Map(t.nodes.map((n) => [n._id, n]))
  for (const a of demo.accounts) {
    const u = demo.users.find((x) => x._id === a.id)!
    const roles = u.roles.map((r) => ({ ...r, nodeId: homes[a.id] ?? r.nodeId }))
    // demo volunteers get a plate of their new township (the demo county's plates mean nothing here)
    const home = u.plate ? nodeById.get(roles[0].nodeId) : undefined
    const township = home && nodeById.get(home.path[1])
    let plate: string | undefined
    if (township) {
      const seq = (plates.get(township.code) ?? 0) + 1
      plates.set(township.code, seq)
      plate = formatPlate(township.code, seq)
    }
    users.push({ ...u, roles, plate, teamId: a.id.startsWith('u_vol') ? teams[0]._id : undefined })
  }

  const services = catalogue()
  // emergency services are phoned, never ordered
  const orderable = services.filter((x) => !x.emergency)
  const orders: Order[] = []
  const now = dayjs(SEED_NOW)
  const closed = ORDER_STATES.filter((st) => TERMINAL_STATES.includes(st))
  const rules = timelinessOf(timelinessSeed(t.nodes, services).settings)
  for (let i = 0; i < COUNTY_SCALE.orders; i++) {
    const g = grids[Math.floor(rand() * grids.length)]
    const s = pick(orderable)
    // history is mostly closed: ~3% still open, placed in the last week, their clocks running
    const open = rand() < 0.03
    const status = open ? pick(['pending', 'escalated', 'dispatched', 'accepted', 'completed'] as const) : rand() < 0.9 ? 'fixed' : pick(closed)
    const at = now.subtract(Math.floor(rand() * (open ? 7 : 700) * 24 * 60), 'minute').toDate()
    const villager = `u_h${String(Math.floor(rand() * 60_000)).padStart(5, '0')}`
    const id = createHash('sha1').update(`order${i}`).digest('hex').slice(0, 32)
    orders.push({
      _id: id,
      no: orderNumber(localDay(at), id),
      requestId: `seed${i}`,
      status,
      source: rand() < 0.35 ? 'hotline' : 'scan',
      gridId: g._id,
      gridCode: g.code,
      gridName: g.name,
      townshipName: g.pathNames[1],
      villageName: g.pathNames[2],
      scopePath: g.path,
      serviceId: s._id,
      serviceName: s.name,
      category: s.category,
      description: `${s.name}：${pick(['家里', '院子里', '村口', '巷子里'])}${pick(['需要帮忙', '有问题', '坏了', '请来看看'])}`,
      contactPhone: `15${String(100000000 + i).slice(-9)}`,
      villagerId: villager,
      history: [{ at, action: 'place', from: null, to: 'pending', by: villager, byName: '村民', role: 'villager' }],
      // the current stage started when the order was placed (seed histories have only that step)
      clock: startClock({ status, serviceId: s._id, now: at, ...rules }),
      createdAt: at,
      updatedAt: at,
    })
    if (i % 10000 === 9999) onProgress?.('历史订单', i + 1, COUNTY_SCALE.orders)
  }
  return { grids: t.nodes, users, services, teams, orders, ...volunteerRecords(users, t.nodes, teams), accounts: demo.accounts }
}
