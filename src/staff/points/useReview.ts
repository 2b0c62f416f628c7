import { useCallback, useEffect, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { call, errorMessage } from '@/api'
import type { ReviewView } from '@/core/api'

/** Entries per page of a month's review (publish / finalise answer with a page of this size too). */
export const REVIEW_PAGE = 50

/**
 * One township's month on screen: its review state and entries (or only the entries
 * with an open objection), loaded whenever the tab is opened or the township or month
 * changes; more entries with `after` = the view's `next`. Only the latest answer counts.
 */
export function useReview(townshipId: string, month: string, objections: boolean, active: boolean) {
  const [view, setView] = useState<ReviewView | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [loadingMore, setLoadingMore] = useState(false)
  const seq = useRef(0)

  const refresh = useCallback(async () => {
    if (!townshipId) return Taro.stopPullDownRefresh()
    const mine = ++seq.current
    setError(null)
    try {
      const v = await call('points', 'review', { townshipId, month, objections, limit: REVIEW_PAGE })
      if (mine !== seq.current) return
      setView(v)
      setError(null)
    } catch (e) {
      if (mine === seq.current) setError(e)
    } finally {
      Taro.stopPullDownRefresh()
    }
  }, [townshipId, month, objections])

  useEffect(() => {
    if (active) refresh()
  }, [active, refresh])

  const loadMore = useCallback(async () => {
    if (!view?.next || loadingMore) return
    const mine = seq.current
    setLoadingMore(true)
    try {
      const v = await call('points', 'review', { townshipId: view.townshipId, month: view.month, objections, after: view.next, limit: REVIEW_PAGE })
      if (mine !== seq.current) return
      setView((cur) => (cur ? { ...v, entries: [...cur.entries, ...v.entries.filter((e) => !cur.entries.some((x) => x.id === e.id))] } : v))
    } catch (e) {
      Taro.showToast({ title: errorMessage(e), icon: 'none' })
    } finally {
      setLoadingMore(false)
    }
  }, [view, loadingMore, objections])

  // the view of another township or month is not shown while the new one loads
  const current = view && view.townshipId === townshipId && view.month === month ? view : null
  return { view: current, setView, error, refresh, loadMore, loadingMore }
}
