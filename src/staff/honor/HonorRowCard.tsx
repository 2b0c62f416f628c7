import { Text, View } from '@tarojs/components'
import { HONOR_FACTOR_LABEL, HONOR_FACTORS, type HonorRow, type HonorRules } from '@/core/honor'

export const pct = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`)
export const MARK_LABEL = { red: '红榜', black: '黑榜' } as const

/**
 * One village or team of the draft: place, name, where, score, its mark, the rates behind the
 * score and each factor's points (so staff can explain any number), or why it is not ranked.
 * Id: honor-row-<n> (1-based position).
 */
export default function HonorRowCard(p: { row: HonorRow & { own: boolean }; n: number; rules: HonorRules }) {
  const { row: r, n, rules } = p
  return (
    <View id={`honor-row-${n}`} className={`xf-card honor-row${r.mark ? ` honor-row--${r.mark}` : ''}${r.own ? ' honor-row--own' : ''}`}>
      <View className='honor-row__top'>
        <View className='honor-row__rank'>{r.rank ?? '—'}</View>
        <View className='honor-row__main'>
          <View className='honor-row__name'>
            {r.name}
            {r.own && <Text className='xf-tag xf-tag--work honor-row__tag'>本乡镇</Text>}
          </View>
          {!!r.area && <View className='honor-row__area'>{r.area}</View>}
        </View>
        <View className='honor-row__right'>
          <View className='honor-row__score'>{r.score === null ? '不排名' : `${r.score}分`}</View>
          {r.mark && <Text className={`honor-mark honor-mark--${r.mark}`}>{MARK_LABEL[r.mark]}</Text>}
        </View>
      </View>
      <View className='honor-row__rates'>
        按时办结率 {pct(r.onTimeRate)} · 群众确认解决率 {pct(r.fixedRate)} · 满意度 {r.satisfaction === null ? '暂无评价' : `${r.satisfaction}星（${r.ratings}条评价）`}
      </View>
      <View className='honor-row__rates'>
        诉求 {r.total} 件，已办结 {r.closed} 件，确认解决 {r.fixed} 件
      </View>
      {r.score !== null && (
        <View className='honor-row__parts'>
          各项得分：
          {HONOR_FACTORS.filter((f) => rules.weights[f] > 0)
            .map((f) => `${HONOR_FACTOR_LABEL[f]} ${r.parts[f] ?? '不计'}`)
            .join(' · ')}
        </View>
      )}
      {r.note && <View className='honor-row__note'>{r.note}</View>}
    </View>
  )
}
