// The emulator run on its own (emulator/cli.ts), as any CloudBase project would: a child
// process on a free port with a temp data dir and one --collection; the REAL node-sdk,
// pointed at it by serviceUrl, writes and reads a document and uploads and downloads a file.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import tcb from '@cloudbase/node-sdk'

process.env.TENCENTCLOUD = 'true'
process.env.SILENCE = 'true'

jest.setTimeout(60_000)

const ROOT = path.resolve(__dirname, '..', '..')

let tmp: string
let child: ChildProcess
let port: number

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const p = (srv.address() as net.AddressInfo).port
      srv.close(() => resolve(p))
    })
  })
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'emulator-standalone-'))
  port = await freePort()
  // node with tsx's loader (not the tsx CLI, whose grandchild a signal would miss)
  child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'emulator', 'cli.ts'), '--data', path.join(tmp, 'data'), '--port', String(port), '--collection', 'notes'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (c) => {
      out += c
      if (out.includes('point the SDK at it')) resolve()
    })
    child.on('exit', (code) => reject(new Error(`emulator exited early (${code}): ${out}`)))
  })
})

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }
  fs.rmSync(tmp, { recursive: true, force: true })
})

function app() {
  return tcb.init({ env: 'local', secretId: 'local', secretKey: 'local', serviceUrl: `http://127.0.0.1:${port}/tcb`, timeout: 10_000 })
}

test('the SDK adds a document to the declared collection and reads it back', async () => {
  const db = app().database()
  const { id } = await db.collection('notes').add({ text: '你好', at: new Date('2024-05-01T00:00:00Z') })
  const got = (await db.collection('notes').doc(id!).get()).data as Array<{ text: string; at: Date }>
  expect(got).toHaveLength(1)
  expect(got[0].text).toBe('你好')
  expect(got[0].at).toEqual(new Date('2024-05-01T00:00:00Z'))
  // an undeclared collection does not exist, as in the cloud
  await expect(db.collection('undeclared').get()).rejects.toMatchObject({ code: 'DATABASE_COLLECTION_NOT_EXIST' })
})

test('the SDK uploads a file and downloads the same bytes', async () => {
  const a = app()
  const bytes = Buffer.from('hello from the standalone emulator')
  const { fileID } = await a.uploadFile({ cloudPath: 'notes/hello.txt', fileContent: bytes })
  expect(fileID).toMatch(/^cloud:\/\/local\./)
  const { fileContent } = await a.downloadFile({ fileID })
  expect(Buffer.from(fileContent as Buffer).equals(bytes)).toBe(true)
  const urls = await a.getTempFileURL({ fileList: [fileID] })
  const res = await fetch(urls.fileList[0].tempFileURL)
  expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true)
})

test('data survives a restart of the process', async () => {
  const db = app().database()
  await db.collection('notes').add({ _id: 'kept', text: 'still here' })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
  child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'emulator', 'cli.ts'), '--data', path.join(tmp, 'data'), '--port', String(port), '--collection', 'notes'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve) => {
    let out = ''
    child.stdout!.on('data', (c) => {
      out += c
      if (out.includes('point the SDK at it')) resolve()
    })
  })
  expect((await db.collection('notes').doc('kept').get()).data).toEqual([{ _id: 'kept', text: 'still here' }])
})
