import type { ReactNode } from 'react'
import { Text, View } from '@tarojs/components'
import type { OrderView } from '@/core/api'
import { SOURCE_LABEL } from '@/core/orderState'
import { formatTime } from '@/core/timeText'
import Fact from './Fact'
import PatrolReport from './PatrolReport'
import Photos from './Photos'
import StatusTag from './StatusTag'
import VoicePlayer from './VoicePlayer'
import { callPhone } from './util'
import './orderFacts.scss'

/**
 * One order's facts, the same on the villager's, the station's and the volunteer's screen.
 * Three cards a page places around its own parts (clock, supervision, actions):
 * OrderHead (service, state, number, description, a grid report's photos),
 * OrderFacts (category, extra answers, place, contact, times, who works on it),
 * Completion (the volunteer's note and photos).
 */

/**
 * `statusId`: the state tag's id. `status`: drawn instead of the tag (e.g. why the order is no
 * longer the reader's). `badge`: beside the service name (热线). `children`: under it (a due chip).
 */
export function OrderHead(p: { order: OrderView; statusId: string; status?: ReactNode; badge?: ReactNode; children?: ReactNode; plain?: boolean }) {
  const { order, badge, children } = p
  return (
    <View className='xf-card'>
      <View className='xf-row xf-order__head'>
        <View className='xf-h1 xf-order__title'>
          {order.serviceName}
          {badge}
        </View>
        {p.status ?? <StatusTag id={p.statusId} status={order.status} big plain={p.plain} />}
      </View>
      {children}
      <View className='xf-muted xf-order__no'>订单号：{order.no}</View>
      {!!order.description && <View className='xf-order__desc'>{order.description}</View>}
      {order.voice && <VoicePlayer src={order.voice.url} seconds={order.voice.seconds} id='order-voice' />}
      {order.report && <PatrolReport report={order.report} />}
    </View>
  )
}

type FactsProps = {
  order: OrderView
  /** how the place reads: the whole path (`code`: with the grid code, for staff finding it again), or village and grid (where a volunteer goes) */
  place: 'path' | 'code' | 'village'
  /** the phone line's id */
  phoneId?: string
  /** after a masked number (the server masks it from a volunteer until they accept): when the whole number shows */
  maskedNote?: string
  /** facts only this role has (e.g. the volunteer's arrival), at the end */
  children?: ReactNode
}

/** The facts card. A number shown in full is a call button; a masked one is plain text. */
export function OrderFacts({ order, place, phoneId, maskedNote, children }: FactsProps) {
  const path = `${order.townshipName} ${order.villageName} ${order.gridName}`
  const masked = order.contactPhone.includes('*')
  return (
    <View className='xf-card xf-order__facts'>
      <Fact label='服务类别' value={order.category} />
      {order.extras?.map((x) => <Fact key={x.label} label={x.label} value={x.value} />)}
      {place === 'village' ? (
        <Fact label='地点' value={`${order.villageName} ${order.gridName}`} />
      ) : (
        <Fact label='所在网格' value={place === 'code' ? `${path}（${order.gridCode}）` : path} />
      )}
      <Fact label='联系人' value={order.contactName || '未留姓名'} />
      <View className='xf-fact'>
        <Text className='xf-fact__label'>联系电话</Text>
        {masked ? (
          <Text id={phoneId} className='xf-fact__value'>
            {order.contactPhone}
            {maskedNote && <Text className='xf-muted'>{maskedNote}</Text>}
          </Text>
        ) : (
          <Text id={phoneId} className='xf-fact__value xf-phone' onClick={() => callPhone(order.contactPhone)}>
            {order.contactPhone}
          </Text>
        )}
      </View>
      {order.forFamily && (
        <View className='xf-fact' id='order-family'>
          <Text className='xf-fact__label'>为家人点单</Text>
          <Text className={`xf-fact__value${order.forFamily.phone.includes('*') ? '' : ' xf-phone'}`} onClick={() => !order.forFamily!.phone.includes('*') && callPhone(order.forFamily!.phone)}>
            {order.forFamily.name} {order.forFamily.phone}
          </Text>
        </View>
      )}
      {order.preferredTime && <Fact label='期望时间' value={order.preferredTime} />}
      <Fact label='来源' value={SOURCE_LABEL[order.source] || order.source} />
      <Fact label='提交时间' value={formatTime(order.createdAt)} />
      {order.team && <Fact label='服务队' value={order.team.name} />}
      {order.assignee && <Fact label='服务志愿者' value={order.assignee.name} />}
      {children}
    </View>
  )
}

/** What the volunteer wrote and photographed on completing. Ids: completion, completion-photos. `children`: under the title (hours). */
export function Completion({ completion, title, children }: { completion: NonNullable<OrderView['completion']>; title: string; children?: ReactNode }) {
  return (
    <View className='xf-card' id='completion'>
      <View className='xf-order__sub'>{title}</View>
      {children}
      <View className='xf-order__desc'>{completion.note}</View>
      <Photos photos={completion.photoUrls ?? []} count={completion.photos.length} id='completion-photos' />
      <View className='xf-muted xf-order__at'>完成时间：{formatTime(completion.at)}</View>
    </View>
  )
}
