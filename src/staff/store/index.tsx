import { useState } from 'react'
import Taro from '@tarojs/taro'
import { Input, Text, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import ErrorBox from '@/components/ErrorBox'
import Fact from '@/components/Fact'
import { ApiError, call, errorMessage } from '@/api'
import type { RedemptionView } from '@/core/api'
import { formatCode, normaliseCode, REDEMPTION_LABEL } from '@/core/points'
import { formatTime } from '@/core/time'
import { IS_H5 } from '@/components/util'
import './index.scss'

const TONE = { issued: 'work', collected: 'done', expired: 'end' } as const

/**
 * 兑换核销 (store keeper): type or scan the volunteer's code, see what it is for, hand the
 * item over once. Ids: handover-code, handover-scan (weapp), handover-lookup,
 * handover-result, handover-state, handover-confirm, handover-done, handover-next.
 */
export default function Handover() {
  const [code, setCode] = useState('')
  const [found, setFound] = useState<RedemptionView | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState<'' | 'lookup' | 'handover'>('')
  const [done, setDone] = useState(false)

  const lookup = async (text = code) => {
    if (busy) return
    setError(null)
    setDone(false)
    if (!normaliseCode(text)) return setError(new ApiError('VALIDATION', '请输入兑换码'))
    setBusy('lookup')
    try {
      setFound(await call('store', 'lookup', { code: text }))
    } catch (e) {
      setFound(null)
      setError(e)
    } finally {
      setBusy('')
    }
  }

  const scan = () => {
    Taro.scanCode({ onlyFromCamera: false, scanType: ['qrCode', 'barCode'] }).then(
      (res) => {
        const c = normaliseCode(res.result || '')
        const shown = c.length === 8 ? formatCode(c) : c
        setCode(shown)
        lookup(shown)
      },
      () => {
        /* cancelled */
      },
    )
  }

  const handover = async () => {
    if (!found || busy) return
    const ok = await Taro.showModal({
      title: '确认发放',
      content: `把「${found.itemName}」交给${found.userName}${found.plate ? `（${found.plate}）` : ''}？确认后兑换码作废，不能撤销。`,
      confirmText: '确认发放',
      cancelText: '取消',
    })
      .then((r) => r.confirm)
      .catch(() => false)
    if (!ok) return
    setBusy('handover')
    try {
      setFound(await call('store', 'handover', { code: found.code }))
      setDone(true)
      Taro.showToast({ title: '已发放', icon: 'success' })
    } catch (e) {
      Taro.showModal({ title: '发放没有成功', content: errorMessage(e), showCancel: false })
      // already collected or expired meanwhile: show it as it is now
      call('store', 'lookup', { code: found.code }).then(setFound, () => {})
    } finally {
      setBusy('')
    }
  }

  const next = () => {
    setCode('')
    setFound(null)
    setDone(false)
    setError(null)
  }

  const expired = !!found && found.state === 'issued' && Date.now() >= found.expiresAt

  return (
    <View className='xf-page handover'>
      <View className='xf-card xf-form'>
        <View className='xf-form__label'>兑换码</View>
        <View className='handover__row'>
          <Input
            id='handover-code'
            className='xf-form__input xf-input-fill handover__code'
            value={code}
            maxlength={12}
            placeholder='如 7K3M-Q9XA'
            confirmType='search'
            onInput={(e) => {
              setCode(e.detail.value.toUpperCase())
              if (found) setFound(null)
              setDone(false)
            }}
            onConfirm={() => lookup()}
          />
          {!IS_H5 && (
            <View id='handover-scan' className='handover__scan' hoverClass='xf-pressed' onClick={scan}>
              扫码
            </View>
          )}
        </View>
        <View className='xf-form__tip'>请志愿者打开「我的兑换」出示兑换码，字母不分大小写。</View>
        <View className='xf-actions'>
          <Btn id='handover-lookup' type={found ? 'default' : 'primary'} disabled={!!busy} onClick={() => lookup()}>
            {busy === 'lookup' ? '正在查询…' : '查询'}
          </Btn>
        </View>
      </View>

      {!!error && <ErrorBox error={error} />}

      {done && found && (
        <View id='handover-done' className='handover__done'>
          <View className='handover__done-title'>已发放</View>
          <View className='handover__done-desc'>
            「{found.itemName}」已交给{found.userName}
          </View>
        </View>
      )}

      {found && (
        <View id='handover-result' className='xf-card'>
          <View className='handover__top'>
            <View className='handover__item'>{found.itemName}</View>
            <Text id='handover-state' className={`xf-tag xf-tag--big xf-tag--${expired ? 'end' : TONE[found.state]}`}>
              {expired ? '已过期' : REDEMPTION_LABEL[found.state]}
            </Text>
          </View>
          <Fact label='兑换码' value={found.code} />
          <Fact label='志愿者' value={`${found.userName}${found.plate ? `（${found.plate}）` : ''}`} />
          <Fact label='所需积分' value={`${found.price} 分`} />
          <Fact label='领取地点' value={found.place} />
          <Fact label='兑换时间' value={formatTime(found.createdAt)} />
          {/* expiresAt is the first minute after the quarter: the last minute it is good for reads better */}
          <Fact label='有效期至' value={formatTime(found.expiresAt - 60_000)} />
          {found.collectedAt && <Fact label='领取时间' value={`${formatTime(found.collectedAt)}${found.collectedBy ? ` · ${found.collectedBy}发放` : ''}`} />}
          {expired && <View className='handover__warn'>已过有效期，积分会退回志愿者，不能再发放。</View>}
          {found.state === 'issued' && !expired && (
            <View className='xf-actions'>
              <Btn id='handover-confirm' type='primary' disabled={!!busy} onClick={handover}>
                {busy === 'handover' ? '正在发放…' : '确认发放'}
              </Btn>
            </View>
          )}
        </View>
      )}

      {found && (done || found.state !== 'issued' || expired) && (
        <View className='xf-actions'>
          <Btn id='handover-next' onClick={next}>
            核销下一个
          </Btn>
        </View>
      )}
    </View>
  )
}
