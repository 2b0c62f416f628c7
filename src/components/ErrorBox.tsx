import { View } from '@tarojs/components'
import { Button } from '@nutui/nutui-react-taro'
import { errorMessage } from '@/api'
import { goLogin, needsLogin } from './util'
import './components.scss'

type Props = {
  error: unknown
  /** shown as a "重试" button */
  onRetry?: () => void
  /** text instead of the server's message */
  message?: string
}

/** A failure in plain words, with the way out: retry, or (H5) sign in. Carries id="error-message". */
export default function ErrorBox({ error, onRetry, message }: Props) {
  const login = needsLogin(error)
  return (
    <View className='xf-errorbox'>
      <View id='error-message' className='xf-errorbox__text'>
        {message || errorMessage(error)}
      </View>
      <View className='xf-errorbox__actions'>
        {login && (
          <Button type='primary' size='large' onClick={goLogin}>
            请先登录
          </Button>
        )}
        {onRetry && !login && (
          <Button type='default' size='large' onClick={onRetry}>
            重试
          </Button>
        )}
      </View>
    </View>
  )
}
