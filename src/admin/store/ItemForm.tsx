import { useState } from 'react'
import Taro from '@tarojs/taro'
import { Input, Text, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import ErrorBox from '@/components/ErrorBox'
import TextField from '@/workbench/TextField'
import { ApiError, call } from '@/api'
import OnePhoto, { type PhotoState } from '@/workbench/OnePhoto'
import type { StoreItemView } from '@/core/api'
import { quarterLabel, quarterOf } from '@/core/points'

export type AdminNode = { id: string; name: string }
/** The quarter `delta` quarters after `q` (2026Q4 + 1 = 2027Q1). */
const shiftQuarter = (q: string, delta: number) => {
  const n = Number(q.slice(0, 4)) * 4 + Number(q.slice(5)) - 1 + delta
  return `${Math.floor(n / 4)}Q${(n % 4) + 1}`
}

const number = (text: string) => (text.trim() === '' ? NaN : Number(text))

/**
 * Add or change an item of the points store: name, description, price, stock, where to
 * collect it, the quarters it is open, on or off, an optional photo. Ids: store-item-name,
 * store-item-desc, store-item-price, store-item-stock, store-item-place,
 * store-quarter-<quarter>, store-item-active-on, store-item-active-off, store-item-photo,
 * store-item-photo-remove, store-node-<nodeId> (when there is a choice), store-item-save,
 * store-item-cancel.
 */
export default function ItemForm(p: { item: StoreItemView | null; nodes: AdminNode[]; onSaved: (item: StoreItemView) => void; onCancel: () => void }) {
  const { item, nodes } = p
  const [nodeId, setNodeId] = useState(item?.nodeId ?? nodes[0]?.id ?? '')
  const [name, setName] = useState(item?.name ?? '')
  const [description, setDescription] = useState(item?.description ?? '')
  const [price, setPrice] = useState(item ? String(item.price) : '')
  const [stock, setStock] = useState(item ? String(item.stock) : '')
  const [place, setPlace] = useState(item?.place ?? '')
  const now = quarterOf(Date.now())
  const [quarters, setQuarters] = useState<string[]>(item?.quarters ?? [now])
  const [active, setActive] = useState(item?.active ?? true)
  const [photo, setPhoto] = useState<PhotoState | null>(item?.photo ? { fileID: item.photo, url: item.photoUrl, state: 'done' } : null)
  const [error, setError] = useState<unknown>(null)
  const [saving, setSaving] = useState(false)

  // the current and next three quarters, and any other the item is already open in (so it can be taken off)
  const offered = [...new Set([...(item?.quarters ?? []), ...[0, 1, 2, 3].map((d) => shiftQuarter(now, d))])].sort()
  const toggle = (q: string) => setQuarters((cur) => (cur.includes(q) ? cur.filter((x) => x !== q) : [...cur, q].sort()))
  const chip = (on: boolean) => `xf-form__chip${on ? ' xf-form__chip--on' : ''}`

  const save = async () => {
    if (saving) return
    setError(null)
    if (photo && photo.state !== 'done')
      return setError(new ApiError('VALIDATION', photo.state === 'uploading' ? '照片还在上传，请稍等一下再保存' : '照片没有传上，请重新选择，或删除照片后再保存'))
    const pr = number(price)
    const st = number(stock)
    if (!Number.isFinite(pr)) return setError(new ApiError('VALIDATION', '请填写所需积分'))
    if (!Number.isFinite(st)) return setError(new ApiError('VALIDATION', '请填写库存'))
    setSaving(true)
    try {
      const saved = await call('store', 'saveItem', {
        ...(item ? { id: item.id } : {}),
        nodeId,
        name,
        description,
        photo: photo?.fileID ?? null,
        price: pr,
        stock: st,
        place,
        quarters,
        active,
      })
      Taro.showToast({ title: '已保存', icon: 'success' })
      p.onSaved(saved)
    } catch (e) {
      setError(e)
    } finally {
      setSaving(false)
    }
  }

  return (
    <View className='xf-card xf-form store-form'>
      <View className='xf-h1 store-form__title'>{item ? `修改「${item.name}」` : '新增兑换物品'}</View>

      {nodes.length > 1 && !item && (
        <>
          <View className='xf-form__label'>放在哪个积分超市</View>
          <View className='xf-form__chips'>
            {nodes.map((n) => (
              <View key={n.id} id={`store-node-${n.id}`} className={chip(nodeId === n.id)} onClick={() => setNodeId(n.id)}>
                {n.name}
              </View>
            ))}
          </View>
        </>
      )}
      {item && <View className='store-form__node'>{item.nodeName}积分超市</View>}

      <TextField name='name' id='store-item-name' label='物品名称' required value={name} onChange={setName} placeholder='如：洗衣液' maxlength={30} />
      <TextField name='description' id='store-item-desc' label='说明' value={description} onChange={setDescription} placeholder='规格、注意事项等（可不填）' maxlength={200} multiline />

      <View className='xf-form__label'>
        所需积分<Text className='xf-form__req'>（必填）</Text>
      </View>
      <View className='store-form__inline'>
        <Input id='store-item-price' className='xf-form__input xf-input-fill store-form__num' type='number' value={price} maxlength={6} onInput={(e) => setPrice(e.detail.value)} />
        <Text>分</Text>
      </View>

      <View className='xf-form__label'>
        库存<Text className='xf-form__req'>（必填）</Text>
      </View>
      <View className='store-form__inline'>
        <Input id='store-item-stock' className='xf-form__input xf-input-fill store-form__num' type='number' value={stock} maxlength={6} onInput={(e) => setStock(e.detail.value)} />
        <Text>件</Text>
      </View>

      <TextField name='place' id='store-item-place' label='领取地点' required value={place} onChange={setPlace} placeholder='如：东关村新时代文明实践站' maxlength={60} />

      <View className='xf-form__label'>
        开放兑换的季度<Text className='xf-form__req'>（至少选一个）</Text>
      </View>
      <View className='xf-form__chips'>
        {offered.map((q) => (
          <View key={q} id={`store-quarter-${q}`} className={chip(quarters.includes(q))} onClick={() => toggle(q)}>
            {quarters.includes(q) ? `✓ ${quarterLabel(q)}` : quarterLabel(q)}
            {q === now ? '（本季度）' : ''}
          </View>
        ))}
      </View>
      <View className='xf-form__tip'>兑换码在所在季度末失效，未领取的积分自动退回。</View>

      <View className='xf-form__label'>状态</View>
      <View className='xf-form__chips'>
        <View id='store-item-active-on' className={chip(active)} onClick={() => setActive(true)}>
          上架
        </View>
        <View id='store-item-active-off' className={chip(!active)} onClick={() => setActive(false)}>
          下架
        </View>
      </View>

      <View className='xf-form__label'>
        照片<Text className='xf-form__opt'>（可不传）</Text>
      </View>
      <OnePhoto id='store-item-photo' removeId='store-item-photo-remove' value={photo} onChange={setPhoto} />

      {!!error && <ErrorBox error={error} />}

      <View className='xf-actions'>
        <Btn id='store-item-save' type='primary' disabled={saving} onClick={save}>
          {saving ? '正在保存…' : '保存'}
        </Btn>
        <Btn id='store-item-cancel' disabled={saving} onClick={p.onCancel}>
          取消
        </Btn>
      </View>
    </View>
  )
}
