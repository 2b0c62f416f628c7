// The emulator reads its snapshot and log a chunk at a time (a county's data is longer than
// the longest string Node can hold): lines come out whole, with their byte offsets, whatever
// the chunk size — also when a chunk ends inside a line or inside a Chinese character.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { linesOf } from '../../emulator/store'

describe('reading a log line by line', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xf-lines-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const text = '{"b":["东关村"]}\n\n{"b":["西山乡第一网格"]}\n{"b":[1]}\n{"torn'
  const file = path.join(dir, 'wal.jsonl')
  writeFileSync(file, text)

  it.each([1, 2, 3, 7, 64, 1 << 20])('chunks of %i bytes', (size) => {
    const lines = [...linesOf(file, size)]
    expect(lines.map((l) => l.raw)).toEqual(['{"b":["东关村"]}', '', '{"b":["西山乡第一网格"]}', '{"b":[1]}', '{"torn'])
    expect(lines.map((l) => l.complete)).toEqual([true, true, true, true, false])
    // offsets are bytes: each line starts right after the previous one's newline
    const bytes = Buffer.from(text)
    for (const l of lines) expect(bytes.subarray(l.start, l.start + Buffer.byteLength(l.raw)).toString()).toBe(l.raw)
  })
})
