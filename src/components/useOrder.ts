import { useCallback, useRef, useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { ApiError, call } from '@/api'
import type { OrderView } from '@/core/api'

/**
 * One order on screen, for every role: loaded each time the page shows and on
 * pull-down. `refresh(quiet)` resolves to whether the order could be read; a
 * quiet refresh keeps the shown error state as it is. `missing` is the message
 * when the page was opened without an order id.
 */
export function useOrder(id: string, missing: string) {
  const [order, setOrder] = useState<OrderView | null>(null)
  const [error, setError] = useState<unknown>(null)
  const loading = useRef(false)

  const refresh = useCallback(
    async (quiet = false): Promise<boolean | undefined> => {
      if (loading.current) return undefined
      loading.current = true
      try {
        if (!id) throw new ApiError('NOT_FOUND', missing)
        setOrder(await call('order', 'detail', { id }))
        setError(null)
        return true
      } catch (e) {
        if (!quiet) setError(e)
        return false
      } finally {
        loading.current = false
        Taro.stopPullDownRefresh()
      }
    },
    [id, missing],
  )
  useDidShow(() => {
    refresh()
  })
  usePullDownRefresh(() => {
    refresh()
  })
  return { order, setOrder, error, refresh }
}
