import { Text } from '@tarojs/components'
import { STATE_LABEL, VILLAGER_STATE_LABEL, type OrderState } from '@/core/orderState'
import './components.scss'

const TONE: Record<OrderState, string> = {
  pending: 'wait',
  escalated: 'wait',
  dispatched: 'work',
  pooled: 'work',
  accepted: 'work',
  in_service: 'work',
  completed: 'confirm',
  fixed: 'done',
  rejected: 'end',
  referred: 'end',
  closed: 'end',
  cancelled: 'end',
  unconfirmed: 'end',
  handled: 'done',
}

/**
 * The order's state as a coloured label: orange waits, blue is being worked on, green is solved, grey is closed.
 * `plain`: in the villager's own words (长辈模式).
 */
export default function StatusTag({ status, big, id, plain }: { status: OrderState; big?: boolean; id?: string; plain?: boolean }) {
  return (
    <Text id={id} className={`xf-tag xf-tag--${TONE[status] || 'end'}${big ? ' xf-tag--big' : ''}`}>
      {(plain ? VILLAGER_STATE_LABEL : STATE_LABEL)[status] || status}
    </Text>
  )
}

