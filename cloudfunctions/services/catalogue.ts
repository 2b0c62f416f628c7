// 服务清单: the county administrator adds, edits, reorders, stops and restores services.
// A service's own time limits and base points are not kept here: they are the county's
// timeliness settings and points rules, written through those services (with their
// compare-and-set versions), so each rule keeps one home.
import { randomBytes } from 'node:crypto'
import {
  AppError,
  basePointsOf,
  MAX_SERVICES,
  ownBaseItem,
  reorder,
  requireCountyAdmin,
  rulesProblem,
  serviceProblem,
  timelinessSettingsSchema,
  toStoredService,
  withBasePoints,
  withServiceLimits,
  type CatalogueView,
  type GridNode,
  type PointRulesView,
  type SaveServiceInput,
  type Service,
  type TimelinessView,
} from '../../src/core'
import type { Deps } from '../shared/context'
import { notFound } from '../shared/errors'
import { allServices, clearCatalogueCache } from './grid'
import { getRules, saveRules } from './points'
import { getTimeliness, saveTimeliness } from './timeliness'

/** The caller's county (county administrators only). Round trips: caller (1), county node (1). */
async function countyOf(deps: Deps, what: string): Promise<GridNode> {
  const grant = requireCountyAdmin(await deps.caller(), what)
  const node = (await deps.db.collection('grids').doc(grant.nodeId).get()).data[0] as GridNode | undefined
  if (!node) throw notFound('本县网格')
  return node
}

/** The catalogue read fresh (this instance's cached copy may be a minute old). */
async function freshServices(deps: Deps): Promise<Service[]> {
  clearCatalogueCache()
  return allServices(deps.db, deps.now())
}

function toView(node: GridNode, all: readonly Service[], tl: TimelinessView, rules: PointRulesView): CatalogueView {
  return {
    countyId: node._id,
    countyName: node.name,
    services: all.map((s) => {
      const now = basePointsOf(rules.rules, s)
      return {
        id: s._id,
        name: s.name,
        category: s.category,
        description: s.description ?? '',
        skill: s.skill ?? '',
        sort: s.sort,
        active: s.active,
        fields: s.fields ?? [],
        emergency: s.emergency ?? null,
        sensitive: s.sensitive === true,
        limits: tl.settings.services[s._id] ?? null,
        basePoints: ownBaseItem(rules.rules, s._id)?.points ?? null,
        pointsNow: now.points,
        pointsRule: now.ruleName,
      }
    }),
    defaults: tl.settings.defaults,
    timelinessBase: tl.updatedAt,
    pointsVersion: rules.version,
  }
}

/** The editor's view. Round trips: caller, county node, then catalogue + settings + rules at once. */
async function viewOf(deps: Deps, node: GridNode): Promise<CatalogueView> {
  const [all, tl, rules] = await Promise.all([freshServices(deps), getTimeliness(deps, { countyId: node._id }), getRules(deps)])
  return toView(node, all, tl, rules)
}

/** 服务清单: every service (stopped ones too), in order, with its limits and base points. */
export async function listCatalogue(deps: Deps): Promise<CatalogueView> {
  return viewOf(deps, await countyOf(deps, '管理服务清单'))
}

const newServiceId = () => `svc_${randomBytes(5).toString('hex')}`

/**
 * Add or change a service, and (when given) its own time limits and base points. Everything is
 * checked before anything is written: the input, the name, and both versions the edit started
 * from. The service is written first (a new one must exist before the settings may name it);
 * should the settings then be refused (someone saved them in that instant), the answer says so.
 */
export async function saveService(deps: Deps, input: SaveServiceInput): Promise<CatalogueView> {
  const node = await countyOf(deps, '管理服务清单')
  const all = await freshServices(deps)
  const existing = input.id ? all.find((s) => s._id === input.id) : undefined
  if (input.id && !existing) throw new AppError('NOT_FOUND', '没有找到这项服务，请刷新后重试')
  if (!existing && all.length >= MAX_SERVICES) throw new AppError('VALIDATION', `服务清单最多${MAX_SERVICES}项，请修改或恢复已有的服务`)
  const problem = serviceProblem(input.service, input.id, all)
  if (problem) throw new AppError('VALIDATION', problem)
  const active = existing?.active ?? true
  const touchesSettings = input.limits !== undefined || input.basePoints !== undefined
  if (!active && touchesSettings) throw new AppError('VALIDATION', '已停用的服务不能设置办理时限和基础积分，请先恢复这项服务')

  const id = existing?._id ?? newServiceId()
  const service = toStoredService(id, input.service, existing?.sort ?? all.reduce((m, s) => Math.max(m, s.sort), 0) + 1, active)

  // the settings as they will be written, checked before the service is
  let limitsWrite: { settings: TimelinessView['settings']; base: number | null } | null = null
  if (input.limits !== undefined) {
    const tl = await getTimeliness(deps, { countyId: node._id })
    if (tl.updatedAt !== (input.timelinessBase ?? null)) throw new AppError('CONFLICT', `${tl.updatedBy ?? '其他管理员'}刚刚修改了办理时限，请刷新后再改`)
    const keep = [...all.filter((s) => s.active).map((s) => s._id), id]
    const own = withServiceLimits(tl.settings.services, id, input.limits, keep)
    const before = tl.settings.services[id] ?? null
    if (JSON.stringify(before) !== JSON.stringify(input.limits)) {
      const parsed = timelinessSettingsSchema.safeParse({ ...tl.settings, services: own })
      if (!parsed.success) throw new AppError('VALIDATION', parsed.error.issues[0]?.message ?? '时限设置不正确')
      limitsWrite = { settings: parsed.data, base: tl.updatedAt }
    }
  }
  let rulesWrite: { rules: PointRulesView['rules']; version: number } | null = null
  if (input.basePoints !== undefined) {
    const rv = await getRules(deps)
    if (rv.version !== input.pointsVersion) throw new AppError('CONFLICT', '其他管理员刚刚修改了积分规则，请刷新后再改')
    const rules = withBasePoints(rv.rules, service, input.basePoints)
    if (rules) {
      const bad = rulesProblem(rules)
      if (bad) throw new AppError('VALIDATION', bad)
      rulesWrite = { rules, version: rv.version }
    }
  }

  const { _id, ...doc } = service
  const now = deps.now()
  const caller = await deps.caller()
  await deps.db
    .collection('services')
    .doc(_id)
    .set({ ...doc, updatedAt: now, updatedBy: caller.openId, updatedByName: caller.name })
  clearCatalogueCache()

  const after = async (what: string, write: () => Promise<unknown>) => {
    try {
      await write()
    } catch (e) {
      const why = e instanceof AppError ? e.message : '服务器开小差了'
      throw new AppError(e instanceof AppError ? e.code : 'INTERNAL', `「${service.name}」已保存，但${what}没有保存：${why}`)
    }
  }
  if (limitsWrite) {
    const w = limitsWrite
    await after('办理时限', () => saveTimeliness(deps, { countyId: node._id, settings: w.settings, baseUpdatedAt: w.base }))
  }
  if (rulesWrite) {
    const w = rulesWrite
    await after('基础积分', () => saveRules(deps, { rules: w.rules, version: w.version }))
  }
  return viewOf(deps, node)
}

/** A new order of the catalogue (every service id once). Only the services whose place changed are written. */
export async function reorderServices(deps: Deps, input: { ids: string[] }): Promise<CatalogueView> {
  const node = await countyOf(deps, '管理服务清单')
  const moves = reorder(await freshServices(deps), input.ids)
  const col = deps.db.collection('services')
  for (let i = 0; i < moves.length; i += 20) {
    await Promise.all(moves.slice(i, i + 20).map((m) => col.doc(m.id).update({ sort: m.sort })))
  }
  clearCatalogueCache()
  return viewOf(deps, node)
}

/**
 * Stop (停用) or restore a service. A stopped service leaves the landing, the hotline form and
 * signboards; orders that have it keep its name and category (they carry their own copy).
 */
export async function setServiceActive(deps: Deps, input: { id: string; active: boolean }): Promise<CatalogueView> {
  const node = await countyOf(deps, '管理服务清单')
  const all = await freshServices(deps)
  const s = all.find((x) => x._id === input.id)
  if (!s) throw new AppError('NOT_FOUND', '没有找到这项服务，请刷新后重试')
  if (input.active && all.some((x) => x._id !== s._id && x.active && x.name === s.name)) throw new AppError('VALIDATION', `已经有名为「${s.name}」的服务在用`)
  if (s.active !== input.active) {
    await deps.db.collection('services').doc(s._id).update({ active: input.active, updatedAt: deps.now() })
    clearCatalogueCache()
  }
  return viewOf(deps, node)
}
