import { useEffect, useRef, useState } from 'react'
import { call } from '@/api'
import type { GridOption } from '@/core/api'

const SEARCH_DELAY_MS = 250

/**
 * grid.search as the staff member types: a short pause after the last key, and only the
 * latest answer counts (a slow earlier one never overwrites it). `results` is null while
 * the box is empty. `anyLevel`: every level and deactivated nodes too (the tree's search).
 */
export function useGridSearch(q: string, opts: { anyLevel?: boolean; limit?: number } = {}) {
  const { anyLevel = false, limit = 20 } = opts
  const [results, setResults] = useState<GridOption[] | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [searching, setSearching] = useState(false)
  const seq = useRef(0)

  useEffect(() => {
    const text = q.trim()
    const mine = ++seq.current
    if (!text) {
      setResults(null)
      setError(null)
      setSearching(false)
      return
    }
    setSearching(true)
    const t = setTimeout(() => {
      call('grid', 'search', { q: text, limit, anyLevel })
        .then(
          (list) => {
            if (mine !== seq.current) return
            setResults(list)
            setError(null)
          },
          (e) => mine === seq.current && setError(e),
        )
        .then(() => mine === seq.current && setSearching(false))
    }, SEARCH_DELAY_MS)
    return () => clearTimeout(t)
  }, [q, anyLevel, limit])

  return { results, error, searching }
}
