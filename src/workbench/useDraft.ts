import { useCallback, useEffect, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { IS_H5 } from '@/components/util'

/**
 * A settings page's editing state: the saved view, the page's own draft of it, loading,
 * dirty (WeChat then asks before the back button throws edits away; H5 has no such API),
 * the message of the last refused save, and saving that keeps edits made while the save
 * was on its way (they stay on the page, unsaved).
 */
export function useDraft<V, D>(p: { fetch: () => Promise<V>; toDraft: (v: V) => D; same: (d: D, v: V) => boolean }) {
  const { fetch, toDraft, same } = p
  const [view, setView] = useState<V | null>(null)
  const [draft, setDraft] = useState<D | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [saving, setSaving] = useState(false)
  const [invalid, setInvalid] = useState('')
  const alive = useRef(true)

  const load = useCallback(async () => {
    setError(null)
    try {
      const v = await fetch()
      if (!alive.current) return
      setView(v)
      setDraft(toDraft(v))
    } catch (e) {
      if (alive.current) setError(e)
    }
  }, [fetch, toDraft])

  useEffect(() => {
    alive.current = true
    load()
    return () => {
      alive.current = false
    }
  }, [load])

  const dirty = !!view && !!draft && !same(draft, view)
  useEffect(() => {
    if (IS_H5) return
    if (dirty) Taro.enableAlertBeforeUnload({ message: '修改还没有保存，离开后将丢失。确定离开吗？' })
    else Taro.disableAlertBeforeUnload()
  }, [dirty])
  useEffect(() => setInvalid(''), [draft])

  /** Send the draft; the answer becomes the view (and the draft, unless edited meanwhile). Errors are the caller's. */
  const save = async (send: (draft: D, view: V) => Promise<V>): Promise<V | null> => {
    if (!view || !draft || saving) return null
    const sent = draft
    setSaving(true)
    try {
      const v = await send(sent, view)
      if (!alive.current) return null
      setView(v)
      setDraft((cur) => (cur === sent ? toDraft(v) : cur))
      Taro.showToast({ title: '已保存', icon: 'success' })
      return v
    } finally {
      if (alive.current) setSaving(false)
    }
  }

  return { view, draft, setDraft, error, load, dirty, saving, save, invalid, setInvalid }
}
