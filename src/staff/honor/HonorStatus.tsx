import { Text, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import { go, query } from '@/components/util'
import { honorFormulaText, honorThresholdText, type HonorDraftView } from '@/core/honor'
import { monthLabel } from '@/core/points'
import { formatShort } from '@/core/time'
import MonthStep from '@/workbench/MonthStep'

/**
 * The month and where its list stands: 已发布 (when, by whom, the public page), 待发布 (the
 * county admin's 发布 button) or 本月未结束; the formula and thresholds the rows were scored
 * by. Ids: honor-month-{prev,label,next}, honor-state, honor-publish, honor-public-link, honor-formula.
 */
export default function HonorStatus(p: { view: HonorDraftView | null; month: string; onMonth: (m: string) => void; publishing: boolean; onPublish: () => void }) {
  const { view: v, month } = p
  const t = v ? honorThresholdText(v.rules) : null
  return (
    <View className='xf-card honor-status'>
      <View className='honor-status__county'>{v ? `${v.countyName} · 红黑榜` : '红黑榜'}</View>
      <MonthStep idPrefix='honor-month' month={month} onChange={p.onMonth} />
      {v && (
        <>
          <View className='honor-status__state'>
            <Text id='honor-state' className={`xf-tag xf-tag--big ${v.published ? 'xf-tag--done' : v.ended ? 'xf-tag--wait' : 'xf-tag--work'}`}>
              {v.published ? '已发布' : v.ended ? '待发布' : '本月未结束'}
            </Text>
          </View>
          {v.published ? (
            <View className='honor-status__line'>
              {formatShort(v.published.at)} 由 {v.published.byName} 发布（第 {v.published.rulesVersion} 版规则）。已发布的名单不再变化。
            </View>
          ) : v.ended ? (
            <View className='honor-status__line'>下面是按当前规则算出的草稿，请核对后由县级管理员发布；发布后向社会公开，并生成海报和广播稿。</View>
          ) : (
            <View className='honor-status__line'>{monthLabel(month)}还没有结束，数字还会变化，月底后才能发布。</View>
          )}
          {v.updatedAt && !v.published && <View className='honor-status__line honor-status__line--muted'>统计数据更新到 {formatShort(v.updatedAt)}</View>}
          {v.ownArea && <View className='honor-status__line'>全县统一排名，{v.ownArea}的村（社区）和服务队已标出「本乡镇」。</View>}
          <View id='honor-formula' className='honor-status__rules'>
            <View>{honorFormulaText(v.rules)}</View>
            <View>{t!.red}</View>
            <View>{t!.black}</View>
            <View>{t!.min}</View>
          </View>
          {v.published && (
            <View id='honor-public-link' className='xf-link' onClick={() => go(`/join/honor/index?${query({ countyId: v.countyId, month })}`)}>
              查看公开页面、海报和广播稿 ›
            </View>
          )}
          {v.canPublish && !v.published && v.ended && (
            <View className='honor-status__actions'>
              <Btn id='honor-publish' type='primary' disabled={p.publishing} onClick={p.onPublish}>
                {p.publishing ? '正在发布…' : `发布${monthLabel(month)}红黑榜`}
              </Btn>
            </View>
          )}
        </>
      )}
    </View>
  )
}
