import { Fragment } from 'react'
import { Text, View } from '@tarojs/components'
import type { NodeRef } from '@/core/stats'

/** Where the dashboard is, from the caller's own area down: tap a level above to go back up. */
export default function Trail({ trail, onPick }: { trail: NodeRef[]; onPick: (nodeId: string | undefined) => void }) {
  if (trail.length < 2) return null
  return (
    <View id='dash-trail' className='xd-trail'>
      {trail.map((n, i) =>
        i < trail.length - 1 ? (
          <Fragment key={n.id}>
            {/* the first is the caller's own area: back to the default view */}
            <View id={`trail-${i}`} className='xd-trail__link' hoverClass='xf-pressed' onClick={() => onPick(i === 0 ? undefined : n.id)}>
              {n.name}
            </View>
            <Text className='xd-trail__sep'>›</Text>
          </Fragment>
        ) : (
          <Text key={n.id} className='xd-trail__here'>
            {n.name}
          </Text>
        ),
      )}
    </View>
  )
}
