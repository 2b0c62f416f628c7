import { useEffect, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Button, Input, Text, Textarea, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import { call } from '@/api'
import { scrollTo, useForm } from '@/components/useForm'
import { checkFamily, checkPlaceOrder, type VoiceNote } from '@/core/checks'
import VoiceRecorder from '@/components/VoiceRecorder'
import { askNotices, prepareNotices } from '@/api/notices'
import FamilyFields, { type Family } from './family'
import { PRIVACY_VERSION } from '@/core/checks'
import type { ServiceView } from '@/core/api'
import { checkExtras } from '@/core/serviceFields'
import ErrorBox from '@/components/ErrorBox'
import { retryHelps } from '@/core/errors'
import { EmergencyCall, ExtraFields } from '@/components/ExtraFields'
import { IS_H5, STORAGE, back, decode, errorCode, go, load, query, save } from '@/components/util'
import { useCareMode } from '@/components/CareMode'
import './new.scss'

type Field = 'description' | 'contactPhone' | 'contactName' | 'preferredTime' | 'privacyVersion'
const FIELDS: Field[] = ['description', 'contactPhone', 'contactName', 'preferredTime', 'privacyVersion']
type Draft = { requestId: string; description: string; phone: string; name: string; preferredTime: string; extras?: Record<string, string>; family?: Family | null }
type Contact = { phone: string; name: string }

const TIME_CHOICES = ['越快越好', '今天', '明天上午', '明天下午', '这几天都行']

/** The build's mini-program account may use WeChat's phone-number button (a verified, non-personal account; billed per use). */
declare const WX_PHONE: boolean

export default function NewOrder() {
  const { params } = useRouter()
  const gridCode = decode(params.gridCode)
  const serviceId = decode(params.serviceId)
  const serviceName = decode(params.serviceName)
  const gridName = decode(params.gridName)
  const hotline = decode(params.hotline)
  const draftKey = STORAGE.draft(gridCode, serviceId)

  // A draft survives a weak network, a crash or a closed app; it keeps its requestId,
  // so submitting again after a lost answer never places the order twice.
  const [initial] = useState(() => {
    const draft = load<Draft>(draftKey)
    const contact = load<Contact>(STORAGE.contact)
    return {
      requestId: draft?.requestId,
      description: draft?.description || '',
      // the account's (the landing's user.me stored it) when this device has not ordered yet
      phone: draft?.phone || contact?.phone || load<string>(STORAGE.accountPhone) || '',
      name: draft?.name || contact?.name || '',
      preferredTime: draft?.preferredTime || '',
      extras: draft?.extras || {},
      family: draft?.family ?? null,
    }
  })
  const care = useCareMode()
  const form = useForm<Field>({ anchor: 'order-form-message', requestId: initial.requestId })
  const requestId = form.requestId
  const [description, setDescription] = useState(initial.description)
  // 按住说话 (the uploaded note) and 帮家人点单 (null: ordering for oneself)
  const [voice, setVoice] = useState<VoiceNote | null>(null)
  const [family, setFamily] = useState<Family | null>(initial.family)
  const [familyError, setFamilyError] = useState('')
  useEffect(prepareNotices, [])
  const [phone, setPhone] = useState(initial.phone)
  const [name, setName] = useState(initial.name)
  const [preferredTime, setPreferredTime] = useState(initial.preferredTime)
  const [extras, setExtras] = useState(initial.extras)
  const [extraError, setExtraError] = useState<{ key: string; message: string } | null>(null)
  // the service as the live catalogue has it (extra questions, emergency note): the landing's copy, else fetched
  const [service, setService] = useState(() => load<ServiceView[]>(STORAGE.catalogue)?.find((s) => s.id === serviceId) ?? null)
  useEffect(() => {
    if (!service && serviceId)
      call('grid', 'catalogue', {}).then(
        (list) => setService(list.find((s) => s.id === serviceId) ?? null),
        () => {},
      )
  }, [service, serviceId])
  // consent is asked before the phone number is sent, and remembered per version of the text
  const [agreed, setAgreed] = useState(() => load<string>(STORAGE.privacy) === PRIVACY_VERSION)
  const toggleConsent = () => {
    const next = !agreed
    setAgreed(next)
    save(STORAGE.privacy, next ? PRIVACY_VERSION : null)
    form.clear('privacyVersion')
  }
  // no phone known on this device (opened without the landing): one user.me for the account's, never over a typed one
  useEffect(() => {
    if (initial.phone) return
    call('user', 'me', {}).then(
      (me) => {
        if (!me.phone) return
        save(STORAGE.accountPhone, me.phone)
        setPhone((typed) => typed || me.phone || '')
      },
      () => {},
    )
  }, [initial.phone])
  // weapp: the phone WeChat vouches for, one tap (the code is exchanged by the user function)
  const wxPhone = (code: string | undefined) => {
    if (!code) return // declined, or the account may not use it: the field stays as it is
    call('user', 'wxPhone', { code }).then(
      (r) => {
        setPhone(r.phone)
        form.clear('contactPhone')
      },
      (e) => form.bad('contactPhone', e instanceof Error ? e.message : '没能取到微信绑定的手机号，请直接填写'),
    )
  }
  // 称呼 and 上门时间 are optional: folded away so that 提交 shows without scrolling (opened by a tap, or by their error)
  const [more, setMore] = useState(false)

  useEffect(() => {
    if (!gridCode || !serviceId || !description.trim()) return
    save(draftKey, { requestId, description, phone, name, preferredTime, extras, family } satisfies Draft)
  }, [description, phone, name, preferredTime, extras, family])

  const changeService = () => back(`/pages/scan/index?${query({ code: gridCode })}`)

  const submit = async () => {
    if (form.submitting) return
    // WeChat asks for subscription consent only from the tap itself: before anything is awaited
    askNotices('place')
    const fam = family ? checkFamily(family) : null
    setFamilyError(fam && !fam.success ? fam.error.issues[0].message : '')
    if (fam && !fam.success) return scrollTo('#f-family')
    const answers = Object.entries(extras).map(([key, value]) => ({ key, value }))
    const x = checkExtras(service?.fields, answers)
    setExtraError(x.ok ? null : x)
    if (!x.ok) return scrollTo(`#x-${x.key}`)
    const parsed = checkPlaceOrder({
      requestId,
      gridCode,
      serviceId,
      description,
      voice: voice ?? undefined,
      forFamily: fam?.data,
      contactPhone: phone,
      contactName: name.trim() || undefined,
      preferredTime: preferredTime.trim() || undefined,
      privacyVersion: agreed ? PRIVACY_VERSION : undefined,
      extras: x.extras.length ? x.extras.map((e) => ({ key: e.key, value: e.value })) : undefined,
    })
    // gridCode/serviceId/requestId: the link was broken, not the villager's input
    if (!parsed.success) return form.refuse(parsed.error.issues, FIELDS, { other: '没有选好网格或服务，请返回重新扫码选择' })
    save(STORAGE.contact, { phone: parsed.data.contactPhone, name: parsed.data.contactName || '' } satisfies Contact)
    // everything typed stays on a failure; the same requestId goes again on retry
    const order = await form.send(() => call('order', 'place', parsed.data))
    if (!order) return
    save(draftKey, null)
    Taro.redirectTo({ url: `/pages/orders/detail?${query({ id: order.id, placed: 1 })}` })
  }

  const err = form.fieldMessage
  const submitting = form.submitting

  const broken = !gridCode || !serviceId
  const emergency = service?.emergency

  return (
    <View className={`xf-page form${care.cls}`}>
      <View className='xf-card form__service'>
        {/* two lines, no captions: the submit button must stay on the first screen of a 375 × 667 phone */}
        <View className='xf-row'>
          <View>
            <View id='selected-service' className='xf-h1'>
              {serviceName || '（未选择服务）'}
            </View>
            {(gridName || gridCode) && <View className='xf-muted form__grid'>{gridName || gridCode}</View>}
          </View>
          <View className='xf-form__change' hoverClass='xf-pressed' onClick={changeService}>
            换一项
          </View>
        </View>
      </View>

      {broken && (
        <ErrorBox error={null} message='没有选好网格或服务，请返回重新扫码选择' />
      )}

      {emergency && <EmergencyCall name={service.name} emergency={emergency} />}
      {!emergency && (
        <>
          <View className='xf-card'>
            <View className='xf-form__label' id='f-description'>
              需要什么帮助<Text className='xf-form__req'>（必填）</Text>
            </View>
            <Textarea
              className={`xf-form__textarea xf-input-fill${form.errorOf('description') ? ' xf-form__bad' : ''}`}
              value={description}
              maxlength={500}
              placeholder='请说说是什么事、在哪里，比如：家里水管漏水，在村东头第三户'
              onInput={(e) => {
                setDescription(e.detail.value)
                form.clear('description')
              }}
            />
            {description.trim().length > 400 && <View className='xf-form__count'>{description.trim().length}/500</View>}
            {err('description')}
            <VoiceRecorder onChange={setVoice} />

            {!!service?.fields?.length && (
              <ExtraFields
                fields={service.fields}
                values={extras}
                error={extraError}
                onChange={(v) => {
                  setExtras(v)
                  setExtraError(null)
                }}
              />
            )}

            <View className='xf-form__label' id='f-contactPhone'>
              联系电话<Text className='xf-form__req'>（必填）</Text>
            </View>
            <Input
              className={`xf-form__input xf-input-fill${form.errorOf('contactPhone') ? ' xf-form__bad' : ''}`}
              type='number'
              value={phone}
              maxlength={13}
              placeholder='手机号或座机号'
              onInput={(e) => {
                setPhone(e.detail.value)
                form.clear('contactPhone')
              }}
            />
            {!IS_H5 && WX_PHONE && (
              <Button className='form__wx-phone' openType='getPhoneNumber' onGetPhoneNumber={(e) => wxPhone(e.detail.code)}>
                用微信绑定的手机号
              </Button>
            )}
            {err('contactPhone')}

            {!(more || family || familyError || form.errorOf('contactName') || form.errorOf('preferredTime')) ? (
              <View id='more-fields' className='form__more' hoverClass='xf-pressed' onClick={() => setMore(true)}>
                {name || preferredTime ? `${name || ''}${name && preferredTime ? ' · ' : ''}${preferredTime || ''}` : '称呼、上门时间、帮家人点单'}
                <Text className='xf-form__opt'>（可不填）›</Text>
              </View>
            ) : (
            <>
            <FamilyFields
              value={family}
              error={familyError}
              onChange={(v) => {
                setFamily(v)
                setFamilyError('')
              }}
            />
            <View className='xf-form__label' id='f-contactName'>
              怎么称呼您<Text className='xf-form__opt'>（可不填）</Text>
            </View>
            <Input
              className='xf-form__input xf-input-fill'
              value={name}
              maxlength={20}
              placeholder='如：王大爷、李阿姨'
              onInput={(e) => setName(e.detail.value)}
            />
            {err('contactName')}

            <View className='xf-form__label' id='f-preferredTime'>
              希望什么时候来<Text className='xf-form__opt'>（可不填）</Text>
            </View>
            <View className='xf-form__chips'>
              {TIME_CHOICES.map((t) => (
                <View
                  key={t}
                  className={`xf-form__chip${preferredTime === t ? ' xf-form__chip--on' : ''}`}
                  onClick={() => setPreferredTime(preferredTime === t ? '' : t)}
                >
                  {t}
                </View>
              ))}
            </View>
            <Input
              className='xf-form__input xf-input-fill'
              value={preferredTime}
              maxlength={40}
              placeholder='也可以自己写，如：周六下午'
              onInput={(e) => setPreferredTime(e.detail.value)}
            />
            {err('preferredTime')}
            </>
            )}
          </View>

          {/* the whole line agrees (a small box is hard to hit); the guide's title opens the guide instead */}
          <View className='xf-form__consent' id='f-privacyVersion' hoverClass='xf-pressed' onClick={toggleConsent}>
            <View id='privacy-consent' className={`xf-form__check${agreed ? ' xf-form__check--on' : ''}`}>
              {agreed ? '✓' : ''}
            </View>
            <View className='xf-form__consent-text'>
              我已阅读并同意
              <Text
                className='xf-form__link'
                onClick={(e) => {
                  e.stopPropagation()
                  go('/pages/privacy/index')
                }}
              >
                《用户隐私保护指引》
              </Text>
              ，电话只给办这件事的工作人员和志愿者，不会公开。
            </View>
          </View>
          {err('privacyVersion')}

          {form.formMessage(undefined, retryHelps(errorCode(form.submitError)) ? hotline : null)}

          <View className='xf-actions'>
            <Btn id='submit-order' type='primary' disabled={submitting || broken} onClick={submit}>
              {submitting ? '提交中…' : '提交诉求'}
            </Btn>
            {/* only a lost answer is cured by sending again; a refusal (e.g. the grid is out of service) says what to do instead */}
            {!!form.submitError && !submitting && retryHelps(errorCode(form.submitError)) && (
              <View id='retry-tip' className='xf-form__retry-tip'>
                {errorCode(form.submitError) === 'NETWORK' ? '您填的内容都还在，网络好了再点一次“提交诉求”即可。' : '您填的内容都还在，过一会儿再点一次“提交诉求”即可；着急的话请拨打网格热线。'}
              </View>
            )}
          </View>
        </>
      )}
    </View>
  )
}
