import { useState } from 'react'
import { ScrollView, Text, View } from '@tarojs/components'
import type { AreaRow } from '@/core/stats'
import { heatColors, percent, stars } from './format'
import { sortRows, type SortKey } from './sortRows'

const COLUMNS: { key: SortKey; label: string; show: (r: AreaRow) => string }[] = [
  { key: 'name', label: '区域', show: (r) => r.name },
  { key: 'total', label: '诉求', show: (r) => String(r.total) },
  { key: 'open', label: '在办', show: (r) => String(r.open) },
  { key: 'overdue', label: '超时', show: (r) => String(r.overdue) },
  { key: 'fixedRate', label: '解决率', show: (r) => percent(r.fixedRate) },
  { key: 'onTimeRate', label: '按时率', show: (r) => percent(r.onTimeRate) },
  { key: 'satisfaction', label: '满意度', show: (r) => stars(r.satisfaction) },
]

/**
 * The areas one level down: tap a column's header to sort by it (again to reverse), tap a
 * row to open that area's dashboard. Each row is coloured by its share of the busiest row's
 * orders. The table scrolls sideways inside its box on a narrow phone.
 */
export default function AreaTable({ rows, onOpen }: { rows: AreaRow[]; onOpen: (row: AreaRow) => void }) {
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'total', desc: true })
  const sorted = sortRows(rows, sort.key, sort.desc)
  const tap = (key: SortKey) => setSort((s) => (s.key === key ? { key, desc: !s.desc } : { key, desc: key !== 'name' }))
  return (
    <View id='dash-areas' className='xd-table'>
      <ScrollView scrollX className='xd-table__scroll'>
        <View className='xd-table__inner'>
          <View className='xd-table__row xd-table__head'>
            {COLUMNS.map((c) => (
              <View
                key={c.key}
                id={`areas-sort-${c.key}`}
                className={`xd-table__cell xd-table__cell--${c.key === 'name' ? 'name' : 'num'}${sort.key === c.key ? ' xd-table__cell--sorted' : ''}`}
                hoverClass='xf-pressed'
                onClick={() => tap(c.key)}
              >
                {c.label}
                <Text className='xd-table__arrow'>{sort.key === c.key ? (sort.desc ? '▼' : '▲') : ''}</Text>
              </View>
            ))}
          </View>
          {sorted.map((r) => {
            const colors = heatColors(r.heat)
            return (
              <View key={r.id} id={`area-row-${r.code}`} className='xd-table__row xd-table__body' style={colors} hoverClass='xd-table__body--pressed' onClick={() => onOpen(r)}>
                {COLUMNS.map((c) => (
                  <View key={c.key} className={`xd-table__cell xd-table__cell--${c.key === 'name' ? 'name' : 'num'}`}>
                    {c.show(r)}
                    {c.key === 'name' && <Text className='xd-table__open'> ›</Text>}
                  </View>
                ))}
              </View>
            )
          })}
        </View>
      </ScrollView>
      <View className='xd-table__legend'>
        <Text>颜色越深，诉求越多</Text>
        <View className='xd-table__scale'>
          {[0, 0.25, 0.5, 0.75, 1].map((h) => (
            <View key={h} className='xd-table__swatch' style={{ background: heatColors(h).background }} />
          ))}
        </View>
      </View>
    </View>
  )
}
