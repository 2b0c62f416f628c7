// Read signboard PDFs back the way a person would: render each page (poppler's pdftoppm)
// and decode the QR codes on it (jsqr), or extract the text (pdftotext).
import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { Worker } from 'node:worker_threads'

const exec = promisify(execFile)
/** poppler's tools; a missing install says how to get it instead of a bare ENOENT */
async function run(cmd: 'pdftoppm' | 'pdftotext' | 'pdfinfo', args: string[], opts: { maxBuffer?: number } = {}) {
  try {
    return await exec(cmd, args, opts)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${cmd} not found: apt-get install poppler-utils (the signboard tests render PDFs with it)`)
    throw e
  }
}

async function withPdf<T>(pdf: Buffer, fn: (file: string, dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xf-pdf-'))
  try {
    const file = path.join(dir, 'in.pdf')
    writeFileSync(file, pdf)
    return await fn(file, dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The QR code text of each page, in page order ('' for a page where none decodes). */
export async function decodePdfQrs(pdf: Buffer): Promise<string[]> {
  return withPdf(pdf, async (file, dir) => {
    await run('pdftoppm', ['-r', '100', '-png', file, path.join(dir, 'page')])
    const pages = readdirSync(dir)
      .filter((f) => /^page-\d+\.png$/.test(f))
      .sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]))
    return decodeInWorker(pages.map((f) => path.join(dir, f)))
  })
}

// Decoding a page takes ~0.5 s of CPU; done on the test's own thread it would stall the local
// runtime living in the same process (its keep-alive sockets then reset), so it runs in a worker.
const DECODE = `
const { parentPort, workerData } = require('node:worker_threads')
const fs = require('node:fs')
const jsQR = require(workerData.jsqr)
const { PNG } = require(workerData.pngjs)
parentPort.postMessage(workerData.files.map((f) => {
  const png = PNG.sync.read(fs.readFileSync(f))
  const qr = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height, { inversionAttempts: 'dontInvert' })
  return qr ? qr.data : ''
}))`

function decodeInWorker(files: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const w = new Worker(DECODE, { eval: true, workerData: { files, jsqr: require.resolve('jsqr'), pngjs: require.resolve('pngjs') } })
    w.once('message', (m: string[]) => resolve(m))
    w.once('error', reject)
    w.once('exit', (code) => code !== 0 && reject(new Error(`QR decoder exited with ${code}`)))
  })
}

/** The PDF's text (pages separated by form feeds). */
export async function pdfText(pdf: Buffer): Promise<string> {
  return withPdf(pdf, async (file) => (await run('pdftotext', ['-enc', 'UTF-8', file, '-'], { maxBuffer: 64 * 1024 * 1024 })).stdout)
}

/** Page count as poppler reads it. */
export async function pdfPages(pdf: Buffer): Promise<number> {
  return withPdf(pdf, async (file) => Number(/Pages:\s+(\d+)/.exec((await run('pdfinfo', [file])).stdout)?.[1] ?? NaN))
}
