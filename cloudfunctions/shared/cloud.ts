import tcb from '@cloudbase/node-sdk'
import type { Result } from '../../src/core'
import type { Db } from './context'
import type { Invocation } from './handler'
import { cloudFiles, type FilesPort } from './files'
import { cloudWechat, type WechatPort } from './wechat'

/**
 * An invocation through CloudBase's HTTP access service (云接入 / HTTP 访问服务), e.g. the H5
 * badge check opened from a QR in any scanner: `POST /fn/<name>` with a JSON body, as the local
 * runtime serves it. Returns the `{ action, data }` event, or null when this is not an HTTP call.
 * Such calls are anonymous: only public actions (volunteer.verify, grid.resolve, showcase.feed) succeed.
 */
export function httpEvent(event: unknown): { event: unknown; clientIp?: string } | null {
  const e = event as { httpMethod?: unknown; body?: unknown; isBase64Encoded?: unknown; headers?: unknown } | null
  if (!e || typeof e !== 'object' || typeof e.httpMethod !== 'string') return null
  const clientIp = clientIpOf(e.headers)
  if (e.httpMethod !== 'POST' || typeof e.body !== 'string') return { event: null, clientIp }
  try {
    const text = e.isBase64Encoded ? Buffer.from(e.body, 'base64').toString('utf8') : e.body
    return { event: JSON.parse(text), clientIp }
  } catch {
    return { event: null, clientIp }
  }
}

/**
 * The address the HTTP access gateway saw: the last X-Forwarded-For entry (the ones before it
 * are whatever the client sent, so they cannot key a rate limit). Undefined when absent.
 */
function clientIpOf(headers: unknown): string | undefined {
  const h = headers && typeof headers === 'object' ? (headers as Record<string, unknown>) : {}
  const xff = h['x-forwarded-for'] ?? h['X-Forwarded-For']
  const last = typeof xff === 'string' ? xff.split(',').pop()?.trim() : undefined
  return last && /^[0-9A-Fa-f.:]{2,45}$/.test(last) ? last : undefined
}

/**
 * The caller's openId from this invocation's own context, and from nothing else: the SDK's
 * getCloudbaseContext (and app.auth().getUserInfo(), which uses it) falls back to process.env
 * for keys the context lacks, and process.env is shared by every call an instance serves at
 * once. The context carries `environment` (JSON, new runtime) or `environ` ("K=V;K=V", old one).
 */
export function openIdFromContext(context: unknown): string | null {
  const c = context as { environment?: unknown; environ?: unknown } | null | undefined
  if (!c || typeof c !== 'object') return null
  let id: unknown
  if (typeof c.environment === 'string' && c.environment) {
    try {
      id = (JSON.parse(c.environment) as Record<string, unknown>)?.WX_OPENID
    } catch {
      return null
    }
  } else if (typeof c.environ === 'string') {
    const pair = c.environ.split(';').find((p) => p.startsWith('WX_OPENID='))
    id = pair?.slice('WX_OPENID='.length)
  }
  return typeof id === 'string' && /^[A-Za-z0-9_-]{6,64}$/.test(id) ? id : null
}

/**
 * The cloud entry: the caller is who CloudBase says it is (the openId of the
 * mini-program user who called); the event carries no identity. The SDK is
 * initialised on first call, so importing a function (as the local runtime
 * does) touches nothing in the cloud.
 */
export function cloudMain(run: (event: unknown, inv: Invocation) => Promise<Result<unknown>>) {
  let app: ReturnType<typeof tcb.init> | undefined
  let db: Db | undefined
  let wechat: WechatPort | undefined
  let files: FilesPort | undefined
  return async (event: unknown, context?: unknown): Promise<Result<unknown> | { result: Result<unknown> }> => {
    app ??= tcb.init({ env: tcb.SYMBOL_CURRENT_ENV })
    db ??= app.database()
    wechat ??= cloudWechat(app)
    files ??= cloudFiles(app)
    const http = httpEvent(event)
    if (http) {
      // anonymous; answered as the local runtime's POST /fn/<name> does, so the H5 client is the same
      return { result: await run(http.event, { db, openId: null, wechat, files, publicUrl: process.env.XF_PUBLIC_URL ?? '', clientIp: http.clientIp }) }
    }
    return run(event, { db, openId: openIdFromContext(context), wechat, files, publicUrl: process.env.XF_PUBLIC_URL ?? '' })
  }
}
