import { Text, View } from '@tarojs/components'
import type { HonorRow } from '@/core/honor'

const pct = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 100)}%`)

/** Rows of the public list: place, name, where, score, and the rates in plain words. Ids: <idPrefix>-<n>. */
export default function HonorRows(p: { rows: readonly HonorRow[]; idPrefix: string }) {
  return (
    <View className='xf-list'>
      {p.rows.map((r, i) => (
        <View key={r.id} id={`${p.idPrefix}-${i + 1}`} className={`jh-row${r.mark ? ` jh-row--${r.mark}` : ''}`}>
          <View className='jh-row__rank'>{r.rank ?? '—'}</View>
          <View className='jh-row__main'>
            <View className='jh-row__name'>
              {r.name}
              {r.mark && <Text className={`jh-mark jh-mark--${r.mark}`}>{r.mark === 'red' ? '红榜' : '黑榜'}</Text>}
            </View>
            {!!r.area && <View className='jh-row__area'>{r.area}</View>}
            <View className='jh-row__rates'>
              {r.note ?? `按时办结 ${pct(r.onTimeRate)} · 确认解决 ${pct(r.fixedRate)} · 满意度 ${r.satisfaction === null ? '暂无' : `${r.satisfaction}星`}`}
            </View>
          </View>
          <View className='jh-row__score'>{r.score === null ? '' : `${r.score}分`}</View>
        </View>
      ))}
    </View>
  )
}
