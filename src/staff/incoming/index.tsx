import { useCallback, useEffect, useRef, useState } from 'react'
import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { call } from '@/api'
import type { MeView, OrderView, WorkList } from '@/core/api'
import { SUPERVISION_LABEL, type SupervisionStatus } from '@/core/supervision'
import DueChip from '@/workbench/DueChip'
import { ROLE_LABEL } from '@/core/schemas'
import { isStaff } from '@/core/permissions'
import { formatShort } from '@/core/time'
import PageState from '@/components/PageState'
import { ListFooter, PAGE, StaleNotice, usePaged } from '@/components/PagedList'
import StatusTag from '@/components/StatusTag'
import { callPhone, decode, go, query } from '@/components/util'
import { Tag } from '@nutui/nutui-react-taro'
import '@/workbench/shared.scss'
import './index.scss'
import Tabs from '@/workbench/Tabs'
import { useTabbedList } from '@/workbench/useTabbedList'

// work lists, most urgent first (the server sorts by deadline)
type Tab = WorkList
const TABS: { key: Tab; label: string; empty: string }[] = [
  { key: 'dispatch', label: '待派单', empty: '没有待派单的诉求' },
  { key: 'overdue', label: '超时', empty: '没有超时的诉求' },
  { key: 'supervision', label: '督办', empty: '没有督办' },
  { key: 'followUp', label: '回访', empty: '没有需要电话回访的诉求' },
  { key: 'extension', label: '延期审批', empty: '没有待审批的延期申请' },
  { key: 'open', label: '全部在办', empty: '没有正在处理的诉求' },
  { key: 'closed', label: '已办结', empty: '还没有办结的诉求' },
  { key: 'all', label: '全部', empty: '还没有诉求' },
]
type SupFilter = SupervisionStatus | 'all'
const SUP_FILTERS: { key: SupFilter; label: string }[] = [
  { key: 'all', label: '全部' },
  { key: 'open', label: SUPERVISION_LABEL.open },
  { key: 'overdue', label: SUPERVISION_LABEL.overdue },
  { key: 'answered', label: SUPERVISION_LABEL.answered },
  { key: 'closed', label: SUPERVISION_LABEL.closed },
]
// `area`: one node of the caller's subtree (a dashboard's 「查看本网格订单」), else all of it
const fetchTab = (tab: Tab, sup: SupFilter = 'all', area?: string) => (after?: string) =>
  call('order', 'incoming', { limit: PAGE, list: tab, ...(tab === 'supervision' && sup !== 'all' ? { supervision: sup } : {}), ...(after ? { after } : {}), ...(area ? { nodeId: area } : {}) })
const byCursor = (o: OrderView) => o.cursor ?? ''

export default function Incoming() {
  const params = useRouter().params
  const [area] = useState(() => decode(params.nodeId) || undefined)
  const [areaName] = useState(() => decode(params.area))
  const [tab, setTab] = useState<Tab>(area ? 'open' : 'dispatch')
  const [sup, setSup] = useState<SupFilter>('all')
  const lists: Record<Tab, ReturnType<typeof usePaged<OrderView, string>>> = {
    dispatch: usePaged(fetchTab('dispatch', 'all', area), byCursor),
    overdue: usePaged(fetchTab('overdue', 'all', area), byCursor),
    supervision: usePaged(fetchTab('supervision', sup, area), byCursor),
    followUp: usePaged(fetchTab('followUp', 'all', area), byCursor),
    extension: usePaged(fetchTab('extension', 'all', area), byCursor),
    open: usePaged(fetchTab('open', 'all', area), byCursor),
    closed: usePaged(fetchTab('closed', 'all', area), byCursor),
    all: usePaged(fetchTab('all', 'all', area), byCursor),
  }
  const list = lists[tab]
  // a new 督办 filter reloads that list (switching tabs is useTabbedList's job)
  const refreshSupervision = lists.supervision.refresh
  const tabNow = useRef(tab)
  tabNow.current = tab
  useEffect(() => {
    if (tabNow.current === 'supervision') refreshSupervision()
  }, [sup, refreshSupervision])
  const [me, setMe] = useState<MeView | null>(null)

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
  // back from a detail the items may have moved on: reloaded on show
  useTabbedList(list, tab, () => {
    if (!me) loadMe()
  })

  const staffRoles = (me?.roles || []).filter((r) => isStaff(r.role))
  // the grid tree is administered by county and township staff
  const canAdmin = staffRoles.some((r) => r.role === 'county' || r.role === 'township')
  // phone orders are taken by station and township staff (placeHotline refuses county-only staff)
  const canHotline = staffRoles.some((r) => r.role === 'station' || r.role === 'township')
  const { orders, error, more, loadingMore } = list

  return (
    <View className='xf-page incoming'>
      <View id='staff-header' className='xf-card incoming__header'>
        <View className='xf-row'>
          <View className='xf-h1'>{staffRoles[0]?.nodeName || '实践站'}</View>
          <View id='link-approvals' className='incoming__link' hoverClass='xf-pressed' onClick={() => go('/staff/approvals/index')}>
            评价/晒单审核 ›
          </View>
        </View>
        <View id='staff-node' className='xf-muted'>
          {me
            ? `${me.name} · ${staffRoles.map((r) => ROLE_LABEL[r.role]).join('、') || '无管理权限'}`
            : '正在读取身份…'}
        </View>
        {area && (
          <View id='incoming-area' className='incoming__area'>
            只看：{areaName || '所选区域'}的诉求
          </View>
        )}
        <View className='incoming__links'>
          {staffRoles.length > 0 && (
            <View id='link-dashboard' className='incoming__link' hoverClass='xf-pressed' onClick={() => go('/staff/dashboard/index')}>
              数据看板 ›
            </View>
          )}
          {staffRoles.length > 0 && (
            <View id='link-export' className='incoming__link' hoverClass='xf-pressed' onClick={() => go('/staff/export/index')}>
              数据导出 ›
            </View>
          )}
          {staffRoles.length > 0 && (
            <View id='link-ledger' className='incoming__link' hoverClass='xf-pressed' onClick={() => go(area ? `/staff/ledger/index?${query({ nodeId: area, area: areaName })}` : '/staff/ledger/index')}>
              问题台账 ›
            </View>
          )}
          {canAdmin && (
            <View id='link-honor' className='incoming__link' hoverClass='xf-pressed' onClick={() => go('/staff/honor/index')}>
              红黑榜 ›
            </View>
          )}
          <View id='link-volunteers' className='incoming__link' hoverClass='xf-pressed' onClick={() => go('/staff/volunteers/index')}>
            志愿者审核 ›
          </View>
          {canHotline && (
            <View id='link-hotline' className='incoming__link' hoverClass='xf-pressed' onClick={() => go('/staff/hotline/index')}>
              电话点单 ›
            </View>
          )}
          {staffRoles.length > 0 && (
            <View id='link-points' className='incoming__link' hoverClass='xf-pressed' onClick={() => go('/staff/points/index')}>
              积分审核 ›
            </View>
          )}
          {staffRoles.length > 0 && (
            <View id='link-handover' className='incoming__link' hoverClass='xf-pressed' onClick={() => go('/staff/store/index')}>
              兑换核销 ›
            </View>
          )}
          {canAdmin && (
            <View id='link-tree' className='incoming__link' hoverClass='xf-pressed' onClick={() => go('/admin/tree/index')}>
              网格管理 ›
            </View>
          )}
          {staffRoles.some((r) => r.role === 'county') && (
            <View id='link-timeliness' className='incoming__link' hoverClass='xf-pressed' onClick={() => go('/admin/timeliness/index')}>
              办理时限 ›
            </View>
          )}
          {staffRoles.some((r) => r.role === 'county') && (
            <View id='link-point-rules' className='incoming__link' hoverClass='xf-pressed' onClick={() => go('/admin/points/index')}>
              积分规则 ›
            </View>
          )}
          {staffRoles.some((r) => r.role === 'county') && (
            <View id='link-catalogue' className='incoming__link' hoverClass='xf-pressed' onClick={() => go('/admin/catalogue/index')}>
              服务清单 ›
            </View>
          )}
          {canAdmin && (
            <View id='link-store-admin' className='incoming__link' hoverClass='xf-pressed' onClick={() => go('/admin/store/index')}>
              积分超市管理 ›
            </View>
          )}
        </View>
      </View>

      <Tabs tabs={TABS} value={tab} onChange={setTab} />
      {tab === 'supervision' && (
        <View className='incoming__filters'>
          {SUP_FILTERS.map((f) => (
            <View key={f.key} id={`sup-${f.key}`} className={`xw-chip${sup === f.key ? ' xw-chip--on' : ''}`} onClick={() => setSup(f.key)}>
              {f.label}
            </View>
          ))}
        </View>
      )}

      {!!error && orders && <StaleNotice error={error} />}
      <PageState
        loading={!orders && !error}
        error={!orders ? error : null}
        onRetry={list.refresh}
        empty={!!orders && orders.length === 0}
        emptyText={TABS.find((t) => t.key === tab)!.empty}
      >
        <View id='incoming-list'>
          {orders?.map((o) => (
            <View
              key={o.id}
              className='xf-card incoming__item'
              hoverClass='xf-pressed'
              onClick={() => go(`/staff/order/index?${query({ id: o.id })}`)}
            >
              <View className='xf-row'>
                <View className='incoming__service'>
                  {o.serviceName}
                  {o.source === 'hotline' && <Tag type='warning'>热线</Tag>}
                  {o.source === 'patrol' && <Tag type='primary'>网格上报</Tag>}
                </View>
                <StatusTag status={o.status} />
              </View>
              <View className='incoming__due'>
                <DueChip clock={o.clock} />
                {o.supervision && tab === 'supervision' && (
                  <Text className='incoming__sup'>
                    督办{SUPERVISION_LABEL[o.supervision.status]} · 限{formatShort(o.supervision.replyBy)}前答复
                  </Text>
                )}
                {o.extension && tab === 'extension' && (
                  <Text className='incoming__sup'>
                    {o.extension.byName}申请延期{o.extension.workdays}个工作日
                  </Text>
                )}
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
        <ListFooter count={orders?.length ?? 0} more={more} loadingMore={loadingMore} onMore={list.loadMore} />
      </PageState>
    </View>
  )
}
