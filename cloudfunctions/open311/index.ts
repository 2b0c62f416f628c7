import tcb from '@cloudbase/node-sdk'
import { queryParams } from '../../src/core'
import type { Db } from '../shared/context'
import { answerOpen311, type Open311Answer } from '../services/open311'

/**
 * open311: Open311 GeoReport v2, read only and public — a function behind CloudBase's HTTP
 * access service (route /open311, see the README), not called by the app. It answers GET
 * …/v2/services.json, …/v2/requests.json and …/v2/requests/<id>.json with JSON. Anonymous:
 * it needs and reads no identity.
 */
export async function run(req: { method: string; path: string; query: Record<string, string> }, inv: { db: Db; now?: () => Date }): Promise<Open311Answer> {
  try {
    return await answerOpen311(inv.db, req, (inv.now ?? (() => new Date()))())
  } catch (e) {
    console.error('[open311] unexpected error', e)
    return { status: 500, body: [{ code: 500, description: 'internal error, please retry later' }] }
  }
}

/** The HTTP access service's event: method, path and query string; the answer is an integration response. */
type HttpEvent = { httpMethod?: string; path?: string; queryStringParameters?: Record<string, unknown> | null }

let db: Db | undefined
export async function main(event: HttpEvent) {
  db ??= tcb.init({ env: tcb.SYMBOL_CURRENT_ENV }).database()
  const a = await run({ method: String(event?.httpMethod ?? 'GET').toUpperCase(), path: String(event?.path ?? ''), query: queryParams(event?.queryStringParameters) }, { db })
  return {
    statusCode: a.status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'access-control-allow-origin': '*', 'cache-control': 'public, max-age=60' },
    body: JSON.stringify(a.body),
    isBase64Encoded: false,
  }
}
