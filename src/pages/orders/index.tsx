import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { View } from '@tarojs/components'
import Btn from '@/components/Btn'
import { call } from '@/api'
import { formatShort } from '@/core/timeText'
import PageState from '@/components/PageState'
import { ListFooter, PAGE, StaleNotice, usePagedOrders } from '@/components/PagedList'
import StatusTag from '@/components/StatusTag'
import { CareAsk, CareSwitch, useCareMode } from '@/components/CareMode'
import { badgeText, useUnread } from '@/components/useUnread'
import { go, query } from '@/components/util'
import './index.scss'

export default function MyOrders() {
  const { orders, error, more, loadingMore, refresh, loadMore } = usePagedOrders((before) =>
    call('order', 'mine', { limit: PAGE, ...(before ? { before } : {}) }),
  )

  const [unread] = useUnread()
  const care = useCareMode()

  // refresh each time the page shows: coming back from a detail may have changed a state
  useDidShow(() => {
    refresh()
  })
  usePullDownRefresh(() => {
    refresh()
  })
  useReachBottom(() => {
    loadMore()
  })

  return (
    <View className={`xf-page${care.cls}`}>
      <CareSwitch care={care} />
      <CareAsk care={care} />
      <View id='inbox-link' className='xf-cell orders__inbox' hoverClass='xf-pressed' onClick={() => go('/pages/inbox/index')}>
        <View className='xf-cell__main orders__inbox-title'>
          消息通知
          {unread > 0 && (
            <View id='unread-badge' className='xf-badge'>
              {badgeText(unread)}
            </View>
          )}
        </View>
        <View className='xf-muted'>{unread > 0 ? '有新消息' : '查看'}</View>
        <View className='xf-cell__arrow'>›</View>
      </View>
      {/* a failed refresh over a loaded list keeps the list and says so above it */}
      {!!error && orders && <StaleNotice error={error} />}
      <PageState
        loading={!orders && !error}
        error={!orders ? error : null}
        onRetry={refresh}
        empty={!!orders && orders.length === 0}
        emptyText='还没有诉求，扫描网格标识牌即可点单'
        emptyAction={
          <Btn type='primary' onClick={() => Taro.reLaunch({ url: '/pages/scan/index' })}>
            去扫码点单
          </Btn>
        }
      >
        <View id='my-orders' className='xf-list'>
          {orders?.map((o) => (
            <View
              key={o.id}
              className='xf-cell orders__item'
              hoverClass='xf-pressed'
              onClick={() => go(`/pages/orders/detail?${query({ id: o.id })}`)}
            >
              <View className='xf-cell__main'>
                <View className='xf-row'>
                  <View className='xf-cell__title orders__service'>{o.serviceName}</View>
                  <StatusTag status={o.status} plain={care.on} />
                </View>
                <View className='orders__text'>{o.description}</View>
                <View className='xf-cell__desc'>
                  {o.villageName} · {o.gridName}
                </View>
                <View className='xf-cell__desc'>{formatShort(o.createdAt)}</View>
              </View>
              <View className='xf-cell__arrow'>›</View>
            </View>
          ))}
        </View>
        <ListFooter count={orders?.length ?? 0} more={more} loadingMore={loadingMore} onMore={loadMore} />
      </PageState>
    </View>
  )
}
