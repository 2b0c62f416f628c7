import { View } from '@tarojs/components'
import type { OrderView } from '@/core/api'
import Fact from './Fact'
import Photos from './Photos'

/** 网格上报: what the reporter found — the kind, the household or spot — and the photos they took. Id: patrol-report. */
export default function PatrolReport({ report }: { report: NonNullable<OrderView['report']> }) {
  return (
    <View id='patrol-report'>
      <Fact label='网格上报' value={report.spot ? `${report.kindLabel} · ${report.spot}` : report.kindLabel} />
      <Photos photos={report.photoUrls} count={report.photos.length} />
    </View>
  )
}
