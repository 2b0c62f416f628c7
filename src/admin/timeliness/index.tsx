import { useCallback } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { View } from '@tarojs/components'
import PageState from '@/components/PageState'
import { call, errorMessage } from '@/api'
import type { TimelinessView } from '@/core/api'
import { describeZodError } from '@/core/errors'
import { STAGE_LABEL, timelinessSettingsSchema, type Stage, type TimelinessSettings } from '@/core/timeliness'
import { formatTime } from '@/core/time'
import { decode } from '@/components/util'
import LimitsEditor from './LimitsEditor'
import ServiceLimits from './ServiceLimits'
import ClockFields from './ClockFields'
import CalendarEditor from './CalendarEditor'
import './index.scss'
import { ask as confirm } from '@/workbench/ask'
import SaveBar from '@/workbench/SaveBar'
import { useDraft } from '@/workbench/useDraft'

/** The settings as the page edits them: limits of services no longer in the catalogue are dropped (the server refuses them). */
function editable(v: TimelinessView): TimelinessSettings {
  const services = Object.fromEntries(Object.entries(v.settings.services).filter(([id]) => v.services.some((s) => s.id === id)))
  return { ...v.settings, services }
}

/** Equal settings compare equal whatever order services were switched in. */
const canonical = (s: TimelinessSettings) => JSON.stringify({ ...s, services: Object.keys(s.services).sort().map((id) => [id, s.services[id]]) })
const sameSettings = (d: TimelinessSettings, v: TimelinessView) => canonical(d) === canonical(v.settings)

/** Where a schema issue is, in the page's words: 默认时限 · 派单：… / 水电维修 · 办结：… / 日历 2027-01-01：… */
function whereOf(path: readonly PropertyKey[], v: TimelinessView, draft: TimelinessSettings): string {
  const [section, key, stage] = path
  const label = STAGE_LABEL[stage as Stage] ?? ''
  if (section === 'defaults') return `默认时限 · ${STAGE_LABEL[key as Stage] ?? ''}：`
  if (section === 'services') return `${v.services.find((s) => s.id === key)?.name ?? '服务'}${label ? ` · ${label}` : ''}：`
  if (section === 'calendar' && typeof key === 'number') return `日历 ${draft.calendar[key]?.date ?? ''}：`
  return ''
}

/**
 * 办理时限设置 (county admin): default limits per stage, per-service limits, 催办 and
 * 回访 times, working hours and the county's own calendar. Edits stay on the page until
 * 保存设置 writes the whole document; `?id=` names the county (else the caller's).
 */
export default function TimelinessPage() {
  const { params } = useRouter()
  const countyId = decode(params.id)
  const fetch = useCallback(() => call('grid', 'timeliness', countyId ? { countyId } : {}), [countyId])
  const { view, draft, setDraft, error, load, dirty, saving, save: send, invalid, setInvalid } = useDraft({ fetch, toDraft: editable, same: sameSettings })

  const patch = (p: Partial<TimelinessSettings>) => setDraft((d) => (d ? { ...d, ...p } : d))

  const discard = async () => {
    if (view && (await confirm('放弃修改', '放弃还没有保存的修改，恢复成上次保存的设置？', '放弃修改'))) setDraft(editable(view))
  }

  const save = async () => {
    if (!view || !draft || saving) return
    const parsed = timelinessSettingsSchema.safeParse(draft)
    if (!parsed.success) return setInvalid(whereOf(parsed.error.issues[0]?.path ?? [], view, draft) + describeZodError(parsed.error))
    const ok = await confirm('保存设置', '新的时限只对保存以后开始的环节生效；已经在计时的环节仍按原来的时限。确定保存吗？', '确认保存')
    if (!ok) return
    try {
      // the version this edit started from: another admin's save in between is refused, not overwritten
      await send((_d, v) => call('grid', 'saveTimeliness', { ...(countyId ? { countyId } : {}), settings: parsed.data, baseUpdatedAt: v.updatedAt }))
    } catch (e) {
      Taro.showModal({ title: '保存没有成功', content: errorMessage(e), showCancel: false })
    }
  }

  const stale = view ? Object.keys(view.settings.services).filter((id) => !view.services.some((s) => s.id === id)).length : 0

  return (
    <View className='xf-page timeliness'>
      <PageState loading={!view && !error} error={!view ? error : null} onRetry={load}>
        {view && draft && (
          <>
            <View className='xf-card'>
              <View id='tl-county' className='xf-h1'>
                {view.countyName} · 办理时限
              </View>
              <View id='tl-updated' className='xf-muted'>
                {view.updatedAt ? `上次修改：${formatTime(view.updatedAt)} · ${view.updatedBy || '未知'}` : '还没有修改过，现在用的是初始设置'}
              </View>
              {dirty && <View className='tl-dirty'>有修改还没有保存，改好后请点页面最下面的「保存设置」。</View>}
            </View>

            <View className='xf-h2'>默认时限</View>
            <View className='xf-hint'>工作日按上班时间计算，小时全天计算（紧急事项用小时）</View>
            <View className='xf-card'>
              <LimitsEditor idPrefix='tl-default' value={draft.defaults} onChange={(defaults) => patch({ defaults })} />
            </View>

            <View className='xf-h2'>各项服务</View>
            {stale > 0 && <View className='xf-hint tl-warn'>有 {stale} 项已下架服务的单独时限，保存时会一并删除。</View>}
            <ServiceLimits services={view.services} defaults={draft.defaults} own={draft.services} onChange={(services) => patch({ services })} />

            <View className='xf-h2'>催办和回访</View>
            <ClockFields value={draft} onChange={patch} />

            <View className='xf-h2'>工作日历</View>
            <CalendarEditor entries={draft.calendar} nationalYears={view.nationalYears} onChange={(calendar) => patch({ calendar })} />

            <SaveBar idPrefix='tl' dirty={dirty} invalid={invalid} saving={saving} label='保存设置' onSave={save} onDiscard={discard} />
          </>
        )}
      </PageState>
    </View>
  )
}
