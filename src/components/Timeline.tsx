import { View } from '@tarojs/components'
import type { HistoryView } from '@/core/api'
import { TRANSITIONS } from '@/core/orderState'
import { ACTOR_LABEL } from '@/core/roles'
import { formatTime } from '@/core/timeText'
import './timeline.scss'

const who = (h: HistoryView) => {
  const role = ACTOR_LABEL[h.role]
  return !h.byName || h.byName === role ? role : `${h.byName}（${role}）`
}
/** what the text of a step is: a reason, unless the action says otherwise */
const TEXT_LABEL: Partial<Record<HistoryView['action'], string>> = {
  supervise: '督办要求',
  answerSupervision: '办理情况',
  followUpFixed: '回访记录',
  followUpNotFixed: '村民反映',
  requestExtension: '延期原因',
}
const label = (h: HistoryView) => (TRANSITIONS as Record<string, { label: string }>)[h.action]?.label || h.action

/** Every transition of an order, newest first: what, who, when, why. */
export default function Timeline({ history, id }: { history: HistoryView[]; id?: string }) {
  const list = [...history].sort((a, b) => b.at - a.at)
  return (
    <View className='xf-card' id={id}>
      {list.map((h, i) => (
        <View key={`${h.at}-${i}`} className={`xt-step${i === 0 ? ' xt-step--now' : ''}`}>
          <View className='xt-dot' />
          <View className='xt-body'>
            <View className='xt-title'>{label(h)}</View>
            <View className='xf-muted'>{who(h)}</View>
            <View className='xf-muted'>{formatTime(h.at)}</View>
            {h.reason && (
              <View className='xt-reason'>
                {TEXT_LABEL[h.action] ?? '原因'}：{h.reason}
              </View>
            )}
          </View>
        </View>
      ))}
      {list.length === 0 && <View className='xf-muted'>暂无记录</View>}
    </View>
  )
}
