import { useRef } from 'react'
import Taro, { useDidShow, usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro'
import { View } from '@tarojs/components'
import Btn from '@/components/Btn'
import { call } from '@/api'
import { formatShort } from '@/core/timeText'
import PageState from '@/components/PageState'
import { ListFooter, PAGE, StaleNotice, usePaged } from '@/components/PagedList'
import Photos from '@/components/Photos'
import { decode } from '@/components/util'
import './feed.scss'
import { useCareMode } from '@/components/CareMode'

/** The public feed of approved showcases of a village / township (or everything), newest approval first. */
export default function Feed() {
  const { params } = useRouter()
  const nodeId = decode(params.nodeId)
  const place = decode(params.name)
  const loaded = useRef(false)
  const care = useCareMode()
  const {
    orders: items,
    error,
    more,
    loadingMore,
    refresh,
    loadMore,
  } = usePaged(
    (before) =>
      call('showcase', 'feed', { limit: PAGE, ...(nodeId ? { nodeId } : {}), ...(before ? { before } : {}) }).then((list) => {
        loaded.current = true
        return list
      }),
    (s) => s.approvedAt ?? s.createdAt,
  )

  useDidShow(() => {
    if (!loaded.current) refresh()
  })
  usePullDownRefresh(() => {
    refresh()
  })
  useReachBottom(() => {
    loadMore()
  })

  return (
    <View className={`xf-page feed${care.cls}`}>
      <View className='feed__head'>
        <View className='xf-h1'>{place ? `${place}的服务风采` : '服务风采'}</View>
        <View className='xf-muted'>乡亲们晒出的志愿服务，经工作人员审核后公开。</View>
      </View>
      {!!error && items && <StaleNotice error={error} />}
      <PageState
        loading={!items && !error}
        error={!items ? error : null}
        onRetry={refresh}
        empty={!!items && items.length === 0}
        emptyText={place ? `${place}还没有公开的晒单` : '还没有公开的晒单'}
        emptyAction={
          <Btn type='default' onClick={() => Taro.reLaunch({ url: '/pages/scan/index' })}>
            返回首页
          </Btn>
        }
      >
        <View id='feed-list'>
          {items?.map((s) => (
            <View key={s.id} className='xf-card feed__item'>
              <View className='xf-row feed__top'>
                <View className='feed__service'>{s.serviceName}</View>
                <View className='xf-muted'>{formatShort(s.approvedAt ?? s.createdAt)}</View>
              </View>
              <View className='xf-muted feed__place'>
                {s.townshipName} · {s.villageName}
                {s.gridName ? ` · ${s.gridName}` : ''}
              </View>
              <View className='feed__story'>{s.story}</View>
              <Photos photos={s.photoUrls ?? []} count={s.photos.length} />
              <View className='xf-muted feed__by'>
                {s.author.kind === 'team' ? `${s.teamName || s.author.name} 晒` : `村民 ${s.author.name} 晒`}
                {s.volunteerName ? ` · 志愿者：${s.volunteerName}` : s.teamName && s.author.kind !== 'team' ? ` · ${s.teamName}` : ''}
              </View>
            </View>
          ))}
        </View>
        <ListFooter count={items?.length ?? 0} more={more} loadingMore={loadingMore} onMore={loadMore} />
      </PageState>
    </View>
  )
}
