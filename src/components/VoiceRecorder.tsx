import { useEffect, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { View } from '@tarojs/components'
import { uploadVoice } from '@/api/upload'
import { VOICE_MAX_SECONDS, type VoiceNote } from '@/core/checks'
import VoicePlayer from './VoicePlayer'
import './voice.scss'

/** What was recorded, before and after its upload. */
type Take = { seconds: number; blob?: Blob; filePath?: string; url: string; fileId?: string; failed?: boolean }
/** A recording under way: H5 MediaRecorder, or the mini-program's recorder (one per app). */
type Session = { started: number; stop: () => void; cancelled?: boolean }

const MIN_MS = 800

/**
 * 按住说话: hold the button to record a voice note (up to 60 s), let go to stop; it is then
 * uploaded under the villager's own prefix and can be replayed or deleted before the order is
 * sent. `onChange` gets the uploaded note, or null while there is none (or it is uploading).
 * weapp: Taro.getRecorderManager (mp3); H5: getUserMedia + MediaRecorder (WebM / Ogg).
 */
export default function VoiceRecorder({ onChange }: { onChange: (v: VoiceNote | null) => void }) {
  const [take, setTake] = useState<Take | null>(null)
  const [elapsed, setElapsed] = useState<number | null>(null)
  const [tip, setTip] = useState('')
  const session = useRef<Session | null>(null)

  useEffect(() => {
    if (elapsed === null) return
    const t = setTimeout(() => {
      const s = session.current
      if (!s) return
      const secs = Math.floor((Date.now() - s.started) / 1000)
      if (secs >= VOICE_MAX_SECONDS) s.stop()
      else setElapsed(secs)
    }, 250)
    return () => clearTimeout(t)
  }, [elapsed])

  const finish = (started: number, rec: { blob?: Blob; filePath?: string }) => {
    session.current = null
    setElapsed(null)
    const ms = Date.now() - started
    if (ms < MIN_MS) return setTip('说话时间太短，请按住按钮再说')
    const seconds = Math.min(VOICE_MAX_SECONDS, Math.max(1, Math.round(ms / 1000)))
    const url = rec.blob ? URL.createObjectURL(rec.blob) : rec.filePath!
    send({ seconds, ...rec, url })
  }

  const send = (t: Take) => {
    setTake({ ...t, failed: false })
    onChange(null)
    uploadVoice(t).then(
      (fileId) => {
        setTake((cur) => (cur?.url === t.url ? { ...t, fileId } : cur))
        onChange({ fileId, seconds: t.seconds })
      },
      () => setTake((cur) => (cur?.url === t.url ? { ...t, failed: true } : cur)),
    )
  }

  const start = () => {
    if (session.current || take) return
    setTip('')
    const started = Date.now()
    if (process.env.TARO_ENV === 'weapp') {
      const rm = Taro.getRecorderManager()
      rm.onStop((res) => finish(started, { filePath: res.tempFilePath }))
      rm.onError(() => {
        session.current = null
        setElapsed(null)
        setTip('无法录音，请在设置里允许使用麦克风，或直接打字')
      })
      rm.start({ duration: VOICE_MAX_SECONDS * 1000, format: 'mp3', sampleRate: 16000, numberOfChannels: 1, encodeBitRate: 48000 })
      session.current = { started, stop: () => rm.stop() }
      setElapsed(0)
      return
    }
    const s: Session = { started, stop: () => (s.cancelled = true) }
    session.current = s
    setElapsed(0)
    const media = typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined
    if (!media?.getUserMedia || typeof MediaRecorder === 'undefined') {
      session.current = null
      setElapsed(null)
      return setTip('这个浏览器不能录音，请直接打字')
    }
    media.getUserMedia({ audio: true }).then(
      (stream) => {
        const type = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus'].find((t) => MediaRecorder.isTypeSupported(t))
        const mr = new MediaRecorder(stream, type ? { mimeType: type } : undefined)
        const chunks: Blob[] = []
        mr.ondataavailable = (e) => e.data.size && chunks.push(e.data)
        mr.onstop = () => {
          stream.getTracks().forEach((t) => t.stop())
          finish(started, { blob: new Blob(chunks, { type: mr.mimeType || type || 'audio/webm' }) })
        }
        mr.start()
        s.stop = () => mr.state !== 'inactive' && mr.stop()
        // let go before the microphone opened: stop at once (too short, or the length held)
        if (s.cancelled) s.stop()
      },
      () => {
        session.current = null
        setElapsed(null)
        setTip('无法使用麦克风，请允许使用麦克风，或直接打字')
      },
    )
  }

  const stop = () => session.current?.stop()

  const remove = () => {
    if (take?.blob) URL.revokeObjectURL(take.url)
    setTake(null)
    onChange(null)
  }

  if (take)
    return (
      <View className='xf-voice' id='voice-note'>
        <VoicePlayer src={take.url} seconds={take.seconds} id='voice-mine' />
        {!take.fileId && (
          <View className='xf-voice__state' hoverClass='xf-pressed' onClick={() => take.failed && send(take)}>
            {take.failed ? '上传失败，点这里重试' : '正在上传…'}
          </View>
        )}
        <View id='voice-delete' className='xf-voice__delete' hoverClass='xf-pressed' onClick={remove}>
          删除重录
        </View>
      </View>
    )
  const h5 = process.env.TARO_ENV === 'h5'
  return (
    <View className='xf-voice'>
      <View
        id='voice-hold'
        className={`xf-voice__hold${elapsed !== null ? ' xf-voice__hold--on' : ''}`}
        onTouchStart={start}
        onTouchEnd={stop}
        onTouchCancel={stop}
        {...(h5 ? { onMouseDown: start, onMouseUp: stop, onMouseLeave: stop } : {})}
      >
        {elapsed !== null ? `松开结束 ${elapsed}″ / ${VOICE_MAX_SECONDS}″` : '按住 说话（也可以不打字）'}
      </View>
      {tip && <View className='xf-voice__tip'>{tip}</View>}
    </View>
  )
}
