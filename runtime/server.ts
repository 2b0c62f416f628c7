import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import tcb from '@cloudbase/node-sdk'
import { queryParams, ROLE_LABEL, type Role, type User } from '../src/core'
import type { Db } from '../cloudfunctions/shared/context'
import { cloudFiles, type FilesPort } from '../cloudfunctions/shared/files'
import { localWechat, type WechatPort } from '../cloudfunctions/shared/wechat'
import { COLLECTIONS } from '../database/collections'
import { Emulator } from '../emulator'
import { DevSessions } from './devAuth'
import { FUNCTIONS, HTTP_FUNCTIONS } from './functions'
import { readJson, sendJson, serveStatic } from './http'
import { handleUpload } from './upload'
import type { DemoAccount } from './seed/demo'

export type RuntimeOptions = {
  dataDir: string
  port?: number
  host?: string
  h5Dir?: string
  /** accounts the dev sign-in offers */
  accounts?: DemoAccount[]
  quiet?: boolean
  /** Base URL browsers reach this runtime at, used in storage URLs (default http://127.0.0.1:<port>). */
  publicUrl?: string
  /** the WeChat port functions get (default: the local one — word list, sends recorded) */
  wechat?: WechatPort
  /** false: no per-caller rate limits (benchmarks); default on unless env XF_RATE_LIMITS=off */
  rateLimits?: boolean
}

export type Runtime = {
  url: string
  emulator: Emulator
  /** the real SDK, pointed at this runtime's emulator */
  db: Db
  /** the SDK app behind `db` (storage: uploadFile, getTempFileURL, deleteFile…) */
  app: ReturnType<typeof tcb.init>
  sessions: DevSessions
  /** the WeChat port the functions use here */
  wechat: WechatPort
  /** call a function as `openId`, as POST /fn/<name> does (`now`: an injected clock, for tests) */
  invoke(name: string, event: unknown, openId: string | null, now?: () => Date, clientIp?: string): Promise<unknown>
  /**
   * Tests: the instant functions called over HTTP see (null: the real time), e.g. the day
   * after a month ends, so that a browser test can publish that month's points.
   */
  setClock(now: (() => Date) | null): void
  close(): Promise<void>
}

/** Create every declared collection and index that does not exist yet (collections are never auto-created). */
export async function bootstrap(emulator: Emulator) {
  for (const c of COLLECTIONS) await emulator.createCollection(c.name, c.indexes)
}

/**
 * The local runtime: one process that is the CloudBase emulator (POST /tcb),
 * the functions (POST /fn/<name>, same code as the cloud, real SDK), the dev
 * sign-in (/dev/*), storage (PUT /cos/<path> uploads from the SDK, GET /files/<path>
 * signed downloads, POST /upload for the H5 app) and the H5 build (everything else).
 */
export async function startRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const emulator = await Emulator.open({ dataDir: opts.dataDir })
  await bootstrap(emulator)
  const sessions = new DevSessions()
  const h5Dir = opts.h5Dir ?? path.resolve(__dirname, '..', 'dist', 'h5')
  let db: Db | undefined
  let files: FilesPort | undefined
  const wechat = opts.wechat ?? localWechat()

  let publicUrl = ''
  let clock: (() => Date) | null = null
  const rateLimits = opts.rateLimits ?? process.env.XF_RATE_LIMITS !== 'off'
  async function invoke(name: string, event: unknown, openId: string | null, now?: () => Date, clientIp?: string) {
    const fn = Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? FUNCTIONS[name] : undefined
    if (!fn) return { ok: false, code: 'FUNCTION_NOT_FOUND', message: `云函数 ${name} 不存在` }
    return fn(event, { db: db!, openId, wechat, files, publicUrl, rateLimits, ...(clientIp ? { clientIp } : {}), ...(now ? { now } : {}) })
  }

  async function devUsers() {
    const ids = (opts.accounts ?? []).map((a) => a.id)
    if (!ids.length) return []
    const _ = db!.command
    const res = await db!.collection('users').where({ _id: _.in(ids) }).limit(100).get()
    const byId = new Map((res.data as User[]).map((u) => [u._id, u]))
    return (opts.accounts ?? [])
      .filter((a) => byId.has(a.id))
      .map((a) => {
        const u = byId.get(a.id)!
        const role: Role = u.roles[0]?.role ?? 'villager'
        return { id: u._id, name: u.name, role, roleLabel: ROLE_LABEL[role], label: a.label }
      })
  }

  /** host names this runtime answers to; anything else is a rebound DNS name (a foreign page posing as same-origin) */
  const allowedHosts = new Set<string>()
  const server = http.createServer(async (req, res) => {
    const url = req.url ?? '/'
    const pathname = url.split('?')[0]
    if (!allowedHosts.has((req.headers.host ?? '').toLowerCase())) {
      req.resume()
      return sendJson(res, 421, { error: 'unknown host name: open the runtime at its own address' })
    }
    try {
      // H5 photo upload: multipart, so exempt from the JSON-only rule below; it demands the
      // sign-in bearer token, which a cross-site form cannot send.
      if (pathname === '/upload' && req.method === 'POST')
        return await handleUpload(req, res, emulator.storage, sessions.resolve(req.headers.authorization))
      // The SDK's upload leg (URL from storage.getUploadMetadata); a PUT, so not a "simple" cross-site request.
      if (pathname.startsWith('/cos/') && req.method === 'PUT') return await emulator.storage.handleCosPut(req, res)
      if (pathname.startsWith('/files/') && (req.method === 'GET' || req.method === 'HEAD'))
        return await emulator.storage.handleFileGet(req, res)
      // Every other POST here is JSON. Demanding the header keeps other web pages (which can send
      // "simple" cross-site POSTs but not JSON ones without a CORS preflight) out of the local DB.
      if (req.method === 'POST' && !/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
        return sendJson(res, 415, { error: 'content-type must be application/json' })
      }
      if (req.method === 'POST' && url.startsWith('/tcb')) return await emulator.httpHandler(req, res)
      const fn = /^\/fn\/([A-Za-z0-9_-]+)$/.exec(url.split('?')[0])
      if (fn && req.method === 'POST') {
        const openId = sessions.resolve(req.headers.authorization)
        const event = await readJson(req)
        return sendJson(res, 200, { result: await invoke(fn[1], event, openId, clock ?? undefined, req.socket.remoteAddress), requestId: randomUUID() })
      }
      if (url === '/dev/users' && req.method === 'GET') return sendJson(res, 200, { users: await devUsers() })
      if (url === '/dev/login' && req.method === 'POST') {
        const body = (await readJson(req)) as { userId?: unknown }
        const users = await devUsers()
        const u = users.find((x) => x.id === body.userId)
        if (!u) return sendJson(res, 404, { error: '没有这个演示账号' })
        return sendJson(res, 200, { token: sessions.signIn(u.id), user: u })
      }
      if (url === '/dev/stats' && req.method === 'GET') return sendJson(res, 200, emulator.stats())
      if (url === '/healthz') return sendJson(res, 200, { ok: true })
      // Open311 GeoReport v2: public, read only, JSON (the cloud serves it from the open311 HTTP function)
      if (pathname.startsWith('/open311/') && (req.method === 'GET' || req.method === 'HEAD')) {
        const q = url.indexOf('?')
        const a = await HTTP_FUNCTIONS.open311({ method: req.method, path: pathname, query: queryParams(q < 0 ? '' : url.slice(q + 1)) }, { db: db!, ...(clock ? { now: clock } : {}) })
        return sendJson(res, a.status, a.body)
      }
      if (req.method === 'GET' || req.method === 'HEAD') return await serveStatic(h5Dir, url, res, req.headers['accept-encoding'])
      sendJson(res, 405, { error: 'method not allowed' })
    } catch (e) {
      const status = (e as { status?: number }).status ?? 500
      if (status === 500) console.error('[runtime]', e)
      if (!res.headersSent) sendJson(res, status, { error: (e as Error).message })
      else res.end()
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const base = `http://127.0.0.1:${port}`
  publicUrl = opts.publicUrl ?? base
  for (const h of ['127.0.0.1', 'localhost', '[::1]', opts.host ?? '127.0.0.1']) allowedHosts.add(`${h}:${port}`)
  allowedHosts.add(new URL(publicUrl).host.toLowerCase())
  emulator.setPublicUrl(publicUrl)
  // The real SDK, unchanged, pointed at the emulator; dummy credentials satisfy it.
  // TENCENTCLOUD tells it that it runs in a cloud function (as in production), so it does not
  // probe Tencent Cloud's metadata host before every request (~58 ms each, offline).
  process.env.TENCENTCLOUD ??= 'true'
  const app = tcb.init({ env: 'local', secretId: 'local', secretKey: 'local', serviceUrl: `${base}/tcb`, timeout: 30_000 })
  db = app.database()
  files = cloudFiles(app)

  return {
    url: base,
    emulator,
    db,
    app,
    sessions,
    wechat,
    invoke,
    setClock: (now) => {
      clock = now
    },
    async close() {
      server.closeAllConnections?.()
      await new Promise<void>((r) => server.close(() => r()))
      await emulator.close()
    },
  }
}
