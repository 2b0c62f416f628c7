import { useState } from 'react'
import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import PageState from '@/components/PageState'
import { call, errorMessage } from '@/api'
import type { CatalogueItemView, CatalogueView } from '@/core/api'
import { serviceInputSchema } from '@/core/catalogue'
import { describeZodError } from '@/core/errors'
import { stageLimitsSchema } from '@/core/timeliness'
import { errorCode } from '@/components/util'
import { ask } from '@/workbench/ask'
import SaveBar from '@/workbench/SaveBar'
import Tabs from '@/workbench/Tabs'
import { useDraft } from '@/workbench/useDraft'
import ServiceForm from './ServiceForm'
import { draftOf, inputOf, unchanged, type FormDraft } from './draft'
import './index.scss'

type Tab = 'active' | 'stopped'

/** Services by category, categories in the order their first service comes. */
function groups(services: CatalogueItemView[]) {
  const out: { category: string; items: CatalogueItemView[] }[] = []
  for (const s of services) {
    let g = out.find((x) => x.category === s.category)
    if (!g) out.push((g = { category: s.category, items: [] }))
    g.items.push(s)
  }
  return out
}

/** The whole catalogue's ids with one service moved past its neighbour of the same category (or a category past its neighbour). */
function moved(all: CatalogueItemView[], visible: CatalogueItemView[], id: string, dir: -1 | 1, whole: boolean): string[] | null {
  const gs = groups(visible)
  const gi = gs.findIndex((g) => g.items.some((s) => s.id === id))
  let order: CatalogueItemView[]
  if (whole) {
    const to = gi + dir
    if (to < 0 || to >= gs.length) return null
    ;[gs[gi], gs[to]] = [gs[to], gs[gi]]
    order = gs.flatMap((g) => g.items)
  } else {
    const items = gs[gi].items
    const i = items.findIndex((s) => s.id === id)
    if (i + dir < 0 || i + dir >= items.length) return null
    ;[items[i], items[i + dir]] = [items[i + dir], items[i]]
    order = gs.flatMap((g) => g.items)
  }
  // the services not shown (the other tab) keep their places after the shown ones
  return [...order.map((s) => s.id), ...all.filter((s) => !visible.includes(s)).map((s) => s.id)]
}

const fetchCatalogue = () => call('grid', 'services', {})
const noForm = () => null

/**
 * 服务清单 (county admin): services by category in the order villagers see them; move up/down,
 * add, edit (name, category, description, skill, extra questions, emergency number and note,
 * own time limits and base points), stop and restore. Ids: cat-county, cat-add, tab-active /
 * tab-stopped, cat-list, cat-item-<id>, cat-up-/cat-down-/cat-edit-/cat-toggle-<id>,
 * cat-group-up-/cat-group-down-<n>; the form: see ServiceForm; SaveBar: cat-save, cat-error.
 */
export default function CataloguePage() {
  const { view, draft, setDraft, error, load, dirty, saving, save: send, invalid, setInvalid } = useDraft<CatalogueView, FormDraft | null>({
    fetch: fetchCatalogue,
    toDraft: noForm,
    same: unchanged,
  })
  const [tab, setTab] = useState<Tab>('active')
  const [busy, setBusy] = useState(false)

  const open = (item: CatalogueItemView | null) => {
    if (!view) return
    setDraft(draftOf(item, view))
    setTimeout(() => Taro.pageScrollTo({ scrollTop: 0, duration: 200 }).catch(() => {}), 50)
  }
  const close = async () => {
    if (dirty && !(await ask('放弃修改', '放弃还没有保存的修改？', '放弃修改'))) return
    setDraft(null)
  }

  /** reorder / stop / restore: one call, then the list as the server has it */
  const act = async (run: () => Promise<unknown>) => {
    if (busy) return
    setBusy(true)
    try {
      await run()
      await load()
    } catch (e) {
      if (errorCode(e) === 'CONFLICT') load()
      Taro.showModal({ title: '没有成功', content: errorMessage(e), showCancel: false })
    } finally {
      setBusy(false)
    }
  }

  const move = (s: CatalogueItemView, dir: -1 | 1, whole = false) => {
    if (!view) return
    const ids = moved(view.services, shown, s.id, dir, whole)
    if (ids) act(() => call('grid', 'reorderServices', { ids }))
  }

  const toggle = async (s: CatalogueItemView) => {
    const ok = s.active
      ? await ask('停用服务', `停用「${s.name}」？停用后扫码页、电话点单和标识牌上都不再有它；已经下的订单照常办理。`, '停用')
      : await ask('恢复服务', `恢复「${s.name}」？恢复后村民又能点这项服务。`, '恢复')
    if (ok) act(() => call('grid', 'setServiceActive', { id: s.id, active: !s.active }))
  }

  const save = async () => {
    if (!view || !draft || saving) return
    const input = inputOf(draft, view)
    const parsed = serviceInputSchema.safeParse(input.service)
    if (!parsed.success) return setInvalid(describeZodError(parsed.error))
    if (input.limits && !stageLimitsSchema.safeParse(input.limits).success) return setInvalid('办理时限请填写大于0、不超过60的数')
    if (input.basePoints != null && !(Number.isInteger(input.basePoints) && input.basePoints >= 0 && input.basePoints <= 100)) return setInvalid('基础积分请填写0到100的整数')
    try {
      await send(() => call('grid', 'saveService', input))
    } catch (e) {
      if (errorCode(e) === 'CONFLICT') {
        if (await ask('设置已被修改', `${errorMessage(e)}。重新载入后请再改一次。`, '重新载入')) load()
      } else setInvalid(errorMessage(e))
    }
  }

  const all = view?.services ?? []
  const shown = all.filter((s) => (tab === 'active' ? s.active : !s.active))
  const stoppedCount = all.filter((s) => !s.active).length

  return (
    <View className='xf-page catalogue'>
      <PageState loading={!view && !error} error={!view ? error : null} onRetry={load}>
        {view && (
          <>
            <View className='xf-card'>
              <View id='cat-county' className='xf-h1'>
                {view.countyName} · 服务清单
              </View>
              <View className='xf-hint'>村民扫码、电话点单和标识牌都按这里的顺序列出在用的服务。停用的服务不再能点，旧订单照常显示。</View>
            </View>

            {draft ? (
              <>
                <ServiceForm draft={draft} view={view} onChange={(p) => setDraft((d) => (d ? { ...d, ...p } : d))} onClose={close} />
                <SaveBar idPrefix='cat' dirty={dirty} invalid={invalid} saving={saving} label={draft.id ? '保存修改' : '添加服务'} onSave={save} onDiscard={close} />
              </>
            ) : (
              <>
                <Btn id='cat-add' type='primary' onClick={() => open(null)}>
                  ＋ 新增服务
                </Btn>
                <Tabs
                  tabs={[
                    { key: 'active', label: `在用（${all.length - stoppedCount}）` },
                    { key: 'stopped', label: `已停用（${stoppedCount}）` },
                  ]}
                  value={tab}
                  onChange={setTab}
                />
                <PageState empty={shown.length === 0} emptyText={tab === 'active' ? '还没有在用的服务，点“新增服务”添加' : '没有停用的服务'}>
                  <View id='cat-list'>
                    {groups(shown).map((g, gi, gs) => (
                      <View key={g.category}>
                        <View className='cat-group'>
                          <Text className='cat-group__name'>{g.category}</Text>
                          {tab === 'active' && gi > 0 && (
                            <Text id={`cat-group-up-${gi}`} className='xf-link cat-group__move' onClick={() => move(g.items[0], -1, true)}>
                              类别上移
                            </Text>
                          )}
                          {tab === 'active' && gi < gs.length - 1 && (
                            <Text id={`cat-group-down-${gi}`} className='xf-link cat-group__move' onClick={() => move(g.items[0], 1, true)}>
                              类别下移
                            </Text>
                          )}
                        </View>
                        {g.items.map((s, i) => (
                          <View key={s.id} id={`cat-item-${s.id}`} className={`xf-card cat-item${s.active ? '' : ' cat-item--off'}`}>
                            <View className='cat-item__name'>
                              {s.name}
                              {s.emergency && <Text className='xf-tag cat-item__sos'>紧急 · {s.emergency.number}</Text>}
                              {s.sensitive && <Text className='xf-tag cat-item__tag'>不公开</Text>}
                              {!s.active && <Text className='xf-tag cat-item__tag'>已停用</Text>}
                            </View>
                            {!!s.description && <View className='cat-item__desc'>{s.description}</View>}
                            <View className='cat-item__facts'>
                              {s.fields.length > 0 && <View>附加信息：{s.fields.map((f) => f.label).join('、')}</View>}
                              {s.emergency && <View>紧急提示：{s.emergency.note}</View>}
                              <View>
                                {s.skill ? `特长：${s.skill} · ` : ''}
                                {s.limits ? '单独时限' : '默认时限'} · 基础积分 {s.pointsNow ?? '—'}
                                {s.basePoints != null ? '（单独设置）' : ''}
                              </View>
                            </View>
                            <View className='cat-item__actions'>
                              {tab === 'active' && i > 0 && (
                                <Text id={`cat-up-${s.id}`} className='xf-link cat-item__act' onClick={() => move(s, -1)}>
                                  上移
                                </Text>
                              )}
                              {tab === 'active' && i < g.items.length - 1 && (
                                <Text id={`cat-down-${s.id}`} className='xf-link cat-item__act' onClick={() => move(s, 1)}>
                                  下移
                                </Text>
                              )}
                              <Text id={`cat-edit-${s.id}`} className='xf-link cat-item__act' onClick={() => open(s)}>
                                修改
                              </Text>
                              <Text id={`cat-toggle-${s.id}`} className='xf-link cat-item__act' onClick={() => toggle(s)}>
                                {s.active ? '停用' : '恢复'}
                              </Text>
                            </View>
                          </View>
                        ))}
                      </View>
                    ))}
                  </View>
                </PageState>
              </>
            )}
          </>
        )}
      </PageState>
    </View>
  )
}
