import { useEffect, useRef, useState } from 'react'
import Taro, { useDidHide, useDidShow } from '@tarojs/taro'
import { Image, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import ErrorBox from '@/components/ErrorBox'
import { Loading } from '@/components/PageState'
import { call, errorMessage } from '@/api'
import type { BadgeView } from '@/core/api'
import { toLocal } from '@/core/time'
import { IS_H5, errorCode, go } from '@/components/util'
import './index.scss'

/** Fetch a fresh token this long before the current one expires. */
const REFRESH_BEFORE_MS = 60_000
/** Never poll faster than this, even for a token that is about to lapse. */
const MIN_WAIT_MS = 5_000

/** Errors that mean "not (or no longer) an approved volunteer" rather than a network problem. */
const NOT_ELIGIBLE = ['FORBIDDEN', 'NOT_FOUND', 'INVALID_TRANSITION', 'CONFLICT']

export default function Badge() {
  const [badge, setBadge] = useState<BadgeView | null>(null)
  const [error, setError] = useState<unknown>(null)
  // true until the first answer: nothing (no error, no empty badge) flashes before it
  const [loading, setLoading] = useState(true)
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const visible = useRef(false)
  const brightness = useRef<number | null>(null)

  const stop = () => {
    if (timer.current) clearTimeout(timer.current)
    timer.current = null
  }

  const refresh = () => {
    stop()
    setLoading(true)
    call('volunteer', 'badge', {})
      .then(
        (b) => {
          setBadge(b)
          setError(null)
          if (visible.current) timer.current = setTimeout(refresh, Math.max(MIN_WAIT_MS, b.expiresAt - Date.now() - REFRESH_BEFORE_MS))
        },
        (e) => {
          setError(e)
          // a network hiccup: try again shortly while the screen is up (the shown code may still be valid)
          if (visible.current && !NOT_ELIGIBLE.includes(errorCode(e) || '')) timer.current = setTimeout(refresh, 15_000)
        },
      )
      .then(() => setLoading(false))
  }

  // on show (first open and every return to the screen): a fresh token, the screen kept on and bright for scanning
  useDidShow(() => {
    visible.current = true
    refresh()
    if (IS_H5) return
    Taro.setKeepScreenOn({ keepScreenOn: true }).catch(() => {})
    Taro.getScreenBrightness()
      .then((r) => {
        brightness.current = r.value
        return Taro.setScreenBrightness({ value: 1 })
      })
      .catch(() => {})
  })
  const hide = () => {
    visible.current = false
    stop()
    if (IS_H5) return
    Taro.setKeepScreenOn({ keepScreenOn: false }).catch(() => {})
    if (brightness.current !== null) Taro.setScreenBrightness({ value: brightness.current }).catch(() => {})
    brightness.current = null
  }
  useDidHide(hide)
  useEffect(() => hide, [])

  const notEligible = !!error && NOT_ELIGIBLE.includes(errorCode(error) || '')
  const expired = !!badge && badge.expiresAt <= Date.now()

  if (!badge && loading) return <Loading text='正在生成胸牌…' />

  if (!badge || notEligible)
    return (
      <View className='xf-page'>
        {notEligible ? (
          <View id='badge-error' className='xf-card badge-off'>
            <View className='badge-off__title'>暂时不能亮码</View>
            <View className='badge-off__text'>{errorMessage(error)}</View>
            <View className='xf-actions'>
              <Btn type='primary' onClick={() => go('/join/register/index')}>
                查看我的志愿者登记
              </Btn>
            </View>
          </View>
        ) : (
          <ErrorBox error={error} onRetry={refresh} />
        )}
      </View>
    )

  const v = badge.volunteer
  return (
    <View className='xf-page badge'>
      <View id='badge-card' className='badge__card'>
        <View className='badge__head'>志愿者胸牌 · 亮码亮证</View>
        <View className='badge__who'>
          {v.photoUrl ? (
            <Image className='badge__photo' src={v.photoUrl} mode='aspectFill' />
          ) : (
            <View className='badge__photo badge__photo--none'>{v.name.slice(0, 1)}</View>
          )}
          <View className='badge__id'>
            <View id='badge-name' className='badge__name'>
              {v.name}
            </View>
            <View id='badge-plate' className='badge__plate'>
              {v.plate || '—'}
            </View>
            {v.teamName && <View className='badge__line'>{v.teamName}</View>}
            <View className='badge__line'>{v.gridName}</View>
            <View className='badge__line badge__line--small'>
              {v.townshipName} · {v.villageName}
            </View>
          </View>
        </View>

        <View className='badge__qr-box'>
          <Image id='badge-qr' className={`badge__qr${expired ? ' badge__qr--stale' : ''}`} src={badge.qr} mode='scaleToFill' />
        </View>
        <View id='badge-expiry' className={`badge__expiry${expired ? ' badge__expiry--stale' : ''}`}>
          {expired ? '二维码已过期，正在刷新…' : `有效期至 ${toLocal(badge.expiresAt).format('HH:mm:ss')}`}
        </View>
        <View className='badge__hint'>请对方用微信扫一扫，核验志愿者身份</View>
      </View>

      {!!error && <View className='badge__stale'>刷新没有成功：{errorMessage(error)}</View>}

      <View className='xf-actions'>
        <Btn id='badge-refresh' type='default' disabled={loading} onClick={refresh}>
          {loading ? '正在刷新…' : '刷新二维码'}
        </Btn>
      </View>
    </View>
  )
}
