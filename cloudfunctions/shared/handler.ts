import { z } from 'zod'
import {
  AppError,
  API,
  SERVICE_TROUBLE,
  describeZodError,
  hasControlChars,
  RATE_LIMITS,
  type ActionName,
  type ActionOutput,
  type Failure,
  type FunctionName,
  type Result,
} from '../../src/core'
import { lazyCaller } from './caller'
import type { Db, Deps, FaultPort } from './context'
import { noFiles, type FilesPort } from './files'
import { consumeRateLimit, rateCaller } from './rateLimit'
import { localWechat, type WechatPort } from './wechat'

type Input<F extends FunctionName, A extends ActionName<F>> = z.output<(typeof API)[F][A] & z.ZodType>
type Output<F extends FunctionName, A extends ActionName<F>> = ActionOutput[F][A & keyof ActionOutput[F]]

/** One cloud function = one domain: a map from action to service. */
export type Handlers<F extends FunctionName> = {
  [A in ActionName<F>]: (deps: Deps, input: Input<F, A>) => Promise<Output<F, A>>
}

export const eventSchema = z.object({ action: z.string().min(1).max(40), data: z.unknown().optional() })

/**
 * What the platform hands a function: the database, who calls, and the ports.
 * Cloud: cloudMain passes the WeChat and storage adapters; the local runtime
 * passes its recording port and emulated storage. Absent ports (direct calls
 * in tests) fall back to a local WeChat port and no storage.
 */
export type Invocation = {
  db: Db
  openId: string | null
  now?: () => Date
  wechat?: WechatPort
  files?: FilesPort
  publicUrl?: string
  /** the caller's address when the platform gives one (HTTP calls): keys anonymous callers' rate limits */
  clientIp?: string
  /** false: no rate limits (only the local runtime sets it, for benchmarks) */
  rateLimits?: boolean
  /** tests calling `run` directly only: where to stop as if the process died (Deps.faults) */
  faults?: FaultPort
}

let fallbackWechat: WechatPort | undefined

/**
 * Parse the event, route the action, map every error to `{ ok: false, code, message }`.
 * This is the whole of what a function entry does, in the cloud and locally.
 */
export function createFunction<F extends FunctionName>(name: F, handlers: Handlers<F>) {
  return async function run(event: unknown, inv: Invocation): Promise<Result<unknown>> {
    try {
      const ev = eventSchema.safeParse(event)
      if (!ev.success) throw new AppError('VALIDATION', '请求格式不正确：缺少 action')
      const schemas = API[name] as Record<string, z.ZodType>
      if (!Object.prototype.hasOwnProperty.call(schemas, ev.data.action)) {
        throw new AppError('UNKNOWN_ACTION', `不支持的操作：${ev.data.action}`)
      }
      const parsed = schemas[ev.data.action].safeParse(ev.data.data ?? {})
      if (!parsed.success) throw new AppError('VALIDATION', describeZodError(parsed.error), parsed.error.issues)
      if (hasControlChars(parsed.data)) throw new AppError('VALIDATION', '输入里有无法识别的字符（如控制字符），请检查后重新输入')
      const now = inv.now ?? (() => new Date())
      // per-caller limits (RATE_LIMITS), counted before the service writes anything; anonymous
      // calls of signed-in actions are left to the service, which refuses them
      const limit = RATE_LIMITS[`${name}.${ev.data.action}`]
      if (limit && inv.rateLimits !== false && (inv.openId || limit.anonymous) && (limit.counts?.(parsed.data) ?? true)) {
        await consumeRateLimit(inv.db, `${name}.${ev.data.action}`, rateCaller(inv.openId, inv.clientIp), limit, now())
      }
      const deps: Deps = {
        db: inv.db,
        openId: inv.openId,
        now,
        caller: lazyCaller(inv.db, inv.openId),
        wechat: inv.wechat ?? (fallbackWechat ??= localWechat()),
        files: inv.files ?? noFiles,
        publicUrl: (inv.publicUrl ?? '').replace(/\/+$/, ''),
        ...(inv.faults ? { faults: inv.faults } : {}),
      }
      const handler = (handlers as Record<string, (d: Deps, i: unknown) => Promise<unknown>>)[ev.data.action]
      return { ok: true, data: await handler(deps, parsed.data) }
    } catch (e) {
      return toFailure(e)
    }
  }
}

export function toFailure(e: unknown): Failure {
  if (e instanceof AppError) return { ok: false, code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) }
  console.error('[function] unexpected error', e)
  return { ok: false, code: 'INTERNAL', message: SERVICE_TROUBLE }
}
