import { useEffect, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Text, Textarea, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import PageState from '@/components/PageState'
import { Completion, OrderFacts, OrderHead } from '@/components/OrderFacts'
import { call, errorMessage } from '@/api'
import { askNotices, prepareNotices } from '@/api/notices'
import { MAX_PHOTOS } from '@/api/upload'
import PhotoPicker, { usePhotos } from '@/workbench/PhotoPicker'
import type { OrderView } from '@/core/api'
import { HOURS_KIND_LABEL } from '@/core/points'
import { TAKEN_MESSAGE } from '@/core/order'
import { formatTime } from '@/core/time'
import { back, decode, errorCode } from '@/components/util'
import ReasonDialog from '@/workbench/ReasonDialog'
import DueChip from '@/workbench/DueChip'
import Timeline from '@/components/Timeline'
import './index.scss'
import { useOrder } from '@/components/useOrder'
import Fact from '@/components/Fact'
import { StaleNotice } from '@/components/PagedList'
import ArrivalDialog, { type ArrivalProof } from './ArrivalDialog'

/** How the arrival was verified, in the volunteer's words. */
const ARRIVAL_LABEL: Record<NonNullable<OrderView['arrival']>['method'], string> = {
  villager: '已核验（村民核验码）',
  signboard: '已核验（网格标识牌）',
  none: '未核验',
}

const RETURN_TEXT = {
  decline: { title: '拒单', warning: '拒单后任务退回文明实践站重新派单，请说明原因。', confirmText: '确认拒单', placeholder: '例如：今天在外地，赶不回来', done: '已拒单' },
  handBack: { title: '退单', warning: '退单后任务退回文明实践站重新派单，村民会被告知正在重新安排。到达签到后就不能退单了。', confirmText: '确认退单', placeholder: '例如：临时有事，今天去不了', done: '已退单' },
}

export default function VolunteerOrder() {
  const { params } = useRouter()
  const id = decode(params.id)
  const { order, setOrder, error, refresh } = useOrder(id, '没有找到这个任务，请从“我的任务”里打开')
  /** a failed action, in plain words, shown above the actions (e.g. 已被其他志愿者接单) */
  const [notice, setNotice] = useState('')
  const [busy, setBusy] = useState(false)
  /** the reason dialog open: 拒单 (before accepting) or 退单 (accepted, before arriving) */
  const [returning, setReturning] = useState<'decline' | 'handBack' | null>(null)
  const [completing, setCompleting] = useState(false)
  /** the 到达签到 dialog open */
  const [arriving, setArriving] = useState(false)
  const [note, setNote] = useState('')
  const photos = usePhotos()
  const [formError, setFormError] = useState('')
  /** the order moved out of reach (taken by someone else, withdrawn): no more actions here */
  const [gone, setGone] = useState(false)

  const run = async (fn: () => Promise<OrderView>, done: string) => {
    setBusy(true)
    setNotice('')
    try {
      setOrder(await fn())
      Taro.showToast({ title: done, icon: 'success' })
      return true
    } catch (e) {
      const msg = errorMessage(e)
      setNotice(msg)
      // the order may have moved on (taken by someone else, withdrawn): show where it is now; if it cannot be read any more, stop offering actions
      const readable = await refresh(true)
      if (readable === false || msg.includes(TAKEN_MESSAGE)) setGone(true)
      return false
    } finally {
      setBusy(false)
    }
  }

  useEffect(prepareNotices, [])
  const accept = () => {
    // consent to the task's notices (withdrawn, reminders, deadline): WeChat asks only from the tap itself
    askNotices('accept')
    return order && run(() => call('order', 'accept', { id: order.id }), '接单成功')
  }
  /** From the dialog: a wrong or expired code keeps it open with the message; anything else may mean the order moved on. */
  const checkIn = async (proof: ArrivalProof) => {
    if (!order) return
    try {
      setOrder(await call('order', 'checkIn', { id: order.id, ...proof }))
    } catch (e) {
      if (errorCode(e) !== 'VALIDATION') {
        setNotice(errorMessage(e))
        const readable = await refresh(true)
        if (readable === false || errorMessage(e).includes(TAKEN_MESSAGE)) setGone(true)
      }
      throw e
    }
    setArriving(false)
    setNotice('')
    Taro.showToast({ title: '已签到', icon: 'success' })
  }

  const submitComplete = async () => {
    if (!order || busy) return
    const text = note.trim()
    if (text.length < 2) return setFormError('请简单说明服务情况（至少2个字）')
    if (text.length > 500) return setFormError('说明不能超过500字')
    if (photos.busy) return setFormError('照片还在上传，请稍等')
    if (photos.failed) return setFormError(`有${photos.failed}张照片没有传上去，请点照片重试或删掉`)
    setFormError('')
    const ok = await Taro.showModal({
      title: '完成服务',
      content: photos.uploaded.length ? `提交服务说明和${photos.uploaded.length}张照片，请村民确认？` : '没有上传照片，确定提交完成？',
      confirmText: '确定',
      cancelText: '取消',
    })
      .then((r) => r.confirm)
      .catch(() => false)
    if (!ok) return
    const done = await run(() => call('order', 'complete', { id: order.id, note: text, photos: photos.uploaded }), '已提交完成')
    if (done) {
      setCompleting(false)
      setNote('')
      photos.clear()
    }
  }

  const s = gone ? undefined : order?.status
  const canAccept = s === 'dispatched' || s === 'pooled'
  const canDecline = s === 'dispatched'
  const canCheckIn = s === 'accepted'
  const canHandBack = s === 'accepted'
  const canComplete = s === 'accepted' || s === 'in_service'

  return (
    <View className='xf-page vorder'>
      {!!error && order && <StaleNotice error={error} />}
      <PageState loading={!order && !error} error={!order ? error : null} onRetry={id ? () => refresh() : undefined}>
        {order && (
          <>
            <OrderHead
              order={order}
              statusId='vol-order-status'
              status={
                // out of reach, the last state read (e.g. 抢单中) is stale: say why it is no longer theirs
                gone ? (
                  <Text id='vol-order-status' className='xf-tag xf-tag--end xf-tag--big'>
                    {notice.includes(TAKEN_MESSAGE) ? '已被他人接单' : '已不归您办理'}
                  </Text>
                ) : undefined
              }
            >
              {order.clock && (s === 'dispatched' || s === 'pooled' || s === 'accepted' || s === 'in_service') && (
                <View className='vorder__due'>
                  <DueChip id='vol-order-due' clock={order.clock} />
                </View>
              )}
            </OrderHead>

            {/* the number is masked until they accept (the server's rule) */}
            <OrderFacts order={order} place='village' phoneId='vol-order-phone' maskedNote='（接单后显示完整号码）'>
              {order.arrival && <Fact label='到达签到' value={`${formatTime(order.arrival.at)} · ${ARRIVAL_LABEL[order.arrival.method]}`} />}
            </OrderFacts>

            {!!notice && (
              <View id='vol-order-error' className='vorder__notice'>
                {notice}
                {gone && <View className='vorder__notice-sub'>这个任务已不归您办理，请回到任务列表看看其他任务。</View>}
              </View>
            )}
            {gone && (
              <View className='xf-actions'>
                <Btn id='btn-back-tasks' type='default' onClick={() => back('/volunteer/tasks/index')}>
                  返回我的任务
                </Btn>
              </View>
            )}

            {(canAccept || canCheckIn || canComplete) && (
              <View className='xf-actions'>
                {canAccept && (
                  <Btn id='btn-accept' type='primary' disabled={busy} onClick={accept}>
                    {busy ? '正在接单…' : s === 'pooled' ? '抢单' : '接单'}
                  </Btn>
                )}
                {canDecline && (
                  <Btn id='btn-decline' type='default' disabled={busy} onClick={() => setReturning('decline')}>
                    拒单
                  </Btn>
                )}
                {canCheckIn && (
                  <Btn id='btn-checkin' type='primary' disabled={busy} onClick={() => setArriving(true)}>
                    到达签到
                  </Btn>
                )}
                {canComplete && !completing && (
                  <Btn id='btn-complete' type={canCheckIn ? 'default' : 'primary'} disabled={busy} onClick={() => setCompleting(true)}>
                    完成服务
                  </Btn>
                )}
                {canHandBack && !completing && (
                  <Btn id='btn-handback' type='default' disabled={busy} onClick={() => setReturning('handBack')}>
                    退单
                  </Btn>
                )}
              </View>
            )}

            {canComplete && completing && (
              <View className='xf-card vorder__form'>
                <View className='vorder__sub'>完成服务</View>
                <View className='vorder__label2'>服务情况（必填）</View>
                <View className='vorder__box xf-input-fill'>
                  <Textarea
                    id='complete-note'
                    className='vorder__input'
                    value={note}
                    maxlength={500}
                    placeholder='例如：换了灯泡和开关，已恢复照明'
                    onInput={(e) => {
                      setNote(e.detail.value)
                      setFormError('')
                    }}
                  />
                </View>
                <View className='vorder__label2'>
                  现场照片（选填，最多{MAX_PHOTOS}张，已选{photos.photos.length}张）
                </View>
                <PhotoPicker photos={photos} addId='complete-add-photo' addText='添加照片' />
                {!!formError && <View className='vorder__notice'>{formError}</View>}
                <View className='vorder__form-actions'>
                  <Btn type='default' disabled={busy} onClick={() => setCompleting(false)}>
                    先不提交
                  </Btn>
                  <Btn id='btn-complete-submit' type='primary' disabled={busy || photos.busy > 0} onClick={submitComplete}>
                    {busy ? '正在提交…' : '提交完成'}
                  </Btn>
                </View>
              </View>
            )}

            {order.completion && (
              <Completion completion={order.completion} title='服务记录'>
                {order.completion.hours != null && (
                  <View id='vol-order-hours' className='vorder__hours'>
                    {order.completion.hours || order.arrival
                      ? `服务时长：${order.completion.hours} 小时（${HOURS_KIND_LABEL[order.completion.verified ? 'verified' : 'unverified']}）`
                      : '没有到达签到，不计服务时长'}
                  </View>
                )}
              </Completion>
            )}

            <View className='xf-h2'>办理进度</View>
            <Timeline id='vol-order-history' history={order.history} />
          </>
        )}
      </PageState>

      {arriving && canCheckIn && <ArrivalDialog onSubmit={checkIn} onClose={() => setArriving(false)} />}

      {returning && order && (
        <ReasonDialog
          {...RETURN_TEXT[returning]}
          onSubmit={async (reason) => {
            const next = await call('order', returning, { id: order.id, reason })
            setOrder(next)
            setReturning(null)
            setNotice('')
            Taro.showToast({ title: RETURN_TEXT[returning].done, icon: 'success' })
          }}
          onClose={() => setReturning(null)}
        />
      )}
    </View>
  )
}
