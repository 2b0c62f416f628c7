import { useState } from 'react'
import Taro from '@tarojs/taro'
import { View } from '@tarojs/components'
import Btn from '@/components/Btn'
import { call, errorMessage } from '@/api'
import type { CertificateView } from '@/core/api'
import { IS_H5 } from '@/components/util'

/** weapp: the PDF from cloud storage by its fileID (no download-domain whitelist needed), else by its temp URL. */
async function downloadPdf(c: CertificateView): Promise<string> {
  try {
    const d = await Taro.cloud.downloadFile({ fileID: c.fileId })
    if (d.tempFilePath) return d.tempFilePath
  } catch {
    /* try the URL */
  }
  const d = await Taro.downloadFile({ url: c.url })
  if (d.statusCode !== 200 || !d.tempFilePath) throw new Error(`HTTP ${d.statusCode}`)
  return d.tempFilePath
}

/**
 * 下载志愿服务记录证明: the function renders the PDF of my verified services; H5 opens it in a
 * new tab (and keeps a link, since a browser may block a tab opened after the wait);
 * the mini-program downloads it and opens it. Ids: points-certificate, certificate-link.
 */
export default function CertificateButton() {
  const [busy, setBusy] = useState(false)
  const [cert, setCert] = useState<CertificateView | null>(null)

  const open = async (c: CertificateView) => {
    if (IS_H5) {
      window.open(c.url, '_blank')
      return
    }
    Taro.showLoading({ title: '正在下载…' })
    let filePath = ''
    try {
      filePath = await downloadPdf(c)
    } catch {
      /* reported below */
    }
    Taro.hideLoading()
    if (!filePath) {
      Taro.showModal({ title: '下载失败', content: '记录证明没有下载下来，请检查网络后再点一次。', showCancel: false })
      return
    }
    try {
      await Taro.openDocument({ filePath, fileType: 'pdf', showMenu: true })
    } catch {
      Taro.showModal({ title: '打开失败', content: '记录证明已下载，但没能打开，请稍后重试。', showCancel: false })
    }
  }

  const make = async () => {
    if (busy) return
    setBusy(true)
    try {
      const c = await call('points', 'certificate', {})
      setCert(c)
      await open(c)
    } catch (e) {
      Taro.showModal({ title: '证明没有生成', content: errorMessage(e), showCancel: false })
    } finally {
      setBusy(false)
    }
  }

  return (
    <View className='vpoints__cert'>
      <Btn id='points-certificate' type='outline' disabled={busy} onClick={make}>
        {busy ? '正在生成记录证明…' : '下载志愿服务记录证明'}
      </Btn>
      {cert && (
        <View className='vpoints__cert-done'>
          <View className='xf-muted'>
            证明编号 {cert.certificateNo}，共 {cert.services} 次已核验服务、{cert.hours} 小时
          </View>
          {IS_H5 ? (
            <a id='certificate-link' className='xf-link vpoints__cert-link' href={cert.url} target='_blank' rel='noreferrer' download={cert.fileName}>
              打开 {cert.fileName}
            </a>
          ) : (
            <View id='certificate-link' className='xf-link vpoints__cert-link' onClick={() => open(cert)}>
              再次打开记录证明 ›
            </View>
          )}
        </View>
      )}
      <View className='xf-hint vpoints__cert-hint'>证明只列出到场核验过的服务时长和工作人员补录的时长。</View>
    </View>
  )
}
