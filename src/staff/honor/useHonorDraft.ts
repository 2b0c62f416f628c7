import { useCallback, useEffect, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { call } from '@/api'
import type { HonorDraftView, HonorSubject } from '@/core/honor'

/**
 * The month's draft of one subject (villages or teams), reloaded when either changes. An
 * answer for another month or subject that arrives late is dropped.
 */
export function useHonorDraft(month: string, subject: HonorSubject, active: boolean) {
  const [view, setView] = useState<HonorDraftView | null>(null)
  const [error, setError] = useState<unknown>(null)
  const seq = useRef(0)

  const load = useCallback(async () => {
    const mine = ++seq.current
    setError(null)
    try {
      const v = await call('stats', 'honorDraft', { month, subject })
      if (mine === seq.current) setView(v)
    } catch (e) {
      if (mine === seq.current) setError(e)
    } finally {
      Taro.stopPullDownRefresh()
    }
  }, [month, subject])

  useEffect(() => {
    if (active) load()
  }, [load, active])

  // what is on screen belongs to the month and subject asked for
  const current = view && view.month === month && view.subject === subject ? view : null
  return { view: current, stale: view, error, load }
}
