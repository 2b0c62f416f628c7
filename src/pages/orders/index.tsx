import { useCallback, useRef, useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { View } from '@tarojs/components'
import Btn from '@/components/Btn'
import { call, errorMessage } from '@/api'
import type { OrderView } from '@/core/api'
import { formatShort } from '@/core/time'
import PageState, { Loading } from '@/components/PageState'
import StatusTag from '@/components/StatusTag'
import { go, query } from '@/components/util'
import './index.scss'

const PAGE = 20

export default function MyOrders() {
  const [orders, setOrders] = useState<OrderView[] | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [more, setMore] = useState(false)
  const [loadingMore, setLoadingMore] = useState(false)
  const busy = useRef(false)

  const refresh = useCallback(async () => {
    if (busy.current) return
    busy.current = true
    try {
      const list = await call('order', 'mine', { limit: PAGE })
      setOrders(list)
      setMore(list.length === PAGE)
      setError(null)
    } catch (e) {
      setError(e)
    } finally {
      busy.current = false
      Taro.stopPullDownRefresh()
    }
  }, [])

  // refresh each time the page shows: coming back from a detail may have changed a state
  useDidShow(() => {
    refresh()
  })
  usePullDownRefresh(() => {
    refresh()
  })

  const loadMore = async () => {
    if (!orders || !more || loadingMore) return
    setLoadingMore(true)
    try {
      const list = await call('order', 'mine', { limit: PAGE, before: orders[orders.length - 1].createdAt })
      setOrders([...orders, ...list.filter((o) => !orders.some((x) => x.id === o.id))])
      setMore(list.length === PAGE)
    } catch (e) {
      Taro.showToast({ title: errorMessage(e), icon: 'none' })
    } finally {
      setLoadingMore(false)
    }
  }
  useReachBottom(() => {
    loadMore()
  })

  return (
    <View className='xf-page'>
      {/* a failed refresh over a loaded list keeps the list and says so above it */}
      {!!error && orders && <View className='orders__stale'>刷新失败：{errorMessage(error)}（下拉可重试）</View>}
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
                  <StatusTag status={o.status} />
                </View>
                <View className='orders__text xf-clamp2'>{o.description}</View>
                <View className='xf-cell__desc'>
                  {o.villageName} · {o.gridName}
                </View>
                <View className='xf-cell__desc'>{formatShort(o.createdAt)}</View>
              </View>
              <View className='xf-cell__arrow'>›</View>
            </View>
          ))}
        </View>
        {loadingMore && <Loading small />}
        {orders && orders.length > 0 && !more && <View className='orders__end'>没有更多了</View>}
        {more && !loadingMore && (
          <View className='orders__more' onClick={loadMore}>
            加载更多
          </View>
        )}
      </PageState>
    </View>
  )
}
