import { useState } from 'react'
import { Input, Text, View } from '@tarojs/components'
import ErrorBox from '@/components/ErrorBox'
import { Loading } from '@/components/PageState'
import type { GridOption } from '@/core/api'
import { LEVEL_LABEL } from '@/core/tree'
import type { GridLevel } from '@/core/grid'
import { useGridSearch } from '@/workbench/useGridSearch'
import './gridSearch.scss'

/**
 * 查找: any node of the caller's part of the tree by name or code (township, village, grid,
 * micro-grid; deactivated ones too, marked). Tapping one opens it. Ids: tree-search, tree-search-results.
 */
export default function GridSearch({ onOpen }: { onOpen: (g: GridOption) => void }) {
  const [q, setQ] = useState('')
  const { results, error, searching } = useGridSearch(q, { anyLevel: true })
  return (
    <View className='gsearch'>
      <Input
        id='tree-search'
        className='xf-form__input xf-input-fill gsearch__input'
        value={q}
        maxlength={20}
        confirmType='search'
        placeholder='查找：输入名称或编码'
        onInput={(e) => setQ(e.detail.value)}
      />
      {searching && <Loading small text='正在查找…' />}
      {!!error && !searching && <ErrorBox error={error} />}
      {results && !searching && results.length === 0 && <View className='gsearch__none'>没有找到，换个名称或编码试试</View>}
      {results && results.length > 0 && (
        <View id='tree-search-results' className='xf-list gsearch__results'>
          {results.map((g) => (
            <View key={g.id} className={`xf-cell gsearch__item${g.active ? '' : ' gsearch__item--off'}`} hoverClass='xf-pressed' onClick={() => onOpen(g)}>
              <View className='xf-cell__main'>
                <View className='xf-cell__title'>
                  {g.name}
                  <Text className='gsearch__code'> {g.code}</Text>
                </View>
                <View className='xf-cell__desc'>
                  {LEVEL_LABEL[g.level as GridLevel] || g.level}
                  {[g.townshipName, g.villageName].filter((n) => n && n !== g.name).map((n) => ` · ${n}`)}
                  {g.active ? '' : '（已停用）'}
                </View>
              </View>
              <Text className='xf-cell__arrow'>›</Text>
            </View>
          ))}
        </View>
      )}
    </View>
  )
}
