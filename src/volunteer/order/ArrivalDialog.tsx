import { useState } from 'react'
import Taro from '@tarojs/taro'
import { Input, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import { errorMessage } from '@/api'
import { codeFromLaunchParams } from '@/core/grid'
import { gridCodeSchema } from '@/core/schemas'
import { arrivalCodeSchema } from '@/core/points'
import { IS_H5 } from '@/components/util'
import '@/workbench/shared.scss'
import './arrivalDialog.scss'

/** What proves the volunteer is at the door: the villager's 6-digit code, the signboard's grid code, or nothing (unverified). */
export type ArrivalProof = { arrivalCode?: string; gridCode?: string }

/**
 * What a scanned QR holds: the villager's arrival code (6 digits), or the grid code of a
 * signboard — a mini-program code's path (…?scene=XF010101, the scene may be `g=…`), the
 * H5 scan URL (…?code=XF010101) or a bare code. Null when it is neither.
 */
function proofFromScan(text: string): ArrivalProof | null {
  const t = text.trim()
  if (/^\d{6}$/.test(t)) return { arrivalCode: t }
  const m = /[?&](code|scene|g)=([^&#]*)/.exec(t)
  const grid = gridCodeSchema.safeParse(m ? codeFromLaunchParams({ [m[1] === 'scene' ? 'scene' : 'code']: m[2] }) : t)
  return grid.success ? { gridCode: grid.data } : null
}

/**
 * 到达签到 with on-site verification: the villager's arrival code typed (or scanned in
 * WeChat, as can be the grid's signboard), or, when that is impossible, an unverified
 * check-in after a warning. `onSubmit` rejects to keep the dialog open with the message.
 * Ids: arrival-code-input, arrival-confirm, arrival-scan (weapp), arrival-skip, arrival-cancel, arrival-error.
 */
export default function ArrivalDialog(p: { onSubmit: (proof: ArrivalProof) => Promise<void>; onClose: () => void }) {
  const [code, setCode] = useState('')
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)

  const send = async (proof: ArrivalProof) => {
    setBusy(true)
    setError('')
    try {
      await p.onSubmit(proof)
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  const confirm = () => {
    if (busy) return
    const r = arrivalCodeSchema.safeParse(code)
    if (!r.success) return setError(r.error.issues[0]?.message || '核验码是6位数字')
    send({ arrivalCode: r.data })
  }

  const scan = () => {
    if (busy) return
    Taro.scanCode({})
      .then((res) => {
        const proof = proofFromScan(res.path || res.result || '')
        if (!proof) return setError('没有认出这个二维码，请扫村民出示的核验码，或本网格标识牌上的二维码')
        if (proof.arrivalCode) setCode(proof.arrivalCode)
        send(proof)
      })
      .catch(() => {
        /* cancelled */
      })
  }

  const skip = async () => {
    if (busy) return
    const ok = await Taro.showModal({
      title: '直接签到',
      content: '未核验的签到，服务时长将记为未核验（不计时长积分，也不列入志愿服务记录证明）。确定直接签到吗？',
      confirmText: '确定',
      cancelText: '取消',
    })
      .then((r) => r.confirm)
      .catch(() => false)
    if (ok) send({})
  }

  return (
    <View className='xs-mask' catchMove onClick={() => !busy && p.onClose()}>
      <View className='xs-dialog varrive' onClick={(e) => e.stopPropagation()}>
        <View className='xs-dialog__title'>到达签到</View>
        <View className='varrive__tip'>请村民打开订单页面出示到场核验码，输入6位数字</View>
        <Input
          id='arrival-code-input'
          className='varrive__input xf-input-fill'
          type='number'
          maxlength={6}
          value={code}
          placeholder='6位数字'
          onInput={(e) => {
            setCode(e.detail.value.replace(/\D/g, '').slice(0, 6))
            setError('')
          }}
          onConfirm={confirm}
        />
        {!!error && (
          <View id='arrival-error' className='xs-dialog__error'>
            {error}
          </View>
        )}
        <View className='varrive__actions'>
          <Btn id='arrival-confirm' type='primary' disabled={busy} onClick={confirm}>
            {busy ? '正在签到…' : '确认签到'}
          </Btn>
          {!IS_H5 && (
            <Btn id='arrival-scan' type='outline' disabled={busy} onClick={scan}>
              扫码（核验码或网格标识牌）
            </Btn>
          )}
          <Btn id='arrival-skip' type='default' disabled={busy} onClick={skip}>
            无法核验，直接签到
          </Btn>
          <Btn id='arrival-cancel' type='default' disabled={busy} onClick={p.onClose}>
            取消
          </Btn>
        </View>
      </View>
    </View>
  )
}
