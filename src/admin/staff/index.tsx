import { useCallback, useEffect, useRef, useState } from 'react'
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { Input, Text, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import ErrorBox from '@/components/ErrorBox'
import PageState, { Loading } from '@/components/PageState'
import { call, errorMessage } from '@/api'
import type { StaffView, TreeView, UserOption } from '@/core/api'
import { ROLE_LABEL, type StaffRole } from '@/core/schemas'
import { isStaff } from '@/core/permissions'
import { callPhone, decode } from '@/components/util'
import './index.scss'
import { ask as confirm } from '@/workbench/ask'

/** The one staff role that belongs at each level of the tree (grids and micro-grids have none). */
const ROLE_AT: Record<string, StaffRole | undefined> = { county: 'county', township: 'township', village: 'station' }

export default function StaffPage() {
  const { params } = useRouter()
  const id = decode(params.id)
  const [tree, setTree] = useState<TreeView | null>(null)
  const [staff, setStaff] = useState<StaffView[] | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState('')

  const [q, setQ] = useState('')
  const [found, setFound] = useState<UserOption[] | null>(null)
  const [searching, setSearching] = useState(false)
  const [searchError, setSearchError] = useState('')
  // only the latest search counts: an older answer arriving late (or after grant cleared the list) is dropped
  const searchSeq = useRef(0)

  const load = useCallback(async () => {
    try {
      // the node (its level decides the role to offer) and its staff, in parallel
      const [t, s] = await Promise.all([call('grid', 'tree', { nodeId: id, includeInactive: false }), call('user', 'staff', { nodeId: id })])
      setTree(t)
      setStaff(s)
      setError(null)
    } catch (e) {
      setError(e)
    } finally {
      Taro.stopPullDownRefresh()
    }
  }, [id])

  useEffect(() => {
    if (id) load()
  }, [load])
  usePullDownRefresh(() => {
    load()
  })

  const node = tree?.node ?? null
  const role = node ? ROLE_AT[node.level] : undefined

  const revoke = async (s: StaffView) => {
    if (busy || !isStaff(s.role)) return
    const staffRole = s.role
    const ok = await confirm('撤销权限', `撤销 ${s.name} 在「${s.nodeName}」的「${ROLE_LABEL[s.role]}」权限？撤销后他将不能再处理这里的诉求。`, '确认撤销')
    if (!ok) return
    setBusy(`${s.userId}:${s.role}:${s.nodeId}`)
    try {
      await call('user', 'revoke', { userId: s.userId, role: staffRole, nodeId: s.nodeId })
      setStaff((cur) => (cur ? cur.filter((x) => !(x.userId === s.userId && x.role === s.role && x.nodeId === s.nodeId)) : cur))
      Taro.showToast({ title: '已撤销', icon: 'success' })
    } catch (e) {
      Taro.showModal({ title: '撤销没有成功', content: errorMessage(e), showCancel: false })
    } finally {
      setBusy('')
    }
  }

  const search = async () => {
    const text = q.trim()
    const mine = ++searchSeq.current
    if (text.length < 2) {
      setSearching(false)
      return setSearchError('请输入至少2个字（手机号或姓名）')
    }
    setSearching(true)
    setSearchError('')
    try {
      const list = await call('user', 'search', { q: text })
      if (mine === searchSeq.current) setFound(list)
    } catch (e) {
      if (mine === searchSeq.current) setSearchError(errorMessage(e))
    } finally {
      if (mine === searchSeq.current) setSearching(false)
    }
  }

  const grant = async (u: UserOption) => {
    if (!node || !role || busy) return
    const ok = await confirm('添加工作人员', `让 ${u.name} 成为「${node.name}」的「${ROLE_LABEL[role]}」？他将能查看和处理这里的诉求。`, '确认添加')
    if (!ok) return
    setBusy(`grant:${u.id}`)
    try {
      const s = await call('user', 'grant', { userId: u.id, role, nodeId: node.id })
      setStaff((cur) => [s, ...(cur ?? []).filter((x) => !(x.userId === s.userId && x.role === s.role && x.nodeId === s.nodeId))])
      searchSeq.current++ // a search still on its way must not bring the list back
      setFound(null)
      setSearching(false)
      setQ('')
      Taro.showToast({ title: `已添加 ${u.name}`, icon: 'none' })
    } catch (e) {
      Taro.showModal({ title: '添加没有成功', content: errorMessage(e), showCancel: false })
    } finally {
      setBusy('')
    }
  }

  if (!id) return <View className='xf-page'><ErrorBox error={null} message='没有指定区域，请从网格管理页进入' /></View>

  return (
    <View className='xf-page staff'>
      <PageState loading={!staff && !error} error={!staff ? error : null} onRetry={load}>
        {node && (
          <View className='xf-card'>
            <View className='xf-h1'>{node.name}</View>
            <View className='xf-muted'>{node.pathNames.join(' › ')}</View>
          </View>
        )}
        {!!error && staff && <ErrorBox error={error} onRetry={load} />}

        <View className='xf-h2'>工作人员（{staff?.length ?? 0}）</View>
        {staff && staff.length === 0 ? (
          <PageState empty emptyText='这里还没有工作人员' />
        ) : (
          <View id='staff-list' className='xf-list'>
            {staff?.map((s) => (
              <View key={`${s.userId}:${s.role}:${s.nodeId}`} className='xf-cell staff__item'>
                <View className='xf-cell__main'>
                  <View className='xf-cell__title'>
                    {s.name}
                    <Text className='xf-tag xf-tag--work staff__role'>{ROLE_LABEL[s.role]}</Text>
                  </View>
                  <View className='xf-cell__desc'>
                    {s.nodeName}
                    {s.phone && (
                      <Text className='xf-phone staff__phone' onClick={() => callPhone(s.phone)}>
                        {s.phone}
                      </Text>
                    )}
                  </View>
                </View>
                {tree?.canEdit && (
                  <Btn size='small' disabled={!!busy} onClick={() => revoke(s)}>
                    {busy === `${s.userId}:${s.role}:${s.nodeId}` ? '正在撤销…' : '撤销'}
                  </Btn>
                )}
              </View>
            ))}
          </View>
        )}

        {tree?.canEdit && node && (
          <>
            <View className='xf-h2'>添加工作人员</View>
            {role ? (
              <View className='xf-card'>
                <View className='xf-muted'>
                  在这里添加的是「{ROLE_LABEL[role]}」。对方需要先用微信打开过小程序（登记过姓名或电话）才能搜到。
                </View>
                <View className='staff__search'>
                  <Input
                    id='staff-q'
                    className='xf-form__input xf-input-fill staff__q'
                    value={q}
                    maxlength={20}
                    placeholder='手机号或姓名'
                    confirmType='search'
                    onInput={(e) => setQ(e.detail.value)}
                    onConfirm={search}
                  />
                  <Btn id='btn-search' type='primary' size='small' disabled={searching} onClick={search}>
                    搜索
                  </Btn>
                </View>
                {searching && <Loading small text='正在搜索…' />}
                {!!searchError && <ErrorBox error={null} message={searchError} />}
                {found && !searching && found.length === 0 && <View className='xf-muted staff__none'>没有找到这个人，请换手机号或姓名试试。</View>}
                {found && !searching && found.length > 0 && (
                  <View id='user-results' className='staff__results'>
                    {found.map((u) => {
                      const has = u.roles.some((r) => r.role === role && r.nodeId === node.id)
                      return (
                        <View key={u.id} className='xf-cell'>
                          <View className='xf-cell__main'>
                            <View className='xf-cell__title'>{u.name}</View>
                            <View className='xf-cell__desc'>
                              {[u.phone, u.plate ? `号牌 ${u.plate}` : null, u.roles.length ? u.roles.map((r) => ROLE_LABEL[r.role]).join('、') : null]
                                .filter(Boolean)
                                .join(' · ') || '村民'}
                            </View>
                          </View>
                          <Btn type='outline' size='small' disabled={has || !!busy} onClick={() => grant(u)}>
                            {has ? '已是' : busy === `grant:${u.id}` ? '正在添加…' : '添加'}
                          </Btn>
                        </View>
                      )
                    })}
                  </View>
                )}
              </View>
            ) : (
              <View className='xf-hint'>网格和微网格不设工作人员；请在村(社区)、乡镇或县一级添加。</View>
            )}
          </>
        )}
      </PageState>
    </View>
  )
}
