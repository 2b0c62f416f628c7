import { useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import PageState from '@/components/PageState'
import { call, errorMessage } from '@/api'
import type { PointRulesView } from '@/core/api'
import { COMMENDATION_LABEL, TRIGGER_LABEL, type PointRules, type RuleItem } from '@/core/points'
import { formatTime } from '@/core/time'
import { errorCode } from '@/components/util'
import NumField from './NumField'
import RuleEditor, { pointsText, scopeText } from './RuleEditor'
import './index.scss'
import { ask } from '@/workbench/ask'
import SaveBar from '@/workbench/SaveBar'
import { useDraft } from '@/workbench/useDraft'

const STANDARD_CATEGORIES = ['基础积分', '贡献加分', '负面减分', '其他']

/** Items by category, in the order the categories first appear. */
function groups(items: RuleItem[]) {
  const out: { category: string; items: RuleItem[] }[] = []
  for (const it of items) {
    let g = out.find((x) => x.category === it.category)
    if (!g) out.push((g = { category: it.category, items: [] }))
    g.items.push(it)
  }
  return out
}

/** What must be filled before the server can judge the rest (it names every other problem). */
function missing(r: PointRules): { message: string; itemId?: string } | null {
  if (!Number.isFinite(r.hoursCap)) return { message: '请填写单次服务时长上限' }
  if (!Number.isFinite(r.publicationDays)) return { message: '请填写公示期天数' }
  for (const it of r.items) {
    const name = it.name.trim() || '新规则'
    if (!it.name.trim()) return { message: '有一条规则还没有填写名称', itemId: it.id }
    if (!it.category.trim()) return { message: `「${name}」请填写类别`, itemId: it.id }
    if (!Number.isFinite(it.points)) return { message: `「${name}」请填写分值`, itemId: it.id }
    if (it.monthlyCap !== null && !Number.isFinite(it.monthlyCap)) return { message: `「${name}」的月上限应为数字，不设上限请清空`, itemId: it.id }
  }
  return null
}

const newItem = (): RuleItem => ({
  id: `r_${Date.now().toString(36)}`,
  category: '贡献加分',
  name: '',
  trigger: 'rating_approved',
  points: 1,
  monthlyCap: null,
  serviceId: null,
  serviceCategory: null,
  level: null,
  active: true,
})

/**
 * 积分规则 (county admin): the county's rule items by category, the hours cap and the
 * publication window. Edits stay on the page until 保存 writes a new version (applies to
 * new entries only). Ids: rules-version, rules-hours-cap, rules-publication-days,
 * rule-<id> (each item), rule-edit-<id>, rules-add, rules-error, rules-dirty,
 * rules-discard, rules-save; the open item's fields: see RuleEditor.
 */
export default function PointRulesPage() {
  const [open, setOpen] = useState<string | null>(null)
  const { view, draft, setDraft, error, load, dirty, saving, save: send, invalid, setInvalid } = useDraft({ fetch: fetchRules, toDraft: copyRules, same: sameRules })
  // a fresh load closes the open item
  useEffect(() => setOpen(null), [view?.version])

  const patch = (p: Partial<PointRules>) => setDraft((d) => (d ? { ...d, ...p } : d))
  const setItem = (item: RuleItem) => setDraft((d) => (d ? { ...d, items: d.items.map((x) => (x.id === item.id ? item : x)) } : d))

  const add = () => {
    const it = newItem()
    setDraft((d) => (d ? { ...d, items: [...d.items, it] } : d))
    setOpen(it.id)
    setTimeout(() => Taro.pageScrollTo({ selector: `#rule-${it.id}`, duration: 200 }).catch(() => {}), 50)
  }

  const remove = async (it: RuleItem) => {
    if (!(await ask('删除规则', `删除「${it.name || '新规则'}」？保存后生效；已经记下的积分不受影响。`, '删除'))) return
    setDraft((d) => (d ? { ...d, items: d.items.filter((x) => x.id !== it.id) } : d))
    setOpen(null)
  }

  const discard = async () => {
    if (view && (await ask('放弃修改', '放弃还没有保存的修改，恢复成上次保存的规则？', '放弃修改'))) {
      setDraft(copyRules(view))
      setOpen(null)
    }
  }

  const save = async () => {
    if (!view || !draft || saving) return
    const gap = missing(draft)
    if (gap) {
      setInvalid(gap.message)
      if (gap.itemId) setOpen(gap.itemId)
      return
    }
    const ok = await ask('保存积分规则', `保存后生成第 ${view.version + 1} 版规则，只对保存以后新记的积分生效，已经记下的积分不变。确定保存吗？`, '确认保存')
    if (!ok) return
    try {
      await send((rules, v) => call('points', 'saveRules', { rules, version: v.version }))
    } catch (e) {
      if (errorCode(e) === 'CONFLICT') {
        const reload = await ask('规则已被修改', `${errorMessage(e)}。重新载入会显示最新的规则，您这次的修改需要重新做。`, '重新载入')
        if (reload) load()
      } else {
        setInvalid(errorMessage(e))
        Taro.showModal({ title: '保存没有成功', content: errorMessage(e), showCancel: false })
      }
    }
  }

  const categories = draft ? [...new Set([...STANDARD_CATEGORIES, ...draft.items.map((i) => i.category.trim()).filter(Boolean)])] : []

  return (
    <View className='xf-page rules'>
      <PageState loading={!view && !error} error={!view ? error : null} onRetry={load}>
        {view && draft && (
          <>
            <View className='xf-card'>
              <View className='xf-h1'>{view.countyName} · 积分规则</View>
              <View id='rules-version' className='rules__meta'>
                第 {view.version} 版 ·{' '}
                {view.updatedAt ? `${formatTime(view.updatedAt)} 由 ${view.updatedBy || '未知'} 修改` : '还没有修改过，现在用的是初始规则'}
              </View>
              <View className='rules__intro'>
                积分由三部分组成：<Text className='rules__em'>基础积分</Text>（完成服务、核验的服务时长）、<Text className='rules__em'>贡献加分</Text>
                （好评、表彰等）和<Text className='rules__em'>负面减分</Text>（超时、退单、被收回、村民反馈未解决）。
              </View>
              <View className='rules__intro'>每次保存生成一个新版本，只对保存以后新记的积分生效，已经记下的积分不变。</View>
            </View>

            <View className='xf-h2'>全县设置</View>
            <View className='xf-card'>
              <View className='rules-inline'>
                <Text>单次服务时长最多计</Text>
                <NumField id='rules-hours-cap' type='digit' value={draft.hoursCap} onChange={(n) => patch({ hoursCap: n ?? NaN })} maxlength={4} />
                <Text>小时</Text>
              </View>
              <View className='xf-form__tip'>从到场签到到完成服务，超过的部分不计（0.5–24 小时）。</View>
              <View className='rules-inline rules-inline--gap'>
                <Text>公示期</Text>
                <NumField id='rules-publication-days' value={draft.publicationDays} onChange={(n) => patch({ publicationDays: n ?? NaN })} maxlength={2} />
                <Text>天</Text>
              </View>
              <View className='xf-form__tip'>每月积分公示后，志愿者在这些天内可以提出异议（1–15 天）。</View>
            </View>

            {groups(draft.items).map((g) => (
              <View key={g.category || '-'}>
                <View className='xf-h2'>{g.category || '（未填类别）'}</View>
                <View className='xf-list'>
                  {g.items.map((it) =>
                    open === it.id ? (
                      <View key={it.id} id={`rule-${it.id}`} className='rules-item rules-item--open'>
                        <RuleEditor item={it} services={view.services} categories={categories} onChange={setItem} onDone={() => setOpen(null)} onRemove={() => remove(it)} />
                      </View>
                    ) : (
                      <View key={it.id} id={`rule-${it.id}`} className={`xf-cell rules-item${it.active ? '' : ' rules-item--off'}`}>
                        <View className='xf-cell__main'>
                          <View className='rules-item__name'>
                            {it.name || '（未填名称）'}
                            {!it.active && <Text className='xf-tag xf-tag--end rules-item__tag'>已停用</Text>}
                          </View>
                          <View className='rules-item__desc'>{TRIGGER_LABEL[it.trigger]}</View>
                          <View className='rules-item__desc'>
                            {pointsText(it)}
                            {it.trigger !== 'manual' && it.monthlyCap !== null ? `，每人每月最多${it.monthlyCap}分` : ''}
                            {it.trigger === 'commendation' ? `（${it.level ? COMMENDATION_LABEL[it.level] : '未选级别'}）` : ''}
                          </View>
                          {scopeText(it, view.services) && <View className='rules-item__desc'>适用：{scopeText(it, view.services)}</View>}
                        </View>
                        <View id={`rule-edit-${it.id}`} className='rules-item__edit' hoverClass='xf-pressed' onClick={() => setOpen(it.id)}>
                          修改
                        </View>
                      </View>
                    ),
                  )}
                </View>
              </View>
            ))}

            <View className='xf-actions'>
              <Btn id='rules-add' type='outline' onClick={add}>
                ＋ 添加一条规则
              </Btn>
            </View>

            <SaveBar idPrefix='rules' dirty={dirty} invalid={invalid} saving={saving} label='保存' onSave={save} onDiscard={discard} />
          </>
        )}
      </PageState>
    </View>
  )
}

/** The page edits its own copy; the view's rules stay as saved (to compare and to discard to). */
const copyRules = (v: PointRulesView): PointRules => ({ ...v.rules, items: v.rules.items.map((i) => ({ ...i })) })
const sameRules = (d: PointRules, v: PointRulesView) => JSON.stringify(d) === JSON.stringify(v.rules)
const fetchRules = () => call('points', 'rules', {})
