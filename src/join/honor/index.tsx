import { useCallback, useEffect, useRef, useState } from 'react'
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { View } from '@tarojs/components'
import PageState from '@/components/PageState'
import { call } from '@/api'
import { decode, go, query } from '@/components/util'
import { HONOR_SUBJECT_LABEL, honorFormulaText, honorThresholdText, type HonorListView, type HonorSubject } from '@/core/honor'
import { monthLabel } from '@/core/points'
import { formatShort } from '@/core/time'
import Tabs from '@/workbench/Tabs'
import '@/workbench/shared.scss'
import Broadcast from './Broadcast'
import HonorRows from './HonorRows'
import Poster from './Poster'
import { usePoster } from './usePoster'
import './index.scss'

const SUBJECTS: { key: HonorSubject; label: string }[] = [
  { key: 'village', label: HONOR_SUBJECT_LABEL.village },
  { key: 'team', label: HONOR_SUBJECT_LABEL.team },
]

/**
 * 红黑榜 (anyone, no sign-in): the county's latest published month (or `?countyId=&month=`):
 * villages and teams on the red and black lists with their scores and rates, the full ranking,
 * the poster for WeChat groups and the 广播稿 for the loudspeaker. No personal data.
 * Ids: honor-title, honor-month-<YYYY-MM>, tab-village, tab-team, honor-red-<n>, honor-black-<n>,
 * honor-all-<n>, honor-rules; Poster's and Broadcast's.
 */
export default function PublicHonor() {
  const { params } = useRouter()
  const countyId = decode(params.countyId) || undefined
  const [month, setMonth] = useState(decode(params.month) || undefined)
  const [subject, setSubject] = useState<HonorSubject>('village')
  const [view, setView] = useState<HonorListView | null>(null)
  const [error, setError] = useState<unknown>(null)
  const seq = useRef(0)

  const load = useCallback(async () => {
    const mine = ++seq.current
    setError(null)
    try {
      const v = await call('stats', 'honorList', { ...(countyId ? { countyId } : {}), ...(month ? { month } : {}) })
      if (mine === seq.current) setView(v)
    } catch (e) {
      if (mine === seq.current) setError(e)
    } finally {
      Taro.stopPullDownRefresh()
    }
  }, [countyId, month])
  useEffect(() => {
    load()
  }, [load])
  usePullDownRefresh(() => {
    load()
  })
  const current = view && (!month || view.month === month) ? view : null
  const { poster, error: posterError } = usePoster(current?.countyId ?? null, current?.month ?? null)

  const rows = current ? (subject === 'village' ? current.villages : current.teams) : []
  const red = rows.filter((r) => r.mark === 'red')
  const black = rows.filter((r) => r.mark === 'black')
  const t = current ? honorThresholdText(current.rules) : null

  return (
    <View className='xf-page jh'>
      <PageState loading={!current && !error} error={!current ? error : null} onRetry={load}>
        {current && (
          <>
            <View className='xf-card jh-head'>
              <View id='honor-title' className='xf-h1'>
                {current.countyName} · {monthLabel(current.month)}红黑榜
              </View>
              <View className='xf-muted'>{formatShort(current.publishedAt)} 发布</View>
              {current.months.length > 1 && (
                <View className='jh-head__months'>
                  {current.months.map((m) => (
                    <View key={m} id={`honor-month-${m}`} className={`xw-chip${m === current.month ? ' xw-chip--on' : ''}`} onClick={() => setMonth(m)}>
                      {monthLabel(m)}
                    </View>
                  ))}
                </View>
              )}
            </View>

            <Tabs tabs={SUBJECTS} value={subject} onChange={setSubject} />
            <View className='xf-h2 jh-h2--red'>红榜</View>
            {red.length ? <HonorRows rows={red} idPrefix='honor-red' /> : <View className='xf-hint'>本月没有{HONOR_SUBJECT_LABEL[subject]}上红榜。</View>}
            <View className='xf-h2 jh-h2--black'>黑榜</View>
            {black.length ? <HonorRows rows={black} idPrefix='honor-black' /> : <View className='xf-hint'>本月没有{HONOR_SUBJECT_LABEL[subject]}上黑榜。</View>}
            <View className='xf-h2'>完整排名</View>
            {rows.length ? <HonorRows rows={rows} idPrefix='honor-all' /> : <View className='xf-hint'>本月没有{HONOR_SUBJECT_LABEL[subject]}的诉求。</View>}

            <View id='honor-rules' className='xf-card jh-rules'>
              <View className='jh-rules__title'>怎么评出来的</View>
              <View>{honorFormulaText(current.rules)}</View>
              <View>{t!.red}</View>
              <View>{t!.black}</View>
              <View>{t!.min}</View>
            </View>

            <View className='xf-h2'>分享海报</View>
            <Poster poster={poster} error={posterError} />

            <View className='xf-h2'>广播稿</View>
            <View className='xf-hint'>村里大喇叭播报时照着念，数字已经写成读法。</View>
            <Broadcast text={current.broadcast} />

            <View id='honor-link-rank' className='xf-link jh-link' onClick={() => go(`/join/rank/index?${query({ nodeId: current.countyId })}`)}>
              看志愿者积分排行 ›
            </View>
          </>
        )}
      </PageState>
    </View>
  )
}
