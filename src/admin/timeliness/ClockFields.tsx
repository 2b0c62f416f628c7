import { Picker, Text, View } from '@tarojs/components'
import type { TimelinessSettings } from '@/core/timeliness'
import NumberInput from './NumberInput'

type Fields = Pick<TimelinessSettings, 'remindShare' | 'followUpDays' | 'autoCloseDays' | 'workHours'>

const said = (n: number) => (Number.isFinite(n) ? String(n) : '?')

/** 催办时点 (as a percentage), 回访 and 自动办结 days, 上下班时间. Ids: tl-remind, tl-followup, tl-autoclose, tl-work-start, tl-work-end. */
export default function ClockFields({ value, onChange }: { value: Fields; onChange: (v: Partial<Fields>) => void }) {
  // rounded to what can be typed, so 0.57 shows as 57 rather than 56.99999999999999
  const percent = Number.isFinite(value.remindShare) ? Math.round(value.remindShare * 10000) / 100 : NaN
  return (
    <View className='xf-card'>
      <View className='xf-form__label'>催办时点</View>
      <View className='tl-inline'>
        <Text>时限过去</Text>
        <NumberInput id='tl-remind' value={percent} onChange={(n) => onChange({ remindShare: n / 100 })} />
        <Text>%时催办</Text>
      </View>
      <View className='xf-form__tip'>到这个时点还没办的，提醒办理人抓紧；可填50到95。</View>

      <View className='xf-form__label'>回访和自动办结</View>
      <View className='tl-inline'>
        <Text>回访天数</Text>
        <NumberInput id='tl-followup' value={value.followUpDays} maxlength={2} onChange={(n) => onChange({ followUpDays: n })} />
        <Text>天（1–30）</Text>
      </View>
      <View className='tl-inline'>
        <Text>自动办结天数</Text>
        <NumberInput id='tl-autoclose' value={value.autoCloseDays} maxlength={2} onChange={(n) => onChange({ autoCloseDays: n })} />
        <Text>天（1–60）</Text>
      </View>
      <View id='tl-followup-said' className='xf-form__tip'>
        村民{said(value.followUpDays)}天未确认的，列入回访；再过{said(value.autoCloseDays)}天仍联系不上的，按“已完成，未经确认”办结
      </View>

      <View className='xf-form__label'>上下班时间</View>
      <View className='tl-inline'>
        <Picker mode='time' value={value.workHours.start} onChange={(e) => onChange({ workHours: { ...value.workHours, start: e.detail.value } })}>
          <View id='tl-work-start' className='tl-pick'>
            {value.workHours.start}
          </View>
        </Picker>
        <Text>至</Text>
        <Picker mode='time' value={value.workHours.end} onChange={(e) => onChange({ workHours: { ...value.workHours, end: e.detail.value } })}>
          <View id='tl-work-end' className='tl-pick'>
            {value.workHours.end}
          </View>
        </Picker>
      </View>
      <View className='xf-form__tip'>「工作日」时限只在工作日的上班时间里计时。</View>
    </View>
  )
}
