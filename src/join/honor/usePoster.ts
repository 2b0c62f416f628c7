import { useEffect, useState } from 'react'
import { call } from '@/api'
import type { HonorPosterView } from '@/core/honor'

/** The published month's poster (drawn on the server the first time anyone asks). */
export function usePoster(countyId: string | null, month: string | null) {
  const [poster, setPoster] = useState<HonorPosterView | null>(null)
  const [error, setError] = useState<unknown>(null)
  useEffect(() => {
    if (!countyId || !month) return
    let alive = true
    setPoster(null)
    setError(null)
    call('stats', 'honorPoster', { countyId, month }).then(
      (p) => alive && setPoster(p),
      (e) => alive && setError(e),
    )
    return () => {
      alive = false
    }
  }, [countyId, month])
  return { poster, error }
}
