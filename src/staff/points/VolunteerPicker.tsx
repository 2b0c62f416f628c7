import { useCallback, useEffect, useState } from 'react'
import { Input, Text, View } from '@tarojs/components'
import { call } from '@/api'
import type { VolunteerView } from '@/core/api'
import ErrorBox from '@/components/ErrorBox'
import { Loading } from '@/components/PageState'

const PAGE = 50

/**
 * The approved volunteers of the caller's subtree matching `q` (a plate or phone exactly, or
 * the start of a name; empty: the newest), 50 at a time; 加载更多 reads on. The search waits
 * for typing to pause.
 */
function useApproved(q: string) {
  const [list, setList] = useState<VolunteerView[] | null>(null)
  const [more, setMore] = useState(false)
  const [loading, setLoading] = useState(false)
  const [error, setError] = useState<unknown>(null)

  const load = useCallback(async (text: string, before?: number) => {
    setLoading(true)
    setError(null)
    try {
      const page = await call('volunteer', 'list', { status: 'approved', limit: PAGE, ...(text ? { q: text } : {}), ...(before ? { before } : {}) })
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

  const text = q.trim()
  useEffect(() => {
    const t = setTimeout(() => load(text), text ? 300 : 0)
    return () => clearTimeout(t)
  }, [load, text])
  const loadMore = () => list?.length && !loading && load(text, list[list.length - 1].createdAt)
  return { list, more, loading, error, retry: () => (list?.length ? loadMore() : load(text)), loadMore }
}

/**
 * Choose a volunteer: type a name, plate or phone (searched on the server); tap one. Ids: manual-volunteer-q,
 * manual-volunteer-<id> (each result, class manual-volunteer-item), manual-volunteer-more.
 */
export default function VolunteerPicker({ onPick, bad }: { onPick: (v: VolunteerView) => void; bad?: boolean }) {
  const [q, setQ] = useState('')
  const { list, more, loading, error, retry, loadMore } = useApproved(q)
  const found = list ?? []
  return (
    <>
      <Input
        id='manual-volunteer-q'
        className={`xf-form__input xf-input-fill${bad ? ' xf-form__bad' : ''}`}
        value={q}
        maxlength={20}
        placeholder='输入姓名、完整号牌或手机号查找'
        onInput={(e) => setQ(e.detail.value)}
      />
      {!!error && <ErrorBox error={error} onRetry={retry} />}
      {!list && !error && <Loading small text='正在读取志愿者…' />}
      {list && (
        <>
          {found.length === 0 ? (
            <View className='xf-form__tip'>{q.trim() ? '没有找到，请核对姓名（从第一个字输入）、号牌或手机号' : '您管理的范围内还没有审核通过的志愿者'}</View>
          ) : (
            <View className='xf-list pts-vols'>
              {found.map((v) => (
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
