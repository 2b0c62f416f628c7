import { Input, Text, Textarea, View } from '@tarojs/components'

/**
 * One labelled text field of the subpackage forms (register, hotline, …): label (its id
 * `f-<name>` is where a failed submit scrolls to), input or textarea, character count, and
 * the field's error under it. Styles: src/styles/form.scss.
 */
export default function TextField(props: {
  /** the field's name in the form's errors; the label gets id `f-<name>` */
  name: string
  /** the input's id (tests, labels) */
  id: string
  label: string
  required?: boolean
  value: string
  onChange: (value: string) => void
  /** this field's error message, if it has one */
  error?: string | null
  placeholder?: string
  maxlength: number
  type?: 'text' | 'number'
  multiline?: boolean
}) {
  const { name, id, label, required, value, onChange, error, placeholder, maxlength, type, multiline } = props
  const className = `${multiline ? 'xf-form__textarea' : 'xf-form__input'} xf-input-fill${error ? ' xf-form__bad' : ''}`
  return (
    <>
      <View className='xf-form__label' id={`f-${name}`}>
        {label}
        {required && <Text className='xf-form__req'>（必填）</Text>}
      </View>
      {multiline ? (
        <Textarea id={id} className={className} value={value} maxlength={maxlength} placeholder={placeholder} onInput={(e) => onChange(e.detail.value)} />
      ) : (
        <Input id={id} className={className} type={type ?? 'text'} value={value} maxlength={maxlength} placeholder={placeholder} onInput={(e) => onChange(e.detail.value)} />
      )}
      {multiline && (
        <View className='xf-form__count'>
          {value.trim().length}/{maxlength}
        </View>
      )}
      {error && (
        <View id='error-message' className='xf-form__error'>
          {error}
        </View>
      )}
    </>
  )
}
