import { useMemo } from 'react'
import { View } from '@tarojs/components'
import { LEVEL_LABEL } from '@/core/tree'
import { toLocal } from '@/core/time'
import type { DashboardView } from '@/core/stats'
import Btn from '@/components/Btn'
import ErrorBox from '@/components/ErrorBox'
import PageState, { Loading } from '@/components/PageState'
import { go, query as toQuery } from '@/components/util'
import '@/workbench/shared.scss'
import AreaTable from './AreaTable'
import Chart from './Chart'
import { Counts, Durations, Quality, Volunteers } from './Numbers'
import { barHeight, categoryOption, durationOption, statusOption, trendOption } from './options'
import PeriodPicker from './PeriodPicker'
import Trail from './Trail'
import { useDashboard, type DashQuery } from './useDashboard'
import './index.scss'

/** 「数据更新于 14:05」 (with the date when it is not today's). */
function updatedText(ms: number | null): string {
  if (!ms) return '数据正在汇总，请稍后下拉刷新'
  const t = toLocal(ms)
  return `数据更新于 ${t.isSame(toLocal(Date.now()), 'day') ? t.format('HH:mm') : t.format('M月D日 HH:mm')}`
}

/**
 * 数据看板: a staff member's area (or one below it) for a period — counts, quality, times,
 * volunteers, charts and the areas one level down. Read from rollups the sweep keeps.
 */
export default function Dashboard() {
  const { query, setQuery, view, error, loading, reload } = useDashboard({ preset: 'month' })
  const setPeriod = (p: Pick<DashQuery, 'preset' | 'from' | 'to'>) => setQuery((q) => ({ ...p, nodeId: q.nodeId }))
  const openNode = (nodeId: string | undefined) => setQuery((q) => ({ ...q, nodeId }))

  return (
    <View className='xf-page xd'>
      <View className='xf-card xd-head'>
        <View id='dash-node' className='xf-h1'>
          {view ? view.node.name : '数据看板'}
          {view && <View className='xd-head__level'>{LEVEL_LABEL[view.node.level as keyof typeof LEVEL_LABEL] ?? ''}</View>}
        </View>
        {view && <Trail trail={view.trail} onPick={openNode} />}
        {view && (
          <View className='xd-head__period'>
            <View id='dash-period-label' className='xd-head__label'>
              {view.period.label}
            </View>
            <View id='dash-updated' className='xf-muted'>
              {updatedText(view.updatedAt)}
            </View>
          </View>
        )}
      </View>

      <PeriodPicker query={query} period={view?.period ?? null} onChange={setPeriod} />

      {loading && view && <Loading small text='正在更新…' />}
      {!!error && view && <ErrorBox error={error} onRetry={reload} />}
      <PageState loading={!view && !error} error={!view ? error : null} onRetry={reload}>
        {view && <Body view={view} onOpen={openNode} />}
      </PageState>
    </View>
  )
}

function Body({ view, onOpen }: { view: DashboardView; onOpen: (nodeId: string) => void }) {
  const s = view.summary
  const charts = useMemo(
    () => ({ status: statusOption(s.byStatus), category: categoryOption(s.byCategory), trend: trendOption(view.trend), durations: durationOption(s) }),
    [s, view.trend],
  )
  const exportUrl = `/staff/export/index?${toQuery({ kind: 'orders', from: view.period.from, to: view.period.to, nodeId: view.node.id })}`
  const isGrid = view.node.level === 'grid'
  const gridOrders = () => go(`/staff/incoming/index?${toQuery({ nodeId: view.node.id, area: view.node.name })}`)

  return (
    <View id='dash-body'>
      {s.total === 0 ? (
        <View id='dash-empty' className='xf-card xd-empty'>
          <View className='xd-empty__title'>这段时间没有诉求</View>
          <View className='xf-muted'>{view.period.label}，{view.node.name}没有新的诉求。可以换一个时段看看。</View>
        </View>
      ) : (
        <>
          <Counts s={s} />
          <Quality s={s} />
          <View className='xf-card'>
            <View className='xd-card__title'>诉求状态</View>
            <Chart id='chart-status' label='各状态诉求数' option={charts.status.option} height={barHeight(charts.status.rows)} />
          </View>
          <View className='xf-card'>
            <View className='xd-card__title'>服务类别</View>
            <Chart id='chart-category' label='各类别诉求数' option={charts.category.option} height={barHeight(charts.category.rows)} />
          </View>
          <View className='xf-card'>
            <View className='xd-card__title'>{view.trend.unit === 'day' ? '每日趋势' : '每周趋势'}</View>
            <Chart id='chart-trend' label='新增、办结和确认解决的诉求趋势' option={charts.trend} height={520} />
          </View>
          <View className='xf-card'>
            <View className='xd-card__title'>办理用时（从点单算起）</View>
            <Durations s={s} />
            <Chart id='chart-durations' label='派单、接单、办结用时的中位数和90%分位' option={charts.durations} height={440} />
          </View>
        </>
      )}

      <Volunteers v={view.volunteers} s={s} />

      {view.areas.length > 0 && s.total > 0 && (
        <View className='xf-card'>
          <View className='xd-card__title'>各{LEVEL_LABEL[view.areas[0].level as keyof typeof LEVEL_LABEL] ?? '区域'}情况</View>
          <View className='xf-muted xd-card__hint'>点表头排序，点一行看这个区域</View>
          <AreaTable rows={view.areas} onOpen={(r) => onOpen(r.id)} />
        </View>
      )}

      <View className='xf-actions'>
        {isGrid && (
          <Btn id='btn-grid-orders' type='outline' onClick={gridOrders}>
            查看本网格订单
          </Btn>
        )}
        <Btn id='btn-export' type='default' onClick={() => go(exportUrl)}>
          导出本时段诉求
        </Btn>
      </View>
    </View>
  )
}
