import { useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { call } from '@/api'
import type { MyPointsView, PointEntryView } from '@/core/api'
import { HOURS_KIND_LABEL, REVIEW_STATE_LABEL, monthLabel, quarterLabel, type HoursKind } from '@/core/points'
import PageState from '@/components/PageState'
import { ListFooter, PAGE, StaleNotice, usePaged } from '@/components/PagedList'
import { go } from '@/components/util'
import ReasonDialog from '@/workbench/ReasonDialog'
import EntryCard, { hoursText } from './EntryCard'
import CertificateButton from './CertificateButton'
import './index.scss'

const HOURS_KINDS: HoursKind[] = ['verified', 'unverified', 'manual']
/** Month and quarter sums: a minus sign when negative, no plus (they are totals, not changes). */
const signed0 = (n: number) => (n < 0 ? `−${-n}` : `${n}`)

/**
 * 我的积分: final points (可兑换) and pending ones apart, hours by kind, months with their
 * review state, quarters, and the ledger newest first. The first page of the ledger comes
 * with the summary (`points.mine`); older pages from `points.entries` before the last one shown.
 */
export default function MyPoints() {
  const [view, setView] = useState<MyPointsView | null>(null)
  const [objecting, setObjecting] = useState<PointEntryView | null>(null)
  const list = usePaged<PointEntryView>(
    async (before) => {
      if (before) return call('points', 'entries', { before, limit: PAGE })
      const v = await call('points', 'mine', {})
      setView(v)
      return v.entries
    },
    (last) => last.at,
  )
  useDidShow(() => {
    list.refresh()
  })
  usePullDownRefresh(() => {
    list.refresh()
  })
  useReachBottom(() => {
    list.loadMore()
  })

  const { orders: entries, error, more, loadingMore } = list
  const replace = (e: PointEntryView) => list.setOrders((cur) => (cur ? cur.map((x) => (x.id === e.id ? e : x)) : cur))

  return (
    <View className='xf-page vpoints'>
      {!!error && view && <StaleNotice error={error} />}
      <PageState loading={!view && !error} error={!view ? error : null} onRetry={list.refresh}>
        {view && (
          <>
            <View className='xf-card vpoints__head'>
              <View className='vpoints__who'>
                {view.name}
                {view.plate ? ` · ${view.plate}` : ''}
              </View>
              <View className='vpoints__totals'>
                <View className='vpoints__total'>
                  <View id='points-final' className='vpoints__num vpoints__num--final'>
                    {view.final}
                  </View>
                  <View className='vpoints__label'>可兑换积分</View>
                  <View className='vpoints__sub'>已公示定稿</View>
                </View>
                <View className='vpoints__total'>
                  <View id='points-pending' className='vpoints__num vpoints__num--pending'>
                    {view.pending}
                  </View>
                  <View className='vpoints__label'>待定积分</View>
                  <View className='vpoints__sub'>待公示 / 公示中，定稿后可兑换</View>
                </View>
              </View>
            </View>

            <View className='xf-list'>
              <View id='points-link-store' className='xf-cell' hoverClass='xf-pressed' onClick={() => go('/volunteer/store/index')}>
                <View className='xf-cell__main'>
                  <View className='xf-cell__title'>积分超市</View>
                  <View className='xf-cell__desc'>用可兑换积分换生活用品</View>
                </View>
                <Text className='xf-cell__arrow'>›</Text>
              </View>
              <View id='points-link-rank' className='xf-cell' hoverClass='xf-pressed' onClick={() => go('/join/rank/index')}>
                <View className='xf-cell__main'>
                  <View className='xf-cell__title'>积分排行</View>
                  <View className='xf-cell__desc'>看看本县志愿者的积分榜</View>
                </View>
                <Text className='xf-cell__arrow'>›</Text>
              </View>
            </View>

            <View className='xf-h2'>服务时长</View>
            <View id='points-hours' className='xf-card vpoints__hours'>
              {HOURS_KINDS.map((k) => (
                <View key={k} id={`hours-${k}`} className='vpoints__hour'>
                  <View className='vpoints__hour-num'>{hoursText(view.hours[k])}</View>
                  <View className='vpoints__hour-label'>{HOURS_KIND_LABEL[k]}（小时）</View>
                </View>
              ))}
            </View>
            <CertificateButton />

            {view.months.length > 0 && (
              <>
                <View className='xf-h2'>每月积分</View>
                <View id='points-months' className='xf-card'>
                  {view.months.map((m) => (
                    <View key={m.month} className='xf-row vpoints__period'>
                      <View className='vpoints__period-name'>{monthLabel(m.month)}</View>
                      <View className='vpoints__period-sum'>
                        {signed0(m.points)} 分 · {hoursText(m.hours)} 小时
                      </View>
                      <Text className={`vpoints__state vpoints__state--${m.state}`}>{REVIEW_STATE_LABEL[m.state]}</Text>
                    </View>
                  ))}
                  <View className='xf-hint vpoints__note'>每月积分经乡镇公示、定稿后才能兑换；公示期内可对自己的记录提出异议。</View>
                </View>
              </>
            )}

            {view.quarters.length > 0 && (
              <>
                <View className='xf-h2'>每季度合计</View>
                <View id='points-quarters' className='xf-card'>
                  {view.quarters.map((q) => (
                    <View key={q.quarter} className='xf-row vpoints__period'>
                      <View className='vpoints__period-name'>{quarterLabel(q.quarter)}</View>
                      <View className='vpoints__period-sum'>
                        {signed0(q.points)} 分 · {hoursText(q.hours)} 小时
                      </View>
                    </View>
                  ))}
                </View>
              </>
            )}

            <View className='xf-h2'>积分明细</View>
            <PageState empty={!!entries && entries.length === 0} emptyText='还没有积分记录。完成服务并经村民确认后会获得积分。'>
              <View id='points-entries'>
                {entries?.map((e) => (
                  <EntryCard key={e.id} e={e} onObject={setObjecting} />
                ))}
              </View>
              <View id='points-more'>
                <ListFooter count={entries?.length ?? 0} more={more} loadingMore={loadingMore} onMore={list.loadMore} />
              </View>
            </PageState>
          </>
        )}
      </PageState>

      {objecting && (
        <ReasonDialog
          title='提出异议'
          warning={`对「${objecting.title}」有不同意见？写明原因，乡镇实践所核实后答复，结果会显示在这条记录下。每条记录只能提一次。`}
          confirmText='提交异议'
          placeholder='例如：这次服务实际用了2小时'
          onSubmit={async (reason) => {
            replace(await call('points', 'object', { entryId: objecting.id, reason }))
            setObjecting(null)
            Taro.showToast({ title: '已提交异议', icon: 'success' })
          }}
          onClose={() => setObjecting(null)}
        />
      )}
    </View>
  )
}
