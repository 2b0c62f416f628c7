import { PropsWithChildren } from 'react'
import Taro, { useLaunch } from '@tarojs/taro'
import './app.scss'

declare const CLOUD_ENV: string

export default function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    // In the mini-program every backend call goes through CloudBase; the H5 build talks to the local runtime.
    if (process.env.TARO_ENV === 'weapp') Taro.cloud.init({ env: CLOUD_ENV || undefined, traceUser: true })
  })
  return children
}
