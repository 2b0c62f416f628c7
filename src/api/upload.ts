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
  return toCloud(filePath, /\.(jpe?g|png|webp|gif)$/i.exec(filePath)?.[1] ?? 'jpg')
}

/** weapp: a local file to cloud storage under the caller's own prefix (only such files can be attached to anything). */
async function toCloud(filePath: string, ext: string): Promise<string> {
  prefix ??= (await call('user', 'me', {})).uploadPrefix
  const cloudPath = `${prefix}${Date.now()}-${Math.random().toString(36).slice(2, 10)}.${ext}`
  const res = await Taro.cloud.uploadFile({ cloudPath, filePath })
  return res.fileID
}

/** A voice note: ≤ 2 MB (60 s), the server checks again. */
export const MAX_VOICE_BYTES = 2 * 1024 * 1024

/**
 * Upload a voice note and return its fileID, under the uploader's own prefix as photos are.
 * H5: the recorder's Blob to the local runtime's POST /upload (WebM or Ogg); weapp: the
 * recorder's temp file (mp3) to cloud storage.
 */
export async function uploadVoice(rec: { blob?: Blob; filePath?: string }): Promise<string> {
  if (process.env.TARO_ENV === 'h5') {
    if (!rec.blob || rec.blob.size > MAX_VOICE_BYTES) throw new ApiError('VALIDATION', '录音太长了，请重新录一段短一些的')
    const form = new FormData()
    form.append('file', rec.blob, 'voice')
    const res = await fetch('/upload', { method: 'POST', body: form, headers: { authorization: `Bearer ${devSession.get()}` } }).catch(() => null)
    const body = ((await res?.json().catch(() => null)) ?? {}) as { fileID?: string; error?: string }
    if (!res || res.status !== 200 || !body.fileID) throw new ApiError('UPLOAD', body.error || '录音上传失败，请稍后再试')
    return body.fileID
  }
  return toCloud(rec.filePath!, 'mp3')
}
