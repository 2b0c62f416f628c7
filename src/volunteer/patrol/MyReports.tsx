import { View } from '@tarojs/components'
import type { OrderView } from '@/core/api'
import { formatShort } from '@/core/time'
import PageState from '@/components/PageState'
import { ListFooter, StaleNotice, type usePaged } from '@/components/PagedList'
import StatusTag from '@/components/StatusTag'
import { go, query } from '@/components/util'

/**
 * 我的上报: the reporter's own patrol reports (their orders as the one who reported them),
 * newest first, with where each stands; tap one to follow it on the order page, where the
 * reporter confirms it fixed as a villager would. Ids: patrol-mine-list, .patrol-mine-item.
 */
export default function MyReports({ list }: { list: ReturnType<typeof usePaged<OrderView>> }) {
  const { orders, error, more, loadingMore } = list
  // order.mine lists every order the person placed; only the reports belong here (their other orders are in 我的诉求)
  const reports = orders?.filter((o) => o.source === 'patrol') ?? null
  return (
    <>
      {!!error && orders && <StaleNotice error={error} />}
      <PageState
        loading={!orders && !error}
        error={!orders ? error : null}
        onRetry={list.refresh}
        empty={!!reports && reports.length === 0 && !more}
        emptyText='还没有上报过问题。巡查时发现问题，点“随手拍”拍下来。'
      >
        <View id='patrol-mine-list'>
          {reports?.map((o) => (
            <View key={o.id} className='xf-card patrol-mine-item' hoverClass='xf-pressed' onClick={() => go(`/pages/orders/detail?${query({ id: o.id })}`)}>
              <View className='xf-row patrol__top'>
                <View className='patrol__kind'>{o.report?.kindLabel || o.category}</View>
                <StatusTag status={o.status} />
              </View>
              <View className='xf-muted patrol__meta'>
                {o.gridName}
                {o.report?.spot ? ` · ${o.report.spot}` : ''} · {o.no}
              </View>
              <View className='patrol__desc xf-clamp2'>{o.description}</View>
              <View className='xf-muted patrol__at'>{formatShort(o.createdAt)}</View>
            </View>
          ))}
        </View>
        <ListFooter count={reports?.length ?? 0} more={more} loadingMore={loadingMore} onMore={list.loadMore} />
      </PageState>
    </>
  )
}
