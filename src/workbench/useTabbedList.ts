import { useEffect, useRef } from 'react'
import { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro'

/**
 * The life of a workbench list with tabs: load when a tab is opened, reload when the page
 * is shown again (back from a detail: items may have moved on), pull down to reload, load
 * more at the bottom. `onPullDown` adds to the pull-down (e.g. reload a header).
 */
export function useTabbedList(list: { refresh: () => unknown; loadMore: () => unknown }, tab: string, onPullDown?: () => void) {
  const shown = useRef(false)
  useEffect(() => {
    list.refresh()
  }, [tab])
  useDidShow(() => {
    if (shown.current) list.refresh()
    shown.current = true
  })
  usePullDownRefresh(() => {
    list.refresh()
    onPullDown?.()
  })
  useReachBottom(() => {
    list.loadMore()
  })
}
