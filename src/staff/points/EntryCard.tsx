import type { ReactNode } from 'react'
import { Text, View } from '@tarojs/components'
import type { PointEntryView } from '@/core/api'
import { HOURS_KIND_LABEL } from '@/core/points'
import { formatShort } from '@/core/time'

/** +5 / -2 / 0: points always with their sign. */
export const signed = (n: number) => (n > 0 ? `+${n}` : String(n))

const OBJECTION_LABEL = { open: '异议待处理', accepted: '异议已同意', refused: '异议已驳回' } as const

/** One ledger entry as staff review it: who, what, how many points, hours, order, when, why; `children` are its actions. */
export default function EntryCard({ e, children }: { e: PointEntryView; children?: ReactNode }) {
  const tone = e.points > 0 ? 'up' : e.points < 0 ? 'down' : 'zero'
  return (
    <View id={`entry-${e.id}`} className='xf-card pts-entry'>
      <View className='pts-entry__top'>
        <View className='pts-entry__who'>
          {e.userName}
          {e.plate && <Text className='xf-tag xf-tag--work pts-entry__plate'>{e.plate}</Text>}
        </View>
        <Text className={`pts-entry__points pts-entry__points--${tone}`}>{signed(e.points)} 分</Text>
      </View>
      <View className='pts-entry__title'>
        {e.title}
        {e.capped && <Text className='pts-entry__capped'>（已达本项月上限）</Text>}
      </View>
      <View className='pts-entry__facts'>
        {e.hours !== null && (
          <View className='pts-entry__fact'>
            <Text className='pts-entry__label'>服务时长</Text>
            {e.hours} 小时{e.hoursKind ? `（${HOURS_KIND_LABEL[e.hoursKind]}）` : ''}
          </View>
        )}
        {e.orderNo && (
          <View className='pts-entry__fact'>
            <Text className='pts-entry__label'>诉求单号</Text>
            {e.orderNo}
            {e.serviceName ? ` · ${e.serviceName}` : ''}
          </View>
        )}
        <View className='pts-entry__fact'>
          <Text className='pts-entry__label'>记录时间</Text>
          {formatShort(e.at)}
          {e.by ? ` · ${e.by}录入` : ''}
        </View>
        {e.reason && (
          <View className='pts-entry__fact'>
            <Text className='pts-entry__label'>原因</Text>
            {e.reason}
          </View>
        )}
      </View>
      {e.objection && (
        <View className={`pts-entry__objection pts-entry__objection--${e.objection.status}`}>
          <View className='pts-entry__objection-state'>{OBJECTION_LABEL[e.objection.status]}</View>
          <View className='pts-entry__objection-text'>志愿者说：{e.objection.reason}</View>
          {e.objection.answer && <View className='pts-entry__objection-text'>处理意见：{e.objection.answer}</View>}
        </View>
      )}
      {children}
    </View>
  )
}
