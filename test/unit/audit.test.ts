import { auditChangeLines, changedFields, grantEntry, moveNodeEntry, revokeEntry, setActiveEntry, updateNodeEntry } from '@/core/audit'

const ctx = { countyId: 'g_XF', at: new Date('2026-03-01T02:00:00Z'), by: { openId: 'u_county', name: '县管理员' } }
const node = (over: Record<string, unknown> = {}) => ({ name: '东关村', hotline: '0311-1', leaderName: null, maxLevel: null, ...over })

describe('what an audit entry keeps', () => {
  test('only the fields that changed, with null for a value that is missing on one side', () => {
    expect(changedFields({ a: 1, b: 'x', c: null }, { a: 1, b: 'y', d: 2 })).toEqual({ before: { b: 'x', d: null }, after: { b: 'y', d: 2 } })
    expect(changedFields({ a: [1, 2] }, { a: [1, 2] })).toBeNull()
  })

  test('a rename keeps the old and new name and says so; an edit that changes nothing leaves no entry', () => {
    const e = updateNodeEntry(ctx, 'g_XF0101', node(), node({ name: '东关新村' }))!
    expect(e).toMatchObject({ action: 'updateNode', target: { kind: 'node', id: 'g_XF0101', name: '东关新村' }, before: { name: '东关村' }, after: { name: '东关新村' } })
    expect(Object.keys(e.after!)).toEqual(['name'])
    expect(e.summary).toBe('将 东关村 改名为 东关新村')
    expect(updateNodeEntry(ctx, 'g_XF0101', node(), node())).toBeNull()
  })

  test('clearing a hotline is recorded as the old number to none', () => {
    const e = updateNodeEntry(ctx, 'g_XF0101', node(), node({ hotline: null }))!
    expect(e.summary).toBe('修改 东关村 的热线')
    expect(auditChangeLines(e)).toEqual(['热线：0311-1 → （无）'])
  })

  test('a grant and a revoke name the person, the node and the role', () => {
    const facts = { user: { id: 'u_li', name: '李四' }, role: 'station' as const, nodeId: 'g_XF0101', nodeName: '东关村' }
    const g = grantEntry(ctx, facts)
    expect(g).toMatchObject({ countyId: 'g_XF', by: ctx.by, at: ctx.at, before: null, after: { role: 'station', nodeId: 'g_XF0101', nodeName: '东关村' } })
    expect(g.summary).toBe('授予 李四 东关村 村文明实践站 角色')
    expect(auditChangeLines(g)).toEqual(['角色：村文明实践站', '所在节点：东关村'])
    const r = revokeEntry(ctx, facts)
    expect(r).toMatchObject({ before: g.after, after: null, summary: '撤销 李四 东关村 村文明实践站 角色' })
  })

  test('a move keeps both parents and codes; deactivation says the subtree goes with it', () => {
    const m = moveNodeEntry(ctx, { _id: 'g_XF0101', name: '东关村' }, { parentId: 'g_XF01', parentName: '东关镇', code: 'XF0101' }, { parentId: 'g_XF02', parentName: '西山镇', code: 'XF0204' })
    expect(m.summary).toBe('将 东关村 从 东关镇 移到 西山镇（编码 XF0101 → XF0204）')
    expect(auditChangeLines(m)).toEqual(['上级：东关镇 → 西山镇', '编码：XF0101 → XF0204'])
    expect(setActiveEntry(ctx, { _id: 'g_XF0101', name: '东关村' }, false)).toMatchObject({ before: { active: true }, after: { active: false }, summary: '停用 东关村（含全部下级）' })
  })
})
