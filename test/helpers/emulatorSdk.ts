// The emulator on a local port with the real SDK pointed at it: what the emulator's own suites share.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import tcb from '@cloudbase/node-sdk'
import type { Emulator } from '../../emulator'

export type Db = ReturnType<ReturnType<typeof tcb.init>['database']>

/** The real SDK's database for an emulator at `url` (…/tcb). */
export function sdk(url: string): Db {
  return tcb.init({ env: 'local', secretId: 'local', secretKey: 'local', serviceUrl: url, timeout: 10_000 }).database()
}

/** Serve `em` on a free port: the server, its /tcb URL and an SDK database on it. */
export async function serve(em: Emulator): Promise<{ server: http.Server; url: string; db: Db }> {
  const server = http.createServer((req, res) => void em.requestListener(req, res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tcb`
  return { server, url, db: sdk(url) }
}

export async function stop(server: http.Server) {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function failure(p: Promise<unknown>): Promise<{ code?: string; message?: string }> {
  try {
    await p
  } catch (e) {
    return e as { code?: string; message?: string }
  }
  throw new Error('expected the call to fail')
}
