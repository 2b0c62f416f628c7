import type { z } from 'zod'

// Errors that cross the function boundary. `code` is stable for programs,
// `message` is Chinese for people.
export type ErrorCode =
  | 'VALIDATION'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'GRID_INACTIVE'
  | 'INVALID_TRANSITION'
  | 'CONFLICT'
  | 'UNKNOWN_ACTION'
  | 'RATE_LIMITED'
  | 'INTERNAL'

/**
 * Failures another try can cure: the network (the client's NETWORK), the server, a rate limit
 * once its window has passed. An unknown code, a missing permission or a deactivated grid stay
 * as they are however often one retries, so no 重试 is offered for them. `null`: an error
 * that is not a server answer at all (the client's own), which may well pass.
 */
export const RETRYABLE_CODES: readonly string[] = ['NETWORK', 'INTERNAL', 'RATE_LIMITED']
export const retryHelps = (code: string | null | undefined): boolean => code == null || RETRYABLE_CODES.includes(code)

/** What a person is told when the service failed (an unexpected error, a function that crashed, a 5xx): not their network. */
export const SERVICE_TROUBLE = '服务暂时出了问题，请稍后再试'
/** …and when the request never got an answer: their network. */
export const NETWORK_TROUBLE = '网络连接不上，请检查网络后再试'

export class AppError extends Error {
  constructor(public readonly code: ErrorCode, message: string, public readonly details?: unknown) {
    super(message)
    this.name = 'AppError'
  }
}

export type Failure = { ok: false; code: ErrorCode; message: string; details?: unknown }
export type Success<T> = { ok: true; data: T }
export type Result<T> = Success<T> | Failure

/** First issue of a zod error as one Chinese sentence. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0]
  if (!issue) return '输入不正确'
  const msg = issue.message
  // zod's own (English) messages get a generic Chinese wrapper naming the field
  if (/^[\x00-\x7F]*$/.test(msg)) return `输入不正确：${issue.path.join('.') || '请求'}（${msg}）`
  return msg
}
