// Signboard PDFs (网格服务标识牌): data in, PDF bytes out. One A4 portrait page per grid.
// pdfkit embeds only the glyphs used (subsetting), so the 10 MB CJK fonts cost a few KB a page.
import fs from 'node:fs'
import PDFDocument from 'pdfkit'
import { fontPath } from './fonts'

/** Everything one signboard page shows. */
export type SignboardPage = {
  code: string
  name: string
  villageName: string
  townshipName: string
  hotline: string | null
  leaderName: string | null
  /** service names, in catalogue order (the first 8 are printed) */
  services: string[]
  /** the code to scan: a PNG (or JPEG) image */
  codeImage: Buffer
}

export const SIGNBOARD_TITLE = '幸福+码 · 网格服务标识牌'
export const SIGNBOARD_FOOTER = '小事不出村 · 大事不出乡'
export const SCAN_CAPTION = '微信扫一扫 点单服务'
export const MAX_SERVICES = 8

// ---------- fonts ----------
// the lookup lives in fonts.ts (the 红黑榜 poster uses it without pdfkit)
export { FONT_FILES, fontPath } from './fonts'

// read once per function instance (≈ 10 MB each); pdfkit subsets them per document
let fonts: { regular: Buffer; bold: Buffer } | undefined
function loadFonts() {
  return (fonts ??= { regular: fs.readFileSync(fontPath('regular')), bold: fs.readFileSync(fontPath('bold')) })
}

// ---------- layout (points; A4 = 595.28 × 841.89, 1 cm = 28.35 pt) ----------
export const A4: [number, number] = [595.28, 841.89]
const MARGIN = 42
const RED = '#c8161d'
const INK = '#1f1f1f'
const GREY = '#666666'
const CODE_SIZE = 212 // ≈ 7.5 cm: comfortably over the 6 cm a phone needs from a couple of metres

type Doc = InstanceType<typeof PDFDocument>

/** One line of text, shrunk until it fits `width`, centred. Never breaks onto a new page. */
function fitLine(doc: Doc, text: string, y: number, opts: { font: 'R' | 'B'; size: number; min?: number; color?: string; x?: number; width?: number }) {
  const x = opts.x ?? MARGIN
  const width = opts.width ?? A4[0] - 2 * MARGIN
  let size = opts.size
  doc.font(opts.font)
  while (size > (opts.min ?? 10) && doc.fontSize(size).widthOfString(text) > width) size -= 1
  doc.fillColor(opts.color ?? INK).fontSize(size).text(text, x, y, { width, align: 'center', lineBreak: false, ellipsis: true, height: size * 1.5 })
  return size
}

function drawPage(doc: Doc, p: SignboardPage) {
  const [W, H] = A4
  const inner = W - 2 * MARGIN
  // header band
  doc.rect(0, 0, W, 92).fill(RED)
  fitLine(doc, SIGNBOARD_TITLE, 30, { font: 'B', size: 26, color: '#ffffff' })

  // grid name and code
  fitLine(doc, p.name, 118, { font: 'B', size: 40, min: 18 })
  fitLine(doc, `网格编码  ${p.code}`, 176, { font: 'R', size: 15, color: GREY })
  fitLine(doc, [p.townshipName, p.villageName].filter(Boolean).join(' · ') || '—', 204, { font: 'R', size: 18 })

  // hotline and leader
  const boxY = 244
  doc.roundedRect(MARGIN, boxY, inner, 78, 8).lineWidth(1.2).strokeColor(RED).stroke()
  const half = inner / 2
  fitLine(doc, '服务热线', boxY + 12, { font: 'R', size: 13, color: GREY, x: MARGIN, width: half })
  fitLine(doc, p.hotline || '—', boxY + 34, { font: 'B', size: 24, min: 12, x: MARGIN, width: half })
  fitLine(doc, '网格长', boxY + 12, { font: 'R', size: 13, color: GREY, x: MARGIN + half, width: half })
  fitLine(doc, p.leaderName || '—', boxY + 34, { font: 'B', size: 24, min: 12, x: MARGIN + half, width: half })

  // services: two columns of up to four
  const services = p.services.slice(0, MAX_SERVICES)
  const svcY = 340
  fitLine(doc, '可点服务', svcY, { font: 'B', size: 15, color: RED })
  const colW = inner / 2
  services.forEach((name, i) => {
    const col = i % 2
    const row = Math.floor(i / 2)
    fitLine(doc, `· ${name}`, svcY + 26 + row * 22, { font: 'R', size: 14, min: 9, x: MARGIN + col * colW, width: colW })
  })
  if (services.length === 0) fitLine(doc, '—', svcY + 26, { font: 'R', size: 14 })

  // the code to scan
  const codeY = 470
  doc.image(p.codeImage, (W - CODE_SIZE) / 2, codeY, { width: CODE_SIZE, height: CODE_SIZE })
  fitLine(doc, SCAN_CAPTION, codeY + CODE_SIZE + 10, { font: 'B', size: 20 })
  fitLine(doc, p.code, codeY + CODE_SIZE + 40, { font: 'R', size: 16, color: GREY })

  // footer band
  doc.rect(0, H - 64, W, 64).fill(RED)
  fitLine(doc, SIGNBOARD_FOOTER, H - 44, { font: 'B', size: 20, color: '#ffffff' })
}

/**
 * A signboard PDF being written: add pages one at a time (so a batch never holds all
 * its code images at once), then `finish` for the bytes.
 */
/** A PDF with our CJK fonts registered as 'R' and 'B' (no Helvetica), and a promise of its bytes. */
export function openPdf(meta: { title: string }) {
  const { regular, bold } = loadFonts()
  // font: null → pdfkit does not load its default Helvetica at all
  const doc = new PDFDocument({
    size: A4,
    margin: 0,
    autoFirstPage: false,
    font: null as unknown as string,
    info: { Title: meta.title, Creator: '幸福+码' },
  })
  // our fonts only, registered before any text (pdfkit's default Helvetica cannot draw Chinese)
  doc.registerFont('R', regular)
  doc.registerFont('B', bold)
  doc.font('R')
  const chunks: Buffer[] = []
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  return {
    doc,
    finish(): Promise<Buffer> {
      doc.end()
      return done
    },
  }
}

export function openSignboardPdf(meta: { title?: string } = {}) {
  const { doc, finish } = openPdf({ title: meta.title ?? SIGNBOARD_TITLE })
  let pages = 0
  return {
    add(p: SignboardPage) {
      doc.addPage({ size: A4, margin: 0 })
      doc.font('R')
      drawPage(doc, p)
      pages++
    },
    get pages() {
      return pages
    },
    finish,
  }
}

/** All pages at once (tests, small batches). */
export async function renderSignboards(pages: readonly SignboardPage[], meta: { title?: string } = {}): Promise<Buffer> {
  const pdf = openSignboardPdf(meta)
  for (const p of pages) pdf.add(p)
  return pdf.finish()
}
