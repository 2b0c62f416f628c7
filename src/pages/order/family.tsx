import { Input, Text, View } from '@tarojs/components'

export type Family = { name: string; phone: string }

/**
 * 帮家人点单: a grown child orders for a parent at the parent's grid. Off: nothing but the switch.
 * On: the family member's name and phone (the phone above stays the orderer's own).
 */
export default function FamilyFields(p: { value: Family | null; error: string; onChange: (v: Family | null) => void }) {
  const on = p.value !== null
  const v = p.value ?? { name: '', phone: '' }
  return (
    <View id='f-family' className='xf-family'>
      <View id='family-toggle' className='xf-form__consent xf-family__toggle' hoverClass='xf-pressed' onClick={() => p.onChange(on ? null : { name: '', phone: '' })}>
        <View className={`xf-form__check${on ? ' xf-form__check--on' : ''}`}>{on ? '✓' : ''}</View>
        <Text className='xf-form__consent-text'>帮家人点单（替不在身边的父母等家人下单）</Text>
      </View>
      {on && (
        <View className='xf-family__fields'>
          <View className='xf-form__label'>家人怎么称呼</View>
          <Input id='family-name' className='xf-form__input xf-input-fill' value={v.name} maxlength={20} placeholder='如：我母亲李秀兰' onInput={(e) => p.onChange({ ...v, name: e.detail.value })} />
          <View className='xf-form__label'>家人的电话</View>
          <Input id='family-phone' className='xf-form__input xf-input-fill' type='number' value={v.phone} maxlength={13} placeholder='上门前联系家人用' onInput={(e) => p.onChange({ ...v, phone: e.detail.value })} />
          <View className='xf-form__tip'>工作人员会联系您的家人；家人用这个号码的账号登录后，在「我的诉求」里也能看到并收到进展。</View>
          {!!p.error && <View className='xf-form__error'>{p.error}</View>}
        </View>
      )}
    </View>
  )
}
