import { useCallback, useEffect, useState } from 'react'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { Image, Text, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import PageState from '@/components/PageState'
import { StaleNotice } from '@/components/PagedList'
import { photoSrc } from '@/components/Photos'
import { call } from '@/api'
import type { StoreItemView, StoreView } from '@/core/api'
import { quarterLabel } from '@/core/points'
import ItemForm, { type AdminNode } from './ItemForm'
import './index.scss'

/**
 * 积分超市管理 (county / township admins): every item of the stores they run, with price,
 * stock, quarters and state; add or change one. Ids: store-item-new, store-items,
 * store-card-<id>, store-item-edit-<id>; the form's: see ItemForm.
 */
export default function StoreAdmin() {
  const [view, setView] = useState<StoreView | null>(null)
  const [nodes, setNodes] = useState<AdminNode[]>([])
  const [error, setError] = useState<unknown>(null)
  const [editing, setEditing] = useState<StoreItemView | 'new' | null>(null)

  const load = useCallback(async () => {
    setError(null)
    try {
      const [items, me] = await Promise.all([call('store', 'items', { all: true }), call('user', 'me', {})])
      const own: AdminNode[] = []
      for (const r of me.roles) if ((r.role === 'county' || r.role === 'township') && !own.some((n) => n.id === r.nodeId)) own.push({ id: r.nodeId, name: r.nodeName })
      setNodes(own)
      setView(items)
    } catch (e) {
      setError(e)
    } finally {
      Taro.stopPullDownRefresh()
    }
  }, [])
  useEffect(() => {
    load()
  }, [load])
  usePullDownRefresh(() => {
    if (!editing) load()
    else Taro.stopPullDownRefresh()
  })

  const saved = (it: StoreItemView) => {
    setView((v) => (v ? { ...v, items: v.items.some((x) => x.id === it.id) ? v.items.map((x) => (x.id === it.id ? it : x)) : [...v.items, it].sort((a, b) => a.price - b.price) } : v))
    setEditing(null)
    Taro.pageScrollTo({ scrollTop: 0, duration: 0 }).catch(() => {})
  }

  if (editing)
    return (
      <View className='xf-page store-admin'>
        <ItemForm item={editing === 'new' ? null : editing} nodes={nodes} onSaved={saved} onCancel={() => setEditing(null)} />
      </View>
    )

  return (
    <View className='xf-page store-admin'>
      {!!error && view && <StaleNotice error={error} />}
      <PageState loading={!view && !error} error={!view ? error : null} onRetry={load}>
        {view && (
          <>
            <View className='xf-hint'>
              现在是{quarterLabel(view.quarter)}。志愿者用定稿后的积分兑换本季度开放的物品，凭兑换码到领取地点领取。
            </View>
            <View className='xf-actions store-admin__new'>
              <Btn id='store-item-new' type='primary' onClick={() => setEditing('new')}>
                ＋ 新增兑换物品
              </Btn>
            </View>
            <PageState empty={view.items.length === 0} emptyText='还没有兑换物品，点上面的「新增兑换物品」添加'>
              <View id='store-items'>
                {view.items.map((it) => {
                  const src = it.photoUrl ? photoSrc(it.photoUrl) : null
                  return (
                    <View key={it.id} id={`store-card-${it.id}`} className={`xf-card store-admin__item${it.active ? '' : ' store-admin__item--off'}`}>
                      <View className='store-admin__top'>
                        {src ? <Image className='store-admin__photo' src={src} mode='aspectFill' /> : <View className='store-admin__photo store-admin__photo--none'>{it.name.slice(0, 1)}</View>}
                        <View className='store-admin__main'>
                          <View className='store-admin__name'>{it.name}</View>
                          <View className='store-admin__tags'>
                            {!it.active ? (
                              <Text className='xf-tag xf-tag--end'>已下架</Text>
                            ) : it.open ? (
                              <Text className='xf-tag xf-tag--done'>本季度可兑换</Text>
                            ) : (
                              <Text className='xf-tag xf-tag--wait'>本季度未开放</Text>
                            )}
                            {it.stock === 0 && <Text className='xf-tag xf-tag--end store-admin__tag'>已兑完</Text>}
                          </View>
                        </View>
                      </View>
                      <View className='store-admin__facts'>
                        <View className='store-admin__fact'>
                          <Text className='store-admin__label'>所需积分</Text>
                          {it.price} 分
                        </View>
                        <View className='store-admin__fact'>
                          <Text className='store-admin__label'>库存</Text>
                          {it.stock} 件
                        </View>
                        <View className='store-admin__fact'>
                          <Text className='store-admin__label'>领取地点</Text>
                          {it.place}
                        </View>
                        <View className='store-admin__fact'>
                          <Text className='store-admin__label'>开放季度</Text>
                          {it.quarters.map(quarterLabel).join('、')}
                        </View>
                        {nodes.length > 1 && (
                          <View className='store-admin__fact'>
                            <Text className='store-admin__label'>所属</Text>
                            {it.nodeName}积分超市
                          </View>
                        )}
                        {!!it.description && <View className='store-admin__desc'>{it.description}</View>}
                      </View>
                      <View className='store-admin__actions'>
                        <Btn id={`store-item-edit-${it.id}`} className='store-item-edit' size='small' onClick={() => setEditing(it)}>
                          修改
                        </Btn>
                      </View>
                    </View>
                  )
                })}
              </View>
            </PageState>
          </>
        )}
      </PageState>
    </View>
  )
}
