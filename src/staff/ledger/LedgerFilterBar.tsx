import { View } from '@tarojs/components'
import { PATROL_KIND_LABEL, PATROL_KINDS } from '@/core/patrol'
import type { OrderSource } from '@/core/order'
import type { LedgerFilters, LedgerState } from './filters'

const SOURCES: { key: OrderSource | 'all'; label: string }[] = [
  { key: 'all', label: '全部来源' },
  { key: 'scan', label: '扫码' },
  { key: 'hotline', label: '热线' },
  { key: 'patrol', label: '网格上报' },
]
const STATES: { key: LedgerState; label: string }[] = [
  { key: 'all', label: '全部' },
  { key: 'open', label: '在办' },
  { key: 'closed', label: '已办结' },
]

/** The catalogue's categories, then the patrol kinds not among them (a patrol report's category is its kind). */
export const categoriesOf = (catalogue: string[]) => [...new Set([...catalogue, ...PATROL_KINDS.map((k) => PATROL_KIND_LABEL[k])])]

/**
 * The ledger's filters as rows of chips: 来源, 状态 with 只看超时, 类别.
 * Ids: src-<source|all>, state-<state>, ledger-overdue, cat-all, cat-<n>.
 */
export default function LedgerFilterBar({ value: f, categories, onChange }: { value: LedgerFilters; categories: string[]; onChange: (f: LedgerFilters) => void }) {
  const chip = (on: boolean) => `xw-chip ledger__chip${on ? ' xw-chip--on' : ''}`
  return (
    <View className='xf-card ledger__filters'>
      <View className='ledger__row'>
        {SOURCES.map((s) => (
          <View key={s.key} id={`src-${s.key}`} className={chip((f.source ?? 'all') === s.key)} onClick={() => onChange({ ...f, source: s.key === 'all' ? undefined : s.key })}>
            {s.label}
          </View>
        ))}
      </View>
      <View className='ledger__row'>
        {STATES.map((s) => (
          <View key={s.key} id={`state-${s.key}`} className={chip(f.state === s.key)} onClick={() => onChange({ ...f, state: s.key })}>
            {s.label}
          </View>
        ))}
        <View id='ledger-overdue' className={chip(f.overdue)} onClick={() => onChange({ ...f, overdue: !f.overdue })}>
          {f.overdue ? '✓ ' : ''}只看超时
        </View>
      </View>
      <View className='ledger__label'>类别</View>
      <View className='ledger__row'>
        <View id='cat-all' className={chip(!f.category)} onClick={() => onChange({ ...f, category: undefined })}>
          全部类别
        </View>
        {categories.map((c, i) => (
          <View key={c} id={`cat-${i}`} className={chip(f.category === c)} onClick={() => onChange({ ...f, category: f.category === c ? undefined : c })}>
            {c}
          </View>
        ))}
      </View>
    </View>
  )
}
