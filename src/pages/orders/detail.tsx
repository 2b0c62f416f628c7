import { useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Image, View } from '@tarojs/components'
import { call, errorMessage } from '@/api'
import Btn from '@/components/Btn'
import { Completion, OrderFacts, OrderHead } from '@/components/OrderFacts'
import { CancelPanel, ConfirmPanel, RatingCard } from './detailActions'
import type { OrderView } from '@/core/api'
import { TRANSITIONS } from '@/core/orderState'
import PageState from '@/components/PageState'
import Timeline from '@/components/Timeline'
import { decode, go, query } from '@/components/util'
import { useCareMode } from '@/components/CareMode'
import './detail.scss'
import './arrival.scss'
import { useOrder } from '@/components/useOrder'
import { StaleNotice } from '@/components/PagedList'

/** States the villager may still withdraw from (before a volunteer accepts). */
const CANCELLABLE: readonly OrderView['status'][] = TRANSITIONS.cancel.from
const SHOWCASE_LABEL: Record<string, string> = { pending: '已提交，等待审核', approved: '审核通过，已公开', rejected: '未通过审核' }



export default function OrderDetail() {
  const { params } = useRouter()
  const id = decode(params.id)
  const justPlaced = params.placed === '1'
  const { order, setOrder, error, refresh } = useOrder(id, '没有找到这条诉求，请从“我的诉求”里打开')

  const care = useCareMode()
  // 帮家人点单, opened by the parent: the grown child who placed it confirms and cancels
  const forYou = !!order?.orderedForYou
  const canCancel = !!order && !forYou && CANCELLABLE.includes(order.status)
  // 到场核验码: the code the volunteer types at the door (verified hours), or why it could not be had
  const [arrival, setArrival] = useState<{ code: string; qr: string } | string>('')
  const shown = typeof arrival === 'object'
  const showArrival = () => call('order', 'arrivalCode', { id }).then(setArrival, (e) => setArrival(errorMessage(e)))
  const showcase = order?.showcase

  return (
    <View className={`xf-page detail${care.cls}`}>
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
            <OrderHead order={order} statusId='order-status' plain={care.on} />

            {forYou && (
              <View id='ordered-for-you' className='xf-card detail__for-you'>
                这是家人{order.contactName ? `（${order.contactName}）` : ''}帮您点的单。志愿者上门时，您可以出示到场核验码；确认服务结果、取消诉求由点单的家人操作。
              </View>
            )}

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

            <OrderFacts order={order} place='path' />

            {order.completion && <Completion completion={order.completion} title='志愿者的服务说明' />}

            {order.status === 'completed' && !forYou && <ConfirmPanel order={order} onDone={setOrder} />}

            {order.rating && <RatingCard rating={order.rating} />}

            {order.status === 'fixed' && !forYou && (
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
