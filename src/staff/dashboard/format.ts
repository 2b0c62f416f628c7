// How the dashboard says numbers: durations, rates, stars, and the by-area heat colour.
// Pure functions (no Taro, no ECharts): the unit tests load them directly.

const oneDecimal = (x: number) => String(Math.round(x * 10) / 10)

/** Minutes as people say them: 45分钟, 2.5小时, 3天; '—' when nothing was measured. */
export function formatMinutes(m: number | null | undefined): string {
  if (m === null || m === undefined) return '—'
  if (m < 60) return `${Math.round(m)}分钟`
  if (m < 24 * 60) return `${oneDecimal(m / 60)}小时`
  return `${oneDecimal(m / 1440)}天`
}

/** A share (0–1) as a percentage with at most one decimal; '—' when there is nothing to divide by. */
export const percent = (r: number | null | undefined) => (r === null || r === undefined ? '—' : `${oneDecimal(r * 100)}%`)

/** Mean stars, e.g. 4.5★; '—' without approved ratings. */
export const stars = (s: number | null | undefined) => (s === null || s === undefined ? '—' : `${oneDecimal(s)}★`)

/** The unit a set of durations reads best in (the durations chart's axis). */
export type DurationUnit = { name: '分钟' | '小时' | '天'; minutes: number }
export function durationUnit(maxMinutes: number): DurationUnit {
  if (maxMinutes < 120) return { name: '分钟', minutes: 1 }
  if (maxMinutes < 48 * 60) return { name: '小时', minutes: 60 }
  return { name: '天', minutes: 1440 }
}

// ---------- heat colour ----------
type Rgb = [number, number, number]
/** heat 0: a faint pink; heat 1: deep red */
const LIGHT: Rgb = [255, 245, 245]
const DEEP: Rgb = [168, 7, 26]
const DARK_TEXT: Rgb = [0, 0, 0]
const LIGHT_TEXT: Rgb = [255, 255, 255]

const hex = (c: Rgb) => `#${c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`

/** WCAG relative luminance. */
function luminance([r, g, b]: Rgb): number {
  const lin = (v: number) => {
    const s = v / 255
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/** WCAG contrast ratio of two colours (1–21). */
export function contrast(a: string, b: string): number {
  const rgb = (h: string): Rgb => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)) as Rgb
  const [x, y] = [luminance(rgb(a)), luminance(rgb(b))].sort((p, q) => q - p)
  return (x + 0.05) / (y + 0.05)
}

/**
 * A by-area row's colours for its heat (0–1: its orders relative to the busiest row): the
 * background from light to deep red, and whichever text colour reads better on it (one of
 * the two always reaches 4.5:1).
 */
export function heatColors(heat: number): { background: string; color: string } {
  const h = Math.min(1, Math.max(0, Number.isFinite(heat) ? heat : 0))
  const bg = LIGHT.map((v, i) => v + (DEEP[i] - v) * h) as Rgb
  const background = hex(bg)
  const dark = hex(DARK_TEXT)
  const light = hex(LIGHT_TEXT)
  return { background, color: contrast(background, dark) >= contrast(background, light) ? dark : light }
}
