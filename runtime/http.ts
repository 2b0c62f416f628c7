import type { IncomingMessage, ServerResponse } from 'node:http'
import { createReadStream, promises as fs } from 'node:fs'
import path from 'node:path'

const MAX_BODY = 12 * 1024 * 1024

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

/** Serve a built H5 app: files as they are, anything else falls back to index.html. */
export async function serveStatic(root: string, urlPath: string, res: ServerResponse) {
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
  res.writeHead(200, {
    'content-type': TYPES[ext] ?? 'application/octet-stream',
    'content-length': stat.size,
    'cache-control': ext === '.html' ? 'no-cache' : 'public, max-age=3600',
  })
  createReadStream(file).pipe(res)
}
