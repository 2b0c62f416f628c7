// CloudBase STORAGE, emulated: the `storage.*` actions of @cloudbase/node-sdk 3.x
// (src/storage/index.ts) plus the two plain-HTTP legs the SDK and browsers use:
//
//   storage.getUploadMetadata  { path, method: 'put' }
//       -> data { url, token, authorization, fileId, cosFileId, download_url }
//   PUT <url>  (headers: authorization, x-cos-security-token, x-cos-meta-fileid, key)
//       -> 200 '' on success, or a COS-style <Error> XML document (the SDK parses it)
//   storage.batchGetDownloadUrl { file_list: [{ fileid, max_age?, url_type? }] }  (≤ 50)
//       -> data { download_list: [{ fileID, tempFileURL, code, maxAge? , message? }] }
//   GET/HEAD <tempFileURL> = <base>/files/<cloudPath>?sign=…&t=<expiry, unix s>
//   storage.batchDeleteFile { fileid_list: [fileID] }
//       -> data { delete_list: [{ fileID, code, message? }] }
//
// fileID: cloud://<env>.<bucket>/<cloudPath>, bucket `<hex of env's first 2 chars>-<env>-1250000000`
// (the shape of a real CloudBase bucket). Files live under <dataDir>/files/<cloudPath>, each
// written to <dataDir>/files-tmp, fsync'd and renamed into place (then the directory is
// fsync'd) before any answer says it exists.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { createReadStream, promises as fsp } from 'node:fs'
import fs from 'node:fs'
import path from 'node:path'
import { EmulatorError, ErrorCode, invalidParam } from './errors'

/** Cloud limit of batchGetDownloadUrl (wx.cloud / node-sdk getTempFileURL docs: "一次最多取 50 个"). */
export const MAX_URLS_PER_CALL = 50
/** Default and maximum temp-URL lifetime (docs: "默认一天且最大不超过一天"). */
export const DEFAULT_MAX_AGE_S = 86_400
/** How long an upload authorization from getUploadMetadata stays valid (guess; COS signatures are short-lived). */
const UPLOAD_AUTH_TTL_MS = 15 * 60_000
/** Cap on one PUT body (COS allows 5 GB per simple PUT; a local emulator needs far less). */
const DEFAULT_MAX_PUT_BYTES = 100 * 1024 * 1024

export type StorageOptions = {
  dataDir: string
  /** Environment id used in fileIDs (default 'local', as the runtime's tcb.init uses). */
  env?: string
  /** Public base URL of the HTTP server hosting the /cos and /files routes (settable later). */
  publicUrl?: string
  maxPutBytes?: number
}

type Params = Record<string, unknown>
type Answer = { data?: unknown; top?: Record<string, unknown> }

/** Image types accepted by the H5 upload route, by magic bytes. */
export type ImageType = { mime: string; ext: string }

export function sniffImage(buf: Buffer): ImageType | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return { mime: 'image/jpeg', ext: 'jpg' }
  if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return { mime: 'image/png', ext: 'png' }
  if (buf.length >= 6 && /^GIF8[79]a$/.test(buf.toString('latin1', 0, 6))) return { mime: 'image/gif', ext: 'gif' }
  if (buf.length >= 12 && buf.toString('latin1', 0, 4) === 'RIFF' && buf.toString('latin1', 8, 12) === 'WEBP')
    return { mime: 'image/webp', ext: 'webp' }
  return null
}

/**
 * Voice notes accepted by the H5 upload route, by magic bytes: what browsers' MediaRecorder
 * produces — WebM (Chromium; an EBML header whose DocType is "webm") and Ogg (Firefox). The
 * mini-program records mp3/aac straight into cloud storage and never comes through here.
 */
export function sniffAudio(buf: Buffer): ImageType | null {
  if (buf.length >= 4 && buf[0] === 0x1a && buf[1] === 0x45 && buf[2] === 0xdf && buf[3] === 0xa3 && buf.subarray(0, 64).includes('webm', 0, 'latin1'))
    return { mime: 'audio/webm', ext: 'webm' }
  if (buf.length >= 4 && buf.toString('latin1', 0, 4) === 'OggS') return { mime: 'audio/ogg', ext: 'ogg' }
  return null
}

/** Content types for non-image files; anything that a browser could execute (html, svg, js, xml) is served as a download. */
const SAFE_TYPES: Record<string, string> = {
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json',
  '.pdf': 'application/pdf',
  '.mp3': 'audio/mpeg',
  '.aac': 'audio/aac',
  '.m4a': 'audio/mp4',
  '.webm': 'audio/webm',
  '.ogg': 'audio/ogg',
  '.mp4': 'video/mp4',
  '.csv': 'text/csv; charset=utf-8',
}

/**
 * CloudBase's naming rules (docs "文件命名规则"): not empty, no leading '/', no consecutive '/',
 * ≤ 850 bytes encoded; recommended [a-zA-Z0-9] and - ! _ . *. We also accept letters of any
 * script (Chinese names) and ( ) and refuse everything the docs call special ( ` ^ " \ { } [ ] ~ % # > <
 * space ? & …), '.'/'..' segments and a trailing '/' (a folder, not a file).
 */
export function checkCloudPath(p: unknown): string {
  if (typeof p !== 'string' || p === '') throw invalidParam('cloudPath 不能为空')
  if (p.startsWith('/')) throw invalidParam('cloudPath 不能以 / 开头')
  if (p.includes('//')) throw invalidParam('cloudPath 不能包含连续的 /')
  if (p.endsWith('/')) throw invalidParam('cloudPath 必须是文件路径，不能以 / 结尾')
  if (Buffer.byteLength(encodeURIComponent(p)) > 850) throw invalidParam('cloudPath 过长（编码后最多 850 字节）')
  if (!/^[\p{L}\p{N}\-!_.*()/]+$/u.test(p)) throw invalidParam(`cloudPath 含有不支持的字符: ${p}`)
  if (p.split('/').some((s) => s === '.' || s === '..')) throw invalidParam('cloudPath 不能包含 . 或 .. 路径段')
  return p
}

function fsyncDir(dir: string): Promise<void> {
  return fsp.open(dir, 'r').then(async (fh) => {
    try {
      await fh.sync()
    } finally {
      await fh.close()
    }
  })
}

function cosError(res: ServerResponse, status: number, code: string, message: string, resource: string) {
  const id = randomBytes(16).toString('base64')
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  const xml =
    `<?xml version='1.0' encoding='utf-8' ?>\n<Error>\n\t<Code>${code}</Code>\n\t<Message>${esc(message)}</Message>\n` +
    `\t<Resource>${esc(resource)}</Resource>\n\t<RequestId>${id}</RequestId>\n\t<TraceId>${id}</TraceId>\n</Error>`
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml), 'x-cos-request-id': id })
  res.end(xml)
}

type PendingUpload = { cloudPath: string; token: string; expires: number }

export class Storage {
  readonly env: string
  readonly bucket: string
  readonly filesDir: string
  private readonly tmpDir: string
  private readonly key: Buffer
  private readonly maxPutBytes: number
  private base: string | undefined
  private readonly pending = new Map<string, PendingUpload>()

  constructor(opts: StorageOptions) {
    this.env = opts.env ?? 'local'
    this.bucket = `${Buffer.from(this.env.slice(0, 2)).toString('hex')}-${this.env}-1250000000`
    const dataDir = path.resolve(opts.dataDir)
    this.filesDir = path.join(dataDir, 'files')
    this.tmpDir = path.join(dataDir, 'files-tmp')
    this.maxPutBytes = opts.maxPutBytes ?? DEFAULT_MAX_PUT_BYTES
    this.base = opts.publicUrl?.replace(/\/+$/, '')
    fs.mkdirSync(this.filesDir, { recursive: true })
    fs.rmSync(this.tmpDir, { recursive: true, force: true }) // leftovers of writes cut off by a crash
    fs.mkdirSync(this.tmpDir, { recursive: true })
    // The URL-signing key persists so temp URLs survive a restart (as cloud URLs survive a deploy).
    const keyFile = path.join(dataDir, 'storage.key')
    let key: Buffer | null = null
    try {
      key = Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'hex')
    } catch {
      key = null
    }
    if (!key || key.length < 32) {
      key = randomBytes(32)
      const tmp = `${keyFile}.${process.pid}.tmp`
      const fd = fs.openSync(tmp, 'w')
      try {
        fs.writeSync(fd, key.toString('hex'))
        fs.fsyncSync(fd)
      } finally {
        fs.closeSync(fd)
      }
      fs.renameSync(tmp, keyFile)
    }
    this.key = key
  }

  setPublicUrl(url: string): void {
    this.base = url.replace(/\/+$/, '')
  }

  get publicUrl(): string | undefined {
    return this.base
  }

  private requireBase(): string {
    if (!this.base) throw new EmulatorError(ErrorCode.SYS_ERR, 'storage emulator has no public URL (Emulator.setPublicUrl)')
    return this.base
  }

  fileIdOf(cloudPath: string): string {
    return `cloud://${this.env}.${this.bucket}/${cloudPath}`
  }

  /** The cloud path of one of our fileIDs; null for a fileID of another env/bucket or a malformed one. */
  cloudPathOf(fileId: string): string | null {
    const prefix = `cloud://${this.env}.${this.bucket}/`
    if (!fileId.startsWith(prefix)) return null
    try {
      return checkCloudPath(fileId.slice(prefix.length))
    } catch {
      return null
    }
  }

  private absPath(cloudPath: string): string {
    const abs = path.resolve(this.filesDir, ...checkCloudPath(cloudPath).split('/'))
    const rel = path.relative(this.filesDir, abs)
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) throw invalidParam('cloudPath outside the storage')
    return abs
  }

  private sign(cloudPath: string, t: number): string {
    return createHmac('sha256', this.key).update(`${cloudPath}\n${t}`).digest('base64url').slice(0, 32)
  }

  // -------------------------------------------------------------------------
  // Files

  /** Store bytes at cloudPath durably (temp file, fsync, rename, fsync dir); resolves with the fileID. */
  async putFile(cloudPath: string, bytes: Buffer): Promise<string> {
    const abs = this.absPath(cloudPath)
    const tmp = path.join(this.tmpDir, randomBytes(12).toString('hex'))
    const fh = await fsp.open(tmp, 'wx')
    try {
      await fh.writeFile(bytes)
      await fh.sync()
    } finally {
      await fh.close()
    }
    try {
      // create missing parents, making each new directory entry durable in its parent
      const missing: string[] = []
      for (let d = path.dirname(abs); d !== this.filesDir; d = path.dirname(d)) {
        const st = await fsp.stat(d).catch(() => null)
        if (st?.isDirectory()) break
        if (st) throw invalidParam(`cloudPath 冲突: ${path.relative(this.filesDir, d)} 是一个文件`)
        missing.unshift(d)
      }
      for (const d of missing) {
        await fsp.mkdir(d).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'EEXIST') throw e
        })
        await fsyncDir(path.dirname(d))
      }
      const st = await fsp.stat(abs).catch(() => null)
      if (st?.isDirectory()) throw invalidParam(`cloudPath 冲突: ${cloudPath} 是一个目录`)
      await fsp.rename(tmp, abs)
      await fsyncDir(path.dirname(abs))
    } catch (e) {
      await fsp.rm(tmp, { force: true })
      throw e
    }
    return this.fileIdOf(cloudPath)
  }

  async exists(cloudPath: string): Promise<boolean> {
    const st = await fsp.stat(this.absPath(cloudPath)).catch(() => null)
    return !!st?.isFile()
  }

  /** Remove a file durably; false if there was none. */
  async deleteFile(cloudPath: string): Promise<boolean> {
    const abs = this.absPath(cloudPath)
    const st = await fsp.stat(abs).catch(() => null)
    if (!st?.isFile()) return false
    await fsp.unlink(abs)
    await fsyncDir(path.dirname(abs))
    return true
  }

  /** A signed download URL, valid maxAge seconds (clamped to 1 s … 1 day). */
  tempUrl(cloudPath: string, maxAgeS = DEFAULT_MAX_AGE_S): string {
    const age = Math.min(Math.max(Math.floor(maxAgeS), 1), DEFAULT_MAX_AGE_S)
    const t = Math.floor(Date.now() / 1000) + age
    // The path stays unencoded, as the SDK expects (downloadFile() applies encodeURI to tempFileURL).
    return `${this.requireBase()}/files/${cloudPath}?sign=${this.sign(cloudPath, t)}&t=${t}`
  }

  // -------------------------------------------------------------------------
  // Protocol actions

  dispatch(action: string, p: Params): Promise<Answer> {
    switch (action) {
      case 'storage.getUploadMetadata':
        return this.getUploadMetadata(p)
      case 'storage.batchGetDownloadUrl':
        return this.batchGetDownloadUrl(p)
      case 'storage.batchDeleteFile':
        return this.batchDeleteFile(p)
      default:
        throw new EmulatorError(ErrorCode.INVALID_ACTION, `invalid action: ${action} is not a supported storage action`)
    }
  }

  private async getUploadMetadata(p: Params): Promise<Answer> {
    const cloudPath = checkCloudPath(p.path)
    if (p.method !== undefined && p.method !== 'put') throw invalidParam('only method "put" uploads are supported')
    const base = this.requireBase()
    const now = Date.now()
    for (const [k, v] of this.pending) if (v.expires < now) this.pending.delete(k)
    const authorization = `q-sign-algorithm=sha1&q-ak=local&q-sign-time=${Math.floor(now / 1000)};${Math.floor(
      (now + UPLOAD_AUTH_TTL_MS) / 1000,
    )}&q-signature=${randomBytes(20).toString('hex')}`
    const token = randomBytes(24).toString('base64url')
    this.pending.set(authorization, { cloudPath, token, expires: now + UPLOAD_AUTH_TTL_MS })
    const encoded = cloudPath.split('/').map(encodeURIComponent).join('/')
    return {
      data: {
        url: `${base}/cos/${encoded}`,
        token,
        authorization,
        fileId: this.fileIdOf(cloudPath),
        cosFileId: randomBytes(16).toString('hex'),
        download_url: `${base}/files/${cloudPath}`,
      },
    }
  }

  private fileIdList(v: unknown, what: string): unknown[] {
    if (!Array.isArray(v)) throw invalidParam(`${what} must be an array`)
    if (v.length > MAX_URLS_PER_CALL) throw invalidParam(`${what} 最多 ${MAX_URLS_PER_CALL} 个文件，收到 ${v.length} 个`)
    return v
  }

  private async batchGetDownloadUrl(p: Params): Promise<Answer> {
    const list = this.fileIdList(p.file_list, 'file_list')
    this.requireBase()
    const download_list = await Promise.all(
      list.map(async (item) => {
        const o = (item && typeof item === 'object' ? item : {}) as Params
        const fileID = typeof o.fileid === 'string' ? o.fileid : ''
        const cloudPath = this.cloudPathOf(fileID)
        if (!cloudPath || !(await this.exists(cloudPath)))
          return { fileID, tempFileURL: '', code: 'STORAGE_FILE_NONEXIST', message: 'storage file not exist' }
        const maxAge = typeof o.max_age === 'number' && o.max_age > 0 ? o.max_age : DEFAULT_MAX_AGE_S
        return { fileID, tempFileURL: this.tempUrl(cloudPath, maxAge), code: 'SUCCESS', maxAge: Math.min(maxAge, DEFAULT_MAX_AGE_S) }
      }),
    )
    return { data: { download_list } }
  }

  private async batchDeleteFile(p: Params): Promise<Answer> {
    const raw = p.fileid_list
    if (!Array.isArray(raw)) throw invalidParam('fileid_list must be an array')
    const delete_list = []
    for (const fileID of raw) {
      const cloudPath = typeof fileID === 'string' ? this.cloudPathOf(fileID) : null
      if (cloudPath && (await this.deleteFile(cloudPath))) delete_list.push({ fileID, code: 'SUCCESS' })
      else delete_list.push({ fileID, code: 'STORAGE_FILE_NONEXIST', message: 'storage file not exist' })
    }
    return { data: { delete_list } }
  }

  // -------------------------------------------------------------------------
  // HTTP legs

  /** PUT /cos/<cloudPath>: the upload the SDK performs with the getUploadMetadata answer. */
  async handleCosPut(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawPath = (req.url ?? '').split('?')[0].replace(/^\/cos\//, '')
    let cloudPath: string
    try {
      cloudPath = checkCloudPath(decodeURIComponent(rawPath))
    } catch {
      req.resume()
      return cosError(res, 400, 'InvalidURI', 'invalid object key', `/${rawPath}`)
    }
    const auth = req.headers.authorization ?? ''
    const grant = this.pending.get(auth)
    if (!grant || grant.expires < Date.now()) {
      req.resume()
      return cosError(res, 403, 'AccessDenied', 'Request has expired or the authorization is invalid', `/${cloudPath}`)
    }
    if (grant.cloudPath !== cloudPath || req.headers['x-cos-security-token'] !== grant.token) {
      req.resume()
      return cosError(res, 403, 'SignatureDoesNotMatch', 'The Signature you specified does not match this key', `/${cloudPath}`)
    }
    const chunks: Buffer[] = []
    let size = 0
    let tooLarge = false
    for await (const c of req) {
      size += (c as Buffer).length
      if (size > this.maxPutBytes) tooLarge = true
      else chunks.push(c as Buffer)
    }
    if (tooLarge) return cosError(res, 400, 'EntityTooLarge', `object larger than ${this.maxPutBytes} bytes`, `/${cloudPath}`)
    await this.putFile(cloudPath, Buffer.concat(chunks))
    res.writeHead(200, { 'content-length': 0, etag: `"${randomBytes(16).toString('hex')}"` })
    res.end()
  }

  /** GET/HEAD /files/<cloudPath>?sign=…&t=…: a temp URL from batchGetDownloadUrl. */
  async handleFileGet(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x')
    let cloudPath: string
    try {
      cloudPath = checkCloudPath(decodeURIComponent(url.pathname.replace(/^\/files\//, '')))
    } catch {
      return cosError(res, 400, 'InvalidURI', 'invalid object key', url.pathname)
    }
    const t = Number(url.searchParams.get('t'))
    const sign = Buffer.from(url.searchParams.get('sign') ?? '')
    const want = Buffer.from(Number.isInteger(t) ? this.sign(cloudPath, t) : '')
    if (!Number.isInteger(t) || sign.length !== want.length || !timingSafeEqual(sign, want))
      return cosError(res, 403, 'AccessDenied', 'Access Denied (missing or invalid sign)', `/${cloudPath}`)
    if (t < Date.now() / 1000) return cosError(res, 403, 'AccessDenied', 'Request has expired', `/${cloudPath}`)
    const abs = this.absPath(cloudPath)
    const st = await fsp.stat(abs).catch(() => null)
    if (!st?.isFile()) return cosError(res, 404, 'NoSuchKey', 'The specified key does not exist.', `/${cloudPath}`)
    const head = Buffer.alloc(16)
    const fh = await fsp.open(abs, 'r')
    try {
      await fh.read(head, 0, 16, 0)
    } finally {
      await fh.close()
    }
    const image = sniffImage(head.subarray(0, Math.min(16, st.size)))
    const type = image?.mime ?? SAFE_TYPES[path.extname(abs).toLowerCase()] ?? 'application/octet-stream'
    const headers: Record<string, string | number> = {
      'content-type': type,
      'content-length': st.size,
      'cache-control': 'private, max-age=3600',
      'x-content-type-options': 'nosniff',
      // Uploaded files share the runtime's origin: never let one run script there.
      'content-security-policy': "default-src 'none'; sandbox",
    }
    if (!image && !SAFE_TYPES[path.extname(abs).toLowerCase()]) headers['content-disposition'] = 'attachment'
    res.writeHead(200, headers)
    if (req.method === 'HEAD') return void res.end()
    createReadStream(abs)
      .on('error', () => res.destroy()) // e.g. deleted mid-read: never an uncaught stream error
      .pipe(res)
  }
}
