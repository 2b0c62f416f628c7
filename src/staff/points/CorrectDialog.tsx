import { useEffect, useState } from 'react'
import { Input, Textarea, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import { errorMessage } from '@/api'
import type { PointEntryView } from '@/core/api'
import { monthLabel } from '@/core/points'
import '@/workbench/shared.scss'

/**
 * 同意并更正: the correcting points (added as a new entry, the original stays) and the
 * answer the volunteer reads. Ids: correct-sign-plus, correct-sign-minus, correct-points,
 * reason-input, btn-reason-submit, reason-error (as in ReasonDialog).
 */
export default function CorrectDialog(p: { entry: PointEntryView; onSubmit: (points: number, reason: string) => Promise<void>; onClose: () => void }) {
  const { entry } = p
  const [sign, setSign] = useState<1 | -1>(1)
  const [amount, setAmount] = useState('')
  const [reason, setReason] = useState('')
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  useEffect(() => setError(''), [sign, amount, reason])

  const submit = async () => {
    const n = Number(amount.trim())
    if (!amount.trim() || !Number.isInteger(n) || n <= 0) return setError('请填写更正的分值（正整数，补加或扣减在前面选）')
    // the server's bound, said in Chinese here (its own message for it is zod's)
    if (n > 100) return setError('更正分值最多100分')
    if (reason.trim().length < 2) return setError('请填写处理意见（至少2个字）')
    setBusy(true)
    try {
      await p.onSubmit(sign * n, reason.trim())
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <View className='xs-mask' catchMove onClick={() => !busy && p.onClose()}>
      <View className='xs-dialog' onClick={(e) => e.stopPropagation()}>
        <View className='xs-dialog__title'>同意并更正</View>
        <View className='xs-dialog__warn'>
          给{entry.userName}新增一条更正积分，计入{monthLabel(entry.month)}；原来的记录「{entry.title}」保留不变。志愿者会看到处理意见。
        </View>
        <View className='xs-dialog__label'>更正分值（必填）</View>
        <View className='xs-dialog__choices'>
          <View id='correct-sign-plus' className={`xw-chip${sign === 1 ? ' xw-chip--on' : ''}`} onClick={() => setSign(1)}>
            补加
          </View>
          <View id='correct-sign-minus' className={`xw-chip${sign === -1 ? ' xw-chip--on' : ''}`} onClick={() => setSign(-1)}>
            扣减
          </View>
          <Input
            id='correct-points'
            className='xf-form__input xf-input-fill pts-num'
            type='number'
            value={amount}
            maxlength={3}
            placeholder='分值'
            onInput={(e) => setAmount(e.detail.value)}
          />
          <View className='pts-unit'>分</View>
        </View>
        <View className='xs-dialog__label'>处理意见（必填）</View>
        <View className='xs-dialog__box xf-input-fill'>
          <Textarea
            id='reason-input'
            className='xs-dialog__input'
            value={reason}
            maxlength={200}
            placeholder='例如：核实后按实际服务2小时补记'
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
          <Btn type='default' onClick={p.onClose} disabled={busy}>
            取消
          </Btn>
          <Btn id='btn-reason-submit' type='primary' onClick={submit} disabled={busy}>
            {busy ? '正在提交…' : '确认更正'}
          </Btn>
        </View>
      </View>
    </View>
  )
}
