import { useEffect } from 'react'
import { usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro'
import { View } from '@tarojs/components'
import { call } from '@/api'
import { auditChangeLines } from '@/core/audit'
import { formatTime } from '@/core/time'
import PageState from '@/components/PageState'
import { ListFooter, PAGE, StaleNotice, usePaged } from '@/components/PagedList'
import { decode } from '@/components/util'
import './index.scss'

/**
 * 操作记录 (county administrators): who granted or revoked a role, or changed the grid tree,
 * when (Shanghai time) and from what to what; newest first. `?target=` narrows it to one person or node.
 */
export default function AuditPage() {
  const { params } = useRouter()
  const targetId = decode(params.target) || undefined
  const { orders: items, error, more, loadingMore, refresh, loadMore } = usePaged(
    (before) => call('user', 'audit', { limit: PAGE, ...(before ? { before } : {}), ...(targetId ? { targetId } : {}) }),
    (e) => e.at,
  )

  useEffect(() => {
    refresh()
  }, [refresh])
  usePullDownRefresh(() => {
    refresh()
  })
  useReachBottom(() => {
    loadMore()
  })

  return (
    <View className='xf-page audit'>
      {!!error && items && <StaleNotice error={error} />}
      <PageState
        loading={!items && !error}
        error={!items ? error : null}
        onRetry={refresh}
        empty={!!items && items.length === 0}
        emptyText='还没有操作记录。任命、撤销人员或调整网格后，会记在这里。'
      >
        <View id='audit-list' className='xf-list'>
          {items?.map((e) => (
            <View key={e.id} className='xf-cell audit__item'>
              <View className='audit__summary'>{e.summary}</View>
              <View className='audit__meta'>
                {e.by.name} · {formatTime(e.at)}
              </View>
              {auditChangeLines(e).map((line) => (
                <View key={line} className='audit__change'>
                  {line}
                </View>
              ))}
            </View>
          ))}
        </View>
        <ListFooter count={items?.length ?? 0} more={more} loadingMore={loadingMore} onMore={loadMore} />
      </PageState>
    </View>
  )
}
