import { View } from '@tarojs/components'

// Placeholder: this screen is being built (issue 3).
export default function Page() {
  return <View className='xf-page'>即将上线</View>
}
