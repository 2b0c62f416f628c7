import Taro from '@tarojs/taro'
import { Image, View } from '@tarojs/components'
import { Loading } from '@/components/PageState'
import { errorMessage } from '@/api'
import { IS_H5 } from '@/components/util'
import type { HonorPosterView } from '@/core/honor'

/**
 * The poster for WeChat groups: tap to enlarge (WeChat's viewer saves and forwards it), long-press
 * to save or send. Ids: honor-poster (the image), honor-poster-hint.
 */
export default function Poster(p: { poster: HonorPosterView | null; error: unknown }) {
  const { poster, error } = p
  if (error) return <View className='xf-hint'>海报暂时生成不了：{errorMessage(error)}</View>
  if (!poster) return <Loading small text='正在生成海报…' />
  return (
    <View className='jh-poster'>
      <Image
        id='honor-poster'
        className='jh-poster__img'
        src={poster.url}
        mode='widthFix'
        showMenuByLongpress
        onClick={() => Taro.previewImage({ urls: [poster.url], current: poster.url }).catch(() => {})}
      />
      <View id='honor-poster-hint' className='jh-poster__hint'>
        {IS_H5 ? '手机上长按图片保存（电脑上右键“图片另存为”），再发到微信群。' : '长按图片可以保存到手机或直接发给微信好友、微信群；点一下可以放大。'}
      </View>
    </View>
  )
}
