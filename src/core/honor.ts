// 红黑榜: each month the county ranks its villages (村/社区) and its volunteer teams by a
// score it configures, names the best (红榜) and the weakest (黑榜), and publishes the
// list: a public page, a poster for WeChat groups and a text for the village loudspeaker.
// The numbers come from the monthly rollups (src/core/stats.ts); this module is the
// formula, the thresholds and the words. Pure: no I/O.
import { z } from 'zod'
import { AppError } from './errors'
import { monthEnd, monthLabel, monthSchema } from './points'
import { idSchema } from './schemas'
import { toLocal } from './time'
import type { StatsSummary } from './stats'

// ---------- the rules a county edits ----------

/** What the score is made of. Each factor scores 0–100; the score is their weighted mean. */
export const HONOR_FACTORS = ['onTime', 'fixed', 'satisfaction', 'volume'] as const
export type HonorFactor = (typeof HONOR_FACTORS)[number]
export const HONOR_FACTOR_LABEL: Record<HonorFactor, string> = {
  onTime: '按时办结率',
  fixed: '群众确认解决率',
  satisfaction: '群众满意度',
  volume: '服务量',
}
/** How each factor becomes 0–100 points, in words a county can repeat to its villages. */
export const HONOR_FACTOR_HELP: Record<HonorFactor, string> = {
  onTime: '办结的诉求中，各环节都没有超时的比例：全部按时得100分，一半按时得50分',
  fixed: '办结的诉求中，村民（或电话回访）确认已解决的比例：全部确认解决得100分',
  satisfaction: '审核通过的村民评价的平均星级：5星得100分，4星得80分；当月没有评价的，这一项不计，其余各项按权重折算',
  volume: '当月诉求件数与榜上件数最多的一位相比：最多的得100分，一半的得50分',
}

const weight = z.number({ error: '权重应为0到100的整数' }).int('权重应为0到100的整数').min(0, '权重应为0到100的整数').max(100, '权重应为0到100的整数')
const share = z.number({ error: '比例应为0到100的整数' }).int('比例应为0到100的整数').min(0, '比例应为0到100的整数').max(100, '比例应为0到100的整数')
const line = z.number({ error: '分数线应为0到100之间的数' }).min(0, '分数线应为0到100之间的数').max(100, '分数线应为0到100之间的数')

export const honorRulesSchema = z
  .object({
    /** relative weights (only their proportions matter); at least one above 0 */
    weights: z
      .object({ onTime: weight, fixed: weight, satisfaction: weight, volume: weight })
      .refine((w) => HONOR_FACTORS.some((f) => w[f] > 0), '四项权重不能都为0'),
    /** a village or team with fewer closed orders in the month is listed but not ranked */
    minClosed: z.number({ error: '最少办结件数应为1到1000的整数' }).int('最少办结件数应为1到1000的整数').min(1, '最少办结件数至少为1').max(1000, '最少办结件数应为1到1000的整数'),
    /** 红榜: score at least minScore, and within the top `share` % of the ranked (0: no 红榜) */
    red: z.object({ minScore: line, share }),
    /** 黑榜: score at most maxScore, and within the bottom `share` % of the ranked (0: no 黑榜) */
    black: z.object({ maxScore: line, share }),
  })
  .refine((r) => r.red.minScore > r.black.maxScore, { message: '红榜分数线应高于黑榜分数线', path: ['red', 'minScore'] })
export type HonorRules = z.infer<typeof honorRulesSchema>

/** A start a county edits: timeliness and fixes count most; a few names on each list. */
export const DEFAULT_HONOR_RULES: HonorRules = {
  weights: { onTime: 35, fixed: 35, satisfaction: 20, volume: 10 },
  minClosed: 3,
  red: { minScore: 85, share: 20 },
  black: { maxScore: 60, share: 10 },
}

/** The weights as percentages of their sum (what the editor and the poster show), rounded. */
export function weightShares(w: HonorRules['weights']): Record<HonorFactor, number> {
  const sum = HONOR_FACTORS.reduce((s, f) => s + w[f], 0)
  return Object.fromEntries(HONOR_FACTORS.map((f) => [f, sum > 0 ? Math.round((w[f] / sum) * 100) : 0])) as Record<HonorFactor, number>
}

/** 「得分 = 按时办结率×35% + …」: the factors with a weight. */
export function honorFormulaText(r: HonorRules): string {
  const s = weightShares(r.weights)
  return `得分 = ${HONOR_FACTORS.filter((f) => r.weights[f] > 0)
    .map((f) => `${HONOR_FACTOR_LABEL[f]}×${s[f]}%`)
    .join(' + ')}`
}

/** The thresholds in one sentence each. */
export function honorThresholdText(r: HonorRules): { red: string; black: string; min: string } {
  return {
    red: r.red.share > 0 ? `红榜：得分不低于${r.red.minScore}分，且排在前${r.red.share}%` : '红榜：不设',
    black: r.black.share > 0 ? `黑榜：得分不高于${r.black.maxScore}分，且排在后${r.black.share}%` : '黑榜：不设',
    min: `当月办结不足${r.minClosed}件的不参加排名`,
  }
}

// ---------- the formula ----------

export type HonorSubject = 'village' | 'team'
export const HONOR_SUBJECT_LABEL: Record<HonorSubject, string> = { village: '村（社区）', team: '服务队' }
export type HonorMark = 'red' | 'black'

/** One village's or team's month, as the rollups give it. */
export type HonorInput = {
  id: string
  name: string
  /** where it is: the township (villages), the township and home village (teams) */
  area: string
  total: number
  closed: number
  fixed: number
  /** among closed; null when nothing closed */
  fixedRate: number | null
  onTimeRate: number | null
  /** mean stars of approved ratings; null without ratings */
  satisfaction: number | null
  ratings: number
}

/** From a rollup summary (src/core/stats.ts). */
export const honorInputOf = (ref: { id: string; name: string; area: string }, s: StatsSummary): HonorInput => ({
  ...ref,
  total: s.total,
  closed: s.closed,
  fixed: s.fixed,
  fixedRate: s.fixedRate,
  onTimeRate: s.onTimeRate,
  satisfaction: s.satisfaction,
  ratings: s.ratings,
})

export type HonorRow = HonorInput & {
  /** each factor's points (0–100); null when there is nothing to score it on */
  parts: Record<HonorFactor, number | null>
  /** 0–100, one decimal; null when not ranked */
  score: number | null
  /** 1-based; equal scores share a rank (1, 2, 2, 4); null when not ranked */
  rank: number | null
  mark: HonorMark | null
  /** why it is not ranked */
  note: string | null
}

const round1 = (n: number) => Math.round(n * 10) / 10

/** Each factor's points for one row; `maxTotal` is the most orders of any ranked row. */
export function honorParts(row: Pick<HonorInput, 'total' | 'fixedRate' | 'onTimeRate' | 'satisfaction'>, maxTotal: number): Record<HonorFactor, number | null> {
  return {
    onTime: row.onTimeRate === null ? null : round1(row.onTimeRate * 100),
    fixed: row.fixedRate === null ? null : round1(row.fixedRate * 100),
    satisfaction: row.satisfaction === null ? null : round1((row.satisfaction / 5) * 100),
    volume: maxTotal > 0 ? round1((row.total / maxTotal) * 100) : null,
  }
}

/**
 * The weighted mean of the factors that have data (a factor without data, e.g. no ratings
 * yet, leaves its weight out). One decimal. null when no weighted factor has data.
 */
export function scoreOf(parts: Record<HonorFactor, number | null>, weights: HonorRules['weights']): number | null {
  let sum = 0
  let w = 0
  for (const f of HONOR_FACTORS) {
    const p = parts[f]
    if (p === null || weights[f] <= 0) continue
    sum += p * weights[f]
    w += weights[f]
  }
  return w > 0 ? round1(sum / w) : null
}

/** How many names a list with `share` % of `n` ranked rows holds: rounded, at least one when the share is above 0. */
export const listSize = (n: number, share: number) => (share <= 0 || n === 0 ? 0 : Math.max(1, Math.round((n * share) / 100)))

const byName = (a: HonorInput, b: HonorInput) => a.name.localeCompare(b.name, 'zh-Hans-CN') || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/**
 * The month's list. Rows with at least `minClosed` closed orders are ranked by score
 * (equal scores share a rank, listed by more orders, then name, then id — the same input
 * always gives the same list); the rest follow, unranked, with the reason. 红榜: ranked
 * rows with a score at least the red line whose rank is within the top share; 黑榜: the
 * same from the bottom with the black line. A tie at a list's edge takes all the tied rows.
 */
export function rankHonor(inputs: readonly HonorInput[], rules: HonorRules): HonorRow[] {
  const eligible = inputs.filter((r) => r.closed >= rules.minClosed)
  const maxTotal = Math.max(0, ...eligible.map((r) => r.total))
  const rows: HonorRow[] = inputs.map((r) => {
    const enough = r.closed >= rules.minClosed
    const parts = honorParts(r, enough ? maxTotal : Math.max(maxTotal, r.total))
    const score = enough ? scoreOf(parts, rules.weights) : null
    const note = !enough ? `办结不足${rules.minClosed}件，不参加排名` : score === null ? '没有可以评分的数据，不参加排名' : null
    return { ...r, parts, score, rank: null, mark: null, note }
  })
  const ranked = rows.filter((r) => r.score !== null).sort((a, b) => b.score! - a.score! || b.total - a.total || byName(a, b))
  const unranked = rows.filter((r) => r.score === null).sort((a, b) => b.total - a.total || byName(a, b))
  const n = ranked.length
  ranked.forEach((r, i) => {
    r.rank = i > 0 && ranked[i - 1].score === r.score ? ranked[i - 1].rank : i + 1
  })
  const redSize = listSize(n, rules.red.share)
  const blackSize = listSize(n, rules.black.share)
  for (const r of ranked) {
    // place from the bottom: 1 + how many scored lower (ties share it)
    const fromBottom = 1 + ranked.filter((x) => x.score! < r.score!).length
    if (r.rank! <= redSize && r.score! >= rules.red.minScore) r.mark = 'red'
    else if (fromBottom <= blackSize && r.score! <= rules.black.maxScore) r.mark = 'black'
  }
  return [...ranked, ...unranked]
}

// ---------- who may do what ----------

/** A month's list may be published once the month is over (Shanghai time). */
export function requireHonorPublishable(month: string, now: Date, published: { publishedAt: Date | number } | null | undefined) {
  if (published) {
    const at = new Date(published.publishedAt)
    throw new AppError('CONFLICT', `${monthLabel(month)}的红黑榜已于${toLocal(at).format('YYYY年M月D日')}发布，不能重复发布`)
  }
  if (now < monthEnd(month)) throw new AppError('VALIDATION', `${monthLabel(month)}还没有结束，月底后才能发布红黑榜`)
}

// ---------- 广播稿: the loudspeaker text ----------

const DIGITS = '零一二三四五六七八九'

/** A number as it is read aloud: 92.5 → 九十二点五, 105 → 一百零五, 10 → 十. Integers up to 9999. */
export function cnNumber(n: number): string {
  const neg = n < 0
  const [intPart, frac] = String(Math.abs(n)).split('.')
  const v = Number(intPart)
  let out = ''
  if (v === 0) out = '零'
  else {
    const units = ['', '十', '百', '千']
    const ds = String(v).split('').map(Number)
    let zero = false
    ds.forEach((d, i) => {
      const u = units[ds.length - 1 - i]
      if (d === 0) {
        zero = out !== ''
        return
      }
      if (zero) out += '零'
      zero = false
      out += (d === 1 && u === '十' && out === '' ? '' : DIGITS[d]) + u
    })
  }
  if (frac) out += '点' + frac.split('').map((d) => DIGITS[Number(d)]).join('')
  return (neg ? '负' : '') + out
}
/** 2026 → 二〇二六 (years are read digit by digit). */
const cnYear = (y: string) => y.split('').map((d) => (d === '0' ? '〇' : DIGITS[Number(d)])).join('')
const cnMonth = (month: string) => `${cnYear(month.slice(0, 4))}年${cnNumber(Number(month.slice(5)))}月`
const cnPercent = (rate: number) => `百分之${cnNumber(Math.round(rate * 100))}`

function spokenRow(r: HonorRow, black: boolean): string {
  const parts = [`${r.name}（${r.area}），${cnNumber(r.score ?? 0)}分`]
  if (black) {
    // what to work on: the rates behind a low score
    if (r.onTimeRate !== null) parts.push(`按时办结率${cnPercent(r.onTimeRate)}`)
    if (r.fixedRate !== null) parts.push(`群众确认解决率${cnPercent(r.fixedRate)}`)
  }
  return parts.join('，')
}

/**
 * The month's list as plain text for the village loudspeaker: no symbols to stumble on,
 * numbers written as they are read, villages first, then teams.
 */
export function broadcastText(p: { countyName: string; month: string; villages: readonly HonorRow[]; teams: readonly HonorRow[]; rules: HonorRules }): string {
  const lines: string[] = []
  lines.push(`${p.countyName}${monthLabel(p.month)}服务红黑榜`)
  lines.push(`各位乡亲：现在播报${p.countyName}${cnMonth(p.month)}村（社区）和志愿服务队红黑榜。`)
  const section = (subject: HonorSubject, rows: readonly HonorRow[]) => {
    const label = HONOR_SUBJECT_LABEL[subject]
    const red = rows.filter((r) => r.mark === 'red')
    const black = rows.filter((r) => r.mark === 'black')
    lines.push(`${label}红榜：${red.length ? red.map((r) => spokenRow(r, false)).join('；') : '本月没有'}。`)
    lines.push(`${label}黑榜：${black.length ? black.map((r) => spokenRow(r, true)).join('；') : '本月没有'}。`)
  }
  section('village', p.villages)
  section('team', p.teams)
  const nv = p.villages.filter((r) => r.rank !== null).length
  const nt = p.teams.filter((r) => r.rank !== null).length
  const factors = HONOR_FACTORS.filter((f) => p.rules.weights[f] > 0).map((f) => HONOR_FACTOR_LABEL[f])
  lines.push(`本月共有${cnNumber(nv)}个村（社区）、${cnNumber(nt)}支服务队参加排名，评分看${factors.join('、')}${factors.length > 1 ? '这几项' : ''}。`)
  lines.push('上红榜的，希望继续保持；上黑榜的，请对照问题抓紧整改。完整名单请在微信“幸福加码”小程序里查看。')
  return lines.join('\n')
}

// ---------- inputs and views ----------

export const saveHonorRulesInput = z.object({ rules: honorRulesSchema, version: z.number().int().min(0) })
export const honorDraftInput = z.object({ month: monthSchema, subject: z.enum(['village', 'team']).default('village') })
export const honorPublishInput = z.object({ month: monthSchema })
export const honorListInput = z.object({ countyId: idSchema.optional(), month: monthSchema.optional() })
export const honorPosterInput = z.object({ countyId: idSchema.optional(), month: monthSchema })

export type HonorRulesView = {
  countyId: string
  countyName: string
  version: number
  rules: HonorRules
  updatedAt: number | null
  updatedBy: string | null
}

export type HonorDraftView = {
  countyId: string
  countyName: string
  month: string
  subject: HonorSubject
  /** the month is over (it may be published) */
  ended: boolean
  /** once published the rows are the published ones (they never change) */
  published: { at: number; byName: string; rulesVersion: number } | null
  rules: HonorRules
  rulesVersion: number
  /** own: the row lies in the caller's township (township staff see the whole county, their own rows marked) */
  rows: (HonorRow & { own: boolean })[]
  /** township staff: their township's name */
  ownArea: string | null
  /** the caller is the county administrator */
  canPublish: boolean
  /** the rollups include order changes up to this instant (ms) */
  updatedAt: number | null
}

/** The published list as everyone sees it: names of villages and teams, scores and rates; nobody's personal data. */
export type HonorListView = {
  countyId: string
  countyName: string
  month: string
  publishedAt: number
  rulesVersion: number
  rules: HonorRules
  villages: HonorRow[]
  teams: HonorRow[]
  /** 广播稿 */
  broadcast: string
  /** months published, latest first (at most 24) */
  months: string[]
}

export type HonorPosterView = { url: string; fileId: string; fileName: string; width: number; height: number }
