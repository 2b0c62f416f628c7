import { useState } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { View } from '@tarojs/components'
import { VILLAGER_STATE_LABEL, STATE_LABEL, type OrderState } from '@/core/orderState'
import Btn from './Btn'
import { IS_H5, STORAGE, load, save } from './util'
import './components.scss'

type Choice = 'on' | 'off'

/**
 * WeChat's own text size (我 → 设置 → 通用 → 字体大小): 17 is the standard, larger means the person
 * already asked their phone for big text. Browsers expose nothing reliable (the page cannot read
 * the system's text scale), so H5 follows only the person's choice.
 */
function systemBigText(): boolean {
  if (IS_H5) return false
  try {
    return (Taro.getSystemInfoSync().fontSizeSetting ?? 0) > 17
  } catch {
    return false
  }
}

/**
 * 长辈模式 on this device: the person's own choice (switch or first-visit question), else WeChat's
 * text size. A page puts `cls` on its root; the sizes, targets and colours follow from app.scss.
 */
export function useCareMode() {
  const [choice, setChoice] = useState(() => load<Choice>(STORAGE.care))
  // switched on another page meanwhile: pages under the one shown stay alive
  useDidShow(() => setChoice(load<Choice>(STORAGE.care)))
  const on = choice ? choice === 'on' : systemBigText()
  const set = (next: boolean) => {
    const c: Choice = next ? 'on' : 'off'
    save(STORAGE.care, c)
    setChoice(c)
  }
  return { on, asked: !!choice, set, cls: on ? ' xf-care' : '' }
}
export type CareMode = ReturnType<typeof useCareMode>

/** An order's state in the words of the mode: plain ones for 长辈模式. */
export const stateWord = (care: CareMode, s: OrderState) => (care.on ? VILLAGER_STATE_LABEL : STATE_LABEL)[s] || s

/** The switch, always in sight on the landing and on 我的诉求. */
export function CareSwitch({ care }: { care: CareMode }) {
  return (
    <View className='xf-care-bar'>
      <View id='care-switch' className='xf-care-switch' role='switch' aria-checked={care.on} hoverClass='xf-pressed' onClick={() => care.set(!care.on)}>
        长辈模式<View className={`xf-care-switch__knob${care.on ? ' xf-care-switch__knob--on' : ''}`}>{care.on ? '开' : '关'}</View>
      </View>
    </View>
  )
}

/** Asked once per device, in one tap; the answer is remembered and the switch stays for later. */
export function CareAsk({ care }: { care: CareMode }) {
  if (care.asked) return null
  return (
    <View id='care-ask' className='xf-card xf-care-ask'>
      <View className='xf-care-ask__q'>{care.on ? '已按您微信的字号用大字显示' : '字太小？切换到长辈模式'}</View>
      <View className='xf-care-ask__btns'>
        <Btn id='care-yes' type='primary' onClick={() => care.set(true)}>
          {care.on ? '好的' : '切换'}
        </Btn>
        <Btn id='care-no' onClick={() => care.set(false)}>
          {care.on ? '换回小字' : '不用了'}
        </Btn>
      </View>
    </View>
  )
}
