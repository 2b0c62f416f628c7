import tcb from '@cloudbase/node-sdk'
import type { Result } from '../../src/core'
import type { Db } from './context'
import type { Invocation } from './handler'
import { cloudFiles, type FilesPort } from './files'
import { cloudWechat, type WechatPort } from './wechat'

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
  return async (event: unknown, context?: Parameters<typeof tcb.getCloudbaseContext>[0]): Promise<Result<unknown>> => {
    app ??= tcb.init({ env: tcb.SYMBOL_CURRENT_ENV })
    db ??= app.database()
    wechat ??= cloudWechat(app)
    files ??= cloudFiles(app)
    // read the caller from this invocation's context first (process.env is shared if an instance runs calls concurrently)
    const openId = tcb.getCloudbaseContext(context).WX_OPENID || app.auth().getUserInfo().openId
    return run(event, { db, openId: openId || null, wechat, files, publicUrl: process.env.XF_PUBLIC_URL ?? '' })
  }
}
