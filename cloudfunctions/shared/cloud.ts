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
export function httpEvent(event: unknown): { event: unknown } | null {
  const e = event as { httpMethod?: unknown; body?: unknown; isBase64Encoded?: unknown } | null
  if (!e || typeof e !== 'object' || typeof e.httpMethod !== 'string') return null
  if (e.httpMethod !== 'POST' || typeof e.body !== 'string') return { event: null }
  try {
    const text = e.isBase64Encoded ? Buffer.from(e.body, 'base64').toString('utf8') : e.body
    return { event: JSON.parse(text) }
  } catch {
    return { event: null }
  }
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
  return async (event: unknown, context?: Parameters<typeof tcb.getCloudbaseContext>[0]): Promise<Result<unknown> | { result: Result<unknown> }> => {
    app ??= tcb.init({ env: tcb.SYMBOL_CURRENT_ENV })
    db ??= app.database()
    wechat ??= cloudWechat(app)
    files ??= cloudFiles(app)
    const http = httpEvent(event)
    if (http) {
      // anonymous; answered as the local runtime's POST /fn/<name> does, so the H5 client is the same
      return { result: await run(http.event, { db, openId: null, wechat, files, publicUrl: process.env.XF_PUBLIC_URL ?? '' }) }
    }
    // read the caller from this invocation's context first (process.env is shared if an instance runs calls concurrently)
    const openId = tcb.getCloudbaseContext(context).WX_OPENID || app.auth().getUserInfo().openId
    return run(event, { db, openId: openId || null, wechat, files, publicUrl: process.env.XF_PUBLIC_URL ?? '' })
  }
}
