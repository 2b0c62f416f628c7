import { useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import { Text, Textarea, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import ErrorBox from '@/components/ErrorBox'
import { call } from '@/api'
import { askNotices, prepareNotices } from '@/api/notices'
import type { OrderView } from '@/core/api'
import { STORAGE, load, save } from '@/components/util'

// The villager's actions on an order detail: withdraw it, and confirm (评) a completed one.

const STAR_WORDS = ['', '很不满意', '不太满意', '一般', '满意', '非常满意']
const RATING_STATUS: Record<string, string> = { pending: '待审核', approved: '已通过', rejected: '未通过' }

/** 取消诉求: a button, then a confirm step with an optional reason (nothing happens on the first tap). */
export function CancelPanel({ order, onDone }: { order: OrderView; onDone: (o: OrderView) => void }) {
  const [open, setOpen] = useState(false)
  const [reason, setReason] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)

  // promise chains rather than async/await: the transpiled state machines cost main-package bytes
  const submit = () => {
    if (busy) return
    setBusy(true)
    setError(null)
    const r = reason.trim()
    call('order', 'cancel', r ? { id: order.id, reason: r } : { id: order.id })
      .then((o) => {
        setOpen(false)
        onDone(o)
        Taro.showToast({ title: '已取消', icon: 'success' })
      }, setError)
      .then(() => setBusy(false))
  }

  if (!open)
    return (
      <View className='xf-actions'>
        <Btn id='btn-cancel' type='default' onClick={() => setOpen(true)}>
          取消诉求
        </Btn>
      </View>
    )
  return (
    <View className='xf-card act act--warn' id='cancel-panel'>
      <View className='act__title'>确定要取消这条诉求吗？</View>
      <View className='xf-muted'>取消后就不再安排志愿者了。</View>
      <View className='act__label'>
        取消原因<Text className='xf-form__opt'>（可不填）</Text>
      </View>
      <Textarea
        id='cancel-reason'
        className='xf-form__textarea xf-input-fill'
        value={reason}
        maxlength={200}
        placeholder='如：问题已经自己解决了'
        onInput={(e) => setReason(e.detail.value)}
      />
      {!!error && <ErrorBox error={error} />}
      <View className='act__buttons'>
        <Btn id='btn-cancel-confirm' type='primary' disabled={busy} onClick={submit}>
          {busy ? '正在取消…' : '确定'}
        </Btn>
        <Btn id='btn-cancel-back' type='default' onClick={() => setOpen(false)}>
          不取消了
        </Btn>
      </View>
    </View>
  )
}

type ConfirmDraft = { fixed: boolean | null; stars: number; comment: string; reason: string }

/**
 * 评: the volunteer says it is done. 「已解决」 with 1–5 stars and a comment, or
 * 「没解决」 with a reason (the order goes back to the station). What is typed is
 * kept on the device until it is accepted by the server.
 */
export function ConfirmPanel({ order, onDone }: { order: OrderView; onDone: (o: OrderView) => void }) {
  const key = STORAGE.confirmDraft(order.id)
  const [draft, setDraft] = useState<ConfirmDraft>(() => load<ConfirmDraft>(key) || { fixed: null, stars: 0, comment: '', reason: '' })
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<{ error: unknown; message?: string } | null>(null)
  const set = (patch: Partial<ConfirmDraft>) => {
    setDraft((d) => ({ ...d, ...patch }))
    setError(null)
  }

  useEffect(() => {
    save(key, draft.fixed === null ? null : draft)
  }, [draft])
  useEffect(prepareNotices, [])

  const submit = () => {
    if (busy) return
    if (draft.fixed === null) return setError({ error: null, message: '请先选择「已解决」或「没解决」' })
    if (draft.fixed && !draft.stars) return setError({ error: null, message: '请点星星打分（1到5颗星）' })
    if (!draft.fixed && draft.reason.trim().length < 2) return setError({ error: null, message: '请写明哪里没解决（至少2个字）' })
    // consent to hear how the rating is reviewed: WeChat asks only from the tap itself
    askNotices('confirm')
    setBusy(true)
    setError(null)
    const fixed = draft.fixed
    call(
      'order',
      'confirm',
      fixed ? { id: order.id, fixed, stars: draft.stars, comment: draft.comment.trim() } : { id: order.id, fixed, reason: draft.reason.trim() },
    )
      .then(
        (o) => {
          save(key, null)
          onDone(o)
          Taro.showToast({ title: fixed ? '感谢评价' : '已反馈，会重新安排', icon: 'none' })
        },
        (e) => setError({ error: e }), // the draft stays; tap again when the network is back
      )
      .then(() => setBusy(false))
  }

  return (
    <View className='xf-card act' id='confirm-panel'>
      <View className='act__title'>志愿者说已经办好了，您的问题解决了吗？</View>
      <View className='act__choice'>
        <View
          id='btn-fixed'
          className={`act__pick act__pick--yes${draft.fixed === true ? ' act__pick--on' : ''}`}
          hoverClass='xf-pressed'
          onClick={() => set({ fixed: true })}
        >
          已解决
        </View>
        <View
          id='btn-not-fixed'
          className={`act__pick act__pick--no${draft.fixed === false ? ' act__pick--on' : ''}`}
          hoverClass='xf-pressed'
          onClick={() => set({ fixed: false })}
        >
          没解决
        </View>
      </View>

      {draft.fixed === true && (
        <>
          <View className='act__label'>给这次服务打个分</View>
          <View className='act__stars' id='rating-stars'>
            {[1, 2, 3, 4, 5].map((n) => (
              <View
                key={n}
                id={`star-${n}`}
                className={`act__star${n <= draft.stars ? ' act__star--on' : ''}`}
                onClick={() => set({ stars: n })}
              >
                ★
              </View>
            ))}
          </View>
          <View className='act__star-word'>{draft.stars ? `${draft.stars}星 · ${STAR_WORDS[draft.stars]}` : '点星星打分'}</View>
          <View className='act__label'>
            说几句<Text className='xf-form__opt'>（可不填）</Text>
          </View>
          <Textarea
            id='rating-comment'
            className='xf-form__textarea xf-input-fill'
            value={draft.comment}
            maxlength={300}
            placeholder='如：来得快，修得好'
            onInput={(e) => set({ comment: e.detail.value })}
          />
        </>
      )}

      {draft.fixed === false && (
        <>
          <View className='act__label'>
            哪里还没解决<Text className='xf-form__req'>（必填）</Text>
          </View>
          <Textarea
            id='not-fixed-reason'
            className='xf-form__textarea xf-input-fill'
            value={draft.reason}
            maxlength={200}
            placeholder='如：水管还在漏水'
            onInput={(e) => set({ reason: e.detail.value })}
          />
          <View className='xf-muted act__note'>提交后会重新安排志愿者。</View>
        </>
      )}

      {error && <ErrorBox error={error.error} message={error.message} />}

      {draft.fixed !== null && (
        <View className='act__submit'>
          <Btn id='btn-confirm-submit' type='primary' disabled={busy} onClick={submit}>
            {busy ? '提交中…' : draft.fixed ? '提交评价' : '提交，请重新处理'}
          </Btn>
        </View>
      )}
    </View>
  )
}

/** The villager's rating as given, and whether it has been approved. */
export function RatingCard({ rating }: { rating: NonNullable<OrderView['rating']> }) {
  return (
    <View className='xf-card act' id='rating'>
      <View className='xf-row'>
        <View className='act__title act__title--flat'>我的评价</View>
        <Text id='rating-status' className={`act__status act__status--${rating.status}`}>
          {RATING_STATUS[rating.status] || rating.status}
        </Text>
      </View>
      {rating.fixed && (
        <View className='act__stars act__stars--small'>
          {[1, 2, 3, 4, 5].map((n) => (
            <Text key={n} className={`act__star${n <= rating.stars ? ' act__star--on' : ''}`}>
              ★
            </Text>
          ))}
        </View>
      )}
      {rating.comment && <View className='act__comment'>{rating.comment}</View>}
      {rating.status === 'pending' && <View className='xf-muted'>审核通过后计入志愿者积分。</View>}
      {rating.status === 'rejected' && rating.reason && <View className='act__reason'>未通过原因：{rating.reason}</View>}
    </View>
  )
}
