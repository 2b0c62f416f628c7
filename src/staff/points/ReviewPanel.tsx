import { useState } from 'react'
import Taro from '@tarojs/taro'
import { View } from '@tarojs/components'
import Btn from '@/components/Btn'
import PageState from '@/components/PageState'
import { ListFooter, StaleNotice } from '@/components/PagedList'
import { call, errorMessage } from '@/api'
import { DEFAULT_POINT_RULES, monthLabel } from '@/core/points'
import { formatShort } from '@/core/time'
import { errorCode } from '@/components/util'
import EntryCard from './EntryCard'
import ReviewState from './ReviewState'
import type { useReview } from './useReview'
import { ask } from '@/workbench/ask'

/** 公示期 in days: the county's rules when the caller may read them (county admins), else null. */
async function publicationDays(county: boolean): Promise<number | null> {
  if (!county) return null
  try {
    return (await call('points', 'rules', {})).rules.publicationDays
  } catch {
    return null
  }
}

/**
 * 月度公示: a township's month with its entries; 公示 once the month is over, 定稿 after the
 * window with every objection handled (the server decides and says why not).
 * Ids: review-publish, review-finalise, review-entries.
 */
export default function ReviewPanel({ review, county }: { review: ReturnType<typeof useReview>; county: boolean }) {
  const { view, error, loadingMore } = review
  const [busy, setBusy] = useState<'' | 'asking' | 'publish' | 'finalise'>('')

  const failed = (title: string, e: unknown) => {
    Taro.showModal({ title, content: errorMessage(e), showCancel: false })
    if (errorCode(e) === 'CONFLICT') review.refresh()
  }

  const publish = async () => {
    if (!view || busy) return
    setBusy('asking')
    try {
      const days = await publicationDays(county)
      const period = days
        ? `公示期 ${days} 天（到 ${formatShort(Date.now() + days * 86_400_000)}）`
        : `公示期按本县积分规则计算（默认 ${DEFAULT_POINT_RULES.publicationDays} 天）`
      const ok = await ask(
        '公示积分',
        `公示${view.townshipName}${monthLabel(view.month)}的积分？${period}，期间志愿者可以对自己的积分提出异议。公示后不能撤回，期满并处理完异议后才能定稿。`,
        '确认公示',
      )
      if (!ok) return
      setBusy('publish')
      const v = await call('points', 'publish', { townshipId: view.townshipId, month: view.month })
      review.setView(v)
      Taro.showToast({ title: '已公示', icon: 'success' })
    } catch (e) {
      failed('公示没有成功', e)
    } finally {
      setBusy('')
    }
  }

  const finalise = async () => {
    if (!view || busy) return
    const ok = await ask('定稿', `定稿${view.townshipName}${monthLabel(view.month)}的积分？定稿后不能再提出异议或更正，积分即可用于积分超市兑换。`, '确认定稿')
    if (!ok) return
    setBusy('finalise')
    try {
      review.setView(await call('points', 'finalise', { townshipId: view.townshipId, month: view.month }))
      Taro.showToast({ title: '已定稿', icon: 'success' })
    } catch (e) {
      failed('定稿没有成功', e)
    } finally {
      setBusy('')
    }
  }

  return (
    <>
      {!!error && view && <StaleNotice error={error} />}
      <PageState loading={!view && !error} error={!view ? error : null} onRetry={review.refresh}>
        {view && (
          <>
            <ReviewState view={view}>
              <View className='pts-state__actions'>
                {view.state === 'open' && (
                  <Btn id='review-publish' type='primary' disabled={!!busy} onClick={publish}>
                    {busy === 'publish' ? '正在公示…' : '公示'}
                  </Btn>
                )}
                {view.state === 'published' && (
                  <Btn id='review-finalise' type='primary' disabled={!!busy} onClick={finalise}>
                    {busy === 'finalise' ? '正在定稿…' : '定稿'}
                  </Btn>
                )}
              </View>
            </ReviewState>
            <View className='xf-h2'>积分明细</View>
            <PageState empty={view.entries.length === 0} emptyText={`${monthLabel(view.month)}还没有积分记录`}>
              <View id='review-entries'>
                {view.entries.map((e) => (
                  <EntryCard key={e.id} e={e} />
                ))}
              </View>
              <ListFooter count={view.entries.length} more={!!view.next} loadingMore={loadingMore} onMore={review.loadMore} />
            </PageState>
          </>
        )}
      </PageState>
    </>
  )
}
