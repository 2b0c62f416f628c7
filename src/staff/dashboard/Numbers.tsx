import { Text, View } from '@tarojs/components'
import type { DashboardView } from '@/core/stats'
import { formatMinutes, percent, stars } from './format'
import { DURATION_STAGES } from './options'

type Summary = DashboardView['summary']

function Tile({ id, label, value, warn }: { id: string; label: string; value: number; warn?: boolean }) {
  return (
    <View className='xd-tile'>
      <View id={id} className={`xd-tile__value${warn && value > 0 ? ' xd-tile__value--warn' : ''}`}>
        {value}
      </View>
      <View className='xd-tile__label'>{label}</View>
    </View>
  )
}

function Line({ id, label, value, note }: { id: string; label: string; value: string; note?: string }) {
  return (
    <View className='xd-line'>
      <View className='xd-line__label'>{label}</View>
      <View className='xd-line__right'>
        <Text id={id} className='xd-line__value'>
          {value}
        </Text>
        {note && <View className='xd-line__note'>{note}</View>}
      </View>
    </View>
  )
}

/** The counts: placed, still open, closed, ever late. */
export function Counts({ s }: { s: Summary }) {
  return (
    <View className='xf-card'>
      <View className='xd-card__title'>诉求概况</View>
      <View className='xd-tiles'>
        <Tile id='dash-total' label='诉求总数' value={s.total} />
        <Tile id='dash-open' label='在办' value={s.open} />
        <Tile id='dash-closed' label='已办结' value={s.closed} />
        <Tile id='dash-overdue' label='超时' value={s.overdue} warn />
      </View>
    </View>
  )
}

/** How well: confirmed fixes, on time, satisfaction, where the orders came from. */
export function Quality({ s }: { s: Summary }) {
  return (
    <View className='xf-card'>
      <View className='xd-card__title'>办理质量</View>
      <Line id='dash-fixed-rate' label='解决率' value={percent(s.fixedRate)} note={`村民确认解决 ${s.fixed} 件 / 办结 ${s.closed} 件`} />
      <Line id='dash-ontime-rate' label='按时办结率' value={percent(s.onTimeRate)} note='办结的诉求中，没有超时的比例' />
      <Line id='dash-satisfaction' label='满意度' value={stars(s.satisfaction)} note={`${s.ratings} 条已审核的评价`} />
      <Line id='dash-source' label='来源' value={`电话 ${s.bySource.hotline ?? 0} · 扫码 ${s.bySource.scan ?? 0} · 网格上报 ${s.bySource.patrol ?? 0}`} />
    </View>
  )
}

/** Median and 90th percentile of each stage, in words (the chart beside it draws them). */
export function Durations({ s }: { s: Summary }) {
  const ids = { toDispatch: 'dash-to-dispatch', toAccept: 'dash-to-accept', toClose: 'dash-to-close' } as const
  return (
    <>
      {DURATION_STAGES.map((st) => {
        const q = s[st.key]
        return (
          <Line
            key={st.key}
            id={ids[st.key]}
            label={`${st.label}用时`}
            value={q.n ? `中位数 ${formatMinutes(q.p50)}` : '暂无'}
            note={q.n ? `90%分位 ${formatMinutes(q.p90)} · ${q.n} 件` : undefined}
          />
        )
      })}
    </>
  )
}

/** Volunteers with points or hours in the period's months; the hours served on the period's orders. */
export function Volunteers({ v, s }: { v: DashboardView['volunteers']; s: Summary }) {
  return (
    <View className='xf-card'>
      <View className='xd-card__title'>志愿者</View>
      {v && (
        <>
          <Line id='dash-vol-active' label={v.months.length > 1 ? '月均活跃志愿者' : '活跃志愿者'} value={`${v.active} 人`} note={`按${v.months.map((m) => `${Number(m.slice(5))}月`).join('、')}的积分和时长统计`} />
          <Line id='dash-vol-points' label='获得积分' value={`${v.points} 分`} />
          <Line id='dash-vol-hours' label='服务时长（积分）' value={`${v.hours} 小时`} />
        </>
      )}
      <Line id='dash-hours' label='本时段诉求服务时长' value={`${s.hours} 小时`} note={`其中已核验 ${s.verifiedHours} 小时`} />
    </View>
  )
}
