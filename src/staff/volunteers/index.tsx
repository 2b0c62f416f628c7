import { useState } from 'react'
import Taro from '@tarojs/taro'
import { Image, Text, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import PageState from '@/components/PageState'
import { ListFooter, PAGE, StaleNotice, usePaged } from '@/components/PagedList'
import { photoSrc } from '@/components/Photos'
import { call, errorMessage } from '@/api'
import type { VolunteerView } from '@/core/api'
import { VOLUNTEER_STATUS_LABEL, type VolunteerStatus } from '@/core/volunteer'
import { formatShort } from '@/core/time'
import { callPhone, errorCode } from '@/components/util'
import ReasonDialog from '@/workbench/ReasonDialog'
import './index.scss'
import Tabs from '@/workbench/Tabs'
import { useTabbedList } from '@/workbench/useTabbedList'
import { ask } from '@/workbench/ask'

const TABS: { key: VolunteerStatus; empty: string }[] = [
  { key: 'pending', empty: '没有待审核的志愿者申请' },
  { key: 'approved', empty: '还没有通过审核的志愿者' },
  { key: 'suspended', empty: '没有暂停服务的志愿者' },
  { key: 'rejected', empty: '没有未通过的申请' },
]

/** Registrations of one status, newest first, paged by createdAt; `drop` removes a decided one at once. */
function useVolunteers(status: VolunteerStatus) {
  const { orders: items, setOrders, ...rest } = usePaged<VolunteerView>(
    (before) => call('volunteer', 'list', { status, limit: PAGE, ...(before ? { before } : {}) }),
    (last) => last.createdAt,
  )
  const drop = (id: string) => setOrders((cur) => (cur ? cur.filter((x) => x.id !== id) : cur))
  return { items, drop, ...rest }
}

export default function Volunteers() {
  const [tab, setTab] = useState<VolunteerStatus>('pending')
  const lists = {
    pending: useVolunteers('pending'),
    approved: useVolunteers('approved'),
    suspended: useVolunteers('suspended'),
    rejected: useVolunteers('rejected'),
  }
  const list = lists[tab]
  const [busyId, setBusyId] = useState('')
  const [dialog, setDialog] = useState<{ kind: 'reject' | 'suspend'; v: VolunteerView } | null>(null)

  // back from a detail the items may have moved on: reloaded on show
  useTabbedList(list, tab)

  /** Someone else decided first, or the registration is gone: the list is out of date. */
  const staleAfter = (e: unknown, status: VolunteerStatus) => {
    if (errorCode(e) === 'CONFLICT' || errorCode(e) === 'NOT_FOUND' || errorCode(e) === 'INVALID_TRANSITION') lists[status].refresh()
  }

  const decide = async (v: VolunteerView, action: 'approve' | 'restore') => {
    if (busyId) return
    const ok =
      action === 'approve'
        ? await ask('通过审核', `通过 ${v.name} 的志愿者申请？通过后会分配号牌，并加入所在网格的服务队。`, '确认通过')
        : await ask('恢复服务', `恢复 ${v.name} 的志愿者服务？恢复后他可以继续接单，胸牌亮证显示有效。`, '确认恢复')
    if (!ok) return
    setBusyId(v.id)
    try {
      const r = await call('volunteer', action, { id: v.id })
      lists[v.status].drop(v.id)
      const title = action === 'approve' ? `已通过${r.plate ? `，号牌 ${r.plate}` : ''}` : `已恢复${r.plate ? `，号牌 ${r.plate}` : ''}`
      Taro.showToast({ title, icon: 'none', duration: 2500 })
    } catch (e) {
      Taro.showModal({ title: action === 'approve' ? '审核没有成功' : '恢复没有成功', content: errorMessage(e), showCancel: false })
      staleAfter(e, v.status)
    } finally {
      setBusyId('')
    }
  }

  const { items, error, more, loadingMore } = list
  const meta = TABS.find((t) => t.key === tab)!

  return (
    <View className='xf-page vols'>
      <Tabs tabs={TABS.map((t) => ({ key: t.key, label: VOLUNTEER_STATUS_LABEL[t.key] }))} value={tab} onChange={setTab} />
      {tab === 'pending' && <View className='xf-hint'>请核对姓名、电话和所在网格；通过后自动分配号牌。</View>}

      {!!error && items && <StaleNotice error={error} />}
      <PageState loading={!items && !error} error={!items ? error : null} onRetry={list.refresh} empty={!!items && items.length === 0} emptyText={meta.empty}>
        <View id='vol-list'>
          {items?.map((v) => {
            const src = v.photoUrl ? photoSrc(v.photoUrl) : null
            const busy = busyId === v.id
            return (
              <View key={v.id} className='xf-card vols__item'>
                <View className='vols__top'>
                  {src ? (
                    <Image className='vols__photo' src={src} mode='aspectFill' onClick={() => Taro.previewImage({ urls: [src] }).catch(() => {})} />
                  ) : (
                    <View className='vols__photo vols__photo--none'>{v.name.slice(0, 1)}</View>
                  )}
                  <View className='vols__who'>
                    <View className='vols__name'>
                      {v.name}
                      {v.plate && <Text className='xf-tag xf-tag--work vols__plate'>{v.plate}</Text>}
                    </View>
                    <Text className='xf-phone vols__phone' onClick={() => callPhone(v.phone)}>
                      {v.phone}
                    </Text>
                    <View className='xf-muted'>
                      {v.townshipName} {v.villageName} {v.gridName}
                    </View>
                  </View>
                </View>
                <View className='vols__facts'>
                  <View className='vols__fact'>
                    <Text className='vols__label'>特长</Text>
                    {v.skills.join('、') || '未填'}
                  </View>
                  <View className='vols__fact'>
                    <Text className='vols__label'>服务时间</Text>
                    {v.availability.join('、') || '未填'}
                  </View>
                  {v.teamName && (
                    <View className='vols__fact'>
                      <Text className='vols__label'>服务队</Text>
                      {v.teamName}
                    </View>
                  )}
                  {v.reason && (
                    <View className='vols__fact vols__reason'>
                      <Text className='vols__label'>{v.status === 'suspended' ? '暂停原因' : '未通过原因'}</Text>
                      {v.reason}
                    </View>
                  )}
                  <View className='xf-muted'>
                    申请于 {formatShort(v.createdAt)}
                    {v.updatedAt !== v.createdAt ? ` · 更新于 ${formatShort(v.updatedAt)}` : ''}
                  </View>
                </View>

                <View className='vols__actions'>
                  {v.status === 'pending' && (
                    <>
                      <Btn className='vol-reject' size='small' disabled={!!busyId} onClick={() => setDialog({ kind: 'reject', v })}>
                        驳回
                      </Btn>
                      <Btn className='vol-approve' type='primary' size='small' disabled={!!busyId} onClick={() => decide(v, 'approve')}>
                        {busy ? '正在提交…' : '通过'}
                      </Btn>
                    </>
                  )}
                  {v.status === 'approved' && (
                    <Btn className='vol-suspend' size='small' disabled={!!busyId} onClick={() => setDialog({ kind: 'suspend', v })}>
                      暂停服务
                    </Btn>
                  )}
                  {v.status === 'suspended' && (
                    <Btn className='vol-restore' type='primary' size='small' disabled={!!busyId} onClick={() => decide(v, 'restore')}>
                      {busy ? '正在提交…' : '恢复服务'}
                    </Btn>
                  )}
                </View>
              </View>
            )
          })}
        </View>
        <ListFooter count={items?.length ?? 0} more={more} loadingMore={loadingMore} onMore={list.loadMore} />
      </PageState>

      {dialog && (
        <ReasonDialog
          title={dialog.kind === 'reject' ? `驳回 ${dialog.v.name} 的申请` : `暂停 ${dialog.v.name} 的服务`}
          warning={
            dialog.kind === 'reject'
              ? '驳回后申请人会看到原因，可以修改后重新申请。'
              : '暂停后他不能再接单，扫他的胸牌会显示「已暂停」。之后可以恢复。'
          }
          confirmText={dialog.kind === 'reject' ? '确认驳回' : '确认暂停'}
          placeholder={dialog.kind === 'reject' ? '例如：电话无法接通，请核实后重新申请' : '例如：多次接单未上门'}
          onSubmit={async (reason) => {
            const { kind, v } = dialog
            try {
              await call('volunteer', kind, { id: v.id, reason })
            } catch (e) {
              staleAfter(e, v.status)
              throw e
            }
            lists[v.status].drop(v.id)
            setDialog(null)
            Taro.showToast({ title: kind === 'reject' ? '已驳回' : '已暂停', icon: 'success' })
          }}
          onClose={() => setDialog(null)}
        />
      )}
    </View>
  )
}
