// Cloud storage as the services see it: which fileIDs exist, and their temp URLs.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { AppError } from '../../src/core'
import type { CloudBaseApp } from './context'

export interface FilesPort {
  /**
   * fileID → http(s) temp URL for the files that exist (missing ones are absent).
   * One storage call per 50 ids (the platform's limit).
   */
  tempUrls(fileIDs: readonly string[]): Promise<Map<string, string>>
  /** Store `content` at `cloudPath` (overwriting), returning its fileID. One storage call. */
  upload(cloudPath: string, content: Buffer): Promise<string>
  /** Store a local file (e.g. one made in /tmp) at `cloudPath`, streamed rather than held in memory. */
  uploadFile(cloudPath: string, localPath: string): Promise<string>
  /** A stored file's bytes (temp URL + GET). */
  download(fileID: string): Promise<Buffer>
  /** Delete files, best effort (missing ones are fine). One storage call per 50. */
  remove(fileIDs: readonly string[]): Promise<void>
}

const PER_CALL = 50

export function cloudFiles(app: CloudBaseApp): FilesPort {
  return {
    async tempUrls(fileIDs) {
      const ids = [...new Set(fileIDs.filter((f) => typeof f === 'string' && f))]
      const out = new Map<string, string>()
      const chunks: string[][] = []
      for (let i = 0; i < ids.length; i += PER_CALL) chunks.push(ids.slice(i, i + PER_CALL))
      await Promise.all(
        chunks.map(async (fileList) => {
          const res = (await app.getTempFileURL({ fileList })) as { fileList?: { fileID: string; tempFileURL: string; code: string }[]; code?: string }
          if (res.code) throw new Error(`getTempFileURL: ${res.code}`)
          for (const f of res.fileList ?? []) if (f.code === 'SUCCESS' && /^https?:\/\//.test(f.tempFileURL)) out.set(f.fileID, f.tempFileURL)
        }),
      )
      return out
    },
    async upload(cloudPath, fileContent) {
      const res = (await app.uploadFile({ cloudPath, fileContent })) as { fileID?: string; code?: string; message?: string }
      if (!res.fileID) throw new Error(`uploadFile: ${res.code ?? 'no fileID'} ${res.message ?? ''}`.trim())
      return res.fileID
    },
    async uploadFile(cloudPath, localPath) {
      const res = (await app.uploadFile({ cloudPath, fileContent: createReadStream(localPath) })) as { fileID?: string; code?: string; message?: string }
      if (!res.fileID) throw new Error(`uploadFile: ${res.code ?? 'no fileID'} ${res.message ?? ''}`.trim())
      return res.fileID
    },
    async download(fileID) {
      const res = (await app.downloadFile({ fileID })) as { fileContent?: Buffer; code?: string; message?: string }
      if (!res.fileContent) throw new Error(`downloadFile: ${res.code ?? 'no content'} ${res.message ?? ''}`.trim())
      return res.fileContent
    },
    async remove(fileIDs) {
      for (let i = 0; i < fileIDs.length; i += PER_CALL) await app.deleteFile({ fileList: fileIDs.slice(i, i + PER_CALL) as string[] })
    },
  }
}

/** Used when an invocation was given no storage (some tests): views get no URLs, photo checks refuse. */
export const noFiles: FilesPort = {
  async tempUrls() {
    throw new AppError('INTERNAL', '文件存储暂不可用，请稍后重试')
  },
  async upload() {
    throw new AppError('INTERNAL', '文件存储暂不可用，请稍后重试')
  },
  async uploadFile() {
    throw new AppError('INTERNAL', '文件存储暂不可用，请稍后重试')
  },
  async download() {
    throw new AppError('INTERNAL', '文件存储暂不可用，请稍后重试')
  },
  async remove() {
    throw new AppError('INTERNAL', '文件存储暂不可用，请稍后重试')
  },
}

const IMAGE_EXT = /\.(jpe?g|png|webp|gif)$/i

/**
 * Where a person's uploads go: `uploads/<20 hex of sha256(openId)>/`. Only files under one's
 * own prefix can be attached (nobody attaches another's registration photo), and no openId
 * appears in a file's URL.
 */
export const uploadPrefix = (openId: string) => `uploads/${createHash('sha256').update(`xf-upload:${openId}`).digest('hex').slice(0, 20)}/`
/** A fileID's path in its bucket: cloud://<env>.<bucket>/<path>. */
const pathOf = (fileID: string) => fileID.replace(/^cloud:\/\/[^/]+\//, '')

/**
 * Photos must be images the caller (`owner`) uploaded, still in storage.
 * Returns their temp URLs. One storage call (≤ 9 ids).
 */
export async function requireStoredPhotos(files: FilesPort, fileIDs: readonly string[], owner: string): Promise<Map<string, string>> {
  if (fileIDs.length === 0) return new Map()
  if (new Set(fileIDs).size !== fileIDs.length) throw new AppError('VALIDATION', '照片重复了，请去掉重复的照片')
  if (fileIDs.some((f) => !f.startsWith('cloud://') || !IMAGE_EXT.test(f))) throw new AppError('VALIDATION', '只能上传图片（jpg、png、webp、gif）')
  const own = uploadPrefix(owner)
  if (fileIDs.some((f) => !pathOf(f).startsWith(own))) throw new AppError('VALIDATION', '只能使用您自己上传的照片，请重新选择照片上传')
  const urls = await files.tempUrls(fileIDs)
  if (fileIDs.some((f) => !urls.has(f))) throw new AppError('VALIDATION', '照片不存在或已过期，请重新上传')
  return urls
}

const VOICE_EXT = /\.(mp3|aac|m4a|webm|ogg)$/i

/**
 * A voice note must be a recording the caller (`owner`) uploaded, still in storage: like photos,
 * nobody attaches a file of someone else's. One storage call.
 */
export async function requireStoredVoice(files: FilesPort, fileID: string, owner: string): Promise<void> {
  if (!fileID.startsWith('cloud://') || !VOICE_EXT.test(fileID)) throw new AppError('VALIDATION', '语音文件不正确，请重新录音')
  if (!pathOf(fileID).startsWith(uploadPrefix(owner))) throw new AppError('VALIDATION', '只能使用您自己录的语音，请重新录音')
  const urls = await files.tempUrls([fileID])
  if (!urls.has(fileID)) throw new AppError('VALIDATION', '语音不存在或已过期，请重新录音')
}

/**
 * Temp URLs for views, best effort: a storage hiccup leaves URLs out rather than
 * failing the read. At most one storage call: the first 50 distinct ids (a list
 * page with more photos than that shows the rest as fileIDs only).
 */
export async function urlsFor(files: FilesPort, fileIDs: readonly string[]): Promise<Map<string, string>> {
  const ids = [...new Set(fileIDs)].slice(0, PER_CALL)
  if (ids.length === 0) return new Map()
  try {
    return await files.tempUrls(ids)
  } catch (e) {
    console.error('[files] temp URLs unavailable', (e as Error)?.message ?? e)
    return new Map()
  }
}
