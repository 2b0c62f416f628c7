import { Text, View } from '@tarojs/components'
import { Tag } from '@nutui/nutui-react-taro'
import type { OrderView } from '@/core/api'
import { SOURCE_LABEL } from '@/core/order'
import { formatShort } from '@/core/time'
import StatusTag from '@/components/StatusTag'
import DueChip from '@/workbench/DueChip'
import { go, query } from '@/components/util'
import { endingOf } from './filters'

const SOURCE_TAG: Record<OrderView['source'], 'default' | 'warning' | 'primary'> = { scan: 'default', hotline: 'warning', patrol: 'primary' }

/**
 * One line of the ledger: number, service and category, grid, source, state — and for a
 * finished one how it ended (the last step, who, when, why); for an open one its clock.
 */
export default function LedgerItem({ o }: { o: OrderView }) {
  const end = endingOf(o)
  return (
    <View className='xf-card ledger-item' hoverClass='xf-pressed' onClick={() => go(`/staff/order/index?${query({ id: o.id })}`)}>
      <View className='xf-row ledger__top'>
        <View className='ledger__service'>
          {o.serviceName}
          <Tag type={SOURCE_TAG[o.source] ?? 'default'} className='ledger__source'>
            {SOURCE_LABEL[o.source] ?? o.source}
          </Tag>
        </View>
        <StatusTag status={o.status} />
      </View>
      <View className='xf-muted ledger__meta'>
        {o.no} · {o.category} · {o.villageName} {o.gridName}
        {o.report?.spot ? ` · ${o.report.spot}` : ''}
      </View>
      <View className='ledger__desc xf-clamp2'>{o.description}</View>
      {end ? (
        <View className='ledger-ending'>
          <Text className='ledger__end-label'>{end.label}</Text>
          {end.reason && <Text>：{end.reason}</Text>}
          {!end.reason && o.completion?.note && <Text>：{o.completion.note}</Text>}
          <Text className='xf-muted'>
            {' '}
            · {end.byName} · {formatShort(end.at)}
          </Text>
        </View>
      ) : (
        <View className='ledger__due'>
          <DueChip clock={o.clock} />
        </View>
      )}
      <View className='xf-muted ledger__at'>提交：{formatShort(o.createdAt)}</View>
    </View>
  )
}
