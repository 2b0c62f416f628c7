import { useCallback, useEffect, useRef, useState } from 'react'
import { call } from '@/api'
import type { ExportJobView } from '@/core/exports'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const running = (j: ExportJobView) => j.state === 'running' || j.state === 'assembling'

/**
 * Steps an export job until it ends, as long as the page is open: each `step` does a bounded
 * share of the work (the server's budget) and says how far it is. Leaving the page stops the
 * loop, not the job: the clock sweep finishes it and the list shows it. A failing step is
 * retried twice (it resumes where the job stands), then the error is shown with 继续.
 */
export function useExportRunner(onEnd: () => void) {
  const [job, setJob] = useState<ExportJobView | null>(null)
  const [error, setError] = useState<unknown>(null)
  const alive = useRef(true)
  const current = useRef<string | null>(null)
  useEffect(() => {
    alive.current = true
    return () => {
      alive.current = false
    }
  }, [])

  const run = useCallback(
    async (first: ExportJobView) => {
      current.current = first.id
      setJob(first)
      setError(null)
      let j = first
      let failures = 0
      while (alive.current && current.current === first.id && running(j)) {
        const before = `${j.state}:${j.rows}`
        try {
          j = await call('export', 'step', { jobId: j.id })
          failures = 0
          if (alive.current && current.current === first.id) setJob(j)
          // another worker (the sweep) holds the job: give it a moment
          if (running(j) && `${j.state}:${j.rows}` === before) await sleep(1000)
        } catch (e) {
          if (++failures >= 3) {
            if (alive.current) setError(e)
            return
          }
          await sleep(1500 * failures)
        }
      }
      if (alive.current) onEnd()
    },
    [onEnd],
  )
  const clear = useCallback(() => {
    current.current = null
    setJob(null)
    setError(null)
  }, [])
  return { job, error, run, clear }
}
