import { useCallback, useEffect, useRef, useState } from 'react'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { call } from '@/api'
import type { DashboardView, PeriodPreset } from '@/core/stats'

/** What the dashboard shows: a period and the area (none: the caller's own node). */
export type DashQuery = { preset: PeriodPreset; from?: string; to?: string; nodeId?: string }

/**
 * The dashboard's data for a query: loads when the query changes and on pull-down; only the
 * answer to the latest query is kept (a slow answer to an older one never overwrites it).
 * A failed reload keeps the last view and reports the error beside it.
 */
export function useDashboard(initial: DashQuery) {
  const [query, setQuery] = useState<DashQuery>(initial)
  const [view, setView] = useState<DashboardView | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [loading, setLoading] = useState(true)
  const latest = useRef(0)
  const queryNow = useRef(query)
  queryNow.current = query

  const load = useCallback(async (q: DashQuery) => {
    const mine = ++latest.current
    setLoading(true)
    try {
      const v = await call('stats', 'dashboard', q)
      if (mine !== latest.current) return
      setView(v)
      setError(null)
    } catch (e) {
      if (mine === latest.current) setError(e)
    } finally {
      if (mine === latest.current) setLoading(false)
    }
  }, [])

  useEffect(() => {
    load(query)
  }, [query, load])

  usePullDownRefresh(() => {
    load(queryNow.current).finally(() => Taro.stopPullDownRefresh())
  })

  const reload = useCallback(() => load(queryNow.current), [load])
  return { query, setQuery, view, error, loading, reload }
}
