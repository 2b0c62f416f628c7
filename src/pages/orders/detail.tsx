import { useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Image, Text, View } from '@tarojs/components'
import { call, errorMessage } from '@/api'
import Btn from '@/components/Btn'
import Photos from '@/components/Photos'
import PatrolReport from '@/components/PatrolReport'
import { CancelPanel, ConfirmPanel, RatingCard } from './detailActions'
import type { OrderView } from '@/core/api'
import { SOURCE_LABEL, TRANSITIONS } from '@/core/order'
import { formatTime } from '@/core/time'
import PageState from '@/components/PageState'
import StatusTag from '@/components/StatusTag'
import Timeline from '@/components/Timeline'
import { callPhone, decode, go, query } from '@/components/util'
import './detail.scss'
import './arrival.scss'
import { useOrder } from '@/components/useOrder'
import Fact from '@/components/Fact'
import { StaleNotice } from '@/components/PagedList'

/** States the villager may still withdraw from (before a volunteer accepts). */
const CANCELLABLE: readonly OrderView['status'][] = TRANSITIONS.cancel.from
const SHOWCASE_LABEL: Record<string, string> = { pending: '已提交，等待审核', approved: '审核通过，已公开', rejected: '未通过审核' }



export default function OrderDetail() {
  const { params } = useRouter()
  const id = decode(params.id)
  const justPlaced = params.placed === '1'
  const { order, setOrder, error, refresh } = useOrder(id, '没有找到这条诉求，请从“我的诉求”里打开')

  const canCancel = !!order && CANCELLABLE.includes(order.status)
  // 到场核验码: the code the volunteer types at the door (verified hours), or why it could not be had
  const [arrival, setArrival] = useState<{ code: string; qr: string } | string>('')
  const shown = typeof arrival === 'object'
  const showArrival = () => call('order', 'arrivalCode', { id }).then(setArrival, (e) => setArrival(errorMessage(e)))
  const showcase = order?.showcase

  return (
    <View className='xf-page detail'>
      {justPlaced && (
        <View className='detail__placed'>
          <View className='detail__placed-title'>诉求已提交</View>
          <View>工作人员会尽快安排志愿者，进度会显示在这里。</View>
        </View>
      )}
      {!!error && order && <StaleNotice error={error} />}
      <PageState loading={!order && !error} error={!order ? error : null} onRetry={id ? refresh : undefined}>
        {order && (
          <>
            <View className='xf-card'>
              <View className='xf-row'>
                <View className='xf-h1'>{order.serviceName}</View>
                <StatusTag id='order-status' status={order.status} big />
              </View>
              <View className='xf-muted detail__no'>订单号：{order.no}</View>
              <View className='detail__desc'>{order.description}</View>
              {order.extras?.map((x) => <Fact key={x.label} label={x.label} value={x.value} />)}
              {order.report && <PatrolReport report={order.report} />}
            </View>

            {order.clock?.line && (
              <View id='order-due' className={`detail__due${order.clock.overdue ? ' detail__due--late' : ''}`}>
                {order.clock.line}
              </View>
            )}

            {(order.status === 'accepted' || order.status === 'in_service') && (
              <View className='xf-card arrcode'>
                {shown ? (
                  <>
                    <View id='arrival-code' className='arrcode__code'>
                      {arrival.code}
                    </View>
                    <Image className='arrcode__qr' src={arrival.qr} />
                    <View className='detail__card-title'>志愿者到达后请出示给他看，10分钟内有效</View>
                  </>
                ) : (
                  !!arrival && <View className='detail__reason'>{arrival}</View>
                )}
                <Btn id={shown ? 'arrival-refresh' : 'arrival-show'} type='primary' onClick={showArrival}>
                  {shown ? '刷新' : '出示到场核验码'}
                </Btn>
              </View>
            )}

            <View className='xf-card detail__facts'>
              <Fact label='服务类别' value={order.category} />
              <Fact label='所在网格' value={`${order.townshipName} ${order.villageName} ${order.gridName}`} />
              <Fact label='联系人' value={order.contactName || '未填写'} />
              <View className='xf-fact'>
                <Text className='xf-fact__label'>联系电话</Text>
                <Text className='xf-fact__value xf-phone' onClick={() => callPhone(order.contactPhone)}>
                  {order.contactPhone}
                </Text>
              </View>
              {order.preferredTime && <Fact label='期望时间' value={order.preferredTime} />}
              <Fact label='来源' value={SOURCE_LABEL[order.source] || order.source} />
              <Fact label='提交时间' value={formatTime(order.createdAt)} />
              {order.team && <Fact label='服务队伍' value={order.team.name} />}
              {order.assignee && <Fact label='服务志愿者' value={order.assignee.name} />}
            </View>


            {order.completion && (
              <View className='xf-card' id='completion'>
                <View className='detail__card-title'>志愿者的服务说明</View>
                <View className='detail__desc detail__desc--tight'>{order.completion.note}</View>
                <Photos photos={order.completion.photoUrls ?? []} count={order.completion.photos.length} id='completion-photos' />
                <View className='xf-muted detail__at'>完成时间：{formatTime(order.completion.at)}</View>
              </View>
            )}

            {order.status === 'completed' && <ConfirmPanel order={order} onDone={setOrder} />}

            {order.rating && <RatingCard rating={order.rating} />}

            {order.status === 'fixed' && (
              <View className='xf-card detail__showcase'>
                {showcase ? (
                  <>
                    <View className='detail__card-title'>我的晒单</View>
                    <View id='showcase-status' className='detail__showcase-status'>
                      {SHOWCASE_LABEL[showcase.status] || showcase.status}
                    </View>
                    {showcase.status === 'rejected' && showcase.reason && <View className='detail__reason'>原因：{showcase.reason}</View>}
                  </>
                ) : (
                  <>
                    <View className='detail__card-title'>晒一晒这次服务</View>
                    <View className='xf-muted'>拍几张照片、说几句话，审核通过后在本村公开。</View>
                  </>
                )}
                {(!showcase || showcase.status === 'rejected') && (
                  <View className='detail__showcase-btn'>
                    <Btn id='btn-showcase' type='primary' onClick={() => go(`/showcase/new?${query({ orderId: order.id })}`)}>
                      晒一晒
                    </Btn>
                  </View>
                )}
              </View>
            )}

            <View className='xf-h2'>办理进度</View>
            <Timeline history={order.history} id='order-history' />

            {canCancel && <CancelPanel order={order} onDone={setOrder} />}
          </>
        )}
      </PageState>
      {justPlaced && (
        <View className='xf-actions'>
          <Btn type='default' onClick={() => Taro.reLaunch({ url: '/pages/orders/index' })}>
            查看我的全部诉求
          </Btn>
        </View>
      )}
    </View>
  )
}
