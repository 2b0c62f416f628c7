import { useEffect, useState, type ReactNode } from 'react'
import { Textarea, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import { errorMessage } from '@/api'
import './shared.scss'

type Props<K extends string> = {
  /** e.g. 驳回诉求 */
  title: string
  /** what happens, in plain words: shown above the reason so the dialog is the confirmation */
  warning: string
  /** the submit button, e.g. 确认驳回 */
  confirmText: string
  placeholder?: string
  /** the text's name (default 原因), its minimum and maximum length (default 2–200) */
  textLabel?: string
  minLength?: number
  maxLength?: number
  /** one of these must be picked first (督办: the reply deadline; 延期: the days) */
  choice?: { label: string; options: readonly { key: K; label: string }[] }
  /** more fields above the text (e.g. 更正分值) and what is missing in them (null: nothing) */
  fields?: ReactNode
  checkFields?: () => string | null
  /** reject with an Error/ApiError to keep the dialog open and show the message */
  onSubmit: (text: string, choice: K) => Promise<void>
  onClose: () => void
}

/**
 * A required reason with the consequence spelled out (the dialog is the confirmation),
 * optionally after a required choice. Ids: reason-input, btn-reason-submit, choice-<key>, reason-error.
 */
export default function ReasonDialog<K extends string = string>(p: Props<K>) {
  const { title, warning, confirmText, placeholder, choice } = p
  const what = p.textLabel ?? '原因'
  const min = p.minLength ?? 2
  const max = p.maxLength ?? 200
  const [reason, setReason] = useState('')
  const [picked, setPicked] = useState<K | null>(null)
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  useEffect(() => setError(''), [reason, picked])

  const submit = async () => {
    if (choice && !picked) return setError(`请选择${choice.label}`)
    const missing = p.checkFields?.()
    if (missing) return setError(missing)
    const r = reason.trim()
    if (r.length < min) return setError(`请填写${what}（至少${min}个字）`)
    if (r.length > max) return setError(`${what}不能超过${max}字`)
    setBusy(true)
    try {
      await p.onSubmit(r, picked as K)
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <View className='xs-mask' catchMove onClick={() => !busy && p.onClose()}>
      <View className='xs-dialog' onClick={(e) => e.stopPropagation()}>
        <View className='xs-dialog__title'>{title}</View>
        <View className='xs-dialog__warn'>{warning}</View>
        {choice && (
          <>
            <View className='xs-dialog__label'>{choice.label}（必选）</View>
            <View className='xs-dialog__choices'>
              {choice.options.map((c) => (
                <View key={c.key} id={`choice-${c.key}`} className={`xw-chip${picked === c.key ? ' xw-chip--on' : ''}`} onClick={() => setPicked(c.key)}>
                  {c.label}
                </View>
              ))}
            </View>
          </>
        )}
        {p.fields}
        <View className='xs-dialog__label'>{what}（必填）</View>
        <View className='xs-dialog__box xf-input-fill'>
          <Textarea
            id='reason-input'
            className='xs-dialog__input'
            value={reason}
            maxlength={max}
            placeholder={placeholder || '请写明原因，村民会看到'}
            onInput={(e) => setReason(e.detail.value)}
          />
        </View>
        <View className='xs-dialog__count'>
          {reason.trim().length}/{max}
        </View>
        {!!error && (
          <View id='reason-error' className='xs-dialog__error'>
            {error}
          </View>
        )}
        <View className='xs-dialog__actions'>
          <Btn type='default' onClick={p.onClose} disabled={busy}>
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
