import { useMemo, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { Image, View } from '@tarojs/components'
import { photoSrc } from '@/components/Photos'
import { errorMessage } from '@/api'
import { MAX_PHOTOS, MAX_PHOTO_BYTES, uploadImage } from '@/api/upload'
import './photoPicker.scss'

/** One photo: picked on this device (`local`), uploaded once it has a `fileID` (a draft restores only those). */
export type PickedPhoto = { key: string; local?: string; size?: number; fileID?: string; state: 'waiting' | 'uploading' | 'done' | 'failed'; error?: string }

let seq = 0
const nextKey = () => `p${Date.now().toString(36)}${++seq}`

/**
 * Several photos (camera or album), uploaded one at a time as soon as they are picked (a weak
 * network copes better with one than with nine); a failed one is retried with a tap. `initial`:
 * fileIDs already uploaded (a restored draft).
 */
export function usePhotos(initial: string[] = [], max = MAX_PHOTOS) {
  const [photos, setPhotos] = useState<PickedPhoto[]>(() => initial.map((fileID) => ({ key: nextKey(), fileID, state: 'done' })))
  // the upload loop reads the latest list from the ref; state mirrors it for drawing
  const ref = useRef(photos)
  const uploading = useRef(false)
  const setList = (next: PickedPhoto[]) => {
    ref.current = next
    setPhotos(next)
  }
  const patch = (key: string, p: Partial<PickedPhoto>) => setList(ref.current.map((x) => (x.key === key ? { ...x, ...p } : x)))

  const uploadNext = () => {
    const next = ref.current.find((p) => p.state === 'waiting')
    if (!next) {
      uploading.current = false
      return
    }
    uploading.current = true
    patch(next.key, { state: 'uploading', error: undefined })
    uploadImage(next.local!, next.size)
      .then(
        (fileID) => patch(next.key, { state: 'done', fileID }),
        (e) => patch(next.key, { state: 'failed', error: errorMessage(e) }),
      )
      .then(uploadNext)
  }
  const start = () => {
    if (!uploading.current) uploadNext()
  }

  const add = () => {
    const room = max - ref.current.length
    if (room <= 0) return Taro.showToast({ title: `照片最多${max}张`, icon: 'none' })
    Taro.chooseImage({ count: room, sizeType: ['compressed'], sourceType: ['camera', 'album'] }).then(
      (res) => {
        const picked: PickedPhoto[] = res.tempFiles.slice(0, room).map((f) => {
          const tooBig = f.size > MAX_PHOTO_BYTES
          return { key: nextKey(), local: f.path, size: f.size, state: tooBig ? 'failed' : 'waiting', error: tooBig ? '图片不能超过 10 MB' : undefined }
        })
        if (!picked.length) return
        setList(ref.current.concat(picked))
        start()
      },
      () => {
        /* cancelled */
      },
    )
  }
  const retry = (key: string) => {
    const p = ref.current.find((x) => x.key === key)
    if (!p?.local || (p.size ?? 0) > MAX_PHOTO_BYTES) return
    patch(key, { state: 'waiting', error: undefined })
    start()
  }
  const remove = (key: string) => setList(ref.current.filter((x) => x.key !== key))
  const clear = () => setList([])

  const uploaded = useMemo(() => photos.filter((p) => p.fileID).map((p) => p.fileID!), [photos])
  const busy = photos.filter((p) => p.state === 'waiting' || p.state === 'uploading').length
  const failed = photos.filter((p) => p.state === 'failed').length
  return { photos, uploaded, busy, failed, max, add, retry, remove, clear }
}
export type PhotoSet = ReturnType<typeof usePhotos>

/**
 * The tiles of `usePhotos`: each photo with 上传中 / 失败，点此重试 and a × to drop it, then the
 * add tile (id `addId`). Progress and a failure note under them.
 */
export default function PhotoPicker({ photos: p, id, addId, addText = '拍照/相册' }: { photos: PhotoSet; id?: string; addId: string; addText?: string }) {
  const done = p.photos.filter((x) => x.state === 'done').length
  return (
    <>
      <View id={id} className='xw-photos'>
        {p.photos.map((x) => {
          const src = x.local || (x.fileID ? photoSrc(x.fileID) : null)
          return (
            <View key={x.key} className='xw-photos__tile'>
              {src ? <Image className='xw-photos__img' src={src} mode='aspectFill' /> : <View className='xw-photos__img xw-photos__img--saved'>已上传</View>}
              {x.state === 'uploading' && <View className='xw-photos__mask'>上传中</View>}
              {x.state === 'waiting' && <View className='xw-photos__mask'>等待上传</View>}
              {x.state === 'failed' && (
                <View className='xw-photos__mask xw-photos__mask--bad' onClick={() => p.retry(x.key)}>
                  {x.error?.includes('10 MB') ? '太大了' : '失败，点此重试'}
                </View>
              )}
              <View className='xw-photos__remove' aria-label='删除这张照片' onClick={() => p.remove(x.key)}>
                ×
              </View>
            </View>
          )
        })}
        {p.photos.length < p.max && (
          <View id={addId} className='xw-photos__tile xw-photos__add' hoverClass='xf-pressed' onClick={p.add}>
            <View className='xw-photos__plus'>＋</View>
            <View>{addText}</View>
          </View>
        )}
      </View>
      {p.busy > 0 && (
        <View className='xw-photos__progress'>
          正在上传照片 {done + 1}/{done + p.busy}…
        </View>
      )}
      {!p.busy && p.failed > 0 && <View className='xw-photos__warn'>{p.failed} 张没传上，点照片重试或点 × 删掉</View>}
    </>
  )
}
