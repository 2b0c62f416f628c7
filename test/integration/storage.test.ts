// CloudBase storage through the REAL @cloudbase/node-sdk against the local runtime,
// and the H5 upload route (POST /upload) the browser build uses instead.
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { startRuntime } from '../../runtime/server'
import { uploadPrefix } from '../../cloudfunctions/shared/files'
import { startTestRuntime, type TestRuntime } from '../helpers/runtime'

process.env.SILENCE = 'true'
jest.setTimeout(30_000)

// A real 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')
const FILE_ID = /^cloud:\/\/local\.6c6f-local-1250000000\/(.+)$/

let rt: TestRuntime
let token: string
beforeAll(async () => {
  rt = await startTestRuntime()
  token = rt.sessions.signIn('u_villager_zhang')
})
afterAll(() => rt.close())

async function h5Upload(bytes: Buffer, opts: { filename?: string; type?: string; cloudPath?: string; auth?: string | null } = {}) {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(bytes)], { type: opts.type ?? 'image/png' }), opts.filename ?? 'photo.png')
  if (opts.cloudPath) form.append('cloudPath', opts.cloudPath)
  const auth = opts.auth === undefined ? `Bearer ${token}` : opts.auth
  const res = await fetch(`${rt.url}/upload`, { method: 'POST', body: form, headers: auth ? { authorization: auth } : {} })
  return { status: res.status, body: (await res.json()) as { fileID?: string; error?: string } }
}

describe('SDK storage (uploadFile / getTempFileURL / deleteFile)', () => {
  test('uploadFile round trip: the temp URL serves the same bytes; deleteFile makes it fail', async () => {
    const bytes = randomBytes(70_000)
    const up = await rt.app.uploadFile({ cloudPath: 'orders/o1/现场照片-1.bin', fileContent: bytes })
    expect(up.fileID).toBe('cloud://local.6c6f-local-1250000000/orders/o1/现场照片-1.bin')
    expect(fs.readFileSync(path.join(rt.dataDir, 'files', 'orders', 'o1', '现场照片-1.bin')).equals(bytes)).toBe(true)

    const urls = await rt.app.getTempFileURL({ fileList: [up.fileID] })
    expect(urls.fileList).toHaveLength(1)
    expect(urls.fileList[0]).toMatchObject({ fileID: up.fileID, code: 'SUCCESS' })
    const url = urls.fileList[0].tempFileURL
    expect(url.startsWith(`${rt.url}/files/orders/o1/现场照片-1.bin?sign=`)).toBe(true)
    const got = await fetch(encodeURI(url))
    expect(got.status).toBe(200)
    expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true)
    expect(got.headers.get('content-disposition')).toBe('attachment') // not an image: never rendered inline

    // the SDK's own download path (encodeURI on tempFileURL) works too
    const dl = await rt.app.downloadFile({ fileID: up.fileID })
    expect(Buffer.from(dl.fileContent as Buffer).equals(bytes)).toBe(true)

    // a URL with a forged or missing sign is refused
    expect((await fetch(encodeURI(url.replace(/sign=[^&]+/, 'sign=AAAA')))).status).toBe(403)
    expect((await fetch(encodeURI(url.split('?')[0]))).status).toBe(403)

    const del = await rt.app.deleteFile({ fileList: [up.fileID, 'cloud://local.6c6f-local-1250000000/nope.png'] })
    expect(del.fileList).toEqual([
      { fileID: up.fileID, code: 'SUCCESS' },
      expect.objectContaining({ fileID: 'cloud://local.6c6f-local-1250000000/nope.png', code: 'STORAGE_FILE_NONEXIST' }),
    ])
    const after = await fetch(encodeURI(url))
    expect(after.status).toBe(404)
    expect(await after.text()).toContain('<Code>NoSuchKey</Code>')
    const again = await rt.app.getTempFileURL({ fileList: [up.fileID] })
    expect(again.fileList[0]).toMatchObject({ fileID: up.fileID, code: 'STORAGE_FILE_NONEXIST', tempFileURL: '' })
  })

  test('an image is served inline with its type; maxAge objects are accepted', async () => {
    const up = await rt.app.uploadFile({ cloudPath: 'orders/o2/a.png', fileContent: PNG })
    const urls = await rt.app.getTempFileURL({ fileList: [{ fileID: up.fileID, maxAge: 600 }] })
    const t = Number(new URL(urls.fileList[0].tempFileURL).searchParams.get('t'))
    expect(t - Date.now() / 1000).toBeGreaterThan(590)
    expect(t - Date.now() / 1000).toBeLessThanOrEqual(601)
    const res = await fetch(urls.fileList[0].tempFileURL)
    expect(res.headers.get('content-type')).toBe('image/png')
    expect(res.headers.get('content-disposition')).toBeNull()
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true)
    const info = await rt.app.getFileInfo({ fileList: [up.fileID] })
    expect(info.fileList[0]).toMatchObject({ code: 'SUCCESS', mime: 'image/png', size: PNG.length })
  })

  test('getTempFileURL takes at most 50 files per call, like the cloud', async () => {
    const up = await rt.app.uploadFile({ cloudPath: 'orders/o3/b.png', fileContent: PNG })
    const fifty = await rt.app.getTempFileURL({ fileList: Array(50).fill(up.fileID) })
    expect(fifty.fileList).toHaveLength(50)
    await expect(rt.app.getTempFileURL({ fileList: Array(51).fill(up.fileID) })).rejects.toMatchObject({ code: 'INVALID_PARAM' })
  })

  test('bad cloud paths are refused by getUploadMetadata', async () => {
    for (const cloudPath of ['/abs.png', 'a//b.png', '../x.png', 'a/../../x.png', 'a b.png', 'a?.png', 'dir/'])
      await expect(rt.app.uploadFile({ cloudPath, fileContent: PNG })).rejects.toMatchObject({ code: 'INVALID_PARAM' })
  })

  test('the upload URL only accepts the authorization it was issued with', async () => {
    const meta = await rt.app.getUploadMetadata({ cloudPath: 'orders/o4/c.png' })
    expect(meta.data).toMatchObject({ fileId: 'cloud://local.6c6f-local-1250000000/orders/o4/c.png', url: `${rt.url}/cos/orders/o4/c.png` })
    const forged = await fetch(meta.data.url, { method: 'PUT', body: PNG, headers: { authorization: 'q-sign-algorithm=sha1&forged' } })
    expect(forged.status).toBe(403)
    expect(await forged.text()).toContain('<Code>AccessDenied</Code>')
    const wrongPath = await fetch(`${rt.url}/cos/orders/o4/other.png`, {
      method: 'PUT',
      body: PNG,
      headers: { authorization: meta.data.authorization, 'x-cos-security-token': meta.data.token },
    })
    expect(wrongPath.status).toBe(403)
    expect(fs.existsSync(path.join(rt.dataDir, 'files', 'orders', 'o4'))).toBe(false)
  })

  test('download paths cannot leave the files directory', async () => {
    // raw request paths (fetch would normalise the dots away before sending)
    const rawGet = (p: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port: new URL(rt.url).port, path: p }, (res) => {
            let body = ''
            res.on('data', (c) => (body += c))
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
          })
          .on('error', reject)
      })
    const key = fs.readFileSync(path.join(rt.dataDir, 'storage.key'), 'utf8')
    for (const p of ['/files/../storage.key', '/files/%2e%2e/storage.key', '/files/..%2fstorage.key', '/files/%2fetc%2fpasswd', '/files/a/..%5c..%5cstorage.key']) {
      const r = await rawGet(p)
      expect(r.status).toBeGreaterThanOrEqual(400)
      expect(r.body).not.toContain(key)
    }
  })
})

describe('H5 upload (POST /upload)', () => {
  test('a real PNG becomes a fileID the SDK can turn into a URL', async () => {
    const r = await h5Upload(PNG)
    expect(r.status).toBe(200)
    const m = FILE_ID.exec(r.body.fileID!)
    // under the uploader's own prefix (a hash of the openId, which never appears in a URL)
    expect(m?.[1]).toMatch(/^uploads\/[0-9a-f]{20}\/\d{8}\/[0-9a-z]+-[0-9a-f]{12}\.png$/)
    expect(m?.[1].startsWith(uploadPrefix('u_villager_zhang'))).toBe(true)
    expect(m?.[1]).not.toContain('u_villager_zhang')
    const urls = await rt.app.getTempFileURL({ fileList: [r.body.fileID!] })
    expect(urls.fileList[0].code).toBe('SUCCESS')
    const res = await fetch(urls.fileList[0].tempFileURL)
    expect(res.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true)
  })

  test('an explicit cloudPath is honoured once, never overwritten, and only under one\'s own prefix', async () => {
    const own = `${uploadPrefix('u_villager_zhang')}o5/现场1.png`
    const first = await h5Upload(PNG, { cloudPath: own })
    expect(first).toEqual({ status: 200, body: { fileID: `cloud://local.6c6f-local-1250000000/${own}` } })
    expect((await h5Upload(PNG, { cloudPath: own })).status).toBe(409)
    expect((await h5Upload(PNG, { cloudPath: 'orders/o5/现场1.png' })).status).toBe(403)
    expect((await h5Upload(PNG, { cloudPath: `${uploadPrefix('u_villager_li')}x.png` })).status).toBe(403)
    expect((await h5Upload(PNG, { cloudPath: '../escape.png' })).status).toBe(400)
    expect((await h5Upload(PNG, { cloudPath: `${uploadPrefix('u_villager_zhang')}page.html` })).status).toBe(400)
  })

  test('a text file renamed .png is refused', async () => {
    const r = await h5Upload(Buffer.from('<script>alert(1)</script> not really a png'), { filename: 'evil.png', type: 'image/png' })
    expect(r.status).toBe(400)
    expect(r.body.error).toContain('只能上传图片')
  })

  test('more than 10 MB is refused', async () => {
    const big = Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024 + 1 - PNG.length)])
    const r = await h5Upload(big)
    expect(r.status).toBe(413)
    expect(r.body.error).toContain('10 MB')
    // exactly 10 MB is fine
    const ok = await h5Upload(big.subarray(0, 10 * 1024 * 1024))
    expect(ok.status).toBe(200)
  })

  test('without a valid sign-in token: 401', async () => {
    expect((await h5Upload(PNG, { auth: null })).status).toBe(401)
    expect((await h5Upload(PNG, { auth: 'Bearer not-a-token' })).status).toBe(401)
  })

  test('other POSTs still have to be JSON', async () => {
    const res = await fetch(`${rt.url}/fn/order`, { method: 'POST', body: 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    expect(res.status).toBe(415)
  })
})

test('files survive closing and reopening the runtime on the same data dir', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-storage-'))
  try {
    const bytes = randomBytes(5000)
    const a = await startRuntime({ dataDir })
    const { fileID } = await a.app.uploadFile({ cloudPath: 'keep/me.jpg', fileContent: bytes })
    const oldUrl = (await a.app.getTempFileURL({ fileList: [fileID] })).fileList[0].tempFileURL
    await a.close()

    const b = await startRuntime({ dataDir })
    try {
      const urls = await b.app.getTempFileURL({ fileList: [fileID] })
      expect(urls.fileList[0].code).toBe('SUCCESS')
      const res = await fetch(urls.fileList[0].tempFileURL)
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true)
      // the signing key persists too, so an earlier URL still works (path and query; the port differs)
      const old = new URL(oldUrl)
      expect((await fetch(`${b.url}${old.pathname}${old.search}`)).status).toBe(200)
      expect(fs.readdirSync(path.join(dataDir, 'files-tmp'))).toEqual([])
    } finally {
      await b.close()
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
})
