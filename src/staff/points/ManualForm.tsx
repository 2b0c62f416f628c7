import { useState } from 'react'
import Taro from '@tarojs/taro'
import { Input, Text, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import TextField from '@/workbench/TextField'
import { useForm } from '@/components/useForm'
import { call } from '@/api'
import type { PointEntryView, VolunteerView } from '@/core/api'
import { COMMENDATION_LABEL, COMMENDATION_LEVELS, monthLabel, type CommendationLevel } from '@/core/points'
import VolunteerPicker from './VolunteerPicker'
import { signed } from './EntryCard'
import { ask } from '@/workbench/ask'

type Kind = 'points' | 'commendation' | 'hours'
const KINDS: { key: Kind; label: string }[] = [
  { key: 'points', label: '加减分' },
  { key: 'commendation', label: '表彰' },
  { key: 'hours', label: '补录时长' },
]

const who = (v: VolunteerView) => `${v.name}${v.plate ? `（${v.plate}）` : ''}`

/**
 * 人工录入: points either way, a commendation or hours by hand, with a reason. One
 * requestId per entry: a retry after a lost answer is the same entry, never a second one.
 * Ids: manual-volunteer, manual-volunteer-change, manual-kind-<kind>, manual-sign-plus,
 * manual-sign-minus, manual-points, manual-level-<level>, manual-hours, manual-reason,
 * manual-submit, manual-done, manual-restart.
 */
export default function ManualForm() {
  const [volunteer, setVolunteer] = useState<VolunteerView | null>(null)
  const [kind, setKind] = useState<Kind>('points')
  const [sign, setSign] = useState<1 | -1>(1)
  const [amount, setAmount] = useState('')
  const [level, setLevel] = useState<CommendationLevel | null>(null)
  const [hours, setHours] = useState('')
  const [reason, setReason] = useState('')
  // one requestId per entry; after a lost answer (uncertain) new content needs 重新填写
  const form = useForm<'volunteer' | 'value' | 'reason'>({ anchor: 'manual-form-message' })
  const { submitting, uncertain, bad, clear } = form
  const [done, setDone] = useState<PointEntryView | null>(null)

  const err = form.fieldMessage

  const submit = async () => {
    if (submitting) return
    if (!volunteer) return bad('volunteer', '请先选择志愿者')
    const points = sign * Number(amount.trim())
    const h = Number(hours.trim())
    if (kind === 'points' && (!amount.trim() || !Number.isFinite(points))) return bad('value', '请填写加减的分值')
    if (kind === 'commendation' && !level) return bad('value', '请选择表彰级别')
    if (kind === 'hours' && (!hours.trim() || !Number.isFinite(h))) return bad('value', '请填写补录的时长')
    if (reason.trim().length < 2) return bad('reason', '请填写原因（至少2个字）')
    const what =
      kind === 'points'
        ? `给${who(volunteer)}${points >= 0 ? '加' : '扣'} ${Math.abs(points)} 分`
        : kind === 'commendation'
          ? `给${who(volunteer)}记${COMMENDATION_LABEL[level!]}表彰（按积分规则加分）`
          : `给${who(volunteer)}补录 ${h} 小时服务时长`
    if (!(await ask('人工录入', `${what}？录入后记入积分明细，不能撤销。`, '确认录入'))) return
    // on a failure the fields and requestId stay: tapping again is safe
    const entry = await form.send((requestId) =>
      call('points', 'manual', {
        requestId,
        userId: volunteer.id,
        kind,
        reason,
        ...(kind === 'points' ? { points } : kind === 'commendation' ? { level: level! } : { hours: h }),
      }),
    )
    if (!entry) return
    setDone(entry)
    Taro.showToast({ title: '已录入', icon: 'success' })
    // ready for the next one: the same volunteer and kind, a new requestId
    setAmount('')
    setHours('')
    setLevel(null)
    setReason('')
    form.renew()
    Taro.pageScrollTo({ scrollTop: 0, duration: 200 }).catch(() => {})
  }

  return (
    <View className='pts-manual'>
      {done && (
        <View id='manual-done' className='pts-done'>
          <View className='pts-done__title'>
            已录入：{done.userName} · {done.title}
          </View>
          <View className='pts-done__desc'>
            {done.hoursKind ? `${done.hours} 小时服务时长` : `${signed(done.points)} 分`}，计入{monthLabel(done.month)}
          </View>
        </View>
      )}

      <View className='xf-card xf-form'>
        <View className='xf-form__label' id='f-volunteer'>
          志愿者<Text className='xf-form__req'>（必填）</Text>
        </View>
        {volunteer ? (
          <View id='manual-volunteer' className='xf-form__chosen'>
            <View>
              <View className='xf-form__chosen-name'>{who(volunteer)}</View>
              <View className='pts-vols__desc'>
                {volunteer.villageName} · {volunteer.gridName}
              </View>
            </View>
            <View id='manual-volunteer-change' className='xf-form__change' hoverClass='xf-pressed' onClick={() => setVolunteer(null)}>
              更换
            </View>
          </View>
        ) : (
          <VolunteerPicker
            bad={!!form.errorOf('volunteer')}
            onPick={(v) => {
              setVolunteer(v)
              clear('volunteer')
            }}
          />
        )}
        {err('volunteer')}

        <View className='xf-form__label'>录入类型</View>
        <View className='xf-form__chips'>
          {KINDS.map((k) => (
            <View
              key={k.key}
              id={`manual-kind-${k.key}`}
              className={`xf-form__chip${kind === k.key ? ' xf-form__chip--on' : ''}`}
              onClick={() => {
                setKind(k.key)
                clear('value')
              }}
            >
              {k.label}
            </View>
          ))}
        </View>

        <View className='xf-form__label' id='f-value'>
          {kind === 'points' ? '分值' : kind === 'commendation' ? '表彰级别' : '服务时长'}
          <Text className='xf-form__req'>（必填）</Text>
        </View>
        {kind === 'points' && (
          <View className='pts-inline'>
            <View id='manual-sign-plus' className={`xf-form__chip pts-inline__chip${sign === 1 ? ' xf-form__chip--on' : ''}`} onClick={() => setSign(1)}>
              加分
            </View>
            <View id='manual-sign-minus' className={`xf-form__chip pts-inline__chip${sign === -1 ? ' xf-form__chip--on' : ''}`} onClick={() => setSign(-1)}>
              扣分
            </View>
            <Input
              id='manual-points'
              className={`xf-form__input xf-input-fill pts-num${form.errorOf('value') ? ' xf-form__bad' : ''}`}
              type='number'
              value={amount}
              maxlength={3}
              placeholder='1–100'
              onInput={(e) => {
                setAmount(e.detail.value)
                clear('value')
              }}
            />
            <Text className='pts-unit'>分</Text>
          </View>
        )}
        {kind === 'commendation' && (
          <>
            <View className='xf-form__chips'>
              {COMMENDATION_LEVELS.map((l) => (
                <View
                  key={l}
                  id={`manual-level-${l}`}
                  className={`xf-form__chip${level === l ? ' xf-form__chip--on' : ''}`}
                  onClick={() => {
                    setLevel(l)
                    clear('value')
                  }}
                >
                  {COMMENDATION_LABEL[l]}
                </View>
              ))}
            </View>
            <View className='xf-form__tip'>加多少分按本县积分规则里这一级表彰的分值。</View>
          </>
        )}
        {kind === 'hours' && (
          <>
            <View className='pts-inline'>
              <Input
                id='manual-hours'
                className={`xf-form__input xf-input-fill pts-num${form.errorOf('value') ? ' xf-form__bad' : ''}`}
                type='digit'
                value={hours}
                maxlength={4}
                placeholder='如 2.5'
                onInput={(e) => {
                  setHours(e.detail.value)
                  clear('value')
                }}
              />
              <Text className='pts-unit'>小时</Text>
            </View>
            <View className='xf-form__tip'>补录的时长记为「人工补录」，不计积分。</View>
          </>
        )}
        {err('value')}

        <TextField
          name='reason'
          id='manual-reason'
          label='原因'
          required
          value={reason}
          onChange={(v) => {
            setReason(v)
            clear('reason')
          }}
          error={form.errorOf('reason')}
          placeholder='写明事由，志愿者会看到，如：参加防汛值守'
          maxlength={200}
          multiline
        />
      </View>

      {form.formMessage()}

      <View className='xf-actions'>
        <Btn id='manual-submit' type='primary' disabled={submitting} onClick={submit}>
          {submitting ? '正在录入…' : '录入'}
        </Btn>
        {uncertain && !submitting ? (
          <View className='xf-form__retry-tip'>
            上次录入可能已经成功：内容不变再点「录入」不会重复记分；如需改内容，请点「重新填写」
            <Text id='manual-restart' className='xf-link pts-restart' onClick={form.restart}>
              重新填写
            </Text>
          </View>
        ) : (
          !!form.submitError && !submitting && <View className='xf-form__retry-tip'>填的内容都还在，再点一次「录入」不会重复记分。</View>
        )}
      </View>
    </View>
  )
}
