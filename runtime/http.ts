import type { IncomingMessage, ServerResponse } from 'node:http'
import { createReadStream, promises as fs } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import zlib from 'node:zlib'

const MAX_BODY = 12 * 1024 * 1024
const brotli = promisify(zlib.brotliCompress)
const gzipped = promisify(zlib.gzip)

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const c of req) {
    size += (c as Buffer).length
    if (size > MAX_BODY) throw Object.assign(new Error('body too large'), { status: 413 })
    chunks.push(c as Buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  if (!text) return {}
  try {
    return JSON.parse(text)
  } catch {
    throw Object.assign(new Error('invalid JSON'), { status: 400 })
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
  res.end(text)
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
}

/** Script and style names carry a content hash (config/index.ts): a changed file gets a new name. */
const HASHED = /\.[0-9a-f]{8,}\.(js|css)$/
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.svg', '.txt'])
type Packed = { mtimeMs: number; br: Buffer; gzip: Buffer }
/** Compressed once per file version: a weak link moves a third of the bytes, and nothing is compressed twice. */
const packed = new Map<string, Packed>()

async function compressed(file: string, mtimeMs: number): Promise<Packed> {
  const hit = packed.get(file)
  if (hit?.mtimeMs === mtimeMs) return hit
  const raw = await fs.readFile(file)
  const [br, gzip] = await Promise.all([
    brotli(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
    gzipped(raw, { level: 9 }),
  ])
  const p = { mtimeMs, br, gzip }
  packed.set(file, p)
  return p
}

/** The encoding to answer with: brotli, then gzip, when the client says it takes them (q=0 refuses). */
export function pickEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | null {
  const accepted = new Set(
    (acceptEncoding ?? '')
      .split(',')
      .map((p) => p.trim().toLowerCase().split(';'))
      .filter(([, q]) => !q || !/^q=0(\.0*)?$/.test(q.trim()))
      .map(([name]) => name),
  )
  return accepted.has('br') ? 'br' : accepted.has('gzip') ? 'gzip' : null
}

/**
 * Serve a built H5 app: files as they are, anything else falls back to index.html.
 * Text is sent brotli- or gzip-compressed when the client accepts it; hashed scripts and styles
 * are cached for a year, index.html is revalidated every time (it names the current hashes).
 */
export async function serveStatic(root: string, urlPath: string, res: ServerResponse, acceptEncoding?: string) {
  let rel: string
  try {
    rel = decodeURIComponent(urlPath.split('?')[0]).replace(/^\/+/, '')
  } catch {
    return sendJson(res, 400, { error: 'malformed URL encoding' })
  }
  let file = path.resolve(root, rel || 'index.html')
  const inside = path.relative(path.resolve(root), file)
  if (inside.startsWith('..') || path.isAbsolute(inside)) return sendJson(res, 403, { error: 'forbidden' })
  let stat = await fs.stat(file).catch(() => null)
  if (!stat || stat.isDirectory()) {
    file = path.join(root, 'index.html')
    stat = await fs.stat(file).catch(() => null)
  }
  if (!stat) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
    return res.end('H5 build not found: run `npm run build:h5` (npm start does it for you).')
  }
  const ext = path.extname(file)
  const headers: Record<string, string | number> = {
    'content-type': TYPES[ext] ?? 'application/octet-stream',
    'cache-control': ext === '.html' ? 'no-cache' : HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'public, max-age=3600',
  }
  const encoding = COMPRESSIBLE.has(ext) && stat.size >= 1024 ? pickEncoding(acceptEncoding) : null
  if (encoding) {
    const body = (await compressed(file, stat.mtimeMs))[encoding]
    res.writeHead(200, { ...headers, 'content-encoding': encoding, 'content-length': body.length, vary: 'accept-encoding' })
    return res.end(body)
  }
  res.writeHead(200, { ...headers, 'content-length': stat.size, ...(COMPRESSIBLE.has(ext) ? { vary: 'accept-encoding' } : {}) })
  createReadStream(file).pipe(res)
}
