// The 红黑榜 poster: a phone-width PNG for WeChat groups, drawn with @napi-rs/canvas and the
// Noto Sans SC font. Data in, PNG bytes out. The canvas module is loaded on first use, so the
// stats function's dashboards never pay for it.
import {
  HONOR_SUBJECT_LABEL,
  honorFormulaText,
  honorThresholdText,
  monthLabel,
  toLocal,
  type HonorRow,
  type HonorRules,
  type HonorSubject,
} from '../../src/core'
import { fontPath } from './fonts'

export type PosterData = {
  countyName: string
  month: string
  publishedAt: Date
  rules: HonorRules
  villages: readonly HonorRow[]
  teams: readonly HonorRow[]
}

/** Rows shown per list; a longer list ends with 「另有N个」 (the page has them all). */
export const POSTER_MAX_ROWS = 10
export const POSTER_WIDTH = 750

const RED = '#c8161d'
const RED_BG = '#fdeeee'
const BLACK = '#2b2b2b'
const BLACK_BG = '#f0f0f0'
const INK = '#1f1f1f'
const GREY = '#666666'
const SANS = 'XFPosterSans'
const SANS_BOLD = 'XFPosterSansBold'

type Canvas = typeof import('@napi-rs/canvas')
let canvasModule: Canvas | undefined
function canvasLib(): Canvas {
  if (canvasModule) return canvasModule
  const lib = require('@napi-rs/canvas') as Canvas
  lib.GlobalFonts.registerFromPath(fontPath('regular'), SANS)
  lib.GlobalFonts.registerFromPath(fontPath('bold'), SANS_BOLD)
  return (canvasModule = lib)
}

type Ctx = ReturnType<ReturnType<Canvas['createCanvas']>['getContext']>
const font = (size: number, bold = false) => `${size}px ${bold ? SANS_BOLD : SANS}`

/** Text that must fit `width`: shrunk down to `min`, then cut with an ellipsis. */
function fitText(ctx: Ctx, text: string, x: number, y: number, width: number, size: number, opts: { bold?: boolean; min?: number; align?: 'left' | 'center' | 'right' } = {}) {
  let s = size
  ctx.font = font(s, opts.bold)
  while (s > (opts.min ?? size) && ctx.measureText(text).width > width) ctx.font = font(--s, opts.bold)
  let t = text
  while (t.length > 1 && ctx.measureText(t).width > width) t = t.slice(0, -2) + '…'
  ctx.textAlign = opts.align ?? 'left'
  ctx.fillText(t, x, y)
}

/**
 * Lines of at most `width`: broken after a separator (space, +, ，, ；) where one is near,
 * else between characters (Chinese has no spaces to break at), never inside a number.
 */
function wrap(ctx: Ctx, text: string, width: number): string[] {
  const out: string[] = []
  let cur = ''
  const fits = (t: string) => ctx.measureText(t).width <= width
  for (const chunk of text.match(/[^\s+，；]+[\s+，；]*/g) ?? []) {
    if (fits(cur + chunk)) {
      cur += chunk
      continue
    }
    if (cur) out.push(cur.trimEnd())
    cur = ''
    for (const token of chunk.match(/[0-9.%]+|./gu) ?? []) {
      if (!fits(cur + token) && cur) {
        out.push(cur)
        cur = ''
      }
      cur += token
    }
  }
  if (cur.trim()) out.push(cur.trimEnd())
  return out
}

const ROW_H = 66
const LIST_HEAD = 64
const LIST_GAP = 28

function listHeight(rows: number) {
  const shown = Math.min(rows, POSTER_MAX_ROWS)
  return LIST_HEAD + Math.max(1, shown) * ROW_H + (rows > POSTER_MAX_ROWS ? 48 : 0) + 16
}

/** The poster of one published month. */
export function renderHonorPoster(d: PosterData): { png: Buffer; width: number; height: number } {
  const lib = canvasLib()
  const W = POSTER_WIDTH
  const M = 36
  const inner = W - 2 * M
  const subjects: [HonorSubject, readonly HonorRow[]][] = [
    ['village', d.villages],
    ['team', d.teams],
  ]
  const lists = subjects.map(([subject, rows]) => ({
    subject,
    red: rows.filter((r) => r.mark === 'red'),
    black: rows.filter((r) => r.mark === 'black'),
    ranked: rows.filter((r) => r.rank !== null).length,
  }))
  // measure the footer's wrapped lines before sizing the canvas
  const probe = lib.createCanvas(W, 10).getContext('2d')
  probe.font = font(24)
  const t = honorThresholdText(d.rules)
  const notes = [honorFormulaText(d.rules), t.red, t.black, t.min].flatMap((s) => wrap(probe, s, inner - 32))
  const HEADER = 230
  const body = lists.reduce((h, l) => h + 76 + listHeight(l.red.length) + LIST_GAP + listHeight(l.black.length) + LIST_GAP, 0)
  const footer = 40 + notes.length * 36 + 40 + 120
  const H = HEADER + body + footer

  const canvas = lib.createCanvas(W, H)
  const ctx = canvas.getContext('2d')
  ctx.fillStyle = '#ffffff'
  ctx.fillRect(0, 0, W, H)
  ctx.textBaseline = 'middle'

  // header band
  ctx.fillStyle = RED
  ctx.fillRect(0, 0, W, HEADER - 30)
  ctx.fillStyle = '#ffffff'
  fitText(ctx, d.countyName, W / 2, 58, inner, 40, { bold: true, min: 24, align: 'center' })
  fitText(ctx, `${monthLabel(d.month)} 红黑榜`, W / 2, 118, inner, 56, { bold: true, min: 32, align: 'center' })
  fitText(ctx, '村（社区）服务 · 志愿服务队 月度评比', W / 2, 170, inner, 26, { align: 'center' })

  let y = HEADER
  for (const l of lists) {
    ctx.fillStyle = INK
    fitText(ctx, `${HONOR_SUBJECT_LABEL[l.subject]} · ${l.ranked}个参加排名`, M, y + 30, inner, 34, { bold: true, min: 24 })
    y += 76
    y = drawList(ctx, '红榜', RED, RED_BG, l.red, M, y, inner) + LIST_GAP
    y = drawList(ctx, '黑榜', BLACK, BLACK_BG, l.black, M, y, inner) + LIST_GAP
  }

  // how the score is made, who published it, where to see it all
  ctx.fillStyle = '#faf7f2'
  ctx.fillRect(M, y, inner, notes.length * 36 + 40)
  ctx.fillStyle = GREY
  ctx.font = font(24)
  ctx.textAlign = 'left'
  notes.forEach((s, i) => ctx.fillText(s, M + 16, y + 38 + i * 36))
  y += notes.length * 36 + 40 + 30
  ctx.fillStyle = INK
  fitText(ctx, `${d.countyName}新时代文明实践中心 · ${toLocal(d.publishedAt).format('YYYY年M月D日')}发布`, W / 2, y + 20, inner, 26, { align: 'center', min: 18 })
  ctx.fillStyle = RED
  fitText(ctx, '微信搜索「幸福+码」小程序，查看完整名单和各项得分', W / 2, y + 66, inner, 26, { bold: true, min: 18, align: 'center' })

  return { png: canvas.toBuffer('image/png'), width: W, height: H }
}

function drawList(ctx: Ctx, title: string, color: string, bg: string, rows: readonly HonorRow[], x: number, y: number, w: number): number {
  const h = listHeight(rows.length)
  ctx.fillStyle = bg
  ctx.fillRect(x, y, w, h)
  ctx.fillStyle = color
  ctx.fillRect(x, y, w, LIST_HEAD)
  ctx.fillStyle = '#ffffff'
  fitText(ctx, title, x + 24, y + LIST_HEAD / 2, w - 48, 32, { bold: true })
  let ry = y + LIST_HEAD
  if (!rows.length) {
    ctx.fillStyle = GREY
    fitText(ctx, '本月没有', x + 24, ry + ROW_H / 2, w - 48, 28)
    return y + h
  }
  for (const r of rows.slice(0, POSTER_MAX_ROWS)) {
    const mid = ry + ROW_H / 2
    // the rank in a circle, the name and where it is, the score
    ctx.fillStyle = color
    ctx.beginPath()
    ctx.arc(x + 48, mid, 22, 0, Math.PI * 2)
    ctx.fill()
    ctx.fillStyle = '#ffffff'
    fitText(ctx, String(r.rank ?? ''), x + 48, mid, 40, 24, { bold: true, min: 14, align: 'center' })
    ctx.fillStyle = INK
    fitText(ctx, r.name, x + 88, mid - 12, w - 88 - 150, 30, { bold: true, min: 20 })
    ctx.fillStyle = GREY
    fitText(ctx, r.area, x + 88, mid + 18, w - 88 - 150, 20, { min: 16 })
    ctx.fillStyle = color
    fitText(ctx, `${r.score ?? '—'}分`, x + w - 24, mid, 130, 32, { bold: true, min: 20, align: 'right' })
    ry += ROW_H
  }
  if (rows.length > POSTER_MAX_ROWS) {
    ctx.fillStyle = GREY
    fitText(ctx, `另有${rows.length - POSTER_MAX_ROWS}个，详见小程序`, x + 24, ry + 24, w - 48, 24)
  }
  return y + h
}
