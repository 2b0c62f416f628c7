// 志愿服务记录证明 as a PDF: data in (core/points certificateOf), bytes out. A4 portrait;
// the table of services continues on as many pages as it needs.
import type { CertificateData, CertificateLine } from '../../src/core'
import { A4, openPdf } from './pdf'

export const CERTIFICATE_TITLE = '志愿服务记录证明'
const [W, H] = A4
const M = 56
const INK = '#1f1f1f'
const GREY = '#555555'
const COLS: { title: string; width: number; pick: (l: CertificateLine, i: number) => string }[] = [
  { title: '序号', width: 36, pick: (_l, i) => String(i + 1) },
  { title: '服务日期', width: 96, pick: (l) => l.date },
  { title: '服务内容', width: 150, pick: (l) => l.content },
  { title: '时长（小时）', width: 70, pick: (l) => String(l.hours) },
  { title: '组织单位', width: W - 2 * M - 352, pick: (l) => l.organiser },
]
const ROW = 22

export async function renderCertificate(c: CertificateData): Promise<Buffer> {
  const { doc, finish } = openPdf({ title: `${CERTIFICATE_TITLE} ${c.no}` })
  let y = 0
  const page = () => {
    doc.addPage({ size: A4, margin: 0 })
    doc.font('R').fontSize(10).fillColor(GREY).text(`证明编号：${c.no}`, M, 30, { width: W - 2 * M, align: 'right', lineBreak: false })
    y = 60
  }
  const ensure = (h: number) => {
    if (y + h > H - 80) page()
  }
  const para = (text: string, size = 12, font: 'R' | 'B' = 'R', color = INK) => {
    doc.font(font).fontSize(size).fillColor(color)
    const h = doc.heightOfString(text, { width: W - 2 * M, lineGap: 4 })
    ensure(h)
    doc.text(text, M, y, { width: W - 2 * M, lineGap: 4 })
    y += h + 8
  }
  const table = (lines: CertificateLine[]) => {
    const row = (cells: string[], bold: boolean) => {
      ensure(ROW)
      let x = M
      doc.font(bold ? 'B' : 'R').fontSize(10).fillColor(INK)
      cells.forEach((cell, i) => {
        doc.rect(x, y, COLS[i].width, ROW).lineWidth(0.5).strokeColor('#999999').stroke()
        doc.text(cell, x + 4, y + 6, { width: COLS[i].width - 8, height: ROW - 6, ellipsis: true, lineBreak: false })
        x += COLS[i].width
      })
      y += ROW
    }
    row(COLS.map((c) => c.title), true)
    lines.forEach((l, i) => {
      if (y + ROW > H - 80) {
        page()
        row(COLS.map((c) => c.title), true)
      }
      row(COLS.map((col) => col.pick(l, i)), false)
    })
    y += 10
  }

  page()
  doc.font('B').fontSize(24).fillColor(INK).text(CERTIFICATE_TITLE, M, y, { width: W - 2 * M, align: 'center' })
  y += 50
  const who = `${c.name}${c.plate ? `（志愿者编号：${c.plate}）` : ''}`
  if (c.span) {
    para(`兹证明 ${who} 于 ${c.span.from} 至 ${c.span.to} 参加志愿服务，经现场核验的服务 ${c.services.length} 次，服务时长累计 ${c.serviceHours} 小时${c.manualHours ? `；另有工作人员补录的服务时长 ${c.manualHours} 小时` : ''}。具体记录如下：`)
  } else {
    para(`兹证明 ${who} 为注册志愿者，目前尚无经核验的志愿服务记录。`)
  }
  if (c.services.length) {
    para('一、经现场核验的志愿服务', 12, 'B')
    table(c.services)
  }
  if (c.manual.length) {
    para('二、工作人员补录的服务时长（未经现场核验）', 12, 'B')
    table(c.manual)
  }
  ensure(130)
  y = Math.max(y + 10, y)
  para('本证明依据《志愿服务记录与证明出具办法》（民政部令第67号）出具，记录真实、准确、完整。可凭证明编号向出具单位核验。', 10, 'R', GREY)
  para(`出具单位：${c.issuer}`)
  para('经办：幸福+码志愿服务记录系统')
  if (c.contact) para(`联系电话：${c.contact}`)
  para(`出具日期：${c.issuedOn}`)
  para('负责人签字：                （盖章）')
  return finish()
}
