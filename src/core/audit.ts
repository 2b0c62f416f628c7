import { z } from 'zod'
import { cursorMsSchema, idSchema, ROLE_LABEL, type Role } from './schemas'
import type { GridLevel } from './grid'
import { LEVEL_LABEL } from './tree'

// The audit trail of role grants, revocations and grid tree edits: who did what, when,
// from what to what. One entry per change, in the county the change belongs to; the county
// administrator reads them. Builders here are pure; the services write what they return.

export const AUDIT_ACTIONS = ['grant', 'revoke', 'createNode', 'updateNode', 'moveNode', 'setActive', 'importCsv'] as const
export type AuditAction = (typeof AUDIT_ACTIONS)[number]

export type AuditActor = { openId: string; name: string }
export type AuditTarget = { kind: 'user' | 'node'; id: string; name: string }
/** The changed fields only: a value missing on one side is null there. */
export type AuditFields = Record<string, unknown>

/** A stored entry (collection `audit`). */
export type AuditEntry = {
  countyId: string
  at: Date
  by: AuditActor
  action: AuditAction
  target: AuditTarget
  before: AuditFields | null
  after: AuditFields | null
  /** one line of Chinese, e.g. 「授予 张三 东关村 村文明实践站 角色」 */
  summary: string
}

export type AuditEntryView = Omit<AuditEntry, 'at'> & { id: string; at: number }

export const auditListInput = z.object({
  before: cursorMsSchema.optional(),
  limit: z.number().int().min(1).max(50).default(20),
  /** one person's or one node's entries */
  targetId: idSchema.optional(),
})

type Context = { countyId: string; at: Date; by: AuditActor }

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

/** The fields of `before` / `after` whose values differ (keys of either side); null when nothing changed. */
export function changedFields(before: AuditFields, after: AuditFields): { before: AuditFields; after: AuditFields } | null {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !same(before[k], after[k]))
  if (keys.length === 0) return null
  const pick = (o: AuditFields) => Object.fromEntries(keys.map((k) => [k, o[k] ?? null]))
  return { before: pick(before), after: pick(after) }
}

/** What a field is called and how its value reads, for summaries and the audit page. */
export const AUDIT_FIELD_LABEL: Record<string, string> = {
  role: '角色',
  nodeName: '所在节点',
  name: '名称',
  code: '编码',
  level: '层级',
  hotline: '热线',
  leaderName: '负责人',
  maxLevel: '最深层级',
  active: '状态',
  parentName: '上级',
  rows: '表格行数',
  created: '新建节点',
  existing: '已有节点',
}

export function auditValueText(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '（无）'
  if (field === 'role') return ROLE_LABEL[value as Role] ?? String(value)
  if (field === 'level' || field === 'maxLevel') return LEVEL_LABEL[value as GridLevel] ?? String(value)
  if (field === 'active') return value ? '启用' : '停用'
  return String(value)
}

/** The entry's changes as lines a person reads: 「名称：东关村 → 东关新村」. */
export function auditChangeLines(e: Pick<AuditEntry, 'before' | 'after'>): string[] {
  const keys = [...new Set([...Object.keys(e.before ?? {}), ...Object.keys(e.after ?? {})])].filter((k) => !k.endsWith('Id'))
  return keys.map((k) => {
    const label = AUDIT_FIELD_LABEL[k] ?? k
    if (!e.before) return `${label}：${auditValueText(k, e.after?.[k])}`
    if (!e.after) return `${label}：${auditValueText(k, e.before[k])}（已撤销）`
    return `${label}：${auditValueText(k, e.before[k])} → ${auditValueText(k, e.after[k])}`
  })
}

type GrantFacts = { user: { id: string; name: string }; role: Role; nodeId: string; nodeName: string }

export function grantEntry(c: Context, g: GrantFacts): AuditEntry {
  return {
    ...c,
    action: 'grant',
    target: { kind: 'user', id: g.user.id, name: g.user.name },
    before: null,
    after: { role: g.role, nodeId: g.nodeId, nodeName: g.nodeName },
    summary: `授予 ${g.user.name} ${g.nodeName} ${ROLE_LABEL[g.role]} 角色`,
  }
}

export function revokeEntry(c: Context, g: GrantFacts): AuditEntry {
  return {
    ...c,
    action: 'revoke',
    target: { kind: 'user', id: g.user.id, name: g.user.name },
    before: { role: g.role, nodeId: g.nodeId, nodeName: g.nodeName },
    after: null,
    summary: `撤销 ${g.user.name} ${g.nodeName} ${ROLE_LABEL[g.role]} 角色`,
  }
}

type NodeFacts = { _id: string; name: string; code: string; level: GridLevel; hotline?: string; leaderName?: string }

export function createNodeEntry(c: Context, node: NodeFacts, parentName: string): AuditEntry {
  return {
    ...c,
    action: 'createNode',
    target: { kind: 'node', id: node._id, name: node.name },
    before: null,
    after: { name: node.name, code: node.code, level: node.level, parentName, hotline: node.hotline ?? null, leaderName: node.leaderName ?? null },
    summary: `在 ${parentName} 下新建${LEVEL_LABEL[node.level]} ${node.name}（${node.code}）`,
  }
}

/** Editable fields of a node before and after; null when nothing changed (no entry then). */
export function updateNodeEntry(c: Context, id: string, before: AuditFields & { name: string }, after: AuditFields & { name: string }): AuditEntry | null {
  const diff = changedFields(before, after)
  if (!diff) return null
  const what = Object.keys(diff.after)
    .map((k) => AUDIT_FIELD_LABEL[k] ?? k)
    .join('、')
  return {
    ...c,
    action: 'updateNode',
    target: { kind: 'node', id, name: after.name },
    ...diff,
    summary: diff.after.name !== undefined ? `将 ${before.name} 改名为 ${after.name}` + (Object.keys(diff.after).length > 1 ? `，并修改${what}` : '') : `修改 ${after.name} 的${what}`,
  }
}

export function setActiveEntry(c: Context, node: { _id: string; name: string }, active: boolean): AuditEntry {
  return {
    ...c,
    action: 'setActive',
    target: { kind: 'node', id: node._id, name: node.name },
    before: { active: !active },
    after: { active },
    summary: active ? `启用 ${node.name}` : `停用 ${node.name}（含全部下级）`,
  }
}

type Place = { parentId: string; parentName: string; code: string }

export function moveNodeEntry(c: Context, node: { _id: string; name: string }, from: Place, to: Place): AuditEntry {
  return {
    ...c,
    action: 'moveNode',
    target: { kind: 'node', id: node._id, name: node.name },
    before: { ...from },
    after: { ...to },
    summary: `将 ${node.name} 从 ${from.parentName} 移到 ${to.parentName}（编码 ${from.code} → ${to.code}）`,
  }
}

export function importEntry(c: Context, root: { _id: string; name: string }, counts: { rows: number; created: number; existing: number }): AuditEntry {
  return {
    ...c,
    action: 'importCsv',
    target: { kind: 'node', id: root._id, name: root.name },
    before: null,
    after: { ...counts },
    summary: `导入表格到 ${root.name}：${counts.rows} 行，新建 ${counts.created} 个节点，已有 ${counts.existing} 个`,
  }
}

export function toAuditView(d: AuditEntry & { _id: string }): AuditEntryView {
  return {
    id: d._id,
    countyId: d.countyId,
    at: new Date(d.at).getTime(),
    by: d.by,
    action: d.action,
    target: d.target,
    before: d.before,
    after: d.after,
    summary: d.summary,
  }
}
