import Taro from '@tarojs/taro'
import { ApiError, call, devSession } from './index'

/** Photos: at most 9 per order or showcase, each ≤ 10 MB, images only (the server checks again). */
export const MAX_PHOTOS = 9
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024

let prefix: string | undefined

/**
 * Upload one local image (a path from Taro.chooseImage/chooseMedia) and return its fileID.
 * weapp → cloud storage (Taro.cloud.uploadFile); H5 → the local runtime's POST /upload.
 */
export async function uploadImage(filePath: string, size?: number): Promise<string> {
  if (size !== undefined && size > MAX_PHOTO_BYTES) throw new ApiError('VALIDATION', '图片不能超过 10 MB')
  if (process.env.TARO_ENV === 'h5') {
    const res = await Taro.uploadFile({ url: '/upload', filePath, name: 'file', header: { authorization: `Bearer ${devSession.get()}` } })
    let body: { fileID?: string; error?: string } = {}
    try {
      body = JSON.parse(res.data)
    } catch {
      /* not JSON: reported below */
    }
    if (res.statusCode !== 200 || !body.fileID) throw new ApiError('UPLOAD', body.error || `图片上传失败（${res.statusCode}）`)
    return body.fileID
  }
  const ext = /\.(jpe?g|png|webp|gif)$/i.exec(filePath)?.[1] ?? 'jpg'
  // only files under one's own prefix can be attached to an order, a showcase or a registration
  prefix ??= (await call('user', 'me', {})).uploadPrefix
  const cloudPath = `${prefix}${Date.now()}-${Math.random().toString(36).slice(2, 10)}.${ext}`
  const res = await Taro.cloud.uploadFile({ cloudPath, filePath })
  return res.fileID
}
