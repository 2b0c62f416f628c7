import { Input, Text, View } from '@tarojs/components'
import { FIELD_TYPE_LABEL, FIELD_TYPES } from '@/core/serviceFields'
import { MAX_FIELDS } from '@/core/catalogue'
import type { FieldDraft } from './draft'

/** A key no other question of the service has (stable once saved: orders keep the label with the answer). */
const newKey = (taken: FieldDraft[]) => {
  for (let n = taken.length + 1; ; n++) if (!taken.some((f) => f.key === `q${n}`)) return `q${n}`
}

/**
 * The extra questions an order of the service asks (附加信息), at most five. Ids per question i:
 * cat-field-<i> (the card), -label, -type-<text|number|select>, -options, -required, -remove;
 * cat-field-add.
 */
export default function FieldsEditor({ fields, onChange }: { fields: FieldDraft[]; onChange: (f: FieldDraft[]) => void }) {
  const set = (i: number, p: Partial<FieldDraft>) => onChange(fields.map((f, k) => (k === i ? { ...f, ...p } : f)))
  return (
    <View>
      {fields.map((f, i) => (
        <View key={f.key} id={`cat-field-${i}`} className='cat-field'>
          <View className='cat-field__row'>
            <Input
              id={`cat-field-${i}-label`}
              className='xf-form__input xf-input-fill cat-field__label'
              value={f.label}
              maxlength={10}
              placeholder='名称，如 电器类型'
              onInput={(e) => set(i, { label: e.detail.value })}
            />
            <Text id={`cat-field-${i}-remove`} className='xf-link cat-field__remove' onClick={() => onChange(fields.filter((_, k) => k !== i))}>
              删除
            </Text>
          </View>
          <View className='xf-form__chips'>
            {FIELD_TYPES.map((t) => (
              <View key={t} id={`cat-field-${i}-type-${t}`} className={`xf-form__chip${f.type === t ? ' xf-form__chip--on' : ''}`} onClick={() => set(i, { type: t })}>
                {FIELD_TYPE_LABEL[t]}
              </View>
            ))}
            <View id={`cat-field-${i}-required`} className={`xf-form__chip${f.required ? ' xf-form__chip--on' : ''}`} onClick={() => set(i, { required: !f.required })}>
              {f.required ? '✓ 必填' : '可不填'}
            </View>
          </View>
          {f.type === 'select' && (
            <Input
              id={`cat-field-${i}-options`}
              className='xf-form__input xf-input-fill'
              value={f.options}
              maxlength={200}
              placeholder='选项，用顿号隔开，如 电视、冰箱、洗衣机'
              onInput={(e) => set(i, { options: e.detail.value })}
            />
          )}
        </View>
      ))}
      {fields.length < MAX_FIELDS ? (
        <View id='cat-field-add' className='xf-form__chip cat-field__add' onClick={() => onChange([...fields, { key: newKey(fields), label: '', type: 'select', options: '', required: true }])}>
          ＋ 添加一项附加信息
        </View>
      ) : (
        <View className='xf-form__tip'>附加信息最多{MAX_FIELDS}项</View>
      )}
    </View>
  )
}
