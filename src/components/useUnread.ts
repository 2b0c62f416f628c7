import { useCallback, useState } from 'react'
import { useDidShow } from '@tarojs/taro'
import { call } from '@/api'

/**
 * The number of unread inbox messages, refreshed each time the page shows.
 * Failures (weak network, not signed in) keep the last count: a badge is never worth an error.
 */
export function useUnread(): [number, () => void] {
  const [unread, setUnread] = useState(0)
  const refresh = useCallback(() => {
    call('inbox', 'inbox', { unreadOnly: true, limit: 1 })
      .then((r) => setUnread(r.unread))
      .catch(() => {
        /* keep the last count */
      })
  }, [])
  useDidShow(() => {
    refresh()
  })
  return [unread, refresh]
}

/** "99+" beyond 99. */
export const badgeText = (n: number) => (n > 99 ? '99+' : String(n))
