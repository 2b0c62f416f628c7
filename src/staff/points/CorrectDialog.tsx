import { useState } from 'react'
import { Input, View } from '@tarojs/components'
import type { PointEntryView } from '@/core/api'
import { monthLabel } from '@/core/points'
import ReasonDialog from '@/workbench/ReasonDialog'

/**
 * 同意并更正: the correcting points (added as a new entry, the original stays) and the
 * answer the volunteer reads. Ids: correct-sign-plus, correct-sign-minus, correct-points,
 * and ReasonDialog's (reason-input, btn-reason-submit, reason-error).
 */
export default function CorrectDialog(p: { entry: PointEntryView; onSubmit: (points: number, reason: string) => Promise<void>; onClose: () => void }) {
  const { entry } = p
  const [sign, setSign] = useState<1 | -1>(1)
  const [amount, setAmount] = useState('')
  const n = Number(amount.trim())

  const checkFields = () => {
    if (!amount.trim() || !Number.isInteger(n) || n <= 0) return '请填写更正的分值（正整数，补加或扣减在前面选）'
    // the server's bound, said in Chinese here (its own message for it is zod's)
    return n > 100 ? '更正分值最多100分' : null
  }

  return (
    <ReasonDialog
      title='同意并更正'
      warning={`给${entry.userName}新增一条更正积分，计入${monthLabel(entry.month)}；原来的记录「${entry.title}」保留不变。志愿者会看到处理意见。`}
      confirmText='确认更正'
      textLabel='处理意见'
      placeholder='例如：核实后按实际服务2小时补记'
      checkFields={checkFields}
      fields={
        <>
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
        </>
      }
      onSubmit={(reason) => p.onSubmit(sign * n, reason)}
      onClose={p.onClose}
    />
  )
}
