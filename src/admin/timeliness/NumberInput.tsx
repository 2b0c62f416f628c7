import { useEffect, useState } from 'react'
import { Input } from '@tarojs/components'

/** What the field says as a number: NaN when empty or not a number (the schema then says 请填写…). */
const parse = (text: string) => (text.trim() === '' ? NaN : Number(text))
const show = (n: number) => (Number.isFinite(n) ? String(n) : '')

/**
 * A number typed as text: the text is kept while typing ("0." is not yet a number),
 * the number goes up. A new value from above (a preset, 放弃修改) replaces the text.
 */
export default function NumberInput(props: { id: string; value: number; onChange: (n: number) => void; className?: string; maxlength?: number }) {
  const { id, value, onChange, className, maxlength = 5 } = props
  const [text, setText] = useState(show(value))
  useEffect(() => {
    setText((cur) => {
      const typed = parse(cur)
      return typed === value || (Number.isNaN(typed) && Number.isNaN(value)) ? cur : show(value)
    })
  }, [value])

  return (
    <Input
      id={id}
      className={`xf-form__input xf-input-fill tl-num${Number.isFinite(value) ? '' : ' xf-form__bad'}${className ? ` ${className}` : ''}`}
      type='digit'
      value={text}
      maxlength={maxlength}
      onInput={(e) => {
        setText(e.detail.value)
        onChange(parse(e.detail.value))
      }}
    />
  )
}
