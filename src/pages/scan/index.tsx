import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { Input, Text, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import { call } from '@/api'
import type { GridView, ServiceView } from '@/core/api'
import { codeEntryHint, codeFromLaunchParams } from '@/core/grid'
import { checkGridCode } from '@/core/checks'
import { formatShort } from '@/core/timeText'
import ErrorBox from '@/components/ErrorBox'
import { CareAsk, CareSwitch, stateWord, useCareMode } from '@/components/CareMode'
import { Loading } from '@/components/PageState'
import { badgeText, useUnread } from '@/components/useUnread'
import { takeBootLanding } from '@/components/bootLanding'
import { IS_H5, STORAGE, callPhone, go, load, query, save } from '@/components/util'
import './index.scss'

/** `at`: when it was scanned (the registration form prefers it to an older draft's grid); `hotline`: offered when the grid cannot be reached */
type LastGrid = { code: string; name: string; at?: number; hotline?: string | null }

/** In H5 a signboard URL may carry ?code= before the hash route. */
function h5SearchCode(): string | null {
  if (!IS_H5 || typeof window === 'undefined') return null
  const m = /[?&](code|scene)=([^&#]*)/.exec(window.location.search)
  return m ? codeFromLaunchParams({ [m[1]]: m[2] }) : null
}

/** The feed of the grid's village (all approved showcases when the grid has no village above it). */
function feedQuery(grid: GridView): string {
  return grid.villageId ? query({ nodeId: grid.villageId, name: grid.villageName }) : ''
}

/** Group services by category, keeping the catalogue's order. */
function groupByCategory(services: ServiceView[]) {
  const groups: { category: string; items: ServiceView[] }[] = []
  for (const s of services) {
    let g = groups.find((x) => x.category === s.category)
    if (!g) groups.push((g = { category: s.category, items: [] }))
    g.items.push(s)
  }
  return groups
}

export default function Scan() {
  const router = useRouter()
  const launchCode = useMemo(() => codeFromLaunchParams(router.params) || h5SearchCode(), [])
  const [code, setCode] = useState<string | null>(launchCode)
  // the grid and the catalogue: on H5 what the HTML's own landing (src/boot.js) already asked, and a service tapped there
  const boot = useMemo(() => takeBootLanding(launchCode), [])
  const [grid, setGrid] = useState<GridView | null>(null)
  const [gridError, setGridError] = useState<unknown>(null)
  const [loadingGrid, setLoadingGrid] = useState(!!launchCode)
  const [services, setServices] = useState<ServiceView[] | null>(() => load<ServiceView[]>(STORAGE.catalogue))
  const [servicesError, setServicesError] = useState<unknown>(null)
  const lastGrid = useMemo(() => load<LastGrid>(STORAGE.lastGrid), [])
  const shownGrid = useRef<string | null>(null)
  const firstShow = useRef(true)
  const [unread] = useUnread()
  const roles = useRoles()
  const care = useCareMode()

  // Back from the form (or an order placed meanwhile): refresh the open orders quietly, keeping what is shown.
  useDidShow(() => {
    if (firstShow.current) {
      firstShow.current = false
      return
    }
    const c = shownGrid.current
    if (!c) return
    call('grid', 'resolve', { code: c })
      .then((g) => {
        if (shownGrid.current === g.code) setGrid(g)
      })
      .catch(() => {
        /* keep the grid already shown */
      })
  })

  // only the latest lookup may set the grid: on a slow network an earlier code can answer last
  const lookup = useRef(0)
  const loadGrid = useCallback(async (c: string) => {
    const mine = ++lookup.current
    setLoadingGrid(true)
    setGridError(null)
    setGrid(null)
    try {
      const g = await boot.resolve(c)
      if (mine !== lookup.current) return
      setGrid(g)
      shownGrid.current = g.code
      save(STORAGE.lastGrid, { code: g.code, name: g.name, at: Date.now(), hotline: g.hotline } satisfies LastGrid)
    } catch (e) {
      if (mine === lookup.current) setGridError(e)
    } finally {
      if (mine === lookup.current) setLoadingGrid(false)
    }
  }, [boot])

  const loadCatalogue = useCallback(async () => {
    setServicesError(null)
    try {
      const list = await boot.catalogue()
      setServices(list)
      save(STORAGE.catalogue, list)
    } catch (e) {
      setServicesError(e)
    }
  }, [boot])

  useEffect(() => {
    if (code) loadGrid(code)
  }, [code, loadGrid])

  useEffect(() => {
    if (code) loadCatalogue()
  }, [!!code, loadCatalogue])

  const chooseService = (s: ServiceView) => {
    if (!grid) return
    go(
      `/pages/order/new?${query({
        gridCode: grid.code,
        serviceId: s.id,
        serviceName: s.name,
        gridName: grid.name,
        hotline: grid.hotline,
      })}`,
    )
  }

  // the landing is the app's now: uncover it, and open a service tapped before the app was ready
  useEffect(() => {
    if (loadingGrid || (grid && !services && !servicesError)) return
    const picked = grid && services?.find((s) => s.id === boot.takePick())
    if (picked) chooseService(picked)
    boot.release()
  }, [grid, loadingGrid, services, servicesError])
  useEffect(() => () => boot.release(), [])

  const useCode = (c: string) => {
    if (c === code) loadGrid(c)
    else setCode(c)
  }

  const noCode = !code
  const showCodeEntry = noCode || (!grid && !loadingGrid)

  // my own open order opens; a neighbour's says only what the list says, and why not to order it again
  const openOrder = (o: GridView['openOrders'][number]) => {
    if (o.id) return go(`/pages/orders/detail?${query({ id: o.id })}`)
    Taro.showModal({
      title: o.serviceName,
      content: `${formatShort(o.createdAt)} 乡亲提交，现在${stateWord(care, o.status)}。这是别人的诉求，内容不公开；您要办的是同一件事，就不用再点单了。`,
      showCancel: false,
      confirmText: '知道了',
    })
  }

  // following up comes first: 我的诉求 (and new messages) above the services once a grid shows, else under the code entry
  const followUp = (
    <View id='follow-up' className='scan__follow'>
      <Btn id='my-orders-link' type='default' onClick={() => go('/pages/orders/index')}>
        我的诉求
        {unread > 0 && (
          <Text id='unread-badge' className='xf-badge'>
            {badgeText(unread)}
          </Text>
        )}
      </Btn>
      {unread > 0 && (
        <View className='scan__unread' hoverClass='xf-pressed' onClick={() => go('/pages/inbox/index')}>
          您有 {unread} 条新消息，点这里查看
        </View>
      )}
    </View>
  )

  return (
    <View className={`xf-page scan${care.cls}`}>
      <CareSwitch care={care} />
      <CareAsk care={care} />
      {noCode && (
        <View className='xf-card scan__intro'>
          <View className='xf-h1'>请扫描网格标识牌上的二维码</View>
          <View className='xf-muted scan__intro-sub'>扫码后就能选择需要的志愿服务，也可以在下面输入标识牌上的网格编码。</View>
        </View>
      )}

      {loadingGrid && <Loading text='正在查找网格…' />}

      {!!gridError && !loadingGrid && (
        <ErrorBox error={gridError} onRetry={code ? () => loadGrid(code) : undefined} hotline={lastGrid?.code === code ? lastGrid?.hotline : null} />
      )}

      {showCodeEntry && <CodeEntry onCode={useCode} onInvalid={() => setGridError(null)} lastGrid={lastGrid} />}

      {grid && (
        <>
          <View className='xf-card scan__grid'>
            <View id='grid-name' className='xf-h1'>
              {grid.name}
            </View>
            <View className='scan__place'>
              {grid.townshipName} · {grid.villageName}
            </View>
            <View className='scan__code xf-muted'>网格编码：{grid.code}</View>
            {grid.leaderName && <View className='scan__line'>网格长：{grid.leaderName}</View>}
            {grid.hotline && (
              <View className='scan__hotline' hoverClass='xf-pressed' onClick={() => callPhone(grid.hotline)}>
                <View>
                  <View className='xf-muted'>网格服务热线（点击拨打）</View>
                  <View className='scan__hotline-no'>{grid.hotline}</View>
                </View>
                <View className='scan__call'>拨打</View>
              </View>
            )}
          </View>

          {followUp}

          {grid.openOrders.length > 0 && (
            <>
              <View className='xf-h2'>此网格正在处理的诉求</View>
              <View className='xf-hint'>如果您要办的事已经在下面，不用重复点单，工作人员正在处理。</View>
              <View className='xf-list' id='open-orders'>
                {grid.openOrders.map((o) => (
                  <View className='xf-cell' key={`${o.no}-${o.createdAt}`} hoverClass='xf-pressed' onClick={() => openOrder(o)}>
                    <View className='xf-cell__main'>
                      <View className='xf-cell__title'>
                        {o.id ? '我的：' : ''}
                        {o.serviceName}
                      </View>
                      <View className='xf-cell__desc'>{formatShort(o.createdAt)}</View>
                    </View>
                    <Text className='scan__state'>{stateWord(care, o.status)}</Text>
                    <Text className='xf-cell__arrow'>›</Text>
                  </View>
                ))}
              </View>
            </>
          )}

          <View className='xf-h2'>请选择需要的服务</View>
          {!services && !servicesError && <Loading small text='正在加载服务清单…' />}
          {!!servicesError && !services && <ErrorBox error={servicesError} onRetry={loadCatalogue} hotline={grid.hotline} />}
          {services && services.length === 0 && <View className='xf-hint'>暂时没有可选的服务，请拨打网格服务热线。</View>}
          {services && services.length > 0 && (
            <View id='service-list'>
              {groupByCategory(services).map((g) => (
                <View key={g.category}>
                  <View className='scan__category'>{g.category}</View>
                  <View className='xf-list'>
                    {g.items.map((s) => (
                      <View
                        key={s.id}
                        className='xf-cell scan__service'
                        hoverClass='xf-pressed'
                        onClick={() => chooseService(s)}
                      >
                        <View className='xf-cell__main'>
                          <View className='xf-cell__title'>{s.name}</View>
                          {s.emergency ? (
                            <View className='xf-cell__desc scan__sos'>紧急情况，请直接拨打 {s.emergency.number}</View>
                          ) : (
                            s.description && <View className='xf-cell__desc'>{s.description}</View>
                          )}
                        </View>
                        <Text className='xf-cell__arrow'>›</Text>
                      </View>
                    ))}
                  </View>
                </View>
              ))}
            </View>
          )}
        </>
      )}

      {grid && (
        <View
          id='feed-link'
          className='xf-cell scan__feed'
          hoverClass='xf-pressed'
          onClick={() => go(`/showcase/feed?${feedQuery(grid)}`)}
        >
          <View className='xf-cell__main'>
            <View className='xf-cell__title'>看看{feedQuery(grid) ? grid.villageName : '大家'}的服务风采</View>
            <View className='xf-cell__desc'>乡亲们晒出的志愿服务</View>
          </View>
          <Text className='xf-cell__arrow'>›</Text>
        </View>
      )}

      <View className='xf-actions'>
        {!grid && followUp}
        {roles.some((r) => r === 'station' || r === 'township' || r === 'county') && (
          <Btn id='link-workbench' type='default' onClick={() => go('/staff/incoming/index')}>
            工作台（诉求处理）
          </Btn>
        )}
        {roles.some((r) => r === 'volunteer' || r === 'leader') && (
          <Btn id='link-tasks' type='default' onClick={() => go('/volunteer/tasks/index')}>
            我的志愿任务
          </Btn>
        )}
        <View className='xf-row'>
          {/* the grid shown is the one the person registers at, whatever an old draft said */}
          <Text id='link-register' className='xf-link' onClick={() => go(grid ? `/join/register/index?${query({ code: grid.code })}` : '/join/register/index')}>
            注册成为志愿者
          </Text>
          <Text id='link-verify' className='xf-link' onClick={() => go('/join/verify/index')}>
            核验志愿者身份
          </Text>
        </View>
      </View>
    </View>
  )
}

/**
 * The roles of whoever uses the app (staff and volunteers reach their workbench from here):
 * the last known ones at once, refreshed quietly; nothing for someone not signed in.
 */
function useRoles(): string[] {
  const [roles, setRoles] = useState<string[]>(() => load<string[]>(STORAGE.roles) ?? [])
  // on every show: the page may be kept while someone else signs in (H5) or roles change
  useDidShow(() => {
    call('user', 'me', {})
      .then((me) => {
        const r = [...new Set(me.roles.map((x) => x.role))]
        setRoles(r)
        save(STORAGE.roles, r)
        // the order form prefills it: no round trip of its own when the landing came first
        save(STORAGE.accountPhone, me.phone ?? null)
      })
      .catch(() => {
        /* keep the last known roles */
      })
  })
  return roles
}

/** Type the code printed on the signboard; checked here before asking the server. */
function CodeEntry(props: { onCode: (code: string) => void; onInvalid: () => void; lastGrid: LastGrid | null }) {
  const { onCode, onInvalid, lastGrid } = props
  const [text, setText] = useState('')
  const [error, setError] = useState('')

  const submit = () => {
    const r = checkGridCode(text)
    if (!r.success) {
      setError(r.error.issues[0]?.message || '网格编码不正确')
      onInvalid() // one message at a time
      return
    }
    setError('')
    onCode(r.data)
  }

  const scan = () => {
    Taro.scanCode({})
      .then((res) => {
        // a mini-program code gives its path (…?scene=…); a plain QR gives its text (a URL with ?code=…, or the code)
        const src = res.path || res.result || ''
        const m = /[?&](code|scene)=([^&#]*)/.exec(src)
        const c = m ? codeFromLaunchParams({ [m[1]]: m[2] }) : src.trim()
        if (c) {
          setText(c)
          const r = checkGridCode(c)
          if (r.success) onCode(r.data)
          else {
            setError('没有认出这个二维码，请扫描网格标识牌上的二维码')
            onInvalid()
          }
        }
      })
      .catch(() => {
        /* cancelled */
      })
  }

  return (
    <View className='xf-card code-entry'>
      {!IS_H5 && (
        <View className='code-entry__scan'>
          <Btn type='primary' onClick={scan}>
            扫一扫标识牌
          </Btn>
        </View>
      )}
      <View className='code-entry__label'>输入标识牌上的网格编码</View>
      <Input
        id='code-input'
        className='code-entry__input xf-input-fill'
        value={text}
        placeholder={codeEntryHint(lastGrid?.code)}
        maxlength={20}
        confirmType='go'
        onInput={(e) => {
          setText(e.detail.value.toUpperCase())
          if (error) setError('')
        }}
        onConfirm={submit}
      />
      {error && (
        <View id='error-message' className='code-entry__error'>
          {error}
        </View>
      )}
      <Btn type={IS_H5 ? 'primary' : 'outline'} onClick={submit}>
        查找网格
      </Btn>
      {lastGrid && (
        <View className='code-entry__last' hoverClass='xf-pressed' onClick={() => onCode(lastGrid.code)}>
          上次扫码：<Text className='xf-link'>{lastGrid.name}</Text>
        </View>
      )}
    </View>
  )
}
