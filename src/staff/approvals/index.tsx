import { useState } from 'react'
import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import PageState from '@/components/PageState'
import { ListFooter, PAGE, StaleNotice, usePaged } from '@/components/PagedList'
import Photos from '@/components/Photos'
import { call, errorMessage } from '@/api'
import type { ApprovalItemView } from '@/core/api'
import type { ApprovalKind } from '@/core/review'
import { formatShort } from '@/core/time'
import { errorCode, go, query } from '@/components/util'
import ReasonDialog from '@/workbench/ReasonDialog'
import './index.scss'
import Tabs from '@/workbench/Tabs'
import { useTabbedList } from '@/workbench/useTabbedList'

const TABS: { key: ApprovalKind; label: string; empty: string }[] = [
  { key: 'rating', label: '评价', empty: '没有待审核的评价' },
  { key: 'showcase', label: '晒单', empty: '没有待审核的晒单' },
]

/** The pending queue of one kind, newest first, paged by submittedAt; `drop` removes a decided item at once. */
function useQueue(kind: ApprovalKind) {
  const { orders: items, setOrders, ...rest } = usePaged<ApprovalItemView>(
    (before) => call('order', 'approvals', { kind, limit: PAGE, ...(before ? { before } : {}) }),
    (last) => last.submittedAt,
  )
  const drop = (id: string) => setOrders((cur) => (cur ? cur.filter((x) => x.id !== id) : cur))
  return { items, drop, ...rest }
}

export default function Approvals() {
  const [tab, setTab] = useState<ApprovalKind>('rating')
  const queues = { rating: useQueue('rating'), showcase: useQueue('showcase') }
  const q = queues[tab]
  const [busyId, setBusyId] = useState('')
  const [rejecting, setRejecting] = useState<ApprovalItemView | null>(null)

  // back from a detail the items may have moved on: reloaded on show
  useTabbedList(q, tab)

  const what = (it: ApprovalItemView) => (it.kind === 'rating' ? '这条评价' : '这条晒单')

  const approve = async (it: ApprovalItemView) => {
    if (busyId) return
    const ok = await Taro.showModal({
      title: '审核通过',
      content: it.kind === 'rating' ? '通过后这条评价计入志愿者评分。' : '通过后这条晒单会在村里的晒单栏公开展示。',
      confirmText: '确定',
      cancelText: '取消',
    })
      .then((r) => r.confirm)
      .catch(() => false)
    if (!ok) return
    setBusyId(it.id)
    try {
      await call('order', 'approve', { kind: it.kind, id: it.id })
      queues[it.kind].drop(it.id)
      Taro.showToast({ title: '已通过', icon: 'success' })
    } catch (e) {
      Taro.showModal({ title: '审核没有成功', content: errorMessage(e), showCancel: false })
      // someone else decided first: the queue is out of date
      if (errorCode(e) === 'CONFLICT' || errorCode(e) === 'NOT_FOUND') queues[it.kind].refresh()
    } finally {
      setBusyId('')
    }
  }

  const { items, error, more, loadingMore } = q
  const meta = TABS.find((t) => t.key === tab)!

  return (
    <View className='xf-page approvals'>
      <Tabs tabs={TABS} value={tab} onChange={setTab} />
      <View className='xf-hint'>{tab === 'rating' ? '评价审核通过后才计入志愿者评分和积分。' : '晒单审核通过后才会公开展示。'}</View>

      {!!error && items && <StaleNotice error={error} />}
      <PageState loading={!items && !error} error={!items ? error : null} onRetry={q.refresh} empty={!!items && items.length === 0} emptyText={meta.empty}>
        <View id='approval-list'>
          {items?.map((it) => (
            <View key={it.id} className='xf-card approvals__item'>
              <View className='xf-row'>
                <View className='approvals__service'>{it.serviceName}</View>
                <Text className='xf-link approvals__order' onClick={() => go(`/staff/order/index?${query({ id: it.orderId })}`)}>
                  查看订单 ›
                </Text>
              </View>
              <View className='xf-muted'>
                {it.orderNo} · {it.villageName} {it.gridName}
              </View>
              <View className='xf-muted'>
                {it.kind === 'rating' ? '评价人' : '晒单人'}：{it.authorName}
                {it.volunteerName ? ` · 志愿者：${it.volunteerName}` : ''} · {formatShort(it.submittedAt)}
              </View>

              {it.rating && (
                <View className='approvals__body'>
                  <View className='approvals__stars'>
                    <Text className='approvals__star-on'>{'★'.repeat(it.rating.stars)}</Text>
                    <Text className='approvals__star-off'>{'★'.repeat(Math.max(0, 5 - it.rating.stars))}</Text>
                    <Text className='approvals__fixed'>{it.rating.stars}星 · {it.rating.fixed ? '已解决' : '未解决'}</Text>
                  </View>
                  <View className='approvals__text'>{it.rating.comment || '（没有写评价内容）'}</View>
                </View>
              )}
              {it.showcase && (
                <View className='approvals__body'>
                  <View className='approvals__text'>{it.showcase.story}</View>
                  <Photos photos={it.showcase.photoUrls ?? []} />
                </View>
              )}

              <View className='approvals__actions'>
                <Btn id='btn-reject-approval' type='default' size='small' disabled={!!busyId} onClick={() => setRejecting(it)}>
                  驳回
                </Btn>
                <Btn id='btn-approve' type='primary' size='small' disabled={!!busyId} onClick={() => approve(it)}>
                  {busyId === it.id ? '正在提交…' : '通过'}
                </Btn>
              </View>
            </View>
          ))}
        </View>
        <ListFooter count={items?.length ?? 0} more={more} loadingMore={loadingMore} onMore={q.loadMore} />
      </PageState>

      {rejecting && (
        <ReasonDialog
          title={`驳回${rejecting.kind === 'rating' ? '评价' : '晒单'}`}
          warning={`驳回后${what(rejecting)}不会${rejecting.kind === 'rating' ? '计入评分' : '公开'}，村民会收到驳回原因。`}
          confirmText='确认驳回'
          placeholder={rejecting.kind === 'rating' ? '例如：评价内容与服务无关' : '例如：照片含有他人隐私，请重新上传'}
          onSubmit={async (reason) => {
            try {
              await call('order', 'rejectApproval', { kind: rejecting.kind, id: rejecting.id, reason })
            } catch (e) {
              if (errorCode(e) === 'CONFLICT' || errorCode(e) === 'NOT_FOUND') queues[rejecting.kind].refresh()
              throw e
            }
            queues[rejecting.kind].drop(rejecting.id)
            setRejecting(null)
            Taro.showToast({ title: '已驳回', icon: 'success' })
          }}
          onClose={() => setRejecting(null)}
        />
      )}
    </View>
  )
}
