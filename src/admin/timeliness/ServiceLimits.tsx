import { Text, View } from '@tarojs/components'
import { URGENT_LIMITS, type StageLimits } from '@/core/timeliness'
import type { TimelinessView } from '@/core/api'
import LimitsEditor, { describeLimits } from './LimitsEditor'

type Props = {
  services: TimelinessView['services']
  defaults: StageLimits
  /** service id → its own limits; a service not in here uses the defaults */
  own: Record<string, StageLimits>
  onChange: (own: Record<string, StageLimits>) => void
}

/**
 * The catalogue, each service on the defaults or on its own limits. Ids per service:
 * `tl-svc-<id>` (the card), `…-default` / `…-own` (the toggle), `…-urgent` (the preset),
 * and the limits editor's `tl-svc-<id>-<stage>-…`.
 */
export default function ServiceLimits({ services, defaults, own, onChange }: Props) {
  const named = services.filter((s) => own[s.id])
  const set = (id: string, limits: StageLimits | null) => {
    const next = { ...own }
    if (limits) next[id] = limits
    else delete next[id]
    onChange(next)
  }

  return (
    <>
      <View id='tl-own-list' className='xf-hint'>
        {named.length ? `单独设置了时限的服务（${named.length}项）：${named.map((s) => s.name).join('、')}` : '所有服务都使用默认时限。'}
      </View>
      {services.map((s) => {
        const limits = own[s.id]
        return (
          <View key={s.id} id={`tl-svc-${s.id}`} className={`xf-card tl-svc${limits ? ' tl-svc--own' : ''}`}>
            <View className='tl-svc__name'>
              {s.name}
              <Text className='tl-svc__category'>{s.category}</Text>
            </View>
            <View className='xf-form__chips tl-svc__modes'>
              <View id={`tl-svc-${s.id}-default`} className={`xf-form__chip${limits ? '' : ' xf-form__chip--on'}`} onClick={() => set(s.id, null)}>
                使用默认
              </View>
              <View id={`tl-svc-${s.id}-own`} className={`xf-form__chip${limits ? ' xf-form__chip--on' : ''}`} onClick={() => !limits && set(s.id, defaults)}>
                单独设置
              </View>
              <View id={`tl-svc-${s.id}-urgent`} className='xf-form__chip tl-svc__urgent' onClick={() => set(s.id, URGENT_LIMITS)}>
                紧急（30分钟派单）
              </View>
            </View>
            {limits ? (
              <LimitsEditor idPrefix={`tl-svc-${s.id}`} value={limits} onChange={(l) => set(s.id, l)} />
            ) : (
              <View className='xf-muted'>{describeLimits(defaults)}</View>
            )}
          </View>
        )
      })}
    </>
  )
}
