// 志愿服务记录证明: placeholder replaced below
import { AppError, type CertificateView } from '../../src/core'
import type { Deps } from '../shared/context'

export async function certificate(_deps: Deps): Promise<CertificateView> {
  throw new AppError('INTERNAL', '记录证明尚未实现')
}
