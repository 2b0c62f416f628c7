import type { Dispatch, SetStateAction } from 'react'
import Taro from '@tarojs/taro'
import { Image, View } from '@tarojs/components'
import { photoSrc } from '@/components/Photos'
import { errorMessage } from '@/api'
import { MAX_PHOTO_BYTES, uploadImage } from '@/api/upload'
import './onePhoto.scss'

/** One optional photo being chosen: the local file, its fileID once uploaded, its stored URL when editing. */
export type PhotoState = { local?: string; fileID?: string; url?: string | null; state: 'uploading' | 'done' | 'failed'; error?: string }

/**
 * Tap to choose one photo (album or camera); it uploads at once, with 上传中 / 没传上 on the
 * tile and a 不用照片 link to drop it. `portrait` tiles suit a badge photo. Ids: `id` (the
 * tile), `removeId` (the link).
 */
export default function OnePhoto(p: { id: string; removeId?: string; value: PhotoState | null; onChange: Dispatch<SetStateAction<PhotoState | null>>; portrait?: boolean }) {
  const { value: photo, onChange: setPhoto } = p
  const pick = () => {
    Taro.chooseImage({ count: 1, sizeType: ['compressed'], sourceType: ['album', 'camera'] }).then(
      (res) => {
        const f = res.tempFiles[0]
        if (!f) return
        if (f.size > MAX_PHOTO_BYTES) return setPhoto({ local: f.path, state: 'failed', error: '图片不能超过 10 MB' })
        setPhoto({ local: f.path, state: 'uploading' })
        uploadImage(f.path, f.size).then(
          (fileID) => setPhoto((cur) => (cur?.local === f.path ? { ...cur, fileID, state: 'done' } : cur)),
          (e) => setPhoto((cur) => (cur?.local === f.path ? { ...cur, state: 'failed', error: errorMessage(e) } : cur)),
        )
      },
      () => {
        /* cancelled */
      },
    )
  }
  const shown = photo ? photo.local || (photo.url ? photoSrc(photo.url) : null) || (photo.fileID ? photoSrc(photo.fileID) : null) : null
  const tile = `xw-photo${p.portrait ? ' xw-photo--portrait' : ''}`
  return (
    <>
      <View className='xw-photo-row'>
        <View id={p.id} className={tile} hoverClass='xf-pressed' onClick={pick}>
          {shown ? <Image className='xw-photo__img' src={shown} mode='aspectFill' /> : <View className='xw-photo__empty'>{photo?.fileID ? '已上传' : '＋ 添加照片'}</View>}
          {photo?.state === 'uploading' && <View className='xw-photo__mask'>上传中…</View>}
          {photo?.state === 'failed' && <View className='xw-photo__mask xw-photo__mask--bad'>没传上，点此重选</View>}
        </View>
        {photo && (
          <View id={p.removeId} className='xf-form__change' hoverClass='xf-pressed' onClick={() => setPhoto(null)}>
            不用照片
          </View>
        )}
      </View>
      {photo?.state === 'failed' && photo.error && <View className='xf-form__error'>{photo.error}</View>}
    </>
  )
}
