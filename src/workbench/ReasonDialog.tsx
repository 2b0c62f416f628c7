import { useEffect, useState } from 'react'
import { Textarea, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import { errorMessage } from '@/api'
import './shared.scss'

type Props = {
  /** e.g. 驳回诉求 */
  title: string
  /** what happens, in plain words: shown above the reason so the dialog is the confirmation */
  warning: string
  /** the submit button, e.g. 确认驳回 */
  confirmText: string
  placeholder?: string
  /** reject with an Error/ApiError to keep the dialog open and show the message */
  onSubmit: (reason: string) => Promise<void>
  onClose: () => void
}

/**
 * A required reason (2–200 characters) with the consequence spelled out: the
 * dialog is the confirmation. Ids: reason-input, btn-reason-submit.
 */
export default function ReasonDialog({ title, warning, confirmText, placeholder, onSubmit, onClose }: Props) {
  const [reason, setReason] = useState('')
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  useEffect(() => setError(''), [reason])

  const submit = async () => {
    const r = reason.trim()
    if (r.length < 2) return setError('请填写原因（至少2个字）')
    if (r.length > 200) return setError('原因不能超过200字')
    setBusy(true)
    try {
      await onSubmit(r)
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <View className='xs-mask' catchMove onClick={() => !busy && onClose()}>
      <View className='xs-dialog' onClick={(e) => e.stopPropagation()}>
        <View className='xs-dialog__title'>{title}</View>
        <View className='xs-dialog__warn'>{warning}</View>
        <View className='xs-dialog__label'>原因（必填）</View>
        <View className='xs-dialog__box xf-input-fill'>
          <Textarea
            id='reason-input'
            className='xs-dialog__input'
            value={reason}
            maxlength={200}
            placeholder={placeholder || '请写明原因，村民会看到'}
            onInput={(e) => setReason(e.detail.value)}
          />
        </View>
        <View className='xs-dialog__count'>{reason.trim().length}/200</View>
        {!!error && (
          <View id='reason-error' className='xs-dialog__error'>
            {error}
          </View>
        )}
        <View className='xs-dialog__actions'>
          <Btn type='default' onClick={onClose} disabled={busy}>
            取消
          </Btn>
          <Btn id='btn-reason-submit' type='primary' onClick={submit} disabled={busy}>
            {busy ? '正在提交…' : confirmText}
          </Btn>
        </View>
      </View>
    </View>
  )
}
