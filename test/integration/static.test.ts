// The runtime serving the H5 build on a weak link: compressed text, year-long caching of
// content-hashed scripts and styles, index.html revalidated (it names the current hashes).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { pickEncoding } from '../../runtime/http'
import { startRuntime, type Runtime } from '../../runtime/server'

const get = (url: string, headers: Record<string, string> = {}) =>
  new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
      })
      .on('error', reject)
  })

describe('H5 static files', () => {
  let rt: Runtime
  let dataDir: string
  let h5Dir: string
  const script = `console.log(${JSON.stringify('网格服务 '.repeat(400))})\n`
  const html = `<!DOCTYPE html><html><head><title>幸福+码</title></head><body><div id="app"></div>${'<!-- padding -->'.repeat(100)}</body></html>`

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'xf-static-'))
    h5Dir = mkdtempSync(path.join(os.tmpdir(), 'xf-static-h5-'))
    mkdirSync(path.join(h5Dir, 'js'))
    writeFileSync(path.join(h5Dir, 'index.html'), html)
    writeFileSync(path.join(h5Dir, 'js', 'app.0123abcd.js'), script)
    writeFileSync(path.join(h5Dir, 'js', 'plain.js'), script)
    writeFileSync(path.join(h5Dir, 'js', 'tiny.js'), 'x()')
    rt = await startRuntime({ dataDir, h5Dir, quiet: true })
  })
  afterAll(async () => {
    await rt.close()
    rmSync(dataDir, { recursive: true, force: true })
    rmSync(h5Dir, { recursive: true, force: true })
  })

  test('brotli when accepted, else gzip, else as is; the same bytes after decoding', async () => {
    const br = await get(`${rt.url}/js/app.0123abcd.js`, { 'accept-encoding': 'gzip, deflate, br' })
    expect(br.headers['content-encoding']).toBe('br')
    expect(br.headers.vary).toBe('accept-encoding')
    expect(zlib.brotliDecompressSync(br.body).toString('utf8')).toBe(script)
    expect(br.body.length).toBeLessThan(Buffer.byteLength(script) / 5)

    const gz = await get(`${rt.url}/js/app.0123abcd.js`, { 'accept-encoding': 'gzip' })
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(zlib.gunzipSync(gz.body).toString('utf8')).toBe(script)

    const plain = await get(`${rt.url}/js/app.0123abcd.js`, { 'accept-encoding': 'identity' })
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body.toString('utf8')).toBe(script)

    // too small to gain anything: sent as it is
    expect((await get(`${rt.url}/js/tiny.js`, { 'accept-encoding': 'br' })).headers['content-encoding']).toBeUndefined()
  })

  test('hashed names are cached for a year, other files for an hour, index.html revalidated', async () => {
    expect((await get(`${rt.url}/js/app.0123abcd.js`)).headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect((await get(`${rt.url}/js/plain.js`)).headers['cache-control']).toBe('public, max-age=3600')
    const index = await get(`${rt.url}/`, { 'accept-encoding': 'br' })
    expect(index.headers['cache-control']).toBe('no-cache')
    expect(zlib.brotliDecompressSync(index.body).toString('utf8')).toBe(html)
    // a route of the single-page app falls back to index.html
    expect((await get(`${rt.url}/pages/scan/index`)).body.toString('utf8')).toBe(html)
  })

  test('Accept-Encoding is read as the client means it', () => {
    expect(pickEncoding('gzip, deflate, br')).toBe('br')
    expect(pickEncoding('br;q=0, gzip')).toBe('gzip')
    expect(pickEncoding('br;q=0.0,gzip;q=0')).toBeNull()
    expect(pickEncoding('BR')).toBe('br')
    expect(pickEncoding(undefined)).toBeNull()
    expect(pickEncoding('deflate')).toBeNull()
  })
})
