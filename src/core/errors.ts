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
  | 'INTERNAL'

export class AppError extends Error {
  constructor(public readonly code: ErrorCode, message: string, public readonly details?: unknown) {
    super(message)
    this.name = 'AppError'
  }
}

export type Failure = { ok: false; code: ErrorCode; message: string; details?: unknown }
export type Success<T> = { ok: true; data: T }
export type Result<T> = Success<T> | Failure
