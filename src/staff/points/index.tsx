import { useCallback, useEffect, useState } from 'react'
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { View } from '@tarojs/components'
import PageState from '@/components/PageState'
import { ApiError, call } from '@/api'
import type { MeView } from '@/core/api'
import { monthOf, shiftMonth } from '@/core/points'
import Tabs from '@/workbench/Tabs'
import ManualForm from './ManualForm'
import ObjectionsPanel from './ObjectionsPanel'
import ReviewPanel from './ReviewPanel'
import { ScopePicker, useTownships } from './ReviewScope'
import { useReview } from './useReview'
import './index.scss'

type Tab = 'review' | 'objections' | 'manual'
const TABS: { key: Tab; label: string }[] = [
  { key: 'review', label: '月度公示' },
  { key: 'objections', label: '异议' },
  { key: 'manual', label: '人工录入' },
]

/**
 * 积分审核与录入: township and county staff publish, resolve and finalise a township's
 * month; every staff member (station staff only this) enters points, commendations and
 * hours by hand. Tab ids: tab-review, tab-objections, tab-manual (the bar is hidden when
 * 人工录入 is the only tab).
 */
export default function StaffPoints() {
  const [me, setMe] = useState<MeView | null>(null)
  const [meError, setMeError] = useState<unknown>(null)
  const loadMe = useCallback(() => {
    setMeError(null)
    call('user', 'me', {}).then(setMe, setMeError)
  }, [])
  useEffect(loadMe, [loadMe])

  const reviewer = !!me?.roles.some((r) => r.role === 'township' || r.role === 'county')
  const county = !!me?.roles.some((r) => r.role === 'county')
  const staff = !!me?.roles.some((r) => r.role === 'station' || r.role === 'township' || r.role === 'county')
  const [tab, setTab] = useState<Tab>('review')
  const shown: Tab = reviewer ? tab : 'manual'

  const { townships, error: townshipsError, reload } = useTownships(reviewer ? me : null)
  const [picked, setPicked] = useState('')
  const townshipId = picked || townships?.[0]?.id || ''
  // the month to review is usually the one just over
  const [month, setMonth] = useState(() => shiftMonth(monthOf(Date.now()), -1))

  // the form keeps what was typed while another tab is open
  const [manualOpened, setManualOpened] = useState(false)
  useEffect(() => {
    if (shown === 'manual') setManualOpened(true)
  }, [shown])

  const review = useReview(townshipId, month, false, shown === 'review')
  const objections = useReview(townshipId, month, true, shown === 'objections')

  usePullDownRefresh(() => {
    if (me && shown === 'review') review.refresh()
    else if (me && shown === 'objections') objections.refresh()
    else {
      if (!me) loadMe()
      Taro.stopPullDownRefresh()
    }
  })
  useReachBottom(() => {
    if (shown === 'review') review.loadMore()
  })

  const notStaff = me && !staff ? new ApiError('FORBIDDEN', '只有文明实践站（所）工作人员可以录入和审核积分') : null
  return (
    <View className='xf-page pts'>
      <PageState loading={!me && !meError} error={meError || notStaff} onRetry={meError ? loadMe : undefined}>
        {me && staff && (
          <>
            {reviewer && <Tabs tabs={TABS} value={shown} onChange={setTab} />}
            {shown !== 'manual' && (
              <ScopePicker
                townships={townships}
                error={townshipsError}
                onRetry={reload}
                townshipId={townshipId}
                onTownship={setPicked}
                month={month}
                onMonth={setMonth}
              />
            )}
            {shown === 'review' && townshipId && <ReviewPanel review={review} county={county} />}
            {shown === 'objections' && townshipId && <ObjectionsPanel objections={objections} onResolved={review.refresh} />}
            {manualOpened && (
              <View className={shown === 'manual' ? '' : 'pts-hidden'}>
                <ManualForm />
              </View>
            )}
          </>
        )}
      </PageState>
    </View>
  )
}
