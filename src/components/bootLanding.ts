import { ApiError, call } from '@/api'
import type { GridView, ServiceView } from '@/core/api'
import type { Result } from '@/core/errors'
import { IS_H5 } from './util'

/**
 * What src/boot.js (the landing drawn by the HTML before the app, H5 only) already asked and
 * what the villager tapped there. The scan landing takes it once, for the code it opens with,
 * and releases the drawn landing (which covers the app) once its own shows. Without one (weapp,
 * another page first, another code) the same functions simply ask the backend.
 */
type Boot = {
  code: string
  grid: Promise<Result<GridView>>
  catalogue: Promise<Result<ServiceView[]>>
  /** a service tapped before the app was ready */
  pick: string | null
  /** set when the app takes over: the shell draws nothing after that */
  done: boolean
}

export type BootLanding = {
  /** the grid for `code`: the shell's answer the first time, then the app's own calls */
  resolve: (code: string) => Promise<GridView>
  catalogue: () => Promise<ServiceView[]>
  /** the service tapped on the shell, once */
  takePick: () => string | null
  /** uncover the app */
  release: () => void
}

function release() {
  if (IS_H5 && typeof document !== 'undefined') document.getElementById('boot')?.classList.remove('boot-landing')
}

const resolveCode = (code: string) => call('grid', 'resolve', { code })
const catalogue = () => call('grid', 'catalogue', {})
/** no landing drawn by the HTML: the backend's answers */
const direct: BootLanding = { resolve: resolveCode, catalogue, takePick: () => null, release }

/** The shell's answer as `call` gives it; if the request itself failed, the app's own call (with its retries). */
async function answer<T>(pending: Promise<Result<T>>, again: () => Promise<T>): Promise<T> {
  let result: Result<T>
  try {
    result = await pending
  } catch {
    return again()
  }
  if (!result || typeof result !== 'object') return again()
  if (result.ok) return result.data
  throw new ApiError(result.code, result.message)
}

/** A function giving the shell's answer the first time it is called, the app's own call after. */
function first<T>(pending: Promise<Result<T>>, again: () => Promise<T>): () => Promise<T> {
  let left: Promise<Result<T>> | null = pending
  return () => {
    const p = left
    left = null
    return p ? answer(p, again) : again()
  }
}

/** The shell's work for the landing's code, taken once (later calls, and other codes, ask the backend). */
export function takeBootLanding(code: string | null): BootLanding {
  const boot = IS_H5 && typeof window !== 'undefined' ? (window as { __xfBoot?: Boot }).__xfBoot : undefined
  if (!boot || boot.done) return direct
  boot.done = true
  if (boot.code !== code) {
    release()
    return direct
  }
  const grid = first(boot.grid, () => resolveCode(boot.code))
  return {
    resolve: (c) => (c === boot.code ? grid() : resolveCode(c)),
    catalogue: first(boot.catalogue, catalogue),
    takePick: () => {
      const id = boot.pick
      boot.pick = null
      return id
    },
    release,
  }
}
