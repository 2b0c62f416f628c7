import { useRef, useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Image, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import PageState, { Loading } from '@/components/PageState'
import ErrorBox from '@/components/ErrorBox'
import { StaleNotice } from '@/components/PagedList'
import { call, errorMessage, newRequestId } from '@/api'
import type { RedemptionView, StoreItemView, StoreView } from '@/core/api'
import { quarterLabel } from '@/core/points'
import RedemptionCard from './RedemptionCard'
import './index.scss'

/** Why an item cannot be redeemed now, or null when it can. */
function blocked(item: StoreItemView, available: number): string | null {
  if (item.stock <= 0) return '已兑完'
  if (available < item.price) return `积分不足，还差 ${item.price - available} 分`
  return null
}

/**
 * 积分超市: what this quarter offers and my final points; 兑换 after a confirmation; the
 * code and QR to collect with; my redemptions. A redemption carries a requestId made on the
 * first tap for an item and kept until it succeeds, so a retry after a lost answer returns
 * the same redemption instead of spending twice.
 */
export default function Store() {
  const [store, setStore] = useState<StoreView | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [mine, setMine] = useState<RedemptionView[] | null>(null)
  const [mineError, setMineError] = useState<unknown>(null)
  const [busyId, setBusyId] = useState('')
  const [fresh, setFresh] = useState<RedemptionView | null>(null)
  /** itemId → the requestId of the redemption not yet known to have gone through */
  const attempts = useRef(new Map<string, string>())
  const loading = useRef(false)

  const load = async () => {
    if (loading.current) return
    loading.current = true
    await Promise.all([
      call('store', 'items', {}).then(
        (s) => {
          setStore(s)
          setError(null)
        },
        setError,
      ),
      call('store', 'mine', {}).then(
        (m) => {
          setMine(m)
          setMineError(null)
        },
        setMineError,
      ),
    ])
    loading.current = false
    Taro.stopPullDownRefresh()
  }
  useDidShow(() => {
    load()
  })
  usePullDownRefresh(() => {
    load()
  })

  const redeem = async (item: StoreItemView) => {
    if (busyId) return
    const ok = await Taro.showModal({
      title: '确认兑换',
      content: `用 ${item.price} 积分兑换「${item.name}」？兑换后积分立即扣除。`,
      confirmText: '确定',
      cancelText: '取消',
    })
      .then((r) => r.confirm)
      .catch(() => false)
    if (!ok) return
    let requestId = attempts.current.get(item.id)
    if (!requestId) attempts.current.set(item.id, (requestId = newRequestId()))
    setBusyId(item.id)
    try {
      const r = await call('store', 'redeem', { itemId: item.id, requestId })
      attempts.current.delete(item.id)
      setFresh(r)
      Taro.showToast({ title: '兑换成功', icon: 'success' })
      Taro.pageScrollTo({ scrollTop: 0, duration: 200 }).catch(() => {})
    } catch (e) {
      Taro.showModal({ title: '兑换没有成功', content: errorMessage(e), showCancel: false })
    } finally {
      setBusyId('')
    }
    load() // points, stock and my codes have changed (or someone else took the last one)
  }

  const available = store?.available ?? 0

  return (
    <View className='xf-page vstore'>
      {!!error && store && <StaleNotice error={error} />}
      <PageState loading={!store && !error} error={!store ? error : null} onRetry={load}>
        {store && (
          <>
            {fresh && (
              <View className='vstore__fresh'>
                <View className='vstore__fresh-title'>兑换成功</View>
                <RedemptionCard id='redeem-result' r={fresh} fresh />
                <Btn id='redeem-done' type='default' onClick={() => setFresh(null)}>
                  知道了
                </Btn>
              </View>
            )}

            <View className='xf-card vstore__head'>
              <View className='vstore__label'>可兑换积分</View>
              <View id='store-available' className='vstore__available'>
                {available}
              </View>
              <View className='xf-muted'>
                {quarterLabel(store.quarter)}开放兑换 · 公示定稿后的积分才能兑换，兑换码本季度内有效
              </View>
            </View>

            <View className='xf-h2'>本季度可兑换</View>
            <PageState empty={store.items.length === 0} emptyText='本季度暂时没有可兑换的物品'>
              <View id='store-items'>
                {store.items.map((it) => {
                  const why = blocked(it, available)
                  return (
                    <View key={it.id} id={`item-${it.id}`} className='xf-card vstore__item'>
                      {it.photoUrl && <Image className='vstore__photo' src={it.photoUrl} mode='aspectFill' lazyLoad />}
                      <View className='xf-row vstore__item-top'>
                        <View className='vstore__name'>{it.name}</View>
                        <View className='vstore__price'>{it.price} 积分</View>
                      </View>
                      {!!it.description && <View className='vstore__desc'>{it.description}</View>}
                      <View className='vstore__line'>库存：{it.stock > 0 ? `${it.stock} 件` : '已兑完'}</View>
                      <View className='vstore__line'>
                        领取地点：{it.place}（{it.nodeName}）
                      </View>
                      <View className='vstore__act'>
                        <Btn id={`redeem-${it.id}`} type='primary' disabled={!!why || !!busyId} onClick={() => redeem(it)}>
                          {busyId === it.id ? '正在兑换…' : '兑换'}
                        </Btn>
                        {why && <View className='vstore__why'>{why}</View>}
                      </View>
                    </View>
                  )
                })}
              </View>
            </PageState>

            <View className='xf-h2'>我的兑换</View>
            {mineError && !mine ? (
              <ErrorBox error={mineError} onRetry={load} />
            ) : !mine ? (
              <Loading small />
            ) : (
              <PageState empty={mine.length === 0} emptyText='还没有兑换记录'>
                <View id='my-redemptions'>
                  {mine.map((r) => (
                    <RedemptionCard key={r.id} r={r} />
                  ))}
                </View>
              </PageState>
            )}
          </>
        )}
      </PageState>
    </View>
  )
}
