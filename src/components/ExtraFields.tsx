import { Input, Text, View } from '@tarojs/components'
import type { Emergency, ServiceField } from '@/core/serviceFields'
import Btn from './Btn'
import { callPhone } from './util'
import './extraFields.scss'

/**
 * A service's extra questions (附加信息): a choice as chips, a number or text as a field.
 * Ids: `x-<key>` (the question, where a refused submit scrolls to), `x-<key>-<n>` (a choice).
 */
export function ExtraFields(p: { fields: ServiceField[]; values: Record<string, string>; onChange: (v: Record<string, string>) => void; error?: { key: string; message: string } | null }) {
  const set = (k: string, v: string) => p.onChange({ ...p.values, [k]: v })
  return (
    <>
      {p.fields.map((f) => (
        <View key={f.key}>
          <View className='xf-form__label' id={`x-${f.key}`}>
            {f.label}
            <Text className={f.required ? 'xf-form__req' : 'xf-form__opt'}>{f.required ? '（必填）' : '（可不填）'}</Text>
          </View>
          {f.type === 'select' ? (
            <View className='xf-form__chips'>
              {(f.options ?? []).map((o, i) => (
                <View key={o} id={`x-${f.key}-${i}`} className={`xf-form__chip${p.values[f.key] === o ? ' xf-form__chip--on' : ''}`} onClick={() => set(f.key, p.values[f.key] === o ? '' : o)}>
                  {o}
                </View>
              ))}
            </View>
          ) : (
            <Input className='xf-form__input xf-input-fill' type={f.type === 'number' ? 'digit' : 'text'} maxlength={50} value={p.values[f.key] ?? ''} onInput={(e) => set(f.key, e.detail.value)} />
          )}
          {p.error?.key === f.key && (
            <View id='error-message' className='xf-form__error'>
              {p.error.message}
            </View>
          )}
        </View>
      ))}
    </>
  )
}

/** An emergency service: what to do now and the call button, in place of an order form. */
export function EmergencyCall({ name, emergency }: { name: string; emergency: Emergency }) {
  return (
    <View id='emergency' className='xf-card xf-emergency'>
      <View className='xf-emergency__title'>「{name}」不能等待志愿者</View>
      <View id='emergency-note' className='xf-emergency__note'>
        {emergency.note}
      </View>
      <Btn id='emergency-call' type='primary' onClick={() => callPhone(emergency.number)}>
        拨打 {emergency.number}
      </Btn>
    </View>
  )
}
