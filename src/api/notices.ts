import Taro from '@tarojs/taro'
import type { MeView } from '@/core/api'
import { call } from './index'

/**
 * Subscription messages (weapp only; a no-op in H5): WeChat shows its consent dialog only when
 * asked from a tap, so the template ids are fetched beforehand (`prepareNotices` on the page's
 * load) and `askNotices` is called first thing in the tap handler. What the person accepted is
 * recorded on the server: each acceptance allows one message, which the outbox then sends.
 */
type Moment = keyof NonNullable<MeView['subscribe']>

let ids: NonNullable<MeView['subscribe']> | undefined
let loading: Promise<unknown> | undefined

export function prepareNotices(): void {
  if (process.env.TARO_ENV !== 'weapp' || ids || loading) return
  loading = call('user', 'me', {}).then(
    (me) => (ids = me.subscribe),
    () => (loading = undefined), // try again on the next page
  )
}

export function askNotices(moment: Moment): void {
  if (process.env.TARO_ENV !== 'weapp') return
  const tmplIds = ids?.[moment]?.slice(0, 3) ?? []
  if (tmplIds.length === 0) return
  Taro.requestSubscribeMessage({ tmplIds } as Parameters<typeof Taro.requestSubscribeMessage>[0])
    .then((res) => {
      const accepted = tmplIds.filter((id) => (res as unknown as Record<string, string>)[id] === 'accept')
      if (accepted.length) return call('user', 'subscribe', { accepted })
    })
    .catch(() => {
      /* refused, or the setting is off: the inbox still has every message */
    })
}
