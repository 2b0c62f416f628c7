import Taro from '@tarojs/taro'
import { Image, View } from '@tarojs/components'
import './components.scss'

/**
 * Where an image can be drawn from: http(s) URLs as they are; cloud:// fileIDs work
 * directly in the mini-program's Image; anything else is not drawable here.
 */
export function photoSrc(p: string): string | null {
  if (/^https?:\/\//.test(p) || p.startsWith('/') || p.startsWith('blob:') || p.startsWith('data:')) return p
  if (p.startsWith('cloud://') && process.env.TARO_ENV !== 'h5') return p
  return null
}

/** A grid of photo thumbnails (pass the views' `photoUrls`); tap one to see it full screen. */
export default function Photos({ photos, count, id }: { photos: string[]; count?: number; id?: string }) {
  const srcs = photos.map(photoSrc).filter((s): s is string => !!s)
  const total = Math.max(count ?? 0, photos.length)
  if (total === 0) return null
  if (srcs.length === 0) return <View className='xf-muted'>共 {total} 张照片（暂时无法显示）</View>
  return (
    <View id={id} className='xf-photos'>
      {srcs.map((src, i) => (
        <Image
          key={`${src}-${i}`}
          className='xf-photos__img'
          src={src}
          mode='aspectFill'
          lazyLoad
          onClick={() => Taro.previewImage({ urls: srcs, current: src }).catch(() => {})}
        />
      ))}
    </View>
  )
}
