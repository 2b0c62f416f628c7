import { View } from '@tarojs/components'
import Btn from './Btn'
import { errorMessage } from '@/api'
import { retryHelps } from '@/core/errors'
import { callPhone, errorCode, goLogin, needsLogin } from './util'
import './components.scss'

type Props = {
  error: unknown
  /** shown as a "重试" button, when another try can help (a network or server failure) */
  onRetry?: () => void
  /** text instead of the server's message */
  message?: string
  /** the grid's hotline: offered as 拨打网格热线 (a person can always order by phone instead) */
  hotline?: string | null
}

/**
 * A failure in plain words, with the way out: retry (only where it can help), the grid's hotline, or (H5) sign in. Carries id="error-message".
 * When sign-in is needed the message itself (the server says "请先登录") links to the dev sign-in too.
 */
export default function ErrorBox({ error, onRetry, message, hotline }: Props) {
  const login = needsLogin(error)
  let text = message || errorMessage(error)
  if (login && !text.includes('请先登录')) text = `请先登录（${text}）`
  return (
    <View className='xf-errorbox'>
      <View id='error-message' className='xf-errorbox__text' onClick={login ? goLogin : undefined}>
        {text}
      </View>
      <View className='xf-errorbox__actions'>
        {login && (
          <Btn type='primary' size='small' onClick={goLogin}>
            去登录
          </Btn>
        )}
        {onRetry && !login && retryHelps(errorCode(error)) && (
          <Btn type='default' size='small' onClick={onRetry}>
            重试
          </Btn>
        )}
        {hotline && !login && (
          <Btn id='call-hotline' type='default' size='small' onClick={() => callPhone(hotline)}>
            拨打网格热线
          </Btn>
        )}
      </View>
    </View>
  )
}
