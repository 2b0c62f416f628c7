import { useCallback, useEffect, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { Tag } from '@nutui/nutui-react-taro'
import Btn from '@/components/Btn'
import PageState, { Loading } from '@/components/PageState'
import ErrorBox from '@/components/ErrorBox'
import { Completion, OrderFacts, OrderHead } from '@/components/OrderFacts'
import { call, errorMessage } from '@/api'
import type { MeView, OrderView, SuggestView } from '@/core/api'
import { TRANSITIONS, type OrderState } from '@/core/order'
import { decode } from '@/components/util'
import ReasonDialog from '@/workbench/ReasonDialog'
import Timeline from '@/components/Timeline'
import './index.scss'
import { useOrder } from '@/components/useOrder'
import { StaleNotice } from '@/components/PagedList'
import Supervision from './Supervision'


/** Why someone is suggested, as short chips: 同网格 / 技能匹配 / 在办N件. */
function whyChips(s: { sameGrid?: boolean; skillMatch?: boolean; load?: number; reasons?: string[] }): string[] {
  const out = [...(s.reasons ?? [])]
  const has = (re: RegExp) => out.some((r) => re.test(r))
  if (s.sameGrid && !has(/网格/)) out.unshift('同网格')
  if (s.skillMatch && !has(/技能|擅长/)) out.push('技能匹配')
  if (typeof s.load === 'number' && !has(/在办|空闲/)) out.push(s.load === 0 ? '当前空闲' : `在办${s.load}件`)
  return out
}

type Mode = 'dispatch' | 'pool' | 'redispatch'
const MODE_TITLE: Record<Mode, string> = { dispatch: '派单：选择志愿者或队伍', pool: '发布抢单：选择队伍', redispatch: '改派：重新选择志愿者或队伍' }

type ReasonAction = 'reject' | 'escalate' | 'refer' | 'close'
const REASON_TEXT: Record<ReasonAction, { title: string; warning: string; confirm: string; placeholder: string }> = {
  reject: { title: '驳回诉求', warning: '驳回后这条诉求即结束，村民会收到驳回原因。', confirm: '确认驳回', placeholder: '例如：请到乡镇便民服务中心办理' },
  escalate: { title: '上报乡镇', warning: '上报后由乡镇实践所处理，本站不能再派单。', confirm: '确认上报', placeholder: '例如：涉及多个村，需要乡镇协调' },
  refer: { title: '转办', warning: '转办表示不属于志愿服务范围，转交其他部门，本单结束。', confirm: '确认转办', placeholder: '例如：已转供电所处理' },
  close: { title: '关闭诉求', warning: '关闭后本单结束（未办理），村民会看到关闭原因。', confirm: '确认关闭', placeholder: '例如：村民已自行解决' },
}

const can = (action: keyof typeof TRANSITIONS, s: OrderState) => ((TRANSITIONS[action].from ?? []) as readonly OrderState[]).includes(s)

export default function StaffOrder() {
  const { params } = useRouter()
  const id = decode(params.id)
  const { order, setOrder, error, refresh } = useOrder(id, '没有找到这条诉求，请从诉求列表里打开')
  const [me, setMe] = useState<MeView | null>(null)
  const [mode, setMode] = useState<Mode | null>(null)
  const [reasonFor, setReasonFor] = useState<ReasonAction | null>(null)
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    call('user', 'me', {})
      .then(setMe)
      .catch(() => {
        /* only decides whether 上报乡镇 shows; the server checks anyway */
      })
  }, [])

  /** Run one action; the returned order replaces the shown one. */
  const run = async (fn: () => Promise<OrderView>, done: string) => {
    setBusy(true)
    try {
      setOrder(await fn())
      setMode(null)
      Taro.showToast({ title: done, icon: 'success' })
    } catch (e) {
      Taro.showModal({ title: '操作没有成功', content: errorMessage(e), showCancel: false })
      refresh()
    } finally {
      setBusy(false)
    }
  }

  const pick = async (target: { volunteerId: string } | { teamId: string }, name: string) => {
    if (!order || !mode || busy) return
    const verb = mode === 'pool' ? `发布到「${name}」的抢单池` : mode === 'redispatch' ? `改派给「${name}」` : `派给「${name}」`
    const ok = await Taro.showModal({ title: '请确认', content: `把这条诉求${verb}？`, confirmText: '确定', cancelText: '取消' })
      .then((r) => r.confirm)
      .catch(() => false)
    if (!ok) return
    if (mode === 'pool' && 'teamId' in target) return run(() => call('order', 'openPool', { id: order.id, teamId: target.teamId }), '已发布抢单')
    if (mode === 'redispatch') return run(() => call('order', 'redispatch', { id: order.id, ...target }), '已改派')
    return run(() => call('order', 'dispatch', { id: order.id, ...target }), '已派单')
  }

  const submitReason = async (action: ReasonAction, reason: string) => {
    if (!order) return
    // errors stay in the dialog (thrown to it)
    const next = await call('order', action, { id: order.id, reason })
    setOrder(next)
    setReasonFor(null)
    Taro.showToast({ title: `已${TRANSITIONS[action].label}`, icon: 'success' })
  }

  const isStation = !me || me.roles.some((r) => r.role === 'station')
  const s = order?.status

  return (
    <View className='xf-page sorder'>
      {!!error && order && <StaleNotice error={error} />}
      <PageState loading={!order && !error} error={!order ? error : null} onRetry={id ? refresh : undefined}>
        {order && s && (
          <>
            <OrderHead
              order={order}
              statusId='staff-order-status'
              badge={
                order.source === 'hotline' ? (
                  <Tag type='warning' className='sorder__hotline'>
                    热线
                  </Tag>
                ) : order.source === 'patrol' ? (
                  <Tag type='primary' className='sorder__hotline'>
                    网格上报
                  </Tag>
                ) : null
              }
            />

            <Supervision order={order} me={me} onOrder={setOrder} />

            <OrderFacts order={order} place='code' phoneId='staff-order-phone' />

            {order.completion && <Completion completion={order.completion} title='完成情况' />}
            {order.rating && (
              <View className='xf-card'>
                <View className='sorder__sub'>
                  村民评价：{order.rating.fixed ? '已解决' : '未解决'} · {'★'.repeat(order.rating.stars)}
                  {'☆'.repeat(5 - order.rating.stars)}
                </View>
                {!!order.rating.comment && <View className='sorder__desc'>{order.rating.comment}</View>}
                <View className='xf-muted'>{{ pending: '待审核', approved: '已审核通过', rejected: '审核未通过' }[order.rating.status]}</View>
              </View>
            )}

            <Actions
              status={s}
              isStation={isStation}
              busy={busy}
              mode={mode}
              onMode={(m) => setMode(mode === m ? null : m)}
              onReason={setReasonFor}
            />

            {mode && <Picker order={order} mode={mode} busy={busy} onPick={pick} onClose={() => setMode(null)} />}

            <View className='xf-h2'>办理进度</View>
            <Timeline id='staff-order-history' history={order.history} />
          </>
        )}
      </PageState>

      {reasonFor && (
        <ReasonDialog
          title={REASON_TEXT[reasonFor].title}
          warning={REASON_TEXT[reasonFor].warning}
          confirmText={REASON_TEXT[reasonFor].confirm}
          placeholder={REASON_TEXT[reasonFor].placeholder}
          onSubmit={(r) => submitReason(reasonFor, r)}
          onClose={() => setReasonFor(null)}
        />
      )}
    </View>
  )
}

function Actions(p: { status: OrderState; isStation: boolean; busy: boolean; mode: Mode | null; onMode: (m: Mode) => void; onReason: (a: ReasonAction) => void }) {
  const s = p.status
  const canDispatch = can('dispatch', s)
  const canRedispatch = can('redispatch', s)
  const reasons = (['reject', 'escalate', 'refer', 'close'] as const).filter((a) => can(a, s) && (a !== 'escalate' || p.isStation))
  if (!canDispatch && !canRedispatch && reasons.length === 0) {
    return <View className='xf-hint sorder__none'>{TERMINAL_HINT[s] || '这条诉求正在由志愿者办理，当前无需操作。'}</View>
  }
  const btnId: Record<ReasonAction, string> = { reject: 'btn-reject', escalate: 'btn-escalate', refer: 'btn-refer', close: 'btn-close' }
  return (
    <View className='xf-card sorder__actions'>
      {s === 'escalated' && <View className='xf-hint'>本诉求由村站上报，请乡镇实践所处理。</View>}
      {canDispatch && (
        <View className='sorder__main'>
          <Btn id='btn-dispatch' type={p.mode === 'dispatch' ? 'outline' : 'primary'} disabled={p.busy} onClick={() => p.onMode('dispatch')}>
            派单
          </Btn>
          <Btn id='btn-pool' type={p.mode === 'pool' ? 'outline' : 'default'} disabled={p.busy} onClick={() => p.onMode('pool')}>
            发布抢单
          </Btn>
        </View>
      )}
      {canRedispatch && (
        <View className='sorder__main'>
          <Btn id='btn-redispatch' type={p.mode === 'redispatch' ? 'outline' : 'primary'} disabled={p.busy} onClick={() => p.onMode('redispatch')}>
            改派
          </Btn>
        </View>
      )}
      {reasons.length > 0 && (
        <View className='sorder__more'>
          {reasons.map((a) => (
            <Btn key={a} id={btnId[a]} size='small' type='default' disabled={p.busy} onClick={() => p.onReason(a)}>
              {TRANSITIONS[a].label}
            </Btn>
          ))}
        </View>
      )}
    </View>
  )
}

const TERMINAL_HINT: Partial<Record<OrderState, string>> = {
  completed: '志愿者已完成服务，等待村民确认。',
  fixed: '村民已确认解决，本单办结。',
  handled: '网格员已就地处置，本单办结。',
  rejected: '本单已驳回。',
  referred: '本单已转办。',
  closed: '本单已关闭。',
  cancelled: '村民已取消本单。',
  unconfirmed: '志愿者已办完，村民超期未确认、回访未联系上，本单已办结（未经村民确认）。',
}

function Picker({ order, mode, busy, onPick, onClose }: { order: OrderView; mode: Mode; busy: boolean; onPick: (t: { volunteerId: string } | { teamId: string }, name: string) => void; onClose: () => void }) {
  const [data, setData] = useState<SuggestView | null>(null)
  const [error, setError] = useState<unknown>(null)
  const load = useCallback(() => {
    setError(null)
    setData(null)
    call('order', 'suggest', { id: order.id })
      .then((r) => {
        setData(r)
        // the list sits below the fold on a phone: bring it into view
        setTimeout(() => Taro.pageScrollTo({ selector: '#suggest-list', duration: 200 }).catch(() => {}), 50)
      })
      .catch(setError)
  }, [order.id])
  useEffect(() => {
    load()
  }, [load])

  const vols = mode === 'pool' ? [] : (data?.volunteers ?? []).filter((v) => v.id !== order.assignee?.id)
  const teams = data?.teams ?? []
  return (
    <View className='xf-card sorder__picker'>
      <View className='xf-row'>
        <View className='sorder__sub'>{MODE_TITLE[mode]}</View>
        <Text className='xf-link' onClick={onClose}>
          收起
        </Text>
      </View>
      {!data && !error && <Loading small text='正在推荐志愿者…' />}
      {!!error && <ErrorBox error={error} onRetry={load} />}
      {data && (
        <View id='suggest-list'>
          {mode !== 'pool' && (
            <>
              <View className='sorder__group'>
                推荐志愿者（同网格、技能匹配、手头任务少的在前）{data.skill ? `· 需要技能：${data.skill}` : ''}
              </View>
              {vols.length === 0 && <View className='xf-muted sorder__empty'>暂无可派的志愿者</View>}
              {vols.map((v) => (
                <View key={v.id} className='sorder__cand' hoverClass='xf-pressed' onClick={() => !busy && onPick({ volunteerId: v.id }, v.name)}>
                  <View className='sorder__cand-main'>
                    <View className='sorder__cand-name'>
                      {v.name}
                      {v.teamName && <Text className='xf-muted'> · {v.teamName}</Text>}
                    </View>
                    <View className='sorder__chips'>
                      {whyChips(v).map((c) => (
                        <Text key={c} className={`sorder__chip${/^在办/.test(c) ? ' sorder__chip--load' : ''}`}>
                          {c}
                        </Text>
                      ))}
                    </View>
                  </View>
                  <Text className='sorder__go'>{mode === 'redispatch' ? '改派' : '派给他'}</Text>
                </View>
              ))}
            </>
          )}
          <View className='sorder__group'>{mode === 'pool' ? '发布到队伍的抢单池，队员谁先接谁办' : '或派给整支队伍（由队长安排）'}</View>
          {teams.length === 0 && <View className='xf-muted sorder__empty'>本区域暂无志愿服务队</View>}
          {teams.map((t) => (
            <View key={t.id} className='sorder__cand' hoverClass='xf-pressed' onClick={() => !busy && onPick({ teamId: t.id }, t.name)}>
              <View className='sorder__cand-main'>
                <View className='sorder__cand-name'>
                  {t.name}
                  <Text className='xf-muted'>
                    {' '}
                    · {t.memberCount}人{t.captainName ? ` · 队长${t.captainName}` : ''}
                  </Text>
                </View>
                <View className='sorder__chips'>
                  {whyChips(t).map((c) => (
                    <Text key={c} className='sorder__chip'>
                      {c}
                    </Text>
                  ))}
                </View>
              </View>
              <Text className='sorder__go'>{mode === 'pool' ? '发布' : '派给队伍'}</Text>
            </View>
          ))}
        </View>
      )}
    </View>
  )
}
