import { useEffect, useRef, useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import { call, errorMessage } from '@/api'
import type { InboxItemView } from '@/core/api'
import { formatShort } from '@/core/timeText'
import PageState from '@/components/PageState'
import { ListFooter, PAGE, StaleNotice, usePaged } from '@/components/PagedList'
import { badgeText } from '@/components/useUnread'
import { go, query } from '@/components/util'
import { useCareMode } from '@/components/CareMode'
import './index.scss'

/** Messages about my orders, newest first; unread ones in bold. Tapping one opens the order and marks it read. */
export default function Inbox() {
  const [unread, setUnread] = useState(0)
  const [marking, setMarking] = useState(false)
  const care = useCareMode()
  const {
    orders: items,
    setOrders: setItems,
    error,
    more,
    loadingMore,
    refresh,
    loadMore,
  } = usePaged(
    (before) =>
      call('inbox', 'inbox', { limit: PAGE, ...(before ? { before } : {}) }).then((r) => {
        setUnread(r.unread)
        return r.items
      }),
    (m) => m.createdAt,
  )

  // load on mount, and again whenever the page is shown after that (a missed first show must not leave it loading)
  const shown = useRef(false)
  useEffect(() => {
    refresh()
  }, [refresh])
  useDidShow(() => {
    if (shown.current) refresh()
    shown.current = true
  })
  usePullDownRefresh(() => {
    refresh()
  })
  useReachBottom(() => {
    loadMore()
  })

  const open = (m: InboxItemView) => {
    if (!m.read) {
      // shown as read at once; the server is told in the background (a failure only leaves it unread there)
      setItems((cur) => cur?.map((x) => (x.id === m.id ? { ...x, read: true } : x)) ?? cur)
      setUnread((n) => Math.max(0, n - 1))
      call('inbox', 'readInbox', { ids: [m.id] }).catch(() => {})
    }
    go(`/pages/orders/detail?${query({ id: m.orderId })}`)
  }

  const readAll = () => {
    if (marking) return
    setMarking(true)
    call('inbox', 'readInbox', {})
      .then(
        (r) => {
          setItems((cur) => cur?.map((x) => ({ ...x, read: true })) ?? cur)
          setUnread(r.unread)
        },
        (e) => Taro.showToast({ title: errorMessage(e), icon: 'none' }),
      )
      .then(() => setMarking(false))
  }

  return (
    <View className={`xf-page inbox${care.cls}`}>
      {!!error && items && <StaleNotice error={error} />}
      <PageState
        loading={!items && !error}
        error={!items ? error : null}
        onRetry={refresh}
        empty={!!items && items.length === 0}
        emptyText='还没有消息。诉求有进展时，会在这里告诉您。'
      >
        <View className='xf-row inbox__head'>
          <View className='inbox__count'>
            {unread > 0 ? (
              <>
                未读消息<View className='xf-badge'>{badgeText(unread)}</View>
              </>
            ) : (
              '消息都已读'
            )}
          </View>
          {unread > 0 && (
            <Btn id='btn-read-all' type='outline' size='small' disabled={marking} onClick={readAll}>
              全部已读
            </Btn>
          )}
        </View>
        <View id='inbox-list' className='xf-list'>
          {items?.map((m) => (
            <View
              key={m.id}
              className={`xf-cell inbox__item${m.read ? '' : ' inbox__item--unread'}`}
              hoverClass='xf-pressed'
              data-read={m.read ? '1' : '0'}
              onClick={() => open(m)}
            >
              {!m.read && <View className='inbox__dot' />}
              <View className='xf-cell__main'>
                <View className='inbox__text'>{m.text}</View>
                <View className='xf-cell__desc'>
                  {care.on ? '' : `订单 ${m.orderNo} · `}
                  <Text className='xf-nowrap'>{formatShort(m.createdAt)}</Text>
                </View>
              </View>
              <View className='xf-cell__arrow'>›</View>
            </View>
          ))}
        </View>
        <ListFooter count={items?.length ?? 0} more={more} loadingMore={loadingMore} onMore={loadMore} />
      </PageState>
    </View>
  )
}
