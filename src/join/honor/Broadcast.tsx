import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import Btn from '@/components/Btn'

/** 广播稿: the list as plain words for the village loudspeaker, and a button that copies it. Ids: honor-broadcast, honor-copy. */
export default function Broadcast({ text }: { text: string }) {
  const copy = () =>
    Taro.setClipboardData({ data: text }).catch(() => Taro.showToast({ title: '复制没有成功，请长按文字选择复制', icon: 'none' }))
  return (
    <View className='xf-card jh-broadcast'>
      <Text id='honor-broadcast' className='jh-broadcast__text' userSelect>
        {text}
      </Text>
      <View className='jh-broadcast__actions'>
        <Btn id='honor-copy' type='outline' onClick={copy}>
          复制广播稿
        </Btn>
      </View>
    </View>
  )
}
