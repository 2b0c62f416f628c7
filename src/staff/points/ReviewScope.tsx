import { useCallback, useEffect, useState } from 'react'
import { View } from '@tarojs/components'
import { call } from '@/api'
import type { MeView } from '@/core/api'
import ErrorBox from '@/components/ErrorBox'
import MonthStep from '@/workbench/MonthStep'
import { Loading } from '@/components/PageState'

export type Township = { id: string; name: string }

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
 * previous / next month (MonthStep). Ids: township-<id>, month-prev, month-label, month-next.
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
      <MonthStep idPrefix='month' month={month} onChange={p.onMonth} />
    </View>
  )
}
