import { Text, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import './saveBar.scss'

/**
 * The end of a settings page: "unsaved" with 放弃修改, the last refusal, and the save button.
 * Ids: <idPrefix>-dirty, <idPrefix>-discard, <idPrefix>-error, <idPrefix>-save.
 */
export default function SaveBar(p: { idPrefix: string; dirty: boolean; invalid: string; saving: boolean; label: string; onSave: () => void; onDiscard: () => void }) {
  return (
    <View className='xf-actions xw-save'>
      {p.dirty && (
        <View id={`${p.idPrefix}-dirty`} className='xw-save__dirty'>
          有修改还没有保存。
          <Text id={`${p.idPrefix}-discard`} className='xf-link xw-save__discard' onClick={p.onDiscard}>
            放弃修改
          </Text>
        </View>
      )}
      {!!p.invalid && (
        <View id={`${p.idPrefix}-error`} className='xf-form__error xw-save__error'>
          {p.invalid}
        </View>
      )}
      <Btn id={`${p.idPrefix}-save`} type='primary' disabled={p.saving || !p.dirty} onClick={p.onSave}>
        {p.saving ? '正在保存…' : p.label}
      </Btn>
    </View>
  )
}
