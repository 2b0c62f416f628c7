import { useCallback, useEffect, useRef, useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { call, errorMessage } from '@/api'
import type { OrderView, TeamDeskView, TeamMemberView } from '@/core/api'
import Btn from '@/components/Btn'
import PageState from '@/components/PageState'
import { StaleNotice } from '@/components/PagedList'
import StatusTag from '@/components/StatusTag'
import { go, query } from '@/components/util'
import Tabs from '@/workbench/Tabs'
import DueChip from '@/workbench/DueChip'
import { ask } from '@/workbench/ask'
import MemberPicker, { busyText } from './MemberPicker'
import './index.scss'

type DeskTab = 'waiting' | 'held' | 'members'
const EMPTY: Record<DeskTab, string> = {
  waiting: '队伍暂时没有待分派的订单',
  held: '队员手上暂时没有在办的订单',
  members: '队伍里还没有队员',
}

/**
 * 队长工作台: the team's orders nobody holds yet (派给… a member, or take it), what each
 * member holds, and who is free. Only a captain gets a desk: the server says so to anyone else.
 */
export default function Desk() {
  const [desk, setDesk] = useState<TeamDeskView | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [tab, setTab] = useState<DeskTab>('waiting')
  const [picking, setPicking] = useState<OrderView | null>(null)
  const [busy, setBusy] = useState(false)

  const load = useCallback(async () => {
    try {
      setDesk(await call('order', 'teamDesk', {}))
      setError(null)
    } catch (e) {
      setError(e)
    } finally {
      Taro.stopPullDownRefresh()
    }
  }, [])
  // back from an order's page (or another captain's change): reload on show
  const shown = useRef(false)
  useEffect(() => {
    load()
  }, [load])
  useDidShow(() => {
    if (shown.current) load()
    shown.current = true
  })
  usePullDownRefresh(() => {
    load()
  })

  /** Run one action, then show the desk as it is now (a failure may mean someone got there first). */
  const run = async (fn: () => Promise<unknown>, done: string) => {
    setBusy(true)
    try {
      await fn()
      setPicking(null)
      Taro.showToast({ title: done, icon: 'success' })
    } catch (e) {
      Taro.showModal({ title: '没有成功', content: errorMessage(e), showCancel: false })
    } finally {
      setBusy(false)
      load()
    }
  }

  const assignTo = async (m: TeamMemberView) => {
    const o = picking
    if (!o || busy) return
    const content = m.captain
      ? `「${o.serviceName}」这一单由您自己来办？确定后请在「我的任务 → 派给我」里接单。`
      : `把「${o.serviceName}」（${o.gridName}）派给${m.name}？${m.name}现在${busyText(m.busy)}，会收到派单通知，接单后上门。`
    if (!(await ask('请确认', content))) return
    await run(() => call('order', 'assign', { id: o.id, volunteerId: m.id }), m.captain ? '已派给自己' : `已派给${m.name}`)
  }

  const takeIt = async (o: OrderView) => {
    if (busy) return
    if (!(await ask('请确认', `由您自己接下「${o.serviceName}」这一单？接单后请尽快联系村民、上门服务。`, '确定接单'))) return
    await run(() => call('order', 'accept', { id: o.id }), '已接单')
  }

  const counts = { waiting: desk?.waiting.length ?? 0, held: desk?.held.length ?? 0, members: desk?.members.length ?? 0 }
  const tabs: { key: DeskTab; label: string }[] = [
    { key: 'waiting', label: `待分派 ${counts.waiting}` },
    { key: 'held', label: `队员在办 ${counts.held}` },
    { key: 'members', label: `队员 ${counts.members}` },
  ]
  const free = desk?.members.filter((m) => m.busy === 0).length ?? 0

  return (
    <View className='xf-page vdesk'>
      {!!error && desk && <StaleNotice error={error} />}
      <PageState loading={!desk && !error} loadingText='正在打开队长工作台…' error={!desk ? error : null} onRetry={load}>
        {desk && (
          <>
            <View className='xf-card vdesk__head'>
              <View id='desk-team' className='vdesk__team'>
                {desk.team.name}
              </View>
              <View id='desk-summary' className='vdesk__sum'>
                {counts.waiting > 0 ? `${counts.waiting}单等您分派` : '没有等待分派的订单'} · 队员{counts.members}人，{free}人空闲
              </View>
            </View>
            <Tabs tabs={tabs} value={tab} onChange={setTab} />
            {tab === 'waiting' && (
              <View className='xf-hint'>
                派给一位队员后，只有他能接这一单；也可以自己接单。
              </View>
            )}

            <PageState empty={counts[tab] === 0} emptyText={EMPTY[tab]}>
              {tab === 'waiting' && (
                <View id='desk-waiting'>
                  {desk.waiting.map((o) => (
                    <View key={o.id} className='xf-card vdesk__item'>
                      <OrderHead order={o} />
                      <View className='vdesk__desc xf-clamp2'>{o.description}</View>
                      <View className='xf-row vdesk__foot'>
                        <Btn id={`btn-assign-${o.id}`} className='vdesk__assign' type='primary' disabled={busy} onClick={() => setPicking(o)}>
                          派给…
                        </Btn>
                        <Btn id={`btn-take-${o.id}`} type='default' disabled={busy} onClick={() => takeIt(o)}>
                          我来接单
                        </Btn>
                      </View>
                      <View className='xf-link' onClick={() => go(`/volunteer/order/index?${query({ id: o.id })}`)}>
                        查看详情 ›
                      </View>
                    </View>
                  ))}
                </View>
              )}

              {tab === 'held' && (
                <View id='desk-held'>
                  {desk.held.map((o) => (
                    <View key={o.id} className='xf-card vdesk__item'>
                      <OrderHead order={o} />
                      <View className='vdesk__who'>队员：{o.assignee?.name ?? ''}</View>
                      <View className='vdesk__desc xf-clamp2'>{o.description}</View>
                    </View>
                  ))}
                </View>
              )}

              {tab === 'members' && (
                <View id='desk-members' className='xf-card'>
                  {desk.members.map((m) => (
                    <View key={m.id} id={`desk-member-${m.id}`} className='vdesk__member'>
                      <View className='vdesk__name'>
                        {m.name}
                        {m.plate && <Text className='vdesk__plate'>{m.plate}</Text>}
                        {m.captain && <Text className='vdesk__captain'>队长</Text>}
                      </View>
                      <Text className={`vdesk__busy${m.busy === 0 ? ' vdesk__busy--free' : ''}`}>{busyText(m.busy)}</Text>
                    </View>
                  ))}
                </View>
              )}
            </PageState>
          </>
        )}
      </PageState>

      {picking && desk && <MemberPicker order={picking} members={desk.members} busy={busy} onPick={assignTo} onClose={() => setPicking(null)} />}
    </View>
  )
}

/** Service, status, where, and the clock of the stage (most urgent first in both lists). */
function OrderHead({ order: o }: { order: OrderView }) {
  return (
    <>
      <View className='xf-row vdesk__top'>
        <View className='vdesk__service'>{o.serviceName}</View>
        <StatusTag status={o.status} />
      </View>
      <View className='xf-muted vdesk__meta'>
        {o.villageName} {o.gridName} · {o.no}
      </View>
      {o.clock && o.clock.stage !== 'confirm' && (
        <View className='vdesk__due'>
          <DueChip clock={o.clock} />
        </View>
      )}
    </>
  )
}
