import { Text, View } from '@tarojs/components'
import './components.scss'

/** One labelled line of an order's facts (服务类别、所在网格、联系电话…). */
export default function Fact({ label, value }: { label: string; value: string }) {
  return (
    <View className='xf-fact'>
      <Text className='xf-fact__label'>{label}</Text>
      <Text className='xf-fact__value'>{value}</Text>
    </View>
  )
}
