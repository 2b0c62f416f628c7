import { useCallback, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { View } from '@tarojs/components'
import { errorMessage } from '@/api'
import type { OrderView } from '@/core/api'
import { Loading } from './PageState'

export const PAGE = 20

/**
 * A newest-first list of orders, paged by createdAt: `refresh` loads the first
 * page (a failed refresh keeps what is shown and sets `error`), `loadMore`
 * appends the next one. `fetchPage(before?)` asks the backend for one page.
 */
export function usePagedOrders(fetchPage: (before?: number) => Promise<OrderView[]>) {
  return usePaged(fetchPage, (o) => o.createdAt)
}

/** The same for any list with ids, paged by `cursorOf(last item)` (inbox: createdAt, feed: approvedAt, work lists: their cursor). */
export function usePaged<T extends { id: string }, C = number>(fetchPage: (before?: C) => Promise<T[]>, cursorOf: (last: T) => C) {
  const [orders, setOrders] = useState<T[] | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [more, setMore] = useState(false)
  const [loadingMore, setLoadingMore] = useState(false)
  const busy = useRef(false)
  const fetchRef = useRef(fetchPage)
  fetchRef.current = fetchPage

  const refresh = useCallback(async () => {
    if (busy.current) return
    busy.current = true
    try {
      const list = await fetchRef.current()
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

  const loadMore = useCallback(async () => {
    if (!orders?.length || !more || loadingMore) return
    setLoadingMore(true)
    try {
      const list = await fetchRef.current(cursorOf(orders[orders.length - 1]))
      setOrders((cur) => {
        const have = cur ?? []
        return [...have, ...list.filter((o) => !have.some((x) => x.id === o.id))]
      })
      setMore(list.length === PAGE)
    } catch (e) {
      Taro.showToast({ title: errorMessage(e), icon: 'none' })
    } finally {
      setLoadingMore(false)
    }
  }, [orders, more, loadingMore])

  return { orders, setOrders, error, more, loadingMore, refresh, loadMore }
}

/** Above a loaded list whose refresh failed: keep the list, say so. */
export function StaleNotice({ error }: { error: unknown }) {
  return <View className='xf-stale'>刷新失败：{errorMessage(error)}（下拉可重试）</View>
}

/** Below a list: loading the next page, a "load more" link, or the end. */
export function ListFooter({ count, more, loadingMore, onMore }: { count: number; more: boolean; loadingMore: boolean; onMore: () => void }) {
  if (loadingMore) return <Loading small />
  if (more)
    return (
      <View className='xf-more' onClick={onMore}>
        加载更多
      </View>
    )
  return count > 0 ? <View className='xf-end'>没有更多了</View> : null
}
