import { useCallback, useEffect, useState } from 'react'
import { Text, View } from '@tarojs/components'
import { call } from '@/api'
import type { MeView } from '@/core/api'
import { monthLabel, monthOf, shiftMonth } from '@/core/points'
import ErrorBox from '@/components/ErrorBox'
import { Loading } from '@/components/PageState'

export type Township = { id: string; name: string }

/** The month `delta` months from `month` (YYYY-MM); the 15th (UTC) is the same month in Shanghai. */
/**
 * The townships whose monthly review the caller handles: a township's own staff their
 * township, county staff every active township of the county (its children in the grid tree).
 */
export function useTownships(me: MeView | null) {
  const [list, setList] = useState<Township[] | null>(null)
  const [error, setError] = useState<unknown>(null)

  const load = useCallback(async () => {
    if (!me) return
    setError(null)
    try {
      const own = me.roles.filter((r) => r.role === 'township').map((r) => ({ id: r.nodeId, name: r.nodeName }))
      const counties = me.roles.filter((r) => r.role === 'county')
      const trees = await Promise.all(counties.map((c) => call('grid', 'tree', { nodeId: c.nodeId, includeInactive: false })))
      const children = trees.flatMap((t) => t.children.filter((c) => c.level === 'township').map((c) => ({ id: c.id, name: c.name })))
      const all: Township[] = []
      for (const t of [...own, ...children]) if (!all.some((x) => x.id === t.id)) all.push(t)
      setList(all)
    } catch (e) {
      setError(e)
    }
  }, [me])

  useEffect(() => {
    load()
  }, [load])
  return { townships: list, error, reload: load }
}

/**
 * Which township and which month: chips for the township (when there is a choice) and
 * previous / next month. Ids: township-<id>, month-prev, review-month, month-next.
 */
export function ScopePicker(p: {
  townships: Township[] | null
  error: unknown
  onRetry: () => void
  townshipId: string
  onTownship: (id: string) => void
  month: string
  onMonth: (m: string) => void
}) {
  const { townships, townshipId, month } = p
  const latest = monthOf(Date.now())
  if (!townships) return p.error ? <ErrorBox error={p.error} onRetry={p.onRetry} /> : <Loading small text='正在读取乡镇…' />
  if (townships.length === 0) return <View className='xf-hint'>您管理的范围内还没有乡镇。</View>
  return (
    <View className='xf-card pts-scope'>
      {townships.length > 1 ? (
        <View className='pts-scope__townships'>
          {townships.map((t) => (
            <View key={t.id} id={`township-${t.id}`} className={`xw-chip${t.id === townshipId ? ' xw-chip--on' : ''}`} onClick={() => p.onTownship(t.id)}>
              {t.name}
            </View>
          ))}
        </View>
      ) : (
        <View className='pts-scope__name'>{townships[0].name}</View>
      )}
      <View className='pts-scope__month'>
        <View id='month-prev' className='pts-scope__step' hoverClass='xf-pressed' onClick={() => p.onMonth(shiftMonth(month, -1))}>
          ‹ 上月
        </View>
        <Text id='review-month' className='pts-scope__label'>
          {monthLabel(month)}
        </Text>
        <View
          id='month-next'
          className={`pts-scope__step${month >= latest ? ' pts-scope__step--off' : ''}`}
          hoverClass={month >= latest ? 'none' : 'xf-pressed'}
          onClick={() => month < latest && p.onMonth(shiftMonth(month, 1))}
        >
          下月 ›
        </View>
      </View>
    </View>
  )
}
