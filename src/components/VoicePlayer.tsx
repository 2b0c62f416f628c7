import { useEffect, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { View } from '@tarojs/components'
import './voice.scss'

/**
 * Play a voice note (Taro's inner audio: WeChat's player, or an HTML Audio in H5). Shows its
 * length and, while playing, how far it got; `data-played` carries the position for tests.
 */
export default function VoicePlayer({ src, seconds, id }: { src: string | null; seconds: number; id?: string }) {
  const [state, setState] = useState<'idle' | 'playing' | 'error'>('idle')
  const [pos, setPos] = useState(0)
  const ctx = useRef<Taro.InnerAudioContext | null>(null)
  useEffect(() => () => ctx.current?.destroy(), [])

  const toggle = () => {
    if (!src) return
    if (state === 'playing') {
      ctx.current?.stop()
      return setState('idle')
    }
    ctx.current?.destroy()
    const a = Taro.createInnerAudioContext()
    ctx.current = a
    a.src = src
    a.onTimeUpdate(() => setPos(a.currentTime))
    a.onEnded(() => setState('idle'))
    a.onError(() => setState('error'))
    setPos(0)
    setState('playing')
    a.play()
  }

  return (
    <View id={id} className='xf-voice__play' hoverClass='xf-pressed' onClick={toggle} data-state={state} data-played={pos.toFixed(2)}>
      {!src ? `语音 ${seconds}″（暂时无法播放）` : state === 'error' ? '语音无法播放，点这里重试' : state === 'playing' ? `■ 停止 ${Math.floor(pos)}″ / ${seconds}″` : `▶ 播放语音 ${seconds}″`}
    </View>
  )
}
