import { useCallback, useEffect, useRef, useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro'
import { Input, Text, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import Fact from '@/components/Fact'
import ErrorBox from '@/components/ErrorBox'
import PageState, { Loading } from '@/components/PageState'
import { call, errorMessage, newRequestId } from '@/api'
import type { GridNodeView, JobView, SignboardResult, TreeView } from '@/core/api'
import { GRID_LEVELS, type GridLevel } from '@/core/grid'
import { LEVEL_LABEL, nodeNameSchema } from '@/core/tree'
import { decode, go, IS_H5, query } from '@/components/util'
import '@/workbench/shared.scss'
import './index.scss'
import { ask as confirm } from '@/workbench/ask'
import GridSearch from './GridSearch'

const levelLabel = (level: string) => LEVEL_LABEL[level as GridLevel] || level
const POLL_MS = 800

/** Asks before something that cannot be undone lightly; false when cancelled. */
const failed = (title: string, e: unknown) => Taro.showModal({ title, content: errorMessage(e), showCancel: false })

function hotlineText(n: GridNodeView): string {
  if (n.hotline) return n.hotline
  if (n.effectiveHotline) return `继承自上级：${n.effectiveHotline}`
  return '未设置'
}

type Sign =
  | { state: 'idle' }
  | { state: 'running'; done: number; total: number }
  | { state: 'done'; result: SignboardResult }
  | { state: 'failed'; error: unknown }

export default function TreePage() {
  const { params } = useRouter()
  const id = decode(params.id)
  const [data, setData] = useState<TreeView | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [form, setForm] = useState<'create' | 'edit' | null>(null)
  const [moving, setMoving] = useState(false)
  const [busy, setBusy] = useState(false)
  const [sign, setSign] = useState<Sign>({ state: 'idle' })
  const alive = useRef(true)
  const shown = useRef(false)

  const load = useCallback(async () => {
    try {
      const t = await call('grid', 'tree', id ? { nodeId: id } : {})
      setData(t)
      setError(null)
    } catch (e) {
      setError(e)
    } finally {
      Taro.stopPullDownRefresh()
    }
  }, [id])

  useEffect(() => {
    alive.current = true
    load()
    return () => {
      alive.current = false
    }
  }, [load])
  // back from the import or staff screen: the subtree may have changed
  useDidShow(() => {
    if (shown.current) load()
    shown.current = true
  })
  usePullDownRefresh(() => {
    load()
  })

  const node = data?.node ?? null
  const open = (nodeId: string) => go(`/admin/tree/index?${query({ id: nodeId })}`)
  const up = (nodeId: string | null) => Taro.redirectTo({ url: nodeId ? `/admin/tree/index?${query({ id: nodeId })}` : '/admin/tree/index' })

  const setActive = async (active: boolean) => {
    if (!node || busy) return
    const ok = active
      ? await confirm('启用', `启用「${node.name}」？启用后它的标识牌恢复接单（已停用的下级需要分别启用）。`, '确认启用')
      : await confirm(
          '停用',
          `停用「${node.name}」会同时停用它下面的所有村、网格和微网格，这些地方的标识牌将不能再扫码下单。已有的诉求不受影响。确定停用吗？`,
          '确认停用',
        )
    if (!ok) return
    setBusy(true)
    try {
      await call('grid', 'setActive', { id: node.id, active })
      Taro.showToast({ title: active ? '已启用' : '已停用', icon: 'success' })
      await load()
    } catch (e) {
      failed(active ? '启用没有成功' : '停用没有成功', e)
    } finally {
      setBusy(false)
    }
  }

  const generate = async () => {
    if (!node || sign.state === 'running') return
    const jobId = newRequestId()
    setSign({ state: 'running', done: 0, total: 0 })
    let running = true
    const poll = async () => {
      while (running && alive.current) {
        await new Promise((r) => setTimeout(r, POLL_MS))
        if (!running || !alive.current) return
        try {
          const j: JobView = await call('signboard', 'progress', { jobId })
          if (running) setSign((s) => (s.state === 'running' ? { state: 'running', done: j.done, total: j.total } : s))
        } catch {
          /* the job may not be recorded yet; the generate call reports real failures */
        }
      }
    }
    poll()
    try {
      const result = await call('signboard', 'generate', { nodeId: node.id, jobId })
      running = false
      if (alive.current) setSign({ state: 'done', result })
    } catch (e) {
      running = false
      if (alive.current) setSign({ state: 'failed', error: e })
    }
  }

  // weapp only (H5 links to the URL): fetch the PDF from cloud storage by its fileID, then open it
  const openPdf = async (r: SignboardResult) => {
    Taro.showLoading({ title: '正在下载…' })
    let filePath = ''
    try {
      const d = await Taro.cloud.downloadFile({ fileID: r.fileId })
      filePath = d.tempFilePath || ''
    } catch {
      /* reported below */
    }
    Taro.hideLoading()
    if (!filePath) {
      Taro.showModal({ title: '下载失败', content: '标识牌 PDF 没有下载下来，请检查网络后再点「打开 PDF」。', showCancel: false })
      return
    }
    try {
      await Taro.openDocument({ filePath, fileType: 'pdf', showMenu: true })
    } catch {
      Taro.showModal({ title: '打开失败', content: 'PDF 已下载，但没能打开，请稍后重试。', showCancel: false })
    }
  }

  const canAddChild = !!node && !!data && GRID_LEVELS.indexOf(node.level as never) < GRID_LEVELS.indexOf(data.maxLevel as never)

  return (
    <View className='xf-page tree'>
      <PageState loading={!data && !error} error={!data ? error : null} onRetry={load}>
        {data && (
          <>
            {!!error && <ErrorBox error={error} onRetry={load} />}
            <GridSearch onOpen={(g) => open(g.id)} />
            <View id='breadcrumb' className='tree__crumbs'>
              <Text className='tree__crumb' onClick={() => up(null)}>
                我管理的区域
              </Text>
              {data.ancestors.map((a) => (
                <Text key={a.id} className='tree__crumb' onClick={() => up(a.id)}>
                  {' › '}
                  {a.name}
                </Text>
              ))}
            </View>

            {node ? (
              <View className='xf-card'>
                <View className='xf-row'>
                  <View id='node-name' className='xf-h1'>
                    {node.name}
                  </View>
                  {!node.active && <Text className='xf-tag xf-tag--end'>已停用</Text>}
                </View>
                <View className='tree__sub'>
                  <Text className='tree__level'>{levelLabel(node.level)}</Text>
                  <Text className='xf-muted'>编码 </Text>
                  <Text id='node-code' className='tree__code'>
                    {node.code}
                  </Text>
                </View>
                <Fact label='服务热线' value={hotlineText(node)} />
                <Fact label='网格长' value={node.leaderName || '未设置'} />
                <Fact label='状态' value={node.active ? '正常接单' : '已停用（标识牌不能下单）'} />
                {node.formerCodes.length > 0 && <Fact label='曾用编码' value={node.formerCodes.join('、')} />}
              </View>
            ) : (
              <View className='xf-hint'>选择一个区域查看和管理它的下级。</View>
            )}

            {node && (
              <View className='tree__tools'>
                {data.canEdit && (
                  <>
                    {canAddChild && (
                      <Btn id='btn-create' type='primary' size='small' onClick={() => setForm('create')}>
                        新建下级
                      </Btn>
                    )}
                    <Btn id='btn-edit' size='small' onClick={() => setForm('edit')}>
                      修改
                    </Btn>
                    {node.parentId && node.level !== 'township' && (
                      <Btn id='btn-move' size='small' onClick={() => setMoving(true)}>
                        移动
                      </Btn>
                    )}
                    {node.active ? (
                      <Btn id='btn-deactivate' size='small' disabled={busy} onClick={() => setActive(false)}>
                        停用
                      </Btn>
                    ) : (
                      <Btn id='btn-activate' size='small' disabled={busy} onClick={() => setActive(true)}>
                        启用
                      </Btn>
                    )}
                  </>
                )}
              </View>
            )}

            {node && (
              <View className='xf-card'>
                <View className='tree__sign-title'>标识牌</View>
                <View className='xf-muted'>
                  {node.level === 'grid' || node.level === 'micro'
                    ? '生成这个网格的标识牌（一页PDF，可直接打印）。'
                    : `生成「${node.name}」下所有在用网格的标识牌（每个网格一页PDF）。`}
                </View>
                <View className='xf-actions'>
                  <Btn id='btn-signboard' type='outline' disabled={sign.state === 'running' || !node.active} onClick={generate}>
                    {sign.state === 'running' ? '正在生成…' : '生成标识牌 PDF'}
                  </Btn>
                </View>
                {!node.active && <View className='xf-muted'>已停用的区域不能生成标识牌。</View>}
                {sign.state === 'running' && (
                  <View id='signboard-progress' className='tree__progress'>
                    <View className='tree__bar'>
                      <View className='tree__bar-fill' style={{ width: `${sign.total ? Math.round((sign.done / sign.total) * 100) : 0}%` }} />
                    </View>
                    <View className='tree__progress-text'>{sign.total ? `已生成 ${sign.done}/${sign.total}` : '正在准备…'}</View>
                  </View>
                )}
                {sign.state === 'failed' && <ErrorBox error={sign.error} onRetry={generate} />}
                {sign.state === 'done' && (
                  <View className='tree__done'>
                    <View className='tree__progress-text'>
                      已生成 {sign.result.pages} 页（{Math.max(1, Math.round(sign.result.bytes / 1024))} KB）
                    </View>
                    {IS_H5 ? (
                      <a id='signboard-download' className='xf-btn xf-btn--primary xf-btn--large tree__download' href={sign.result.url} download={sign.result.fileName}>
                        下载 {sign.result.fileName}
                      </a>
                    ) : (
                      <Btn id='signboard-download' type='primary' onClick={() => openPdf(sign.result)}>
                        打开 PDF
                      </Btn>
                    )}
                  </View>
                )}
              </View>
            )}

            <View className='xf-list'>
              {/* the county imports at its root, a township's administrators at their township */}
              {node && (node.parentId === null || node.level === 'township') && data.canEdit && (
                <View id='link-import' className='xf-cell' hoverClass='xf-pressed' onClick={() => go(`/admin/import/index?${query({ id: node.id })}`)}>
                  <View className='xf-cell__main'>
                    <View className='xf-cell__title'>导入表格</View>
                    <View className='xf-cell__desc'>{node.parentId === null ? '用 CSV 表格一次建好乡镇、村、网格' : `用 CSV 表格一次建好${node.name}的村和网格`}</View>
                  </View>
                  <Text className='xf-cell__arrow'>›</Text>
                </View>
              )}
              {node && node.parentId === null && data.canEdit && (
                <View id='link-timeliness' className='xf-cell' hoverClass='xf-pressed' onClick={() => go(`/admin/timeliness/index?${query({ id: node.id })}`)}>
                  <View className='xf-cell__main'>
                    <View className='xf-cell__title'>办理时限</View>
                    <View className='xf-cell__desc'>各环节时限、催办和回访、工作日历</View>
                  </View>
                  <Text className='xf-cell__arrow'>›</Text>
                </View>
              )}
              {node && node.parentId === null && data.canEdit && (
                <View id='link-audit' className='xf-cell' hoverClass='xf-pressed' onClick={() => go('/admin/audit/index')}>
                  <View className='xf-cell__main'>
                    <View className='xf-cell__title'>操作记录</View>
                    <View className='xf-cell__desc'>谁在何时任命、撤销人员或调整网格</View>
                  </View>
                  <Text className='xf-cell__arrow'>›</Text>
                </View>
              )}
              {node && (
                <View id='link-staff' className='xf-cell' hoverClass='xf-pressed' onClick={() => go(`/admin/staff/index?${query({ id: node.id })}`)}>
                  <View className='xf-cell__main'>
                    <View className='xf-cell__title'>工作人员</View>
                    <View className='xf-cell__desc'>查看、添加或撤销这里的管理人员</View>
                  </View>
                  <Text className='xf-cell__arrow'>›</Text>
                </View>
              )}
            </View>

            <View className='xf-h2'>{node ? `下级（${data.children.length}）` : '我管理的区域'}</View>
            {data.children.length === 0 ? (
              <PageState empty emptyText={node ? (canAddChild ? '还没有下级，可以点「新建下级」或导入表格' : '这一级下面不再分级') : '您还没有管理的区域'} />
            ) : (
              <View id='child-list' className='xf-list'>
                {data.children.map((c) => (
                  <View key={c.id} className={`xf-cell tree__child${c.active ? '' : ' tree__child--off'}`} hoverClass='xf-pressed' onClick={() => open(c.id)}>
                    <View className='xf-cell__main'>
                      <View className='xf-cell__title'>
                        {c.name}
                        {!c.active && <Text className='xf-tag xf-tag--end tree__tag'>已停用</Text>}
                      </View>
                      <View className='xf-cell__desc'>
                        {c.code} · {levelLabel(c.level)}
                        {c.leaderName ? ` · 网格长 ${c.leaderName}` : ''}
                      </View>
                    </View>
                    <Text className='xf-cell__arrow'>›</Text>
                  </View>
                ))}
              </View>
            )}
          </>
        )}
      </PageState>

      {form && node && (
        <NodeForm
          mode={form}
          node={node}
          maxLevel={data?.maxLevel}
          onClose={() => setForm(null)}
          onDone={(saved) => {
            setForm(null)
            Taro.showToast({ title: form === 'create' ? `已新建 ${saved.code}` : '已保存', icon: 'none' })
            load()
          }}
        />
      )}
      {moving && node && (
        <MoveDialog
          node={node}
          startAt={data?.ancestors[data.ancestors.length - 2]?.id}
          onClose={() => setMoving(false)}
          onDone={(moved) => {
            setMoving(false)
            Taro.showToast({ title: `已移动，新编码 ${moved.code}`, icon: 'none' })
            load()
          }}
        />
      )}
    </View>
  )
}

/** 新建下级 / 修改: name, hotline (empty: inherit from above), leader. Ids f-name, f-hotline, f-leader, f-submit. */
function NodeForm(props: { mode: 'create' | 'edit'; node: GridNodeView; maxLevel?: string; onClose: () => void; onDone: (n: GridNodeView) => void }) {
  const { mode, node, onClose, onDone } = props
  const editing = mode === 'edit'
  // the county root also sets how deep the county's tree goes
  const settingDepth = editing && node.parentId === null
  const [depth, setDepth] = useState(props.maxLevel || 'micro')
  const [name, setName] = useState(editing ? node.name : '')
  const [hotline, setHotline] = useState(editing ? node.hotline || '' : '')
  const [leader, setLeader] = useState(editing ? node.leaderName || '' : '')
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  // one per open dialog: a retried create whose answer was lost returns the node already made
  const [requestId] = useState(newRequestId)
  // what an empty hotline falls back to: the parent's for an edit, this node's for a new child
  const inherited = editing ? (node.hotline ? null : node.effectiveHotline) : node.effectiveHotline

  const submit = async () => {
    if (busy) return
    // the schema the server applies: a name too long is refused here in words, never cut
    const named = nodeNameSchema.safeParse(name)
    if (!named.success) return setError(named.error.issues[0]?.message || '名称不正确')
    setBusy(true)
    setError('')
    try {
      const saved = editing
        ? await call('grid', 'update', {
            id: node.id,
            ...(name.trim() !== node.name ? { name: name.trim() } : {}),
            hotline: hotline.trim() || null,
            leaderName: leader.trim() || null,
            ...(settingDepth && depth !== (props.maxLevel || 'micro') ? { maxLevel: depth as 'village' | 'grid' | 'micro' } : {}),
          })
        : await call('grid', 'create', {
            parentId: node.id,
            name: name.trim(),
            ...(hotline.trim() ? { hotline: hotline.trim() } : {}),
            ...(leader.trim() ? { leaderName: leader.trim() } : {}),
            requestId,
          })
      onDone(saved)
    } catch (e) {
      setError(errorMessage(e))
      setBusy(false)
    }
  }

  return (
    <View className='xs-mask' catchMove onClick={() => !busy && onClose()}>
      <View className='xs-dialog' onClick={(e) => e.stopPropagation()}>
        <View className='xs-dialog__title'>{editing ? `修改「${node.name}」` : `在「${node.name}」下新建`}</View>
        <View className='xs-dialog__label'>名称（必填）</View>
        <Input id='f-name' className='xf-form__input xf-input-fill' value={name} maxlength={200} placeholder='如：东关村、第一网格（不超过40字）' onInput={(e) => { setName(e.detail.value); setError('') }} />
        <View className='xs-dialog__label'>服务热线（可不填）</View>
        <Input id='f-hotline' className='xf-form__input xf-input-fill' value={hotline} maxlength={13} placeholder='如 0354-1234567' onInput={(e) => setHotline(e.detail.value)} />
        <View className='tree__tip'>
          {hotline.trim()
            ? '填写后，这里和下级的标识牌都显示这个号码（下级自己填了的除外）。'
            : inherited
              ? `不填则继承上级：${inherited}`
              : '不填则使用上级的热线（上级目前也没有设置）。'}
          {editing && !!hotline && (
            <Text id='f-hotline-clear' className='xf-link tree__clear' onClick={() => setHotline('')}>
              {' '}
              清空，改用上级热线
            </Text>
          )}
        </View>
        <View className='xs-dialog__label'>网格长（可不填）</View>
        <Input id='f-leader' className='xf-form__input xf-input-fill' value={leader} maxlength={20} placeholder='姓名' onInput={(e) => setLeader(e.detail.value)} />
        {settingDepth && (
          <>
            <View className='xs-dialog__label'>本县网格分到哪一级</View>
            <View id='f-depth' className='xf-form__chips'>
              {(['village', 'grid', 'micro'] as const).map((l) => (
                <View key={l} className={`xf-form__chip${depth === l ? ' xf-form__chip--on' : ''}`} onClick={() => setDepth(l)}>
                  {LEVEL_LABEL[l]}
                </View>
              ))}
            </View>
          </>
        )}
        {!!error && (
          <View id='f-error' className='xs-dialog__error'>
            {error}
          </View>
        )}
        <View className='xs-dialog__actions'>
          <Btn onClick={onClose} disabled={busy}>
            取消
          </Btn>
          <Btn id='f-submit' type='primary' onClick={submit} disabled={busy}>
            {busy ? '正在保存…' : editing ? '保存' : '新建'}
          </Btn>
        </View>
      </View>
    </View>
  )
}

/**
 * 移动: browse the caller's tree (grid.tree) to the new parent and confirm there.
 * The node itself and its subtree cannot be chosen. Ids: move-list, f-submit.
 */
function MoveDialog(p: { node: GridNodeView; startAt?: string; onClose: () => void; onDone: (n: GridNodeView) => void }) {
  const { node, onClose, onDone } = p
  // start one level above the current parent, so its siblings (the likely targets) are listed
  const [at, setAt] = useState<string | undefined>(p.startAt)
  const [view, setView] = useState<TreeView | null>(null)
  const [loadError, setLoadError] = useState<unknown>(null)
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const [reload, setReload] = useState(0)
  const wantLevel = GRID_LEVELS[GRID_LEVELS.indexOf(node.level as never) - 1]

  useEffect(() => {
    let live = true
    setView(null)
    setLoadError(null)
    call('grid', 'tree', at ? { nodeId: at, includeInactive: false } : { includeInactive: false })
      .then((t) => live && setView(t))
      .catch((e) => live && setLoadError(e))
    return () => {
      live = false
    }
  }, [at, reload])

  const target = view?.node ?? null
  const choices = (view?.children ?? []).filter((c) => c.id !== node.id && GRID_LEVELS.indexOf(c.level as never) <= GRID_LEVELS.indexOf(wantLevel))
  const fits = !!target && target.level === wantLevel && target.id !== node.parentId

  const submit = async () => {
    if (!target || busy) return
    setBusy(true)
    setError('')
    try {
      onDone(await call('grid', 'move', { id: node.id, parentId: target.id }))
    } catch (e) {
      setError(errorMessage(e))
      setBusy(false)
    }
  }

  return (
    <View className='xs-mask' catchMove onClick={() => !busy && onClose()}>
      <View className='xs-dialog' onClick={(e) => e.stopPropagation()}>
        <View className='xs-dialog__title'>移动「{node.name}」</View>
        <View className='xs-dialog__warn'>
          请找到新的上级（{levelLabel(wantLevel)}）。移动后编码会改变，旧标识牌仍可扫码，下级一起移动。
        </View>
        <View className='tree__crumbs tree__crumbs--dialog'>
          <Text className='tree__crumb' onClick={() => setAt(undefined)}>
            全部
          </Text>
          {view?.ancestors.map((a) => (
            <Text key={a.id} className='tree__crumb' onClick={() => setAt(a.id)}>
              {' › '}
              {a.name}
            </Text>
          ))}
          {target && <Text className='tree__crumb--here'> › {target.name}</Text>}
        </View>
        {!view && !loadError && <Loading small />}
        {!!loadError && <ErrorBox error={loadError} onRetry={() => setReload((n) => n + 1)} />}
        {view && choices.length === 0 && <View className='tree__tip'>这里没有可选的下级。</View>}
        {view && choices.length > 0 && (
          <View id='move-list' className='xf-list tree__picker'>
            {choices.map((c) => (
                <View key={c.id} className='xf-cell' hoverClass='xf-pressed' onClick={() => setAt(c.id)}>
                  <View className='xf-cell__main'>
                    <View className='xf-cell__title'>{c.name}</View>
                    <View className='xf-cell__desc'>
                      {c.code} · {levelLabel(c.level)}
                    </View>
                  </View>
                  <Text className='xf-cell__arrow'>›</Text>
                </View>
              ))}
          </View>
        )}
        {target && (
          <View className='tree__tip'>
            {fits
              ? `移到：${target.name}（${target.code}）下`
              : target.id === node.parentId
                ? '这是现在的上级，请选择别的地方。'
                : `请继续选择一个${levelLabel(wantLevel)}。`}
          </View>
        )}
        {!!error && (
          <View id='f-error' className='xs-dialog__error'>
            {error}
          </View>
        )}
        <View className='xs-dialog__actions'>
          <Btn onClick={onClose} disabled={busy}>
            取消
          </Btn>
          <Btn id='f-submit' type='primary' onClick={submit} disabled={busy || !fits}>
            {busy ? '正在移动…' : '移到这里'}
          </Btn>
        </View>
      </View>
    </View>
  )
}
