import Taro from '@tarojs/taro'
import { ApiError } from '@/api'

/** Small helpers shared by the pages: navigation, phone calls, storage keys. */

export const IS_H5 = process.env.TARO_ENV === 'h5'

/** The error code the server (or the client) gave, or null for unknown errors. */
export const errorCode = (e: unknown): string | null => (e instanceof ApiError ? e.code : null)

/** In H5 the local runtime needs a dev sign-in; the mini-program never does. */
export const needsLogin = (e: unknown) => IS_H5 && errorCode(e) === 'UNAUTHENTICATED'

export function callPhone(phone: string | null | undefined) {
  if (!phone) return
  Taro.makePhoneCall({ phoneNumber: phone.replace(/[^\d-]/g, '') }).catch(() => {
    /* the user cancelled */
  })
}

/** navigateTo, falling back to redirectTo when the page stack is full (10 pages in WeChat). */
export function go(url: string) {
  Taro.navigateTo({ url }).catch(() => Taro.redirectTo({ url }))
}

/** Back if there is somewhere to go back to, otherwise to `fallback`. */
export function back(fallback: string) {
  if (Taro.getCurrentPages().length > 1) Taro.navigateBack()
  else Taro.redirectTo({ url: fallback })
}

/** A URL param as text: WeChat hands them over still encoded, H5 already decoded. */
export function decode(v: string | undefined | null): string {
  if (!v) return ''
  try {
    return decodeURIComponent(v)
  } catch {
    return v
  }
}

export const query = (params: Record<string, string | number | null | undefined>) =>
  Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&')

/** The current page as a URL (path + its params), e.g. to come back after signing in. */
export function currentUrl(): string {
  const router = Taro.getCurrentInstance().router
  if (!router) return '/pages/scan/index'
  const path = '/' + router.path.split('?')[0].replace(/^\/+/, '')
  const params: Record<string, string> = {}
  for (const [k, v] of Object.entries(router.params || {})) {
    // `$taroTimestamp` (weapp) and `stamp` (H5) are the router's own
    if (!k.startsWith('$') && k !== 'stamp' && typeof v === 'string') params[k] = decode(v)
  }
  const q = query(params)
  return q ? `${path}?${q}` : path
}

declare const DEV_SIGNIN: boolean

/** Sign in: the local runtime's dev sign-in; the public H5 build has none (people sign in through the mini-program). */
export function goLogin() {
  if (DEV_SIGNIN) return go(`/pages/dev/index?${query({ redirect: currentUrl() })}`)
  Taro.showModal({ title: '请在微信中使用', content: '请在微信里打开「幸福+码」小程序后再操作。', showCancel: false })
}

export const STORAGE = {
  contact: 'xf.contact', // last phone/name used on the order form
  accountPhone: 'xf.accountPhone', // the phone the account has (user.me): prefills the order form when this device has none
  lastGrid: 'xf.lastGrid', // last grid resolved on the scan landing
  catalogue: 'xf.catalogue', // last service catalogue, shown at once on a weak network
  privacy: 'xf.privacy', // the version of 用户隐私保护指引 this device agreed to
  devUser: 'xf.devUser', // H5 only: who is signed in on the local runtime
  draft: (gridCode: string, serviceId: string) => `xf.draft.${gridCode}.${serviceId}`,
  confirmDraft: (orderId: string) => `xf.confirm.${orderId}`, // stars/comment/reason typed on an order detail
  showcaseDraft: (orderId: string) => `xf.showcase.${orderId}`, // story + uploaded photos of a showcase
  patrolDraft: 'xf.patrol', // 随手拍 being written: the text, the uploaded photos, its requestId
  lastVillage: 'xf.lastVillage', // the village of the last grid, for the showcase feed
  roles: 'xf.roles', // the roles this user held when last asked (entries to the workbenches)
  care: 'xf.care', // 长辈模式 chosen on this device: 'on' | 'off' (absent: not asked yet)
}

export function load<T>(key: string): T | null {
  try {
    const v = Taro.getStorageSync(key)
    return v === '' || v === undefined || v === null ? null : (v as T)
  } catch {
    return null
  }
}

export function save(key: string, value: unknown) {
  try {
    if (value === null || value === undefined) Taro.removeStorageSync(key)
    else Taro.setStorageSync(key, value)
  } catch {
    /* storage full or unavailable: not worth bothering the user */
  }
}
