import { View } from '@tarojs/components'
import Btn from '@/components/Btn'
import type { OrderView } from '@/core/api'
import { go, query } from '@/components/util'

/**
 * After a report: 上报 — the station will arrange it (and the reporter can follow it);
 * 就地处置 — recorded, thanks. Ids: patrol-result, patrol-result-title, btn-patrol-open,
 * btn-patrol-again, btn-patrol-mine.
 */
export default function PatrolResult({ order, onAgain, onMine }: { order: OrderView; onAgain: () => void; onMine: () => void }) {
  const handled = order.status === 'handled'
  const kind = order.report?.kindLabel || order.category
  return (
    <View className='xf-page patrol'>
      <View id='patrol-result' className='patrol__done'>
        <View id='patrol-result-title' className='patrol__done-title'>
          {handled ? '已记录，感谢' : '已上报，等待实践站安排'}
        </View>
        <View>
          {handled
            ? `${kind}已就地处置，本条已办结，单号 ${order.no}。`
            : `${kind}已报给村实践站，单号 ${order.no}。安排志愿者、处理完毕时都会通知您，处理好后请您确认。`}
        </View>
      </View>
      <View className='xf-actions'>
        {!handled && (
          <Btn id='btn-patrol-open' type='primary' onClick={() => go(`/pages/orders/detail?${query({ id: order.id })}`)}>
            查看这条上报的进度
          </Btn>
        )}
        <Btn id='btn-patrol-again' type={handled ? 'primary' : 'default'} onClick={onAgain}>
          再拍一条
        </Btn>
        <Btn id='btn-patrol-mine' type='default' onClick={onMine}>
          我的上报
        </Btn>
      </View>
    </View>
  )
}
