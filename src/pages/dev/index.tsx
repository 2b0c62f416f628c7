import { useEffect, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { View } from '@tarojs/components'
import Btn from '@/components/Btn'
import { ApiError, devSession } from '@/api'
import PageState from '@/components/PageState'
import { STORAGE, decode, load, save } from '@/components/util'
import { isStaff } from '@/core/permissions'
import type { Role } from '@/core/schemas'
import './index.scss'

// H5 only: the local runtime's demo sign-in. Talks to the runtime directly with fetch.

type DevUser = { id: string; name: string; role: Role; roleLabel: string; nodeName?: string; label?: string }

/** Where the demo user belongs: nodeName, or the part in brackets of the runtime's label. */
const where = (u: DevUser) => u.nodeName || /（(.+)）$/.exec(u.label || '')?.[1] || ''

async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  let res: Response
  try {
    res = await fetch(url, init)
  } catch {
    throw new ApiError('NETWORK', '连不上本地服务，请确认它已启动')
  }
  if (!res.ok) throw new ApiError('INTERNAL', `本地服务出错（HTTP ${res.status}）`)
  return (await res.json()) as T
}

export default function DevLogin() {
  const { params } = useRouter()
  const redirect = decode(params.redirect)
  const [users, setUsers] = useState<DevUser[] | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [current, setCurrent] = useState<DevUser | null>(() => (devSession.get() ? load<DevUser>(STORAGE.devUser) : null))
  const [busy, setBusy] = useState('')

  const fetchUsers = async () => {
    setError(null)
    try {
      const body = await getJson<{ users: DevUser[] }>('/dev/users')
      setUsers(body.users || [])
    } catch (e) {
      setError(e)
    }
  }
  useEffect(() => {
    fetchUsers()
  }, [])

  const signIn = async (u: DevUser) => {
    if (busy) return
    setBusy(u.id)
    try {
      const { token, user } = await getJson<{ token: string; user: DevUser }>('/dev/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: u.id }),
      })
      devSession.set(token)
      const who = { ...u, ...user }
      save(STORAGE.devUser, who)
      setCurrent(who)
      const home = isStaff(who.role) ? '/staff/incoming/index' : who.role === 'volunteer' || who.role === 'leader' ? '/volunteer/tasks/index' : '/pages/scan/index'
      Taro.reLaunch({ url: redirect && redirect.startsWith('/') ? redirect : home })
    } catch (e) {
      Taro.showToast({ title: e instanceof ApiError ? e.message : '登录失败', icon: 'none' })
    } finally {
      setBusy('')
    }
  }

  const signOut = () => {
    devSession.clear()
    save(STORAGE.devUser, null)
    setCurrent(null)
  }

  const groups: { label: string; users: DevUser[] }[] = []
  for (const u of users || []) {
    let g = groups.find((x) => x.label === u.roleLabel)
    if (!g) groups.push((g = { label: u.roleLabel, users: [] }))
    g.users.push(u)
  }

  return (
    <View className='xf-page dev'>
      <View className='xf-card'>
        <View className='xf-muted'>只在本地运行时可用：选一个演示用户登录。</View>
        <View id='dev-current' className='dev__current'>
          {current ? `当前登录：${current.name}（${current.roleLabel}${where(current) ? ' · ' + where(current) : ''}）` : '当前未登录'}
        </View>
        {current && (
          <Btn size='small' type='default' onClick={signOut}>
            退出
          </Btn>
        )}
      </View>
      <PageState
        loading={!users && !error}
        error={error}
        onRetry={fetchUsers}
        empty={!!users && users.length === 0}
        emptyText='没有演示用户，请先运行种子数据'
      >
        <View id='dev-users'>
          {groups.map((g) => (
            <View key={g.label}>
              <View className='xf-h2'>{g.label}</View>
              <View className='xf-list'>
                {g.users.map((u) => (
                  <View key={u.id} className='xf-cell' hoverClass='xf-pressed' onClick={() => signIn(u)}>
                    <View className='xf-cell__main'>
                      <View className='xf-cell__title'>{u.name}</View>
                      <View className='xf-cell__desc'>{where(u)}</View>
                    </View>
                    <View className='xf-cell__arrow'>{busy === u.id ? '…' : '›'}</View>
                  </View>
                ))}
              </View>
            </View>
          ))}
        </View>
      </PageState>
    </View>
  )
}
