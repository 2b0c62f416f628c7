import { useCallback, useEffect, useState } from 'react'
import { Input, Text, View } from '@tarojs/components'
import { call } from '@/api'
import type { VolunteerView } from '@/core/api'
import ErrorBox from '@/components/ErrorBox'
import { Loading } from '@/components/PageState'

const PAGE = 50
const SHOWN = 30

/**
 * The approved volunteers of the caller's subtree, newest first, 50 at a time
 * (`volunteer.list` has no name search: typing filters the ones loaded, 加载更多 reads on).
 */
function useApproved() {
  const [list, setList] = useState<VolunteerView[] | null>(null)
  const [more, setMore] = useState(false)
  const [loading, setLoading] = useState(false)
  const [error, setError] = useState<unknown>(null)

  const load = useCallback(async (before?: number) => {
    setLoading(true)
    setError(null)
    try {
      const page = await call('volunteer', 'list', { status: 'approved', limit: PAGE, ...(before ? { before } : {}) })
      setList((cur) => {
        const have = before ? (cur ?? []) : []
        return [...have, ...page.filter((v) => !have.some((x) => x.id === v.id))]
      })
      setMore(page.length === PAGE)
    } catch (e) {
      setError(e)
    } finally {
      setLoading(false)
    }
  }, [])

  useEffect(() => {
    load()
  }, [load])
  const loadMore = () => list?.length && !loading && load(list[list.length - 1].createdAt)
  return { list, more, loading, error, retry: () => (list?.length ? loadMore() : load()), loadMore }
}

const matches = (v: VolunteerView, q: string) => {
  const t = q.trim().toLowerCase()
  return !t || v.name.includes(t) || (v.plate ?? '').toLowerCase().includes(t) || v.phone.includes(t) || (v.teamName ?? '').includes(t)
}

/**
 * Choose a volunteer: type a name, plate or phone; tap one. Ids: manual-volunteer-q,
 * manual-volunteer-<id> (each result, class manual-volunteer-item), manual-volunteer-more.
 */
export default function VolunteerPicker({ onPick, bad }: { onPick: (v: VolunteerView) => void; bad?: boolean }) {
  const { list, more, loading, error, retry, loadMore } = useApproved()
  const [q, setQ] = useState('')
  const found = (list ?? []).filter((v) => matches(v, q))
  return (
    <>
      <Input
        id='manual-volunteer-q'
        className={`xf-form__input xf-input-fill${bad ? ' xf-form__bad' : ''}`}
        value={q}
        maxlength={20}
        placeholder='输入姓名、号牌或电话查找'
        onInput={(e) => setQ(e.detail.value)}
      />
      {!!error && <ErrorBox error={error} onRetry={retry} />}
      {!list && !error && <Loading small text='正在读取志愿者…' />}
      {list && (
        <>
          {found.length === 0 ? (
            <View className='xf-form__tip'>{list.length === 0 ? '您管理的范围内还没有审核通过的志愿者' : `已读取的 ${list.length} 位志愿者中没有找到，换个写法试试`}</View>
          ) : (
            <View className='xf-list pts-vols'>
              {found.slice(0, SHOWN).map((v) => (
                <View key={v.id} id={`manual-volunteer-${v.id}`} className='xf-cell manual-volunteer-item' hoverClass='xf-pressed' onClick={() => onPick(v)}>
                  <View className='xf-cell__main'>
                    <View className='xf-cell__title'>
                      {v.name}
                      {v.plate && <Text className='pts-vols__plate'> {v.plate}</Text>}
                    </View>
                    <View className='pts-vols__desc'>
                      {v.villageName} · {v.gridName}
                      {v.teamName ? ` · ${v.teamName}` : ''}
                    </View>
                  </View>
                </View>
              ))}
            </View>
          )}
          {found.length > SHOWN && <View className='xf-form__tip'>还有 {found.length - SHOWN} 位，请输入更多字缩小范围</View>}
          {loading && list.length > 0 && <Loading small />}
          {more && !loading && (
            <View id='manual-volunteer-more' className='xf-more' onClick={loadMore}>
              加载更多志愿者
            </View>
          )}
        </>
      )}
    </>
  )
}
