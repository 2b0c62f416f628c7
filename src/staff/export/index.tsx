import { useCallback, useEffect, useState } from 'react'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { Picker, Text, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import ErrorBox from '@/components/ErrorBox'
import PageState from '@/components/PageState'
import { call, newRequestId } from '@/api'
import type { ActionInput, MeView } from '@/core/api'
import {
  EXPORT_FORMAT_LABEL,
  EXPORT_FORMATS,
  EXPORT_KIND_LABEL,
  EXPORT_KINDS,
  EXPORT_PERIOD_LABEL,
  EXPORT_PERIODS,
  type ExportJobView,
} from '@/core/exports'
import { ORDER_STATES, STATE_LABEL } from '@/core/order'
import { monthOf } from '@/core/points'
import { isStaff } from '@/core/permissions'
import { VOLUNTEER_STATUS_LABEL, VOLUNTEER_STATUSES } from '@/core/volunteer'
import { toLocal } from '@/core/time'
import { filtersOf, formFromQuery, type ExportForm } from './filters'
import JobCard, { DownloadButton } from './JobCard'
import { useExportRunner } from './useExportRunner'
import '@/workbench/shared.scss'
import './index.scss'

/** A row of choices, one tap each (ids: `<prefix>-<key>`). */
function Chips<K extends string>({ prefix, options, value, onChange }: { prefix: string; options: { key: K; label: string }[]; value: K; onChange: (k: K) => void }) {
  return (
    <View className='export__chips'>
      {options.map((o) => (
        <View key={o.key} id={`${prefix}-${o.key}`} className={`xw-chip${value === o.key ? ' xw-chip--on' : ''}`} onClick={() => onChange(o.key)}>
          {o.label}
        </View>
      ))}
    </View>
  )
}

const SOURCES = [
  { key: '', label: '全部' },
  { key: 'scan', label: '扫码' },
  { key: 'hotline', label: '热线' },
  { key: 'patrol', label: '网格上报' },
]
const STATUS_RANGE = ['全部状态', ...ORDER_STATES.map((s) => STATE_LABEL[s])]
const today = () => toLocal(Date.now()).format('YYYY-MM-DD')

/**
 * 数据导出: staff export orders (the dashboard's filters), volunteers or the points ledger of
 * their area as Excel or CSV. The export runs as a job the page steps (progress bar); leaving
 * the page loses nothing — the sweep finishes it and 最近导出 lists it with its download.
 * Other pages link here with filters as query params (see ./filters.ts).
 * Ids: kind-*, format-*, period-*, export-start, export-progress, export-download, export-jobs.
 */
export default function ExportPage() {
  const { params } = useRouter()
  const [form, setForm] = useState<ExportForm>(() => formFromQuery(params))
  const [me, setMe] = useState<MeView | null>(null)
  const [meError, setMeError] = useState<unknown>(null)
  const [categories, setCategories] = useState<string[]>([])
  const [jobs, setJobs] = useState<ExportJobView[] | null>(null)
  const [starting, setStarting] = useState(false)
  const [startError, setStartError] = useState<unknown>(null)
  // a node handed over by a dashboard or list (?nodeId=…); else the caller's own node
  const [nodeId, setNodeId] = useState<string | undefined>(() => {
    const f = formFromQuery(params)
    return f[f.kind].nodeId
  })

  const loadJobs = useCallback(() => {
    call('export', 'jobs', {}).then(setJobs, () => setJobs((j) => j ?? []))
  }, [])
  const runner = useExportRunner(loadJobs)

  const loadMe = useCallback(() => {
    setMeError(null)
    call('user', 'me', {}).then(setMe, setMeError)
  }, [])
  useEffect(() => {
    loadMe()
    call('grid', 'catalogue', {}).then(
      (list) => setCategories([...new Set(list.map((s) => s.category))]),
      () => undefined,
    )
  }, [loadMe])
  useDidShow(loadJobs)

  const staffRoles = (me?.roles ?? []).filter((r) => isStaff(r.role))
  const nodes = staffRoles.filter((r, i) => staffRoles.findIndex((x) => x.nodeId === r.nodeId) === i).map((r) => ({ key: r.nodeId, label: r.nodeName || '我的区域' }))
  if (nodeId && !nodes.some((n) => n.key === nodeId)) nodes.unshift({ key: nodeId, label: '统计页所选区域' })
  const node = nodeId ?? nodes[0]?.key

  const set = (patch: Partial<ExportForm>) => setForm((f) => ({ ...f, ...patch }))
  const setOrders = (patch: Partial<ExportForm['orders']>) => setForm((f) => ({ ...f, orders: { ...f.orders, ...patch } }))
  const period = form.orders.preset ?? (form.orders.from || form.orders.to ? 'custom' : 'all')

  const start = async () => {
    if (starting || (runner.job && (runner.job.state === 'running' || runner.job.state === 'assembling'))) return
    if (form.kind === 'orders' && period === 'custom' && (!form.orders.from || !form.orders.to)) {
      Taro.showModal({ title: '请选择日期', content: '自定义时间请选好开始和结束日期。', showCancel: false })
      return
    }
    setStarting(true)
    setStartError(null)
    try {
      const input = { requestId: newRequestId(), kind: form.kind, format: form.format, fullPhones: form.fullPhones, filters: filtersOf(form, node) } as ActionInput<'export', 'start'>
      const job = await call('export', 'start', input)
      loadJobs()
      runner.run(job)
    } catch (e) {
      setStartError(e)
    } finally {
      setStarting(false)
    }
  }

  const job = runner.job
  const active = !!job && (job.state === 'running' || job.state === 'assembling')

  return (
    <View className='xf-page export'>
      <PageState loading={!me && !meError} error={!me ? meError : null} onRetry={loadMe}>
        {me && staffRoles.length === 0 ? (
          <PageState empty emptyText='只有村实践站、乡镇实践所和县级工作人员可以导出数据' />
        ) : (
          <>
            <View className='xf-card'>
              <View className='export__label'>导出内容</View>
              <Chips prefix='kind' options={EXPORT_KINDS.map((k) => ({ key: k, label: EXPORT_KIND_LABEL[k] }))} value={form.kind} onChange={(kind) => set({ kind })} />
              {nodes.length > 1 && (
                <>
                  <View className='export__label'>区域</View>
                  <Chips prefix='node' options={nodes} value={node ?? ''} onChange={setNodeId} />
                </>
              )}

              {form.kind === 'orders' && (
                <>
                  <View className='export__label'>时间（按下单时间）</View>
                  <Chips
                    prefix='period'
                    options={EXPORT_PERIODS.map((p) => ({ key: p, label: EXPORT_PERIOD_LABEL[p] }))}
                    value={period}
                    onChange={(preset) => setOrders(preset === 'custom' ? { preset, from: form.orders.from ?? today(), to: form.orders.to ?? today() } : { preset, from: undefined, to: undefined })}
                  />
                  {period === 'custom' && (
                    <View className='export__dates'>
                      <Picker mode='date' value={form.orders.from ?? today()} end={today()} onChange={(e) => setOrders({ from: e.detail.value })}>
                        <View id='export-from' className='export__date'>{form.orders.from ?? '开始日期'}</View>
                      </Picker>
                      <Text className='export__to'>至</Text>
                      <Picker mode='date' value={form.orders.to ?? today()} end={today()} onChange={(e) => setOrders({ to: e.detail.value })}>
                        <View id='export-to' className='export__date'>{form.orders.to ?? '结束日期'}</View>
                      </Picker>
                    </View>
                  )}
                  <View className='export__label'>状态</View>
                  <Picker
                    mode='selector'
                    range={STATUS_RANGE}
                    value={form.orders.status ? ORDER_STATES.indexOf(form.orders.status) + 1 : 0}
                    onChange={(e) => setOrders({ status: Number(e.detail.value) === 0 ? undefined : ORDER_STATES[Number(e.detail.value) - 1] })}
                  >
                    <View id='export-status' className='export__select'>{form.orders.status ? STATE_LABEL[form.orders.status] : '全部状态'} ▾</View>
                  </Picker>
                  {categories.length > 0 && (
                    <>
                      <View className='export__label'>服务类别</View>
                      <Chips
                        prefix='category'
                        options={[{ key: '', label: '全部' }, ...categories.map((c) => ({ key: c, label: c }))]}
                        value={form.orders.category ?? ''}
                        onChange={(c) => setOrders({ category: c || undefined })}
                      />
                    </>
                  )}
                  <View className='export__label'>来源</View>
                  <Chips prefix='source' options={SOURCES} value={form.orders.source ?? ''} onChange={(s) => setOrders({ source: (s || undefined) as ExportForm['orders']['source'] })} />
                </>
              )}

              {form.kind === 'volunteers' && (
                <>
                  <View className='export__label'>状态</View>
                  <Chips
                    prefix='vstatus'
                    options={[{ key: '', label: '全部' }, ...VOLUNTEER_STATUSES.map((s) => ({ key: s, label: VOLUNTEER_STATUS_LABEL[s] }))]}
                    value={form.volunteers.status ?? ''}
                    onChange={(s) => set({ volunteers: { status: (s || undefined) as ExportForm['volunteers']['status'] } })}
                  />
                </>
              )}

              {form.kind === 'points' && (
                <>
                  <View className='export__label'>月份（默认今年）</View>
                  <View className='export__dates'>
                    <Picker mode='date' fields='month' value={form.points.fromMonth ?? `${monthOf(Date.now()).slice(0, 4)}-01`} onChange={(e) => set({ points: { ...form.points, fromMonth: e.detail.value.slice(0, 7) } })}>
                      <View id='export-from-month' className='export__date'>{form.points.fromMonth ?? `${monthOf(Date.now()).slice(0, 4)}-01`}</View>
                    </Picker>
                    <Text className='export__to'>至</Text>
                    <Picker mode='date' fields='month' value={form.points.toMonth ?? monthOf(Date.now())} onChange={(e) => set({ points: { ...form.points, toMonth: e.detail.value.slice(0, 7) } })}>
                      <View id='export-to-month' className='export__date'>{form.points.toMonth ?? monthOf(Date.now())}</View>
                    </Picker>
                  </View>
                </>
              )}

              <View className='export__label'>格式</View>
              <Chips prefix='format' options={EXPORT_FORMATS.map((f) => ({ key: f, label: EXPORT_FORMAT_LABEL[f] }))} value={form.format} onChange={(format) => set({ format })} />
              {form.kind !== 'points' && (
                <>
                  <View className='export__label'>手机号</View>
                  <Chips
                    prefix='phones'
                    options={[
                      { key: 'masked', label: '隐藏中间四位' },
                      { key: 'full', label: '完整手机号' },
                    ]}
                    value={form.fullPhones ? 'full' : 'masked'}
                    onChange={(k) => set({ fullPhones: k === 'full' })}
                  />
                  {form.fullPhones && <View className='export__warn'>含完整手机号的表格只用于本区域工作，请勿转发到群里或外传。</View>}
                </>
              )}
              <View className='xf-hint export__hint'>文本以 ' 开头的单元格是为防止表格公式被执行而加的，属正常现象。文件保留 7 天。</View>
              <View className='xf-actions'>
                <Btn id='export-start' type='primary' disabled={starting || active} onClick={start}>
                  {starting ? '正在准备…' : active ? '正在导出…' : '开始导出'}
                </Btn>
              </View>
              {!!startError && <ErrorBox error={startError} />}
            </View>

            {job && (
              <View id='export-current' className='xf-card'>
                <View className='export__job-title'>
                  {job.nodeName} · {EXPORT_KIND_LABEL[job.kind]}
                </View>
                {active && (
                  <View id='export-progress' className='export__progress'>
                    <View className='export__bar'>
                      <View className='export__bar-fill' style={{ width: `${job.percent}%` }} />
                    </View>
                    <View className='export__progress-text'>
                      {job.state === 'assembling' ? `共 ${job.rows} 行，正在生成文件…` : `已导出 ${job.rows} / ${job.total} 行`}
                    </View>
                    <View className='xf-muted'>可以离开此页面，导出会在后台完成，稍后在「最近导出」里下载。</View>
                  </View>
                )}
                {job.state === 'done' && (
                  <View className='export__done'>
                    <View id='export-done-text' className='export__progress-text'>
                      已完成，共 {job.rows} 行
                    </View>
                    <DownloadButton job={job} id='export-download' />
                  </View>
                )}
                {job.state === 'failed' && <View className='export__error'>{job.error}</View>}
                {!!runner.error && <ErrorBox error={runner.error} onRetry={() => runner.run(job)} />}
              </View>
            )}

            <View className='xf-h2'>最近导出</View>
            <PageState loading={!jobs} empty={!!jobs && jobs.length === 0} emptyText='还没有导出记录'>
              <View id='export-jobs'>
                {jobs?.map((j) => (
                  <JobCard key={j.id} job={j} onResume={runner.run} />
                ))}
              </View>
            </PageState>
          </>
        )}
      </PageState>
    </View>
  )
}
