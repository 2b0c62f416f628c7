import { useState } from 'react'
import Taro from '@tarojs/taro'
import { View } from '@tarojs/components'
import Btn from '@/components/Btn'
import PageState from '@/components/PageState'
import { StaleNotice } from '@/components/PagedList'
import { call } from '@/api'
import type { PointEntryView } from '@/core/api'
import { monthLabel } from '@/core/points'
import { errorCode } from '@/components/util'
import ReasonDialog from '@/workbench/ReasonDialog'
import CorrectDialog from './CorrectDialog'
import EntryCard from './EntryCard'
import ReviewState from './ReviewState'
import type { useReview } from './useReview'

/**
 * 异议: the month's entries with an open objection, each with the volunteer's reason;
 * 同意并更正 (a correcting entry) or 驳回 (a reason) → points.resolve.
 * Ids: objection-list, objection-accept-<entryId>, objection-refuse-<entryId>.
 */
export default function ObjectionsPanel({ objections, onResolved }: { objections: ReturnType<typeof useReview>; onResolved: () => void }) {
  const { view, error } = objections
  const [dialog, setDialog] = useState<{ kind: 'accept' | 'refuse'; e: PointEntryView } | null>(null)

  const resolve = async (e: PointEntryView, accept: boolean, reason: string, points?: number) => {
    try {
      await call('points', 'resolve', { entryId: e.id, accept, reason, ...(accept ? { points } : {}) })
    } catch (err) {
      // someone else answered it first, or the month became final: the list is out of date
      if (errorCode(err) === 'CONFLICT' || errorCode(err) === 'NOT_FOUND') objections.refresh()
      throw err
    }
    setDialog(null)
    objections.setView((cur) =>
      cur ? { ...cur, openObjections: Math.max(0, cur.openObjections - 1), entries: cur.entries.filter((x) => x.id !== e.id) } : cur,
    )
    onResolved()
    Taro.showToast({ title: accept ? '已更正' : '已驳回', icon: 'success' })
  }

  return (
    <>
      {!!error && view && <StaleNotice error={error} />}
      <PageState loading={!view && !error} error={!view ? error : null} onRetry={objections.refresh}>
        {view && (
          <>
            <ReviewState view={view} />
            <PageState empty={view.entries.length === 0} emptyText={`${monthLabel(view.month)}没有待处理的异议`}>
              <View className='xf-hint'>同意异议时新增一条更正积分，原记录保留；驳回时请写明理由，志愿者会看到。</View>
              <View id='objection-list'>
                {view.entries.map((e) => (
                  <EntryCard key={e.id} e={e}>
                    <View className='pts-entry__actions'>
                      <Btn id={`objection-refuse-${e.id}`} className='objection-refuse' size='small' disabled={!!dialog} onClick={() => setDialog({ kind: 'refuse', e })}>
                        驳回
                      </Btn>
                      <Btn id={`objection-accept-${e.id}`} className='objection-accept' type='primary' size='small' disabled={!!dialog} onClick={() => setDialog({ kind: 'accept', e })}>
                        同意并更正
                      </Btn>
                    </View>
                  </EntryCard>
                ))}
              </View>
            </PageState>
          </>
        )}
      </PageState>

      {dialog?.kind === 'accept' && <CorrectDialog entry={dialog.e} onSubmit={(points, reason) => resolve(dialog.e, true, reason, points)} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'refuse' && (
        <ReasonDialog
          title={`驳回${dialog.e.userName}的异议`}
          warning={`「${dialog.e.title}」的积分保持不变。驳回后不能再改，志愿者会看到驳回理由。`}
          confirmText='确认驳回'
          textLabel='驳回理由'
          placeholder='例如：经核实，签到和完成时间相符'
          onSubmit={(reason) => resolve(dialog.e, false, reason)}
          onClose={() => setDialog(null)}
        />
      )}
    </>
  )
}
