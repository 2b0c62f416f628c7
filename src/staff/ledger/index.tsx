import { useEffect, useMemo, useState } from 'react'
import { useRouter } from '@tarojs/taro'
import { View } from '@tarojs/components'
import { call } from '@/api'
import type { OrderView, ServiceView } from '@/core/api'
import Btn from '@/components/Btn'
import PageState, { Loading } from '@/components/PageState'
import { ListFooter, PAGE, StaleNotice, usePaged } from '@/components/PagedList'
import { STORAGE, go, load, save } from '@/components/util'
import { useTabbedList } from '@/workbench/useTabbedList'
import '@/workbench/shared.scss'
import { exportUrlOf, filtersFromQuery, filtersKey, ledgerInputOf, type LedgerFilters } from './filters'
import LedgerFilterBar, { categoriesOf } from './LedgerFilterBar'
import LedgerItem from './LedgerItem'
import './index.scss'

/**
 * 问题台账: every order and patrol report of the staff member's area (or the area in `nodeId`)
 * as one list, newest first, filtered by source, open / finished, overdue and category; each
 * finished entry says how it ended. 导出 opens the export page with the same filters.
 */
export default function Ledger() {
  const { params } = useRouter()
  const [filters, setFilters] = useState<LedgerFilters>(() => filtersFromQuery(params))
  const key = filtersKey(filters)
  // the filters the list on screen was loaded with: a change reloads it, and shows 正在筛选 until then
  const [loadedKey, setLoadedKey] = useState<string | null>(null)
  const list = usePaged<OrderView>(
    (before) =>
      call('order', 'ledger', ledgerInputOf(filters, PAGE, before)).then((page) => {
        if (!before) setLoadedKey(key)
        return page
      }),
    (last) => last.createdAt,
  )
  useTabbedList(list, key)
  // a change made while a load was on its way: that load was for the old filters, load again
  const { orders, refresh } = list
  useEffect(() => {
    if (orders && loadedKey !== key) refresh()
  }, [orders, loadedKey, key, refresh])

  const [catalogue, setCatalogue] = useState<string[]>(() => (load<ServiceView[]>(STORAGE.catalogue) ?? []).map((s) => s.category))
  useEffect(() => {
    call('grid', 'catalogue', {}).then(
      (services) => {
        setCatalogue(services.map((s) => s.category))
        save(STORAGE.catalogue, services)
      },
      () => {
        /* the saved copy (or the patrol kinds alone) will do */
      },
    )
  }, [])
  const categories = useMemo(() => categoriesOf(catalogue), [catalogue])

  const { error, more, loadingMore } = list
  const filtering = !!orders && loadedKey !== key

  return (
    <View className='xf-page ledger'>
      {filters.nodeId && (
        <View id='ledger-area' className='ledger__area'>
          只看：{filters.area || '所选区域'}
          <View className='xf-link ledger__area-all' onClick={() => setFilters({ ...filters, nodeId: undefined, area: undefined })}>
            看全部区域
          </View>
        </View>
      )}
      <LedgerFilterBar value={filters} categories={categories} onChange={setFilters} />
      <View className='ledger__export'>
        <Btn id='ledger-export' type='outline' size='small' onClick={() => go(exportUrlOf(filters))}>
          导出
        </Btn>
        {(filters.state !== 'all' || filters.overdue) && <View className='xf-muted ledger__export-tip'>导出含全部状态，可在表格里按状态、超时筛选</View>}
      </View>

      {filtering && <Loading small text='正在筛选…' />}
      {!!error && orders && <StaleNotice error={error} />}
      <PageState loading={!orders && !error} error={!orders ? error : null} onRetry={list.refresh} empty={!!orders && orders.length === 0 && !filtering} emptyText='没有符合条件的记录'>
        <View id='ledger-list' className={filtering ? 'ledger__stale' : ''}>
          {orders?.map((o) => <LedgerItem key={o.id} o={o} />)}
        </View>
        <ListFooter count={orders?.length ?? 0} more={more} loadingMore={loadingMore} onMore={list.loadMore} />
      </PageState>
    </View>
  )
}
