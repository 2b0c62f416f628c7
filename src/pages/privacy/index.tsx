import { View } from '@tarojs/components'
import { PRIVACY_VERSION } from '@/core/checks'
import './index.scss'
import { useCareMode } from '@/components/CareMode'

// 用户隐私保护指引: what we collect, why, who sees it. Plain words for elderly readers.
const SECTIONS: [string, string[]][] = [
  ['我们收集哪些信息', ['您点单时填写的诉求内容、联系电话、称呼和期望时间；', '您所在的网格（来自您扫描的标识牌）；', '您上传的照片（如有）。']],
  ['用来做什么', ['只用于办理您的诉求：派给志愿者、联系您、回访评价；', '汇总统计时不带您的姓名和电话。']],
  ['谁能看到', ['您所在村（社区）新时代文明实践站、乡镇实践所和县里负责督办的工作人员；', '接单的志愿者：接单后才能看到您的电话，服务结束后再次隐藏；', '诉求内容不会公开，您自己选择“晒单”的内容经审核后才会公开。']],
  ['保存多久', ['诉求办结后按县里的档案规定保存，用于查询和监督，到期后删除或匿名化。']],
  ['您的权利', ['您可以随时查看自己的诉求；', '如需更正或删除信息，请拨打网格服务热线或到村实践站办理。']],
]

export default function Privacy() {
  const care = useCareMode()
  return (
    <View className={`xf-page privacy${care.cls}`}>
      {SECTIONS.map(([title, lines]) => (
        <View key={title} className='xf-card'>
          <View className='privacy__title'>{title}</View>
          {lines.map((l) => (
            <View key={l} className='privacy__line'>
              {l}
            </View>
          ))}
        </View>
      ))}
      <View className='privacy__version'>版本 {PRIVACY_VERSION}</View>
    </View>
  )
}
