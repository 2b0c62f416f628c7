// The emulator's store compacts while running (not only at open) and a crash at any step
// of a compaction reopens to the same data. Files: snapshot.jsonl (its first line may name
// the log that follows it), wal.jsonl, and while a compaction runs wal-<id>.jsonl and
// snapshot.jsonl.tmp.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { EJSON } from 'bson'
import tcb from '@cloudbase/node-sdk'
import { Emulator } from '../../emulator'

process.env.TENCENTCLOUD = 'true'
process.env.SILENCE = 'true'

jest.setTimeout(30_000)

const ROOT = path.resolve(__dirname, '..', '..')
const E = (v: unknown) => EJSON.stringify(v as Record<string, unknown>, { relaxed: false })

let tmp: string
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'emulator-compaction-'))
})
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

type AnyDoc = Record<string, unknown> & { _id: string }

async function all(emu: Emulator, coll: string): Promise<AnyDoc[]> {
  const res = await emu.handle({ action: 'database.getDocument', collectionName: coll, queryType: 'WHERE', limit: 1000 })
  if (res.code) throw new Error(String(res.message))
  return (res.data as { list: string[] }).list.map((s) => EJSON.parse(s) as AnyDoc)
}

const inc = (emu: Emulator, coll: string, id: string) =>
  emu.handle({ action: 'database.modifyDocument', collectionName: coll, queryType: 'DOC', query: E({ _id: id }), data: E({ $inc: { n: 1 } }), multi: false, merge: true, upsert: false })

const lines = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0)
/** The store's files (storage keeps its own beside them). */
const files = (dir: string) => fs.readdirSync(dir).filter((n) => /^(snapshot|wal)/.test(n)).sort()

async function settle(dir: string) {
  // a running compaction ends by renaming its wal-<id>.jsonl to wal.jsonl
  for (let i = 0; i < 200 && files(dir).some((n) => n.startsWith('wal-') || n.endsWith('.tmp')); i++) await new Promise((r) => setTimeout(r, 10))
}

test('many writes compact the store while it runs: the log shrinks and reopening gives the same data', async () => {
  const dir = path.join(tmp, 'running')
  const emu = await Emulator.open({ dataDir: dir, compactMinOps: 50 })
  await emu.createCollection('c', [{ name: 'k', keys: [{ field: 'k', dir: 1 }], unique: true }])
  await emu.insertMany('c', Array.from({ length: 10 }, (_, i) => ({ _id: `d${i}`, n: 0, k: i })))
  // 600 updates, 60 at a time, so writes keep arriving while compactions run
  for (let round = 0; round < 10; round++) {
    const res = await Promise.all(Array.from({ length: 60 }, (_, i) => inc(emu, 'c', `d${i % 10}`)))
    expect(res.every((r) => r.code === undefined)).toBe(true)
  }
  await emu.insertMany('c', [{ _id: 'late', n: -1, k: 99 }])
  await settle(dir)
  const before = await all(emu, 'c')
  expect(before.find((d) => d._id === 'd3')!.n).toBe(60)
  expect(fs.existsSync(path.join(dir, 'snapshot.jsonl'))).toBe(true)
  // 600 updates went through the log; compaction left only the tail
  expect(lines(path.join(dir, 'wal.jsonl'))).toBeLessThan(120)
  await emu.close()
  expect(files(dir)).toEqual(['snapshot.jsonl', 'wal.jsonl'])

  const again = await Emulator.open({ dataDir: dir, compactMinOps: 50 })
  try {
    expect(await all(again, 'c')).toEqual(before)
    // the unique index came back from the snapshot
    const dup = await again.handle({ action: 'database.insertDocument', collectionName: 'c', data: [E({ k: 3 })] })
    expect(dup.code).toBe('DATABASE_DUPLICATE_WRITE')
  } finally {
    await again.close()
  }
})

test('compact() while writes are in flight loses none of them', async () => {
  const dir = path.join(tmp, 'explicit')
  const emu = await Emulator.open({ dataDir: dir })
  await emu.createCollection('c', [])
  const writes = Array.from({ length: 200 }, (_, i) => emu.handle({ action: 'database.insertDocument', collectionName: 'c', data: [E({ _id: `w${i}`, i })] }))
  await emu.compact()
  await Promise.all(writes)
  const more = Array.from({ length: 50 }, (_, i) => emu.handle({ action: 'database.insertDocument', collectionName: 'c', data: [E({ _id: `x${i}`, i })] }))
  const compacting = emu.compact()
  await Promise.all([...more, compacting])
  expect((await all(emu, 'c')).length).toBe(250)
  await emu.close()
  const again = await Emulator.open({ dataDir: dir })
  expect((await all(again, 'c')).length).toBe(250)
  await again.close()
})

describe('a crash between the steps of a compaction', () => {
  // A data dir as the store writes it: a snapshot, then a log of batches after it.
  const put = (d: AnyDoc) => ({ o: 'p', c: 't', d })
  const line = (b: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ b, ...extra }) + '\n'
  const create = line([{ o: 'c', c: 't', i: [] }])

  async function reopen(dir: string): Promise<AnyDoc[]> {
    const emu = await Emulator.open({ dataDir: dir })
    try {
      const probe = `probe-${Math.random()}`
      await emu.insertMany('t', [{ _id: probe }]) // and it keeps working
      await emu.handle({ action: 'database.removeDocument', collectionName: 't', queryType: 'DOC', query: E({ _id: probe }), multi: false })
      return await all(emu, 't')
    } finally {
      await emu.close()
    }
  }

  test('after the log switch, before the snapshot is installed: old snapshot + old log + new log, a half-written snapshot.tmp', async () => {
    const dir = path.join(tmp, 'crash-before-install')
    fs.mkdirSync(dir)
    fs.writeFileSync(path.join(dir, 'snapshot.jsonl'), create + line([put({ _id: 'a', v: 1 })]))
    fs.writeFileSync(path.join(dir, 'wal.jsonl'), line([put({ _id: 'a', v: 2 })]) + line([put({ _id: 'b', v: 1 })]))
    fs.writeFileSync(path.join(dir, 'wal-00ff.jsonl'), line([put({ _id: 'b', v: 2 })]) + line([{ o: 'd', c: 't', k: 'a' }]) + line([put({ _id: 'c', v: 1 })]))
    fs.writeFileSync(path.join(dir, 'snapshot.jsonl.tmp'), line([], { next: '00ff' }) + create + '{"b":[{"o":"p","c":"t","d":{"_id":"a","v"')
    expect(await reopen(dir)).toEqual([{ _id: 'b', v: 2 }, { _id: 'c', v: 1 }])
    expect(files(dir)).toEqual(['snapshot.jsonl', 'wal.jsonl'])
    expect(await reopen(dir)).toEqual([{ _id: 'b', v: 2 }, { _id: 'c', v: 1 }])
  })

  test('after the snapshot is installed, before the new log is renamed: the covered old log is not replayed', async () => {
    const dir = path.join(tmp, 'crash-after-install')
    fs.mkdirSync(dir)
    // the snapshot holds the state at the cut and names the log that follows it
    fs.writeFileSync(path.join(dir, 'snapshot.jsonl'), line([], { next: '0a0b' }) + create + line([put({ _id: 'a', v: 2 }), put({ _id: 'b', v: 1 })]))
    // the old log is covered by the snapshot; its marker record shows whether it was wrongly replayed
    fs.writeFileSync(path.join(dir, 'wal.jsonl'), line([put({ _id: 'a', v: 2 })]) + line([put({ _id: 'covered-marker' })]))
    fs.writeFileSync(path.join(dir, 'wal-0a0b.jsonl'), line([put({ _id: 'b', v: 2 })]))
    expect(await reopen(dir)).toEqual([{ _id: 'a', v: 2 }, { _id: 'b', v: 2 }])
    expect(files(dir)).toEqual(['snapshot.jsonl', 'wal.jsonl'])
  })

  test('after the new log is renamed: the snapshot names a log that is gone, wal.jsonl follows it', async () => {
    const dir = path.join(tmp, 'crash-after-rename')
    fs.mkdirSync(dir)
    fs.writeFileSync(path.join(dir, 'snapshot.jsonl'), line([], { next: '0c0d' }) + create + line([put({ _id: 'a', v: 2 })]))
    fs.writeFileSync(path.join(dir, 'wal.jsonl'), line([put({ _id: 'b', v: 1 })]))
    expect(await reopen(dir)).toEqual([{ _id: 'a', v: 2 }, { _id: 'b', v: 1 }])
  })

  test('kill -9 while compactions run under load: every acknowledged write survives', async () => {
    const dir = path.join(tmp, 'kill')
    const first = await Emulator.open({ dataDir: dir })
    await first.createCollection('log', [])
    await first.close()
    const script = path.join(tmp, 'child.ts')
    fs.writeFileSync(
      script,
      `import http from 'node:http'
import { Emulator } from ${JSON.stringify(path.join(ROOT, 'emulator'))}
async function main() {
  const emu = await Emulator.open({ dataDir: process.argv[2], compactMinOps: 20, compactRatio: 0.5 })
  const server = http.createServer((req, res) => void emu.httpHandler(req, res))
  server.listen(0, '127.0.0.1', () => process.stdout.write('PORT ' + (server.address() as any).port + '\\n'))
}
main().catch((e) => { console.error(e); process.exit(1) })
`,
    )
    const child = spawn(process.execPath, ['--import', 'tsx', script, dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_c, signal) => resolve(signal)))
    const acked: string[] = []
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let out = ''
        child.stdout!.on('data', (c) => {
          out += c
          const m = /PORT (\d+)/.exec(out)
          if (m) resolve(Number(m[1]))
        })
        child.on('exit', () => reject(new Error('child exited early')))
      })
      const db = tcb.init({ env: 'local', secretId: 'local', secretKey: 'local', serviceUrl: `http://127.0.0.1:${port}/tcb`, timeout: 10_000 }).database()
      let killed = false
      // waves of concurrent adds; the kill lands after 150 acknowledgements, amid compactions
      for (let wave = 0; wave < 10 && !killed; wave++) {
        await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            db
              .collection('log')
              .add({ _id: `w${wave}-${i}`, body: 'x'.repeat(200) })
              .then(() => {
                if (killed) return
                acked.push(`w${wave}-${i}`)
                if (acked.length === 150) {
                  killed = true
                  child.kill('SIGKILL')
                }
              })
              .catch(() => undefined),
          ),
        )
      }
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    }
    expect(await exited).toBe('SIGKILL')
    expect(acked.length).toBe(150)
    const again = await Emulator.open({ dataDir: dir })
    try {
      const present = new Set((await all(again, 'log')).map((d) => d._id))
      for (const id of acked) expect(present.has(id)).toBe(true)
    } finally {
      await again.close()
    }
    expect(files(dir)).toEqual(['snapshot.jsonl', 'wal.jsonl'])
  })
})
