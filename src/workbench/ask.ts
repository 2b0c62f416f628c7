import Taro from '@tarojs/taro'

/** A confirmation before something that cannot be undone: true when the person taps `confirmText`. */
export const ask = (title: string, content: string, confirmText = '确定') =>
  Taro.showModal({ title, content, confirmText, cancelText: '取消' })
    .then((r) => r.confirm)
    .catch(() => false)
