import { useCallback, useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import { View } from '@tarojs/components'
import { call } from '@/api'
import type { OrderView } from '@/core/api'
import { PAGE, usePaged } from '@/components/PagedList'
import Tabs from '@/workbench/Tabs'
import { useTabbedList } from '@/workbench/useTabbedList'
import PatrolForm, { type PatrolGrid } from './PatrolForm'
import MyReports from './MyReports'
import PatrolResult from './PatrolResult'
import './index.scss'

type Tab = 'new' | 'mine'
const TABS: { key: Tab; label: string }[] = [
  { key: 'new', label: '随手拍' },
  { key: 'mine', label: '我的上报' },
]

/**
 * 随手拍 for volunteers and grid leaders on patrol: report what they find to the station, or
 * record it handled on the spot; 我的上报 follows their reports. The grid: the reporter's own
 * first, its micro-grids and the grids their team serves (order.patrolGrids).
 */
export default function Patrol() {
  const [tab, setTab] = useState<Tab>('new')
  const [done, setDone] = useState<OrderView | null>(null)
  const [grids, setGrids] = useState<PatrolGrid[] | null>(null)
  const [gridsError, setGridsError] = useState<unknown>(null)
  const mine = usePaged<OrderView>((before) => call('order', 'mine', { limit: PAGE, ...(before ? { before } : {}) }), (last) => last.createdAt)
  useTabbedList(mine, tab)

  const loadGrids = useCallback(() => {
    setGridsError(null)
    call('order', 'patrolGrids', {}).then((list) => setGrids(list.map((g) => ({ id: g.id, name: g.name }))), setGridsError)
  }, [])
  useEffect(loadGrids, [loadGrids])

  if (done)
    return (
      <PatrolResult
        order={done}
        onAgain={() => setDone(null)}
        onMine={() => {
          setDone(null)
          setTab('mine')
        }}
      />
    )

  const noRole = !!grids && grids.length === 0
  return (
    <View className='xf-page patrol'>
      <Tabs tabs={TABS} value={tab} onChange={setTab} />
      {tab === 'new' &&
        (noRole ? (
          <View id='patrol-no-role' className='xf-card patrol__none'>
            随手拍给已注册的志愿者和网格长使用。注册志愿者并通过审核后就可以上报了。
          </View>
        ) : (
          <PatrolForm
            grids={grids}
            gridsError={gridsError}
            onRetryGrids={loadGrids}
            onDone={(order) => {
              setDone(order)
              Taro.pageScrollTo({ scrollTop: 0, duration: 0 }).catch(() => {})
            }}
          />
        ))}
      {tab === 'mine' && <MyReports list={mine} />}
    </View>
  )
}
