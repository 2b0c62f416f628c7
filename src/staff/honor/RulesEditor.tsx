import { useCallback } from 'react'
import Taro from '@tarojs/taro'
import { View } from '@tarojs/components'
import PageState from '@/components/PageState'
import { call, errorMessage } from '@/api'
import { errorCode } from '@/components/util'
import {
  HONOR_FACTOR_HELP,
  HONOR_FACTOR_LABEL,
  HONOR_FACTORS,
  honorFormulaText,
  honorRulesSchema,
  honorThresholdText,
  type HonorFactor,
  type HonorRules,
  type HonorRulesView,
} from '@/core/honor'
import { describeZodError } from '@/core/errors'
import { formatTime } from '@/core/time'
import { ask } from '@/workbench/ask'
import SaveBar from '@/workbench/SaveBar'
import TextField from '@/workbench/TextField'
import { useDraft } from '@/workbench/useDraft'

/** The editor's fields, as typed (a number only once it parses). */
type Form = Record<HonorFactor, string> & { minClosed: string; redScore: string; redShare: string; blackScore: string; blackShare: string }

const toForm = (r: HonorRules): Form => ({
  ...(Object.fromEntries(HONOR_FACTORS.map((f) => [f, String(r.weights[f])])) as Record<HonorFactor, string>),
  minClosed: String(r.minClosed),
  redScore: String(r.red.minScore),
  redShare: String(r.red.share),
  blackScore: String(r.black.maxScore),
  blackShare: String(r.black.share),
})
const num = (s: string) => (s.trim() === '' ? NaN : Number(s))
const toRules = (f: Form): HonorRules => ({
  weights: Object.fromEntries(HONOR_FACTORS.map((k) => [k, num(f[k])])) as HonorRules['weights'],
  minClosed: num(f.minClosed),
  red: { minScore: num(f.redScore), share: num(f.redShare) },
  black: { maxScore: num(f.blackScore), share: num(f.blackShare) },
})
const fetchRules = () => call('stats', 'honorRules', {})
const formOf = (v: HonorRulesView) => toForm(v.rules)
const sameForm = (d: Form, v: HonorRulesView) => JSON.stringify(d) === JSON.stringify(toForm(v.rules))

/**
 * 红黑榜规则 (county admin): the four weights, the fewest closed orders to be ranked, the red
 * and black lines and shares, with what each means and the formula as it reads now. Saving
 * makes a new version; lists already published keep theirs. Ids: hr-version, hr-<factor>,
 * hr-min-closed, hr-red-score, hr-red-share, hr-black-score, hr-black-share, hr-preview and
 * SaveBar's hr-dirty, hr-discard, hr-error, hr-save.
 */
export default function RulesEditor() {
  const { view, draft, setDraft, error, load, dirty, saving, save: send, invalid, setInvalid } = useDraft({ fetch: fetchRules, toDraft: formOf, same: sameForm })
  const set = useCallback((k: keyof Form) => (value: string) => setDraft((d) => (d ? { ...d, [k]: value } : d)), [setDraft])
  const parsed = draft ? honorRulesSchema.safeParse(toRules(draft)) : null
  const preview = parsed?.success ? parsed.data : null

  const discard = async () => {
    if (view && (await ask('放弃修改', '放弃还没有保存的修改，恢复成上次保存的规则？', '放弃修改'))) setDraft(formOf(view))
  }
  const save = async () => {
    if (!view || !draft || saving) return
    if (!parsed?.success) {
      setInvalid(parsed ? describeZodError(parsed.error) : '')
      return
    }
    const rules = parsed.data
    if (!(await ask('保存红黑榜规则', `保存后生成第 ${view.version + 1} 版规则，以后的草稿和发布都按新规则计算；已经发布的红黑榜不变。确定保存吗？`, '确认保存'))) return
    try {
      await send((_d, v) => call('stats', 'saveHonorRules', { rules, version: v.version }))
    } catch (e) {
      if (errorCode(e) === 'CONFLICT') {
        if (await ask('规则已被修改', `${errorMessage(e)}。重新载入会显示最新的规则，您这次的修改需要重新做。`, '重新载入')) load()
      } else {
        setInvalid(errorMessage(e))
        Taro.showModal({ title: '保存没有成功', content: errorMessage(e), showCancel: false })
      }
    }
  }

  const field = (k: keyof Form, id: string, label: string, tip: string, maxlength = 3) =>
    draft && (
      <View key={k} className='honor-rules__field'>
        <TextField name={k} id={id} label={label} type='number' value={draft[k]} onChange={set(k)} maxlength={maxlength} />
        <View className='xf-form__tip'>{tip}</View>
      </View>
    )

  return (
    <PageState loading={!view && !error} error={!view ? error : null} onRetry={load}>
      {view && draft && (
        <View className='honor-rules'>
          <View className='xf-card'>
            <View className='xf-h1'>{view.countyName} · 红黑榜规则</View>
            <View id='hr-version' className='honor-rules__meta'>
              第 {view.version} 版 · {view.updatedAt ? `${formatTime(view.updatedAt)} 由 ${view.updatedBy || '未知'} 修改` : '还没有修改过，现在用的是初始规则'}
            </View>
            <View className='honor-rules__intro'>
              每个村（社区）和服务队每月按下面四项打分，每项0到100分，再按权重算出总分（0到100分）。权重只看比例：35、35、20、10 和 7、7、4、2 是一样的。
            </View>
          </View>

          <View className='xf-h2'>四项权重</View>
          <View className='xf-card xf-form'>
            {HONOR_FACTORS.map((f) => field(f, `hr-${f}`, `${HONOR_FACTOR_LABEL[f]}的权重`, HONOR_FACTOR_HELP[f]))}
          </View>

          <View className='xf-h2'>参加排名的条件</View>
          <View className='xf-card xf-form'>
            {field('minClosed', 'hr-min-closed', '当月至少办结几件', '办结件数太少，几件事就能决定比例，这样的村（社区）和服务队列出数字但不参加排名，也不上红黑榜。', 4)}
          </View>

          <View className='xf-h2'>红榜和黑榜</View>
          <View className='xf-card xf-form'>
            {field('redScore', 'hr-red-score', '红榜分数线（不低于）', '得分达到这条线，并且排在前面一定比例以内，才上红榜。整体都不好的月份可以没有红榜。')}
            {field('redShare', 'hr-red-share', '红榜最多占参加排名的百分之几', '例如20：10个村里最多2个上红榜（四舍五入，至少1个）；填0表示不设红榜。同分的一起上榜。')}
            {field('blackScore', 'hr-black-score', '黑榜分数线（不高于）', '得分在这条线以下，并且排在最后一定比例以内，才上黑榜。整体都好的月份可以没有黑榜。红榜分数线要高于黑榜分数线。')}
            {field('blackShare', 'hr-black-share', '黑榜最多占参加排名的百分之几', '例如10：10个村里最多1个上黑榜（四舍五入，至少1个）；填0表示不设黑榜。同分的一起上榜。')}
          </View>

          <View id='hr-preview' className='xf-card honor-rules__preview'>
            {preview ? (
              <>
                <View className='honor-rules__formula'>{honorFormulaText(preview)}</View>
                <View>{honorThresholdText(preview).red}</View>
                <View>{honorThresholdText(preview).black}</View>
                <View>{honorThresholdText(preview).min}</View>
              </>
            ) : (
              <View className='honor-rules__bad'>{parsed && !parsed.success ? describeZodError(parsed.error) : ''}</View>
            )}
          </View>

          <SaveBar idPrefix='hr' dirty={dirty} invalid={invalid} saving={saving} label='保存规则' onSave={save} onDiscard={discard} />
        </View>
      )}
    </PageState>
  )
}
