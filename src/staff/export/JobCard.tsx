import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import { IS_H5 } from '@/components/util'
import { EXPORT_KIND_LABEL, EXPORT_STATE_LABEL, type ExportJobView } from '@/core/exports'
import { formatShort } from '@/core/time'

const TAG: Record<ExportJobView['state'], string> = { running: 'work', assembling: 'work', done: 'done', failed: 'wait', expired: 'end' }
const size = (bytes: number | null) => (bytes === null ? '' : bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`)

/** weapp: the file from cloud storage by its fileID (no download-domain whitelist needed), else by its temp URL. */
async function downloadFile(j: ExportJobView): Promise<string> {
  try {
    const d = await Taro.cloud.downloadFile({ fileID: j.fileId! })
    if (d.tempFilePath) return d.tempFilePath
  } catch {
    /* try the URL */
  }
  const d = await Taro.downloadFile({ url: j.url! })
  if (d.statusCode !== 200 || !d.tempFilePath) throw new Error(`HTTP ${d.statusCode}`)
  return d.tempFilePath
}

/**
 * weapp: Excel opens in WeChat's viewer (its menu forwards it to a chat or the PC); a CSV
 * cannot be opened there, so it is sent to a chat as a file (or its link copied).
 */
export async function openExport(j: ExportJobView) {
  Taro.showLoading({ title: '正在下载…' })
  let filePath = ''
  try {
    filePath = await downloadFile(j)
  } catch {
    /* reported below */
  }
  Taro.hideLoading()
  if (!filePath) {
    Taro.showModal({ title: '下载失败', content: '文件没有下载下来，请检查网络后再试一次。', showCancel: false })
    return
  }
  try {
    if (j.format === 'xlsx') await Taro.openDocument({ filePath, fileType: 'xlsx', showMenu: true })
    else await Taro.shareFileMessage({ filePath, fileName: j.fileName ?? undefined })
  } catch {
    await Taro.setClipboardData({ data: j.url ?? '' }).catch(() => undefined)
    Taro.showModal({ title: '没能直接打开', content: '下载链接已复制，可粘贴到浏览器或电脑上打开（链接一天内有效）。', showCancel: false })
  }
}

/** The download of a finished export: H5 a plain download link, weapp a button. */
export function DownloadButton({ job, id }: { job: ExportJobView; id?: string }) {
  if (!job.url) return <View className='xf-muted'>下载链接暂不可用，请稍后刷新</View>
  if (IS_H5) {
    return (
      <>
        <View className='xf-muted export__file'>{job.fileName}</View>
        <a id={id} className='xf-btn xf-btn--primary xf-btn--large export__download' href={job.url} download={job.fileName ?? undefined}>
          {job.format === 'xlsx' ? '下载 Excel 表格' : '下载 CSV 文件'}
        </a>
      </>
    )
  }
  return (
    <Btn id={id} type='primary' onClick={() => openExport(job)}>
      {job.format === 'xlsx' ? '打开 Excel 表格' : '发送 CSV 文件'}
    </Btn>
  )
}

/** One export of the 最近导出 list; a running one can be resumed here. */
export default function JobCard({ job, onResume }: { job: ExportJobView; onResume: (j: ExportJobView) => void }) {
  const active = job.state === 'running' || job.state === 'assembling'
  return (
    <View className='xf-card export__job' id={`export-job-${job.id}`}>
      <View className='xf-row'>
        <View className='export__job-title'>
          {job.nodeName} · {EXPORT_KIND_LABEL[job.kind]}
        </View>
        <Text className={`xf-tag xf-tag--${TAG[job.state]}`}>{EXPORT_STATE_LABEL[job.state]}</Text>
      </View>
      <View className='xf-muted'>
        {job.filters} · {job.format === 'xlsx' ? 'Excel' : 'CSV'}
        {job.fullPhones ? ' · 含完整手机号' : ''}
      </View>
      <View className='xf-muted'>
        {formatShort(job.createdAt)} 发起 · {job.state === 'done' ? `${job.rows} 行 ${size(job.bytes)}` : `${job.rows}/${job.total} 行`}
      </View>
      {job.state === 'failed' && <View className='export__error'>{job.error}</View>}
      {job.state === 'expired' && <View className='xf-muted'>文件已按规定删除，如需要请重新导出</View>}
      {job.state === 'done' && <DownloadButton job={job} />}
      {active && (
        <Btn size='small' onClick={() => onResume(job)}>
          在此页继续
        </Btn>
      )}
    </View>
  )
}
