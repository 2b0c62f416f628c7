import { useEffect, useRef, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Image, Input, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import ErrorBox from '@/components/ErrorBox'
import { Loading } from '@/components/PageState'
import { call } from '@/api'
import type { VerifyView } from '@/core/api'
import { plateSchema } from '@/core/volunteer'
import { IS_H5, decode } from '@/components/util'
import './index.scss'

const RESULT: Record<VerifyView['result'], { mark: string; title: string }> = {
  verified: { mark: '✓', title: '已认证志愿者' },
  invalid: { mark: '✗', title: '无效' },
  suspended: { mark: '!', title: '已暂停' },
  expired: { mark: '⏱', title: '已过期' },
}

/** The badge token from a scanned badge QR (…verify/index?t=…), or null when it is not one. */
function tokenFromScan(text: string): string | null {
  const m = /[?&]t=([^&#]+)/.exec(text)
  return m ? decode(m[1]) : null
}

type Query = { token: string } | { plate: string }

export default function Verify() {
  const { params } = useRouter()
  const [plate, setPlate] = useState('')
  const [plateError, setPlateError] = useState('')
  const [result, setResult] = useState<VerifyView | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [checking, setChecking] = useState(false)
  const [last, setLast] = useState<Query | null>(null)
  const seq = useRef(0)

  const check = (q: Query) => {
    const mine = ++seq.current
    setLast(q)
    setChecking(true)
    setError(null)
    setResult(null)
    call('volunteer', 'verify', q)
      .then(
        (r) => mine === seq.current && setResult(r),
        (e) => mine === seq.current && setError(e),
      )
      .then(() => mine === seq.current && setChecking(false))
  }

  useEffect(() => {
    const t = decode(params.t).trim()
    if (t) check({ token: t })
  }, [])

  const checkPlate = () => {
    const r = plateSchema.safeParse(plate)
    if (!r.success) return setPlateError(r.error.issues[0]?.message || '号牌格式不正确')
    setPlateError('')
    check({ plate: r.data })
  }

  const scan = () => {
    Taro.scanCode({})
      .then((res) => {
        const text = (res.path || res.result || '').trim()
        const token = tokenFromScan(text)
        if (token) return check({ token })
        const p = plateSchema.safeParse(text)
        if (p.success) {
          setPlate(p.data)
          return check({ plate: p.data })
        }
        setPlateError('没有认出这个二维码，请扫描志愿者胸牌上的二维码')
      })
      .catch(() => {
        /* cancelled */
      })
  }

  const meta = result ? RESULT[result.result] : null
  const place = result ? [result.townshipName, result.villageName].filter(Boolean).join(' · ') : ''

  return (
    <View className='xf-page vfy'>
      {checking && <Loading text='正在核验…' />}
      {!!error && !checking && <ErrorBox error={error} onRetry={last ? () => check(last) : undefined} />}

      {result && meta && (
        <View id='v-result' className={`vfy__result vfy__result--${result.result}`}>
          <View className='vfy__verdict'>
            <View className='vfy__mark'>{meta.mark}</View>
            <View id='v-verdict' className='vfy__title'>
              {meta.title}
            </View>
          </View>
          <View id='v-message' className='vfy__message'>
            {result.message}
          </View>
          {(result.name || result.plate) && (
            <View className='vfy__who'>
              {result.photoUrl && <Image className='vfy__photo' src={result.photoUrl} mode='aspectFill' />}
              <View className='vfy__facts'>
                {result.name && (
                  <View id='v-name' className='vfy__name'>
                    {result.name}
                  </View>
                )}
                {result.plate && (
                  <View id='v-plate-no' className='vfy__plate'>
                    {result.plate}
                  </View>
                )}
                {result.teamName && <View className='vfy__line'>{result.teamName}</View>}
                {result.gridName && <View className='vfy__line'>{result.gridName}</View>}
                {place && <View className='vfy__line vfy__line--small'>{place}</View>}
              </View>
            </View>
          )}
        </View>
      )}

      <View className='xf-card xf-form'>
        <View className='xf-form__label'>核验志愿者身份</View>
        <View className='xf-muted vfy__intro'>请志愿者出示胸牌上的二维码，或者输入胸牌上的号牌。</View>
        {!IS_H5 && (
          <View className='vfy__scan'>
            <Btn id='v-scan' type='primary' onClick={scan}>
              扫码核验
            </Btn>
          </View>
        )}
        <Input
          id='v-plate'
          className={`xf-form__input xf-input-fill vfy__input${plateError ? ' xf-form__bad' : ''}`}
          value={plate}
          maxlength={12}
          placeholder='号牌，如 XF01-0217'
          confirmType='search'
          onInput={(e) => {
            setPlate(e.detail.value.toUpperCase())
            if (plateError) setPlateError('')
          }}
          onConfirm={checkPlate}
        />
        {plateError && (
          <View id='error-message' className='xf-form__error'>
            {plateError}
          </View>
        )}
        <View className='xf-actions'>
          <Btn id='v-submit' type={IS_H5 ? 'primary' : 'outline'} disabled={checking} onClick={checkPlate}>
            按号牌核验
          </Btn>
        </View>
      </View>
    </View>
  )
}
