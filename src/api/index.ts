import Taro from '@tarojs/taro'
import type { ActionInput, ActionName, ActionOutput, FunctionName } from '@/core/api'
import { NETWORK_TROUBLE, SERVICE_TROUBLE, type Result } from '@/core/errors'

/**
 * The one way the app talks to the backend.
 * - weapp: Taro.cloud.callFunction (CloudBase resolves who the caller is);
 * - h5: POST /fn/<name> on the local runtime, which answers what callFunction would.
 * Network failures are retried (actions that create things carry a requestId,
 * so a retry never duplicates) and end as NETWORK; failures the server reports are not
 * retried, and a server that failed (a 5xx, a crashed function) ends as INTERNAL: the
 * person is told the service has a problem, not their network.
 */
export class ApiError extends Error {
  constructor(public readonly code: string, message: string) {
    super(message)
  }
}

const TOKEN_KEY = 'xf.devToken'
const RETRIES = 3

export const devSession = {
  get: (): string => (process.env.TARO_ENV === 'h5' ? Taro.getStorageSync(TOKEN_KEY) || '' : ''),
  set: (token: string) => Taro.setStorageSync(TOKEN_KEY, token),
  clear: () => Taro.removeStorageSync(TOKEN_KEY),
}

async function transport(name: string, event: unknown): Promise<unknown> {
  if (process.env.TARO_ENV === 'h5') {
    const res = await fetch(`/fn/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${devSession.get()}` },
      body: JSON.stringify(event),
    })
    // an answer came, so the network is fine: the runtime (or a proxy in front of it) failed
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`)
    const body = (await res.json()) as { result: unknown }
    return body.result
  }
  const res = await Taro.cloud.callFunction({ name, data: event as Record<string, unknown> })
  return res.result
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Worth another try: the request may not have arrived (fetch's TypeError, WeChat's timeouts and request:fail). */
function isTransient(e: unknown): boolean {
  if (e instanceof TypeError) return true
  const msg = String((e as { errMsg?: unknown; message?: unknown })?.errMsg ?? (e as Error)?.message ?? '')
  return /timeout|timed out|request:fail|network|ECONN|ETIMEDOUT|ENOTFOUND/i.test(msg)
}

export async function call<F extends FunctionName, A extends ActionName<F>>(
  fn: F,
  action: A,
  data: ActionInput<F, A>,
): Promise<ActionOutput[F][A & keyof ActionOutput[F]]> {
  let lastError: unknown
  for (let attempt = 0; attempt < RETRIES; attempt++) {
    let result: Result<unknown>
    try {
      result = (await transport(fn, { action, data })) as Result<unknown>
    } catch (e) {
      // a missing function, a wrong environment…: retrying will not help
      if (!isTransient(e)) throw new ApiError('INTERNAL', SERVICE_TROUBLE)
      lastError = e
      await sleep(400 * 2 ** attempt)
      continue
    }
    if (!result || typeof result !== 'object') throw new ApiError('INTERNAL', SERVICE_TROUBLE)
    if (result.ok) return result.data as ActionOutput[F][A & keyof ActionOutput[F]]
    throw new ApiError(result.code, result.message)
  }
  console.warn('network failure', lastError)
  throw new ApiError('NETWORK', NETWORK_TROUBLE)
}

/** A client-made id for actions that create things: the server uses it to make retries idempotent. */
export function newRequestId(): string {
  const rnd = () => Math.random().toString(36).slice(2, 10)
  return `${Date.now().toString(36)}${rnd()}${rnd()}`.slice(0, 32)
}

export const errorMessage = (e: unknown) => (e instanceof ApiError ? e.message : '出了点问题，请稍后重试')
