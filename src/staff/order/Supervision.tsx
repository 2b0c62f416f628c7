import { useState } from 'react'
import Taro from '@tarojs/taro'
import { View } from '@tarojs/components'
import Btn from '@/components/Btn'
import Fact from '@/components/Fact'
import { call, errorMessage } from '@/api'
import type { MeView, OrderView } from '@/core/api'
import { TRANSITIONS, type OrderState } from '@/core/order'
import { ROLE_LABEL, STAFF_RANK, type Role, type StaffRole } from '@/core/schemas'
import { EXTENSION_LABEL, MAX_EXTENSION_DAYS, MAX_EXTENSIONS, REPLY_WITHIN_LABEL, responsibleLevel, SUPERVISION_LABEL, UNANSWERED, type ReplyWithin } from '@/core/supervision'
import { STAGE_LABEL } from '@/core/timeliness'
import { formatTime } from '@/core/time'
import DueChip from '@/workbench/DueChip'
import ReasonDialog from '@/workbench/ReasonDialog'

const can = (action: keyof typeof TRANSITIONS, s: OrderState) => ((TRANSITIONS[action].from ?? []) as readonly OrderState[]).includes(s)
const rankOf = (r: Role) => (r in STAFF_RANK ? STAFF_RANK[r as StaffRole] : 0)

type Dialog = 'supervise' | 'answer' | 'extend' | 'refuse' | 'recall' | 'notFixed' | null
const REPLY_CHOICES = (Object.keys(REPLY_WITHIN_LABEL) as ReplyWithin[]).map((key) => ({ key, label: REPLY_WITHIN_LABEL[key] }))
const DAY_CHOICES = Array.from({ length: MAX_EXTENSION_DAYS }, (_, i) => ({ key: String(i + 1), label: `${i + 1}个工作日` }))

/**
 * Keeping an order moving, on the staff order page: its clock (due time, 正常/即将超时/已超时),
 * the latest 督办 and extension request, and the actions 督办 / 答复督办 / 申请延期 /
 * 同意·不同意延期 / 收回 / 电话回访 for whoever may take them (the server decides anyway).
 */
export default function Supervision({ order, me, onOrder }: { order: OrderView; me: MeView | null; onOrder: (o: OrderView) => void }) {
  const [dialog, setDialog] = useState<Dialog>(null)
  const [busy, setBusy] = useState(false)
  const s = order.status
  const myRank = Math.max(0, ...(me?.roles ?? []).map((r) => rankOf(r.role)))
  const sup = order.supervision
  const ext = order.extension
  const clock = order.clock

  /** Send one action; its answer replaces the order shown. Thrown errors stay in the open dialog. */
  const send = async (fn: () => Promise<OrderView>, done: string) => {
    onOrder(await fn())
    setDialog(null)
    Taro.showToast({ title: done, icon: 'success' })
  }
  const tap = async (confirm: string, fn: () => Promise<OrderView>, done: string) => {
    const ok = await Taro.showModal({ title: '请确认', content: confirm, confirmText: '确定', cancelText: '取消' })
      .then((r) => r.confirm)
      .catch(() => false)
    if (!ok) return
    setBusy(true)
    try {
      await send(fn, done)
    } catch (e) {
      Taro.showModal({ title: '操作没有成功', content: errorMessage(e), showCancel: false })
    } finally {
      setBusy(false)
    }
  }

  // the same rules as the server's (core/supervision.ts); it decides anyway
  const holds = (r: StaffRole) => (me?.roles ?? []).some((g) => g.role === r)
  const responsible = responsibleLevel(s)
  const unanswered = !!sup && UNANSWERED.includes(sup.status)
  const canSupervise = myRank > STAFF_RANK[responsible] && can('supervise', s) && !unanswered
  const canAnswer = unanswered && holds(sup!.to) && sup!.byName !== me?.name && can('answerSupervision', s)
  const canExtend = holds(responsible) && can('requestExtension', s) && ext?.status !== 'pending' && (order.extensionsUsed ?? 0) < MAX_EXTENSIONS
  const canDecide = !!ext && ext.status === 'pending' && myRank > STAFF_RANK[ext.role] && ext.byName !== me?.name && can('approveExtension', s)
  const canRecall = myRank > 0 && myRank < STAFF_RANK.county && can('recall', s)
  const canFollowUp = myRank > 0 && myRank < STAFF_RANK.county && can('followUpFixed', s)
  const id = order.id

  return (
    <>
      {clock && (
        <View id='staff-order-clock' className='xf-card'>
          <View className='xf-row'>
            <View className='sorder__sub'>办理时限</View>
            <DueChip id='staff-order-due' clock={clock} />
          </View>
          <Fact label='当前环节' value={`${STAGE_LABEL[clock.stage]} · ${clock.holder}`} />
          <Fact label={clock.stage === 'confirm' ? '回访时间' : '应完成于'} value={formatTime(clock.dueAt)} />
          {clock.limitText && <Fact label='环节时限' value={clock.limitText} />}
          {(order.extensionsUsed ?? 0) > 0 && <Fact label='已延期' value={`${order.extensionsUsed}/${MAX_EXTENSIONS}次`} />}
        </View>
      )}

      {sup && (
        <View id='staff-order-supervision' className='xf-card sorder__sup'>
          <View className='xf-row'>
            <View className='sorder__sub'>督办</View>
            <View id='supervision-status' className={`sorder__sup-status sorder__sup-status--${sup.status}`}>
              {SUPERVISION_LABEL[sup.status]}
            </View>
          </View>
          <View className='sorder__desc'>{sup.instruction}</View>
          <Fact label='督办人' value={`${sup.byName}（${ROLE_LABEL[sup.role]}）`} />
          <Fact label='督办时间' value={formatTime(sup.at)} />
          <Fact label='答复期限' value={formatTime(sup.replyBy)} />
          {sup.reply && (
            <View id='supervision-reply' className='sorder__reply'>
              <View className='sorder__reply-title'>
                办理情况（{sup.reply.byName}，{formatTime(sup.reply.at)}）
              </View>
              <View>{sup.reply.text}</View>
            </View>
          )}
        </View>
      )}

      {ext && (
        <View id='staff-order-extension' className='xf-card'>
          <View className='xf-row'>
            <View className='sorder__sub'>延期申请</View>
            <View className='xf-muted'>{EXTENSION_LABEL[ext.status]}</View>
          </View>
          <Fact label='申请人' value={`${ext.byName}（${ROLE_LABEL[ext.role]}）`} />
          <Fact label='延期' value={`${ext.workdays}个工作日`} />
          <Fact label='原因' value={ext.reason} />
          {ext.decision && <Fact label='审批' value={`${ext.decision.byName} ${formatTime(ext.decision.at)}${ext.decision.reason ? `：${ext.decision.reason}` : ''}`} />}
          {canDecide && (
            <View className='sorder__main sorder__gap'>
              <Btn
                id='btn-approve-extension'
                type='primary'
                disabled={busy}
                onClick={() => tap(`同意延期${ext.workdays}个工作日？新的时限会告诉村民。`, () => call('order', 'decideExtension', { id, approve: true }), '已同意延期')}
              >
                同意延期
              </Btn>
              <Btn id='btn-refuse-extension' type='default' disabled={busy} onClick={() => setDialog('refuse')}>
                不同意
              </Btn>
            </View>
          )}
        </View>
      )}

      {(canSupervise || canAnswer || canExtend || canRecall || canFollowUp) && (
        <View className='xf-card sorder__actions'>
          {canFollowUp && (
            <>
              <View className='xf-hint'>村民还没有确认。电话回访后，替村民记录结果：</View>
              <View className='sorder__main sorder__gap'>
                <Btn
                  id='btn-followup-fixed'
                  type='primary'
                  disabled={busy}
                  onClick={() => tap('村民在电话里确认已经解决了？', () => call('order', 'followUp', { id, fixed: true, note: '电话回访，村民确认已解决' }), '已记录')}
                >
                  回访：已解决
                </Btn>
                <Btn id='btn-followup-notfixed' type='default' disabled={busy} onClick={() => setDialog('notFixed')}>
                  回访：未解决
                </Btn>
              </View>
            </>
          )}
          <View className='sorder__more'>
            {canAnswer && (
              <Btn id='btn-answer-supervision' size='small' type='primary' disabled={busy} onClick={() => setDialog('answer')}>
                答复督办
              </Btn>
            )}
            {canSupervise && (
              <Btn id='btn-supervise' size='small' type='default' disabled={busy} onClick={() => setDialog('supervise')}>
                督办
              </Btn>
            )}
            {canExtend && (
              <Btn id='btn-extend' size='small' type='default' disabled={busy} onClick={() => setDialog('extend')}>
                申请延期
              </Btn>
            )}
            {canRecall && (
              <Btn id='btn-recall' size='small' type='default' disabled={busy} onClick={() => setDialog('recall')}>
                收回
              </Btn>
            )}
          </View>
        </View>
      )}

      {dialog === 'supervise' && (
        <ReasonDialog
          title='督办'
          warning={`${order.status === 'escalated' ? order.townshipName + '实践所' : order.villageName + '实践站'}须在期限内答复办理情况；超期未答复会自动上报。`}
          choice={{ label: '答复期限', options: REPLY_CHOICES }}
          textLabel='督办要求'
          placeholder='例如：群众反映强烈，请今天安排志愿者上门'
          minLength={4}
          confirmText='发出督办'
          onSubmit={(instruction, replyWithin) => send(() => call('order', 'supervise', { id, instruction, replyWithin }), '已督办')}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'extend' && (
        <ReasonDialog
          title='申请延期'
          warning={`由上一级审批；每单最多延期${MAX_EXTENSIONS}次（已用${order.extensionsUsed ?? 0}次），每次最多${MAX_EXTENSION_DAYS}个工作日。`}
          choice={{ label: '延期天数', options: DAY_CHOICES }}
          textLabel='延期原因'
          placeholder='例如：需要等配件，预计周五到货'
          confirmText='提交申请'
          onSubmit={(reason, days) => send(() => call('order', 'requestExtension', { id, workdays: Number(days), reason }), '已提交申请')}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'answer' && (
        <ReasonDialog
          title='答复督办'
          warning={`督办要求：${sup?.instruction ?? ''}`}
          textLabel='办理情况'
          minLength={4}
          maxLength={300}
          confirmText='提交答复'
          placeholder='写明办理情况，例如：已安排志愿者今天下午上门'
          onSubmit={(reply) => send(() => call('order', 'answerSupervision', { id, reply }), '已答复')}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'refuse' && (
        <ReasonDialog
          title='不同意延期'
          warning='办理时限不变，申请人会看到原因。'
          confirmText='确认不同意'
          placeholder='例如：请先改派给其他志愿者'
          onSubmit={(reason) => send(() => call('order', 'decideExtension', { id, approve: false, reason }), '已答复申请')}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'recall' && (
        <ReasonDialog
          title='收回诉求'
          warning={`从志愿者${order.assignee?.name ?? ''}手里收回，诉求回到待派单，志愿者会收到通知。`}
          confirmText='确认收回'
          placeholder='例如：志愿者联系不上'
          onSubmit={(reason) => send(() => call('order', 'recall', { id, reason }), '已收回')}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'notFixed' && (
        <ReasonDialog
          title='回访：未解决'
          warning='诉求会重新打开，回到待派单。'
          confirmText='确认未解决'
          placeholder='村民反映的情况，例如：灯还是不亮'
          onSubmit={(reason) => send(() => call('order', 'followUp', { id, fixed: false, reason }), '已重新打开')}
          onClose={() => setDialog(null)}
        />
      )}
    </>
  )
}
