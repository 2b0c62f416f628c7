import { useEffect, useState } from 'react'
import { View } from '@tarojs/components'
import { call } from '@/api'
import type { MeView, OrderView } from '@/core/api'
import type { TaskTab } from '@/core/loop'
import { formatShort } from '@/core/time'
import PageState from '@/components/PageState'
import { ListFooter, PAGE, StaleNotice, usePaged } from '@/components/PagedList'
import StatusTag from '@/components/StatusTag'
import Btn from '@/components/Btn'
import { go, query } from '@/components/util'
import './index.scss'
import Tabs from '@/workbench/Tabs'
import DueChip from '@/workbench/DueChip'
import { useTabbedList } from '@/workbench/useTabbedList'

const TABS: { key: TaskTab; label: string; empty: string }[] = [
  { key: 'assigned', label: '派给我', empty: '暂时没有派给您的任务' },
  { key: 'pool', label: '抢单池', empty: '队伍的抢单池里暂时没有任务' },
  { key: 'active', label: '进行中', empty: '没有正在办理的任务' },
  { key: 'done', label: '已完成', empty: '还没有完成的任务' },
]

/** One tab's list, newest first, paged by updatedAt (the tasks action's order). */
const useTasks = (tab: TaskTab) =>
  usePaged<OrderView>((before) => call('order', 'tasks', { tab, limit: PAGE, ...(before ? { before } : {}) }), (last) => last.updatedAt)

export default function Tasks() {
  const [tab, setTab] = useState<TaskTab>('assigned')
  const lists = { assigned: useTasks('assigned'), pool: useTasks('pool'), active: useTasks('active'), done: useTasks('done') }
  const list = lists[tab]

  // back from a detail the items may have moved on: reloaded on show
  useTabbedList(list, tab)

  const { orders, error, more, loadingMore } = list
  const meta = TABS.find((t) => t.key === tab)!

  // every grid leader captains a team: show them the way to their desk (the desk itself checks)
  const [captain, setCaptain] = useState(false)
  useEffect(() => {
    call('user', 'me', {})
      .then((me: MeView) => setCaptain(me.roles.some((r) => r.role === 'leader')))
      .catch(() => {
        /* only decides whether the desk button shows */
      })
  }, [])

  return (
    <View className='xf-page vtasks'>
      <Tabs tabs={TABS} value={tab} onChange={setTab} />
      <View className='xf-row'>
        <View id='link-badge' className='xf-link' onClick={() => go('/volunteer/badge/index')}>
          我的胸牌（亮码） ›
        </View>
        <View id='link-points' className='xf-link' onClick={() => go('/volunteer/points/index')}>
          我的积分 ›
        </View>
        <View id='link-store' className='xf-link' onClick={() => go('/volunteer/store/index')}>
          积分超市 ›
        </View>
      </View>
      {captain && (
        <View className='vtasks__desk'>
          <Btn id='link-desk' type='primary' onClick={() => go('/volunteer/desk/index')}>
            队长工作台：给队员派单
          </Btn>
        </View>
      )}
      {/* 随手拍 on patrol: report a problem to the station or record it handled on the spot */}
      <View className='vtasks__patrol'>
        <Btn id='link-patrol' type='outline' onClick={() => go('/volunteer/patrol/index')}>
          随手拍：发现问题拍下来
        </Btn>
      </View>
      {tab === 'pool' && <View className='xf-hint'>抢单池里的任务谁先接谁办，接单后请尽快上门。</View>}

      {!!error && orders && <StaleNotice error={error} />}
      <PageState loading={!orders && !error} error={!orders ? error : null} onRetry={list.refresh} empty={!!orders && orders.length === 0} emptyText={meta.empty}>
        <View id='task-list'>
          {orders?.map((o) => (
            <View key={o.id} className='xf-card vtasks__item' hoverClass='xf-pressed' onClick={() => go(`/volunteer/order/index?${query({ id: o.id })}`)}>
              <View className='xf-row vtasks__top'>
                <View className='vtasks__service'>{o.serviceName}</View>
                <StatusTag status={o.status} />
              </View>
              <View className='xf-muted vtasks__meta'>
                {o.villageName} {o.gridName} · {o.no}
              </View>
              {tab !== 'done' && o.clock && o.clock.stage !== 'confirm' && (
                <View className='vtasks__due'>
                  <DueChip clock={o.clock} />
                </View>
              )}
              <View className='vtasks__desc xf-clamp2'>{o.description}</View>
              <View className='xf-row vtasks__foot'>
                <View className='xf-muted'>{o.team && !o.assignee ? `派给：${o.team.name}` : o.preferredTime ? `期望：${o.preferredTime}` : ''}</View>
                <View className='xf-muted'>{formatShort(o.updatedAt)}</View>
              </View>
            </View>
          ))}
        </View>
        <ListFooter count={orders?.length ?? 0} more={more} loadingMore={loadingMore} onMore={list.loadMore} />
      </PageState>
    </View>
  )
}
