import type { ReactNode } from 'react'
import { View } from '@tarojs/components'
import ErrorBox from './ErrorBox'
import './components.scss'

type Props = {
  /** true while the first load runs (no data to show yet) */
  loading?: boolean
  loadingText?: string
  error?: unknown
  onRetry?: () => void
  /** true when loaded and there is nothing to show */
  empty?: boolean
  emptyText?: string
  /** e.g. a button leading somewhere useful */
  emptyAction?: ReactNode
  children?: ReactNode
}

/** Loading, error and empty states in one place, so every page says the same plain things. */
export default function PageState(p: Props) {
  if (p.loading) return <Loading text={p.loadingText} />
  if (p.error) return <ErrorBox error={p.error} onRetry={p.onRetry} />
  if (p.empty)
    return (
      <View className='xf-empty'>
        <View className='xf-empty__icon' />
        <View className='xf-empty__text'>{p.emptyText || '暂无内容'}</View>
        {p.emptyAction && <View className='xf-empty__action'>{p.emptyAction}</View>}
      </View>
    )
  return <>{p.children}</>
}

export function Loading({ text, small }: { text?: string; small?: boolean }) {
  return (
    <View className={small ? 'xf-loading xf-loading--small' : 'xf-loading'}>
      <View className='xf-spinner' />
      <View className='xf-loading__text'>{text || '正在加载…'}</View>
    </View>
  )
}
