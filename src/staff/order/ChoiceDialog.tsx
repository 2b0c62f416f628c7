import { useEffect, useState } from 'react'
import { Textarea, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import { errorMessage } from '@/api'
import '@/workbench/shared.scss'
import './choiceDialog.scss'

type Props<K extends string> = {
  title: string
  /** what happens, in plain words (the dialog is the confirmation) */
  warning: string
  /** e.g. 答复期限 / 延期天数: one must be picked */
  choiceLabel: string
  choices: readonly { key: K; label: string }[]
  textLabel: string
  placeholder: string
  minLength: number
  confirmText: string
  /** reject to keep the dialog open and show the message */
  onSubmit: (choice: K, text: string) => Promise<void>
  onClose: () => void
}

/** A choice plus a required text (督办: deadline + instruction; 延期: days + reason). Ids: choice-<key>, choice-text, btn-choice-submit. */
export default function ChoiceDialog<K extends string>(p: Props<K>) {
  const [choice, setChoice] = useState<K | null>(null)
  const [text, setText] = useState('')
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  useEffect(() => setError(''), [text, choice])

  const submit = async () => {
    if (!choice) return setError(`请选择${p.choiceLabel}`)
    const t = text.trim()
    if (t.length < p.minLength) return setError(`请填写${p.textLabel}（至少${p.minLength}个字）`)
    setBusy(true)
    try {
      await p.onSubmit(choice, t)
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <View className='xs-mask' catchMove onClick={() => !busy && p.onClose()}>
      <View className='xs-dialog' onClick={(e) => e.stopPropagation()}>
        <View className='xs-dialog__title'>{p.title}</View>
        <View className='xs-dialog__warn'>{p.warning}</View>
        <View className='xs-dialog__label'>{p.choiceLabel}（必选）</View>
        <View className='xc-choices'>
          {p.choices.map((c) => (
            <View key={c.key} id={`choice-${c.key}`} className={`xc-choice${choice === c.key ? ' xc-choice--on' : ''}`} onClick={() => setChoice(c.key)}>
              {c.label}
            </View>
          ))}
        </View>
        <View className='xs-dialog__label'>{p.textLabel}（必填）</View>
        <View className='xs-dialog__box xf-input-fill'>
          <Textarea id='choice-text' className='xs-dialog__input' value={text} maxlength={300} placeholder={p.placeholder} onInput={(e) => setText(e.detail.value)} />
        </View>
        {!!error && (
          <View id='choice-error' className='xs-dialog__error'>
            {error}
          </View>
        )}
        <View className='xs-dialog__actions'>
          <Btn type='default' onClick={p.onClose} disabled={busy}>
            取消
          </Btn>
          <Btn id='btn-choice-submit' type='primary' onClick={submit} disabled={busy}>
            {busy ? '正在提交…' : p.confirmText}
          </Btn>
        </View>
      </View>
    </View>
  )
}
