import type { ReactNode } from 'react'
import { Text, View } from '@tarojs/components'
import type { ReviewView } from '@/core/api'
import { monthLabel, REVIEW_STATE_LABEL } from '@/core/points'
import { formatShort } from '@/core/time'

const TONE = { open: 'wait', published: 'work', final: 'done' } as const

/** Where a township's month stands: 未公示 / 公示中 (until when, open objections) / 已定稿. Id: review-state. */
export default function ReviewState({ view, children }: { view: ReviewView; children?: ReactNode }) {
  return (
    <View id='review-state' className='xf-card pts-state'>
      <View className='pts-state__top'>
        <View className='pts-state__title'>
          {view.townshipName} · {monthLabel(view.month)}
        </View>
        <Text id='review-state-label' className={`xf-tag xf-tag--big xf-tag--${TONE[view.state]}`}>
          {REVIEW_STATE_LABEL[view.state]}
        </Text>
      </View>
      {view.state === 'open' && <View className='pts-state__line'>月底结束后公示，志愿者可在公示期内对自己的积分提出异议。</View>}
      {view.publishedAt && <View className='pts-state__line'>公示时间：{formatShort(view.publishedAt)}</View>}
      {view.state === 'published' && view.objectUntil && (
        <View id='review-object-until' className='pts-state__line'>
          异议截止：{formatShort(view.objectUntil)}
          {Date.now() >= view.objectUntil ? '（公示期已满）' : ''}
        </View>
      )}
      {view.state !== 'open' && (
        <View id='review-open-objections' className={`pts-state__line${view.openObjections > 0 ? ' pts-state__line--warn' : ''}`}>
          待处理异议：{view.openObjections} 条
        </View>
      )}
      {view.finalAt && <View className='pts-state__line'>定稿时间：{formatShort(view.finalAt)}（积分已可兑换）</View>}
      {children}
    </View>
  )
}
