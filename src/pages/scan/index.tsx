import { View } from '@tarojs/components'
import { Button } from '@nutui/nutui-react-taro'
import { placeOrderInput } from '@/core/order'
import { gridCodeSchema } from '@/core/grid'
import { formatShort } from '@/core/time'

export default function Scan() {
  return <View onClick={() => console.log(placeOrderInput.safeParse({}), gridCodeSchema.safeParse('x'), formatShort(1))}>扫码<Button type="primary">点单</Button></View>
}
