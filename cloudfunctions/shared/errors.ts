import { AppError } from '../../src/core'

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what}不存在或已删除`)

export const unauthenticated = () => new AppError('UNAUTHENTICATED', '请先登录')

/** The database refused an insert because the _id (or a unique index) exists already. */
export function isDuplicateKey(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown }
  return /duplicate/i.test(String(err?.code ?? '')) || /duplicate key|E11000/i.test(String(err?.message ?? ''))
}
