import { useEffect, useState } from 'react'
import { Input } from '@tarojs/components'

/** What the field says: null when empty, NaN when not a number. */
const parse = (text: string) => (text.trim() === '' ? null : Number(text))
const show = (n: number | null) => (n !== null && Number.isFinite(n) ? String(n) : '')
const same = (a: number | null, b: number | null) => a === b || (a !== null && b !== null && Number.isNaN(a) && Number.isNaN(b))

/**
 * A number typed as text (kept while typing: "0." is not yet a number); the number, or
 * null when empty, goes up. A new value from above (another item, 放弃修改) replaces the text.
 */
export default function NumField(props: {
  id: string
  value: number | null
  onChange: (n: number | null) => void
  /** digit: decimals allowed */
  type?: 'number' | 'digit'
  placeholder?: string
  maxlength?: number
}) {
  const { id, value, onChange, type = 'number', placeholder, maxlength = 5 } = props
  const [text, setText] = useState(show(value))
  useEffect(() => {
    setText((cur) => (same(parse(cur), value) ? cur : show(value)))
  }, [value])
  const bad = value !== null && !Number.isFinite(value)
  return (
    <Input
      id={id}
      className={`xf-form__input xf-input-fill rules-num${bad ? ' xf-form__bad' : ''}`}
      type={type}
      value={text}
      maxlength={maxlength}
      placeholder={placeholder}
      onInput={(e) => {
        setText(e.detail.value)
        onChange(parse(e.detail.value))
      }}
    />
  )
}
