import { Text, View } from '@tarojs/components'
import { formatLimit, LIMITED_STAGES, STAGE_LABEL, type StageLimits } from '@/core/timeliness'
import { timeLimitSchema, type TimeLimit } from '@/core/calendar'
import NumberInput from './NumberInput'

const UNITS: { key: TimeLimit['unit']; label: string }[] = [
  { key: 'hours', label: '小时' },
  { key: 'workdays', label: '工作日' },
]

/**
 * The limits of the three stages (派单, 接单, 办结), each a number and a unit.
 * Ids: `<idPrefix>-<stage>-value`, `<idPrefix>-<stage>-hours`, `<idPrefix>-<stage>-workdays`.
 */
export default function LimitsEditor({ idPrefix, value, onChange }: { idPrefix: string; value: StageLimits; onChange: (v: StageLimits) => void }) {
  return (
    <View className='tl-limits'>
      {LIMITED_STAGES.map((stage) => {
        const limit = value[stage]
        const set = (l: Partial<TimeLimit>) => onChange({ ...value, [stage]: { ...limit, ...l } })
        const valid = timeLimitSchema.safeParse(limit).success
        return (
          <View key={stage} id={`${idPrefix}-${stage}`} className='tl-limit'>
            <View className='tl-limit__row'>
              <Text className='tl-limit__stage'>{STAGE_LABEL[stage]}</Text>
              <NumberInput id={`${idPrefix}-${stage}-value`} value={limit.value} onChange={(n) => set({ value: n })} />
              {UNITS.map((u) => (
                <View
                  key={u.key}
                  id={`${idPrefix}-${stage}-${u.key}`}
                  className={`xf-form__chip tl-unit${limit.unit === u.key ? ' xf-form__chip--on' : ''}`}
                  onClick={() => set({ unit: u.key })}
                >
                  {u.label}
                </View>
              ))}
            </View>
            <View className='tl-limit__said'>{valid ? `${STAGE_LABEL[stage]}时限：${formatLimit(limit)}` : '请填写大于0、不超过60的数'}</View>
          </View>
        )
      })}
    </View>
  )
}

/** 派单半个工作日 · 接单1个工作日 · 办结5个工作日 */
export const describeLimits = (l: StageLimits) =>
  LIMITED_STAGES.map((s) => `${STAGE_LABEL[s]}${timeLimitSchema.safeParse(l[s]).success ? formatLimit(l[s]) : '（未填好）'}`).join(' · ')
