// POST /upload: the H5 app's photo upload (Taro's H5 build has no Taro.cloud.uploadFile).
// Taro.uploadFile sends multipart/form-data: the file in field `file` (name configurable,
// we expect 'file'), extra `formData` fields as plain parts; we honour an optional
// `cloudPath`. The answer carries the same cloud:// fileID the SDK path yields.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { randomBytes } from 'node:crypto'
import { checkCloudPath, EmulatorError, sniffAudio, sniffImage, type Storage } from '../emulator'
import { sendJson } from './http'
import { uploadPrefix } from '../cloudfunctions/shared/files'

/** Issue 3: each photo ≤ 10 MB. */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024
/** A voice note: 60 s of Opus is well under 1 MB; twice that leaves room for any browser's bitrate. */
export const MAX_AUDIO_BYTES = 2 * 1024 * 1024
/** Room for the multipart framing and small fields around the file. */
const MAX_OVERHEAD = 256 * 1024
/** Past this we stop draining the request and drop the connection. */
const HARD_CAP = 64 * 1024 * 1024

export type Part = { name: string; filename?: string; contentType?: string; data: Buffer }

function headerParam(header: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|;)\\s*${name}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i').exec(header)
  if (!m) return undefined
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]
}

/** Parse a whole multipart/form-data body (RFC 7578). Throws on malformed input. */
export function parseMultipart(body: Buffer, contentType: string): Part[] {
  if (!/^multipart\/form-data\b/i.test(contentType)) throw new Error('content-type must be multipart/form-data')
  const boundary = headerParam(contentType, 'boundary')
  if (!boundary || boundary.length > 200) throw new Error('multipart boundary missing')
  const delim = Buffer.from(`--${boundary}`)
  const next = Buffer.from(`\r\n--${boundary}`)
  const parts: Part[] = []
  let pos = body.indexOf(delim)
  if (pos < 0) throw new Error('multipart body has no boundary')
  pos += delim.length
  for (;;) {
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return parts // closing "--boundary--"
    // transport padding then CRLF
    while (body[pos] === 0x20 || body[pos] === 0x09) pos++
    if (body[pos] !== 0x0d || body[pos + 1] !== 0x0a) throw new Error('malformed multipart body')
    pos += 2
    const headerEnd = body.indexOf('\r\n\r\n', pos)
    if (headerEnd < 0) throw new Error('malformed multipart part headers')
    const headers = new Map<string, string>()
    for (const line of body.toString('utf8', pos, headerEnd).split('\r\n')) {
      const i = line.indexOf(':')
      if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim())
    }
    const dataStart = headerEnd + 4
    const end = body.indexOf(next, dataStart)
    if (end < 0) throw new Error('multipart body is truncated')
    const disposition = headers.get('content-disposition') ?? ''
    const name = headerParam(disposition, 'name')
    if (!/^form-data\b/i.test(disposition) || name === undefined) throw new Error('multipart part without a name')
    parts.push({ name, filename: headerParam(disposition, 'filename'), contentType: headers.get('content-type'), data: body.subarray(dataStart, end) })
    pos = end + next.length
  }
}

/** Read the request body; null when it is larger than `limit` (the rest is drained, or the socket dropped past HARD_CAP). */
async function readLimited(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > HARD_CAP) {
    req.destroy()
    return null
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const c of req) {
    size += (c as Buffer).length
    if (size > HARD_CAP) {
      req.destroy()
      return null
    }
    if (size <= limit) chunks.push(c as Buffer)
  }
  return size > limit ? null : Buffer.concat(chunks)
}

function defaultCloudPath(openId: string, ext: string): string {
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '')
  return `${uploadPrefix(openId)}${day}/${Date.now().toString(36)}-${randomBytes(6).toString('hex')}.${ext}`
}

const IMAGE_EXT = /\.(jpe?g|png|webp|gif)$/i

/** Explicit cloud paths being written right now (so two concurrent uploads cannot both "create" one). */
const inFlight = new Set<string>()

/**
 * Handle POST /upload for a signed-in user (openId from the dev sign-in; null → 401).
 * Answers 200 { fileID } or 4xx { error } with a Chinese message.
 */
export async function handleUpload(req: IncomingMessage, res: ServerResponse, storage: Storage, openId: string | null): Promise<void> {
  if (!openId) {
    req.resume()
    return sendJson(res, 401, { error: '请先登录再上传图片' })
  }
  const contentType = req.headers['content-type'] ?? ''
  if (!/^multipart\/form-data\b/i.test(contentType)) {
    req.resume()
    return sendJson(res, 400, { error: '上传请求格式不对（需要 multipart/form-data）' })
  }
  const body = await readLimited(req, MAX_IMAGE_BYTES + MAX_OVERHEAD)
  if (!body) return sendJson(res, 413, { error: '图片不能超过 10 MB' })
  let parts: Part[]
  try {
    parts = parseMultipart(body, contentType)
  } catch {
    return sendJson(res, 400, { error: '上传内容格式不对，无法解析' })
  }
  const file = parts.find((p) => p.name === 'file' && p.filename !== undefined) ?? parts.find((p) => p.name === 'file')
  if (!file) return sendJson(res, 400, { error: '没有收到图片（字段名应为 file）' })
  if (file.data.length > MAX_IMAGE_BYTES) return sendJson(res, 413, { error: '图片不能超过 10 MB' })
  if (file.data.length === 0) return sendJson(res, 400, { error: '图片是空的' })
  const image = sniffImage(file.data)
  // a voice note (按住说话): only the formats a browser's recorder makes, and small
  const audio = image ? null : sniffAudio(file.data)
  if (!image && !audio) return sendJson(res, 400, { error: '只能上传图片（JPEG、PNG、WebP 或 GIF）或录音（WebM、Ogg）' })
  if (audio && file.data.length > MAX_AUDIO_BYTES) return sendJson(res, 413, { error: '录音不能超过 2 MB' })
  const kind = (image ?? audio)!
  const requested = parts.find((p) => p.name === 'cloudPath' && p.filename === undefined)?.data.toString('utf8').trim()
  if (requested) {
    let cloudPath: string
    try {
      cloudPath = checkCloudPath(requested)
    } catch (e) {
      return sendJson(res, 400, { error: `cloudPath 不合法：${(e as Error).message}` })
    }
    if (image && !IMAGE_EXT.test(cloudPath)) return sendJson(res, 400, { error: 'cloudPath 必须以图片扩展名结尾（.jpg .jpeg .png .webp .gif）' })
    if (audio && !cloudPath.toLowerCase().endsWith(`.${audio.ext}`)) return sendJson(res, 400, { error: `cloudPath 必须以 .${audio.ext} 结尾` })
    if (!cloudPath.startsWith(uploadPrefix(openId))) return sendJson(res, 403, { error: `只能上传到自己的目录（${uploadPrefix(openId)}）` })
    // Without storage rules to say who owns what, never let one user replace another's file.
    const key = `${storage.filesDir}\0${cloudPath}`
    const taken = () => sendJson(res, 409, { error: '这个路径已经有文件了，请换一个 cloudPath' })
    if (inFlight.has(key)) return taken()
    inFlight.add(key)
    try {
      if (await storage.exists(cloudPath)) return taken()
      return await store(cloudPath)
    } finally {
      inFlight.delete(key)
    }
  }
  return store(defaultCloudPath(openId, kind.ext))

  async function store(cloudPath: string) {
    try {
      const fileID = await storage.putFile(cloudPath, file!.data)
      return sendJson(res, 200, { fileID })
    } catch (e) {
      if (e instanceof EmulatorError) return sendJson(res, 400, { error: e.message })
      throw e
    }
  }
}
