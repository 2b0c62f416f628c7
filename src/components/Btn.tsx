import type { ReactNode } from 'react'
import { View } from '@tarojs/components'
import './components.scss'

type Props = {
  children: ReactNode
  onClick?: () => void
  /** primary: the one main action of a screen; default: secondary; outline: primary colour, no fill */
  type?: 'primary' | 'default' | 'outline'
  /** large (96px, the default) or small (72px) */
  size?: 'large' | 'small'
  disabled?: boolean
  id?: string
  /** extra classes, e.g. to find the button of one list item */
  className?: string
}

/**
 * A big, plain button. Our own rather than NutUI's: NutUI's Button brings ~25 KB
 * of CSS and JS into the main package, which the 500 KB budget cannot spare.
 */
export default function Btn({ children, onClick, type = 'default', size = 'large', disabled, id, className }: Props) {
  return (
    <View
      id={id}
      className={`xf-btn xf-btn--${type} xf-btn--${size}${disabled ? ' xf-btn--disabled' : ''}${className ? ` ${className}` : ''}`}
      hoverClass={disabled ? 'none' : 'xf-btn--pressed'}
      aria-disabled={disabled ? 'true' : undefined}
      onClick={() => {
        if (!disabled && onClick) onClick()
      }}
    >
      {children}
    </View>
  )
}
