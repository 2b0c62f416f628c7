import { useState } from 'react'
import { Picker, View } from '@tarojs/components'
import { PERIOD_LABEL, PERIOD_PRESETS, type Period, type PeriodPreset } from '@/core/stats'
import Btn from '@/components/Btn'
import type { DashQuery } from './useDashboard'

type Props = {
  query: DashQuery
  /** the period shown now (the custom dates start from it) */
  period: Period | null
  onChange: (p: Pick<DashQuery, 'preset' | 'from' | 'to'>) => void
}

/** 本周 / 本月 / 上月 at one tap; 自定义 with two dates and 查看. */
export default function PeriodPicker({ query, period, onChange }: Props) {
  const [custom, setCustom] = useState(query.preset === 'custom')
  const [from, setFrom] = useState(query.from ?? '')
  const [to, setTo] = useState(query.to ?? '')
  const active: PeriodPreset = custom ? 'custom' : query.preset
  const wrongOrder = !!from && !!to && to < from

  const pick = (preset: PeriodPreset) => {
    if (preset === 'custom') {
      setCustom(true)
      setFrom((f) => f || period?.from || '')
      setTo((t) => t || period?.to || '')
      return
    }
    setCustom(false)
    onChange({ preset })
  }

  return (
    <View className='xf-card xd-period'>
      <View className='xd-period__chips'>
        {PERIOD_PRESETS.map((p) => (
          <View key={p} id={`period-${p}`} className={`xw-chip${active === p ? ' xw-chip--on' : ''}`} hoverClass='xf-pressed' onClick={() => pick(p)}>
            {PERIOD_LABEL[p]}
          </View>
        ))}
      </View>
      {custom && (
        <View className='xd-period__custom'>
          <Picker mode='date' value={from || period?.from || ''} end={to || undefined} onChange={(e) => setFrom(e.detail.value)}>
            <View id='period-from' className='xd-period__date' hoverClass='xf-pressed'>
              开始日期：{from || '请选择'}
            </View>
          </Picker>
          <Picker mode='date' value={to || period?.to || ''} start={from || undefined} onChange={(e) => setTo(e.detail.value)}>
            <View id='period-to' className='xd-period__date' hoverClass='xf-pressed'>
              结束日期：{to || '请选择'}
            </View>
          </Picker>
          {wrongOrder && <View className='xd-period__error'>结束日期不能早于开始日期</View>}
          <Btn id='period-apply' type='primary' disabled={!from || !to || wrongOrder} onClick={() => onChange({ preset: 'custom', from, to })}>
            查看这段时间
          </Btn>
        </View>
      )}
    </View>
  )
}
