import { Image, Text, View } from '@tarojs/components'
import type { RedemptionView } from '@/core/api'
import { REDEMPTION_LABEL, formatCode, normaliseCode } from '@/core/points'
import { formatTime, toLocal } from '@/core/time'

/** The last day to collect: the code expires at the first instant after the quarter. */
const lastDay = (expiresAt: number) => toLocal(expiresAt - 1).format('YYYY年M月D日')

/**
 * A redemption: its code (XXXX-XXXX) and, while it waits to be collected, the QR the store
 * keeper scans, where to collect it and by when. `fresh`: just redeemed, shown big.
 */
export default function RedemptionCard({ r, fresh, id }: { r: RedemptionView; fresh?: boolean; id?: string }) {
  const issued = r.state === 'issued'
  return (
    <View id={id} className={`xf-card vstore__red${fresh ? ' vstore__red--fresh' : ''}`}>
      <View className='xf-row vstore__red-top'>
        <View className='vstore__red-name'>{r.itemName}</View>
        <Text className={`vstore__state vstore__state--${r.state}`}>{REDEMPTION_LABEL[r.state]}</Text>
      </View>
      <View className='vstore__red-line'>用了 {r.price} 积分 · {formatTime(r.createdAt)}</View>
      <View className='vstore__code-label'>兑换码</View>
      <View id={fresh ? 'redeem-code' : undefined} className={`vstore__code${issued ? '' : ' vstore__code--off'}`}>
        {formatCode(normaliseCode(r.code))}
      </View>
      {issued && r.qr && <Image id={fresh ? 'redeem-qr' : undefined} className={fresh ? 'vstore__qr' : 'vstore__qr vstore__qr--small'} src={r.qr} mode='scaleToFill' />}
      {issued && (
        <>
          <View className='vstore__red-line'>领取地点：{r.place}</View>
          <View className='vstore__red-line vstore__red-line--due'>请在 {lastDay(r.expiresAt)} 前领取，过期积分自动退回</View>
          <View className='xf-muted'>领取时向工作人员出示兑换码或二维码</View>
        </>
      )}
      {r.state === 'collected' && r.collectedAt && (
        <View className='vstore__red-line'>
          {formatTime(r.collectedAt)} 已领取{r.collectedBy ? `（经办：${r.collectedBy}）` : ''}
        </View>
      )}
    </View>
  )
}
