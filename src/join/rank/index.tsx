import { useCallback, useEffect, useRef, useState } from 'react'
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import PageState from '@/components/PageState'
import { StaleNotice } from '@/components/PagedList'
import { call } from '@/api'
import type { RankingView } from '@/core/api'
import { monthLabel, monthOf, shiftMonth, yearOf } from '@/core/points'
import { decode, go } from '@/components/util'
import Tabs from '@/workbench/Tabs'
import './index.scss'

type Period = 'month' | 'last' | 'year'
type Subject = 'person' | 'team'
const PERIODS: { key: Period; label: string }[] = [
  { key: 'month', label: '本月' },
  { key: 'last', label: '上月' },
  { key: 'year', label: '本年' },
]
const SUBJECTS: { key: Subject; label: string }[] = [
  { key: 'person', label: '志愿者' },
  { key: 'team', label: '队伍' },
]

/** The period of a tab in Shanghai time: 2026-11 / 2026-10 / 2026. */
function periodOf(p: Period, now = Date.now()): string {
  const month = monthOf(now)
  if (p === 'year') return yearOf(now)
  if (p === 'month') return month
  return shiftMonth(month, -1)
}
const periodLabel = (period: string) => (period.length === 4 ? `${period}年` : monthLabel(period))

/**
 * 积分排行 (anyone): volunteers or teams of a county, township or village (`?nodeId=`,
 * default the caller's or the first county) by points of this month, last month or this
 * year. Names are masked for the public. Ids: tab-month, tab-last, tab-year, tab-person,
 * tab-team, rank-scope, rank-list, rank-row-<n> (1-based position).
 */
export default function Rank() {
  const { params } = useRouter()
  const nodeId = decode(params.nodeId)
  const [period, setPeriod] = useState<Period>('month')
  const [subject, setSubject] = useState<Subject>('person')
  const [view, setView] = useState<RankingView | null>(null)
  const [error, setError] = useState<unknown>(null)
  const seq = useRef(0)
  const wanted = periodOf(period)

  const load = useCallback(async () => {
    const mine = ++seq.current
    setError(null)
    try {
      const v = await call('points', 'ranking', { period: wanted, subject, ...(nodeId ? { nodeId } : {}) })
      if (mine === seq.current) setView(v)
    } catch (e) {
      if (mine === seq.current) setError(e)
    } finally {
      Taro.stopPullDownRefresh()
    }
  }, [wanted, subject, nodeId])
  useEffect(() => {
    load()
  }, [load])
  usePullDownRefresh(() => {
    load()
  })

  // another tab's answer is not shown while this one loads
  const current = view && view.period === wanted && view.subject === subject ? view : null
  const who = subject === 'person' ? '志愿者' : '队伍'

  return (
    <View className='xf-page rank'>
      <View id='rank-link-honor' className='xf-list' hoverClass='xf-pressed' onClick={() => go('/join/honor/index')}>
        <View className='xf-cell'>
          <View className='xf-cell__main'>
            <View className='xf-cell__title'>红黑榜</View>
            <View className='xf-cell__desc'>每月村（社区）和服务队的服务评比</View>
          </View>
          <View className='xf-cell__arrow'>›</View>
        </View>
      </View>
      <Tabs tabs={PERIODS} value={period} onChange={setPeriod} />
      <Tabs tabs={SUBJECTS} value={subject} onChange={setSubject} />
      {!!error && current && <StaleNotice error={error} />}
      <PageState loading={!current && !error} error={!current ? error : null} onRetry={load}>
        {current && (
          <>
            <View id='rank-scope' className='rank__scope'>
              {current.scopeName} · {periodLabel(current.period)} · {who}积分排行
            </View>
            {!current.full && subject === 'person' && <View className='xf-hint'>为保护隐私，姓名中间的字已隐去。</View>}
            <PageState empty={current.rows.length === 0} emptyText={`${periodLabel(current.period)}还没有${who}获得积分`}>
              <View id='rank-list' className='xf-list'>
                {current.rows.map((r, i) => (
                  <View key={`${r.id}-${i}`} id={`rank-row-${i + 1}`} className={`rank__row${r.rank <= 3 ? ` rank__row--top rank__row--${r.rank}` : ''}`}>
                    <View className='rank__no'>{r.rank}</View>
                    <View className='rank__main'>
                      <View className='rank__name'>
                        {r.name}
                        {r.plate && <Text className='rank__plate'> {r.plate}</Text>}
                      </View>
                      {subject === 'person' && r.teamName && <View className='rank__team'>{r.teamName}</View>}
                    </View>
                    <View className='rank__nums'>
                      <View className='rank__points'>{r.points} 分</View>
                      <View className='rank__hours'>{r.hours} 小时</View>
                    </View>
                  </View>
                ))}
              </View>
            </PageState>
          </>
        )}
      </PageState>
    </View>
  )
}
