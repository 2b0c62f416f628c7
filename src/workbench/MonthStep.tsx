import { Text, View } from '@tarojs/components'
import { monthLabel, monthOf, shiftMonth } from '@/core/points'
import './monthStep.scss'

/**
 * A month with ‹ 上月 and 下月 › (never past the current month, Shanghai time): big taps instead of
 * a date wheel. Ids: <idPrefix>-prev, <idPrefix>-label, <idPrefix>-next.
 */
export default function MonthStep(p: { idPrefix: string; month: string; onChange: (month: string) => void }) {
  const { idPrefix, month, onChange } = p
  const latest = monthOf(Date.now())
  const canNext = month < latest
  return (
    <View className='xw-month'>
      <View id={`${idPrefix}-prev`} className='xw-month__step' hoverClass='xf-pressed' onClick={() => onChange(shiftMonth(month, -1))}>
        ‹ 上月
      </View>
      <Text id={`${idPrefix}-label`} className='xw-month__label'>
        {monthLabel(month)}
      </Text>
      <View
        id={`${idPrefix}-next`}
        className={`xw-month__step${canNext ? '' : ' xw-month__step--off'}`}
        hoverClass={canNext ? 'xf-pressed' : 'none'}
        onClick={() => canNext && onChange(shiftMonth(month, 1))}
      >
        下月 ›
      </View>
    </View>
  )
}
