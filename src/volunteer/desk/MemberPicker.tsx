import { Text, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import type { OrderView, TeamMemberView } from '@/core/api'
import '@/workbench/shared.scss'

/** 「在办2件」 / 「空闲」: what a member holds now (dispatched to them, accepted, on site). */
export const busyText = (busy: number) => (busy === 0 ? '空闲' : `在办${busy}件`)

/**
 * 派给…: the team's members, least busy first, each with what they hold now. Tapping one
 * hands the choice back (the page asks to confirm). Ids: member-<id>, member-picker-close.
 */
export default function MemberPicker(p: { order: OrderView; members: TeamMemberView[]; busy: boolean; onPick: (m: TeamMemberView) => void; onClose: () => void }) {
  const { order, members, busy } = p
  return (
    <View className='xs-mask' catchMove onClick={() => !busy && p.onClose()}>
      <View id='member-picker' className='xs-dialog' onClick={(e) => e.stopPropagation()}>
        <View className='xs-dialog__title'>派给哪位队员？</View>
        <View className='vdesk__order'>
          {order.serviceName} · {order.villageName} {order.gridName}
          <View className='xf-muted'>订单号 {order.no}</View>
        </View>
        <View className='xs-dialog__label'>手上任务少的排在前面</View>
        <View className='vdesk__list'>
          {members.length === 0 && <View className='xf-muted'>队伍里还没有可以派单的队员</View>}
          {members.map((m) => (
            <View key={m.id} id={`member-${m.id}`} className='vdesk__member' hoverClass='xf-pressed' onClick={() => !busy && p.onPick(m)}>
              <View className='vdesk__name'>
                {m.name}
                {m.captain && <Text className='vdesk__captain'>队长（我）</Text>}
              </View>
              <Text className={`vdesk__busy${m.busy === 0 ? ' vdesk__busy--free' : ''}`}>{busyText(m.busy)}</Text>
              <Text className='vdesk__go'>{m.captain ? '我来办' : '派单'}</Text>
            </View>
          ))}
        </View>
        <View className='xs-dialog__actions'>
          <Btn id='member-picker-close' type='default' onClick={p.onClose} disabled={busy}>
            取消
          </Btn>
        </View>
      </View>
    </View>
  )
}
