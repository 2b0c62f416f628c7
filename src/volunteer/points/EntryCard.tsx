import { Text, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import type { PointEntryView } from '@/core/api'
import { HOURS_KIND_LABEL } from '@/core/points'
import { formatTime } from '@/core/time'

const OBJECTION_LABEL: Record<NonNullable<PointEntryView['objection']>['status'], string> = {
  open: '已提出异议，等待乡镇核实',
  accepted: '异议已采纳',
  refused: '异议未采纳',
}

/** +5 / −3 / 0: the sign always shown, in colour and in text. */
export const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0')
export const tone = (n: number) => (n > 0 ? 'up' : n < 0 ? 'down' : 'zero')
/** Hours to one decimal (sums of tenths drift in floating point). */
export const hoursText = (h: number) => `${Math.round(h * 10) / 10}`

/** An entry id as an element id (ledger ids carry ':'). */
export const domId = (id: string) => id.replace(/[^A-Za-z0-9_-]/g, '_')

/** One line of my points ledger: what, how many points or hours, for which service, why, and any objection. */
export default function EntryCard({ e, onObject }: { e: PointEntryView; onObject: (e: PointEntryView) => void }) {
  const isHours = e.kind === 'hours'
  return (
    <View id={`entry-${domId(e.id)}`} className='xf-card vpoints__entry'>
      <View className='xf-row vpoints__entry-top'>
        <View className='vpoints__entry-title'>{e.title}</View>
        {isHours && e.hours !== null ? (
          <Text className='vpoints__entry-pts vpoints--zero'>{hoursText(e.hours)} 小时</Text>
        ) : (
          <Text className={`vpoints__entry-pts vpoints--${tone(e.points)}`}>{signed(e.points)} 分</Text>
        )}
      </View>
      <View className='vpoints__entry-meta'>
        <Text className='vpoints__chip'>{e.category}</Text>
        {e.hours !== null && e.hoursKind && (
          <Text className='vpoints__chip'>
            {isHours ? '' : `${hoursText(e.hours)} 小时 · `}
            {HOURS_KIND_LABEL[e.hoursKind]}
          </Text>
        )}
        {e.capped && <Text className='vpoints__chip vpoints__chip--warn'>已达本月上限</Text>}
      </View>
      {(e.serviceName || e.orderNo) && (
        <View className='vpoints__entry-line'>
          {e.serviceName || '服务'}
          {e.orderNo ? ` · 订单号 ${e.orderNo}` : ''}
        </View>
      )}
      {e.reason && <View className='vpoints__entry-line'>原因：{e.reason}</View>}
      <View className='xf-muted'>
        {formatTime(e.at)}
        {e.by ? ` · ${e.by}录入` : ''}
      </View>
      {e.objection && (
        <View className={`vpoints__objection vpoints__objection--${e.objection.status}`}>
          <View className='vpoints__objection-state'>{OBJECTION_LABEL[e.objection.status]}</View>
          <View>我的异议：{e.objection.reason}</View>
          {e.objection.answer && <View>处理意见：{e.objection.answer}</View>}
        </View>
      )}
      {e.objectable && (
        <View className='vpoints__entry-act'>
          <Btn id={`object-${domId(e.id)}`} className='vpoints__act' type='default' size='small' onClick={() => onObject(e)}>
            提出异议
          </Btn>
        </View>
      )}
    </View>
  )
}
