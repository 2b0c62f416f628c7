import { View } from '@tarojs/components'
import { Button } from '@nutui/nutui-react-taro'

export default function Scan() {
  return <View>扫码<Button type="primary">点单</Button></View>
}
