import { useCallback, useEffect, useRef, useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { call, errorMessage } from '@/api'
import type { MeView, OrderView } from '@/core/api'
import { ROLE_LABEL, STAFF_ROLES } from '@/core/schemas'
import { formatShort } from '@/core/time'
import PageState, { Loading } from '@/components/PageState'
import StatusTag from '@/components/StatusTag'
import { callPhone, go, query } from '@/components/util'
import './index.scss'
import { Tag } from '@nutui/nutui-react-taro'

type Tab = 'pending' | 'all'
const TABS: { key: Tab; label: string }[] = [
  { key: 'pending', label: '待派单' },
  { key: 'all', label: '全部' },
]
const PAGE = 20

type ListState = { orders: OrderView[] | null; error: unknown; more: boolean }
const EMPTY: ListState = { orders: null, error: null, more: false }

export default function Incoming() {
  const [tab, setTab] = useState<Tab>('pending')
  const [lists, setLists] = useState<Record<Tab, ListState>>({ pending: EMPTY, all: EMPTY })
  const [me, setMe] = useState<MeView | null>(null)
  const [loadingMore, setLoadingMore] = useState(false)
  const tabRef = useRef(tab)
  tabRef.current = tab
  const shown = useRef(false)

  const input = (t: Tab) => (t === 'pending' ? { status: 'pending' as const, limit: PAGE } : { limit: PAGE })

  const refresh = useCallback(async (t: Tab) => {
    try {
      const orders = await call('order', 'incoming', input(t))
      setLists((s) => ({ ...s, [t]: { orders, error: null, more: orders.length === PAGE } }))
    } catch (e) {
      setLists((s) => ({ ...s, [t]: { ...s[t], error: e } }))
    } finally {
      Taro.stopPullDownRefresh()
    }
  }, [])

  const loadMe = useCallback(() => {
    call('user', 'me', {})
      .then(setMe)
      .catch(() => {
        /* the header is a nicety; the list shows any sign-in problem */
      })
  }, [])

  useEffect(() => {
    loadMe()
  }, [loadMe])
  useEffect(() => {
    refresh(tab)
  }, [tab, refresh])
  // coming back from a detail: the order may have moved on
  useDidShow(() => {
    if (shown.current) refresh(tabRef.current)
    shown.current = true
  })
  usePullDownRefresh(() => {
    refresh(tabRef.current)
    if (!me) loadMe()
  })

  const loadMore = async () => {
    const t = tab
    const cur = lists[t]
    if (!cur.orders || !cur.more || loadingMore) return
    setLoadingMore(true)
    try {
      const next = await call('order', 'incoming', { ...input(t), before: cur.orders[cur.orders.length - 1].createdAt })
      setLists((s) => {
        const have = s[t].orders || []
        return { ...s, [t]: { ...s[t], orders: [...have, ...next.filter((o) => !have.some((x) => x.id === o.id))], more: next.length === PAGE } }
      })
    } catch (e) {
      Taro.showToast({ title: errorMessage(e), icon: 'none' })
    } finally {
      setLoadingMore(false)
    }
  }
  useReachBottom(() => {
    loadMore()
  })

  const staffRoles = (me?.roles || []).filter((r) => (STAFF_ROLES as readonly string[]).includes(r.role))
  const { orders, error, more } = lists[tab]

  return (
    <View className='xf-page incoming'>
      <View id='staff-header' className='xf-card incoming__header'>
        <View className='xf-h1'>{staffRoles[0]?.nodeName || '实践站'}</View>
        <View id='staff-node' className='xf-muted'>
          {me
            ? `${me.name} · ${staffRoles.map((r) => (ROLE_LABEL as Record<string, string>)[r.role] || r.role).join('、') || '无管理权限'}`
            : '正在读取身份…'}
        </View>
      </View>

      <View className='incoming__tabs'>
        {TABS.map((t) => (
          <View
            key={t.key}
            id={`tab-${t.key}`}
            className={`incoming__tab${tab === t.key ? ' incoming__tab--on' : ''}`}
            onClick={() => setTab(t.key)}
          >
            {t.label}
          </View>
        ))}
      </View>

      {!!error && orders && <View className='incoming__stale'>刷新失败：{errorMessage(error)}（下拉可重试）</View>}
      <PageState
        loading={!orders && !error}
        error={!orders ? error : null}
        onRetry={() => refresh(tab)}
        empty={!!orders && orders.length === 0}
        emptyText={tab === 'pending' ? '没有待派单的诉求' : '没有正在处理的诉求'}
      >
        <View id='incoming-list'>
          {orders?.map((o) => (
            <View
              key={o.id}
              className='xf-card incoming__item'
              hoverClass='xf-pressed'
              onClick={() => go(`/pages/orders/detail?${query({ id: o.id })}`)}
            >
              <View className='xf-row'>
                <View className='incoming__service'>
                  {o.serviceName}
                  {o.source === 'hotline' && <Tag type='warning'>热线</Tag>}
                </View>
                <StatusTag status={o.status} />
              </View>
              <View className='xf-muted incoming__meta'>
                {o.no} · {o.villageName} {o.gridName}
              </View>
              <View className='incoming__desc xf-clamp2'>{o.description}</View>
              <View className='xf-row incoming__foot'>
                <View className='incoming__caller'>
                  {o.contactName || '未留姓名'}{' '}
                  <Text
                    className='xf-phone'
                    onClick={(e) => {
                      e.stopPropagation()
                      callPhone(o.contactPhone)
                    }}
                  >
                    {o.contactPhone}
                  </Text>
                </View>
                <View className='xf-muted'>{formatShort(o.createdAt)}</View>
              </View>
            </View>
          ))}
        </View>
        {loadingMore && <Loading small />}
        {more && !loadingMore && (
          <View className='incoming__more' onClick={loadMore}>
            加载更多
          </View>
        )}
      </PageState>
    </View>
  )
}
