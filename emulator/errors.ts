// Error codes answered by the emulator. Names follow the CloudBase error-code
// catalogue (docs.cloudbase.net/error-code) and @cloudbase/database's ERRORS.

export const ErrorCode = {
  INVALID_ACTION: 'INVALID_ACTION',
  INVALID_PARAM: 'INVALID_PARAM',
  SYS_ERR: 'SYS_ERR',
  COLLECTION_NOT_EXIST: 'DATABASE_COLLECTION_NOT_EXIST',
  COLLECTION_ALREADY_EXIST: 'DATABASE_COLLECTION_ALREADY_EXIST',
  DUPLICATE_WRITE: 'DATABASE_DUPLICATE_WRITE',
  REQUEST_FAILED: 'DATABASE_REQUEST_FAILED',
  /** The SDK's runTransaction retries on exactly this code. */
  TRANSACTION_CONFLICT: 'DATABASE_TRANSACTION_CONFLICT',
  /** Unknown, finished or expired transaction (the cloud expires them after 30 s). */
  TRANSACTION_FAIL: 'DATABASE_TRANSACTION_FAIL',
} as const

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode]

/** An error that is answered to the client as `{ code, message, requestId }`. */
export class EmulatorError extends Error {
  readonly code: string

  constructor(code: string, message: string) {
    super(message)
    this.name = 'EmulatorError'
    this.code = code
  }
}

export const collectionNotExist = (name: string) =>
  new EmulatorError(
    ErrorCode.COLLECTION_NOT_EXIST,
    `[ResourceNotFound] Db or Table not exist: ${name}. errCode: -502005 database collection not exists`,
  )

export const invalidParam = (message: string) => new EmulatorError(ErrorCode.INVALID_PARAM, message)

/** Wrap an error thrown by mingo (unknown/unsupported operator, bad operand...) into a client error. */
export function fromEngineError(e: unknown, what: string): EmulatorError {
  if (e instanceof EmulatorError) return e
  const message = e instanceof Error ? e.message : String(e)
  const unsupported = /unknown|unregistered|not supported|unsupported|requires 'scriptEnabled'/i.test(message)
  return unsupported
    ? new EmulatorError(ErrorCode.INVALID_PARAM, `unsupported operator in ${what}: ${message}`)
    : new EmulatorError(ErrorCode.REQUEST_FAILED, `database request failed (${what}): ${message}`)
}
