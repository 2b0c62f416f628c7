import { useEffect, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { Input, Text, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import ErrorBox from '@/components/ErrorBox'
import TextField from '@/workbench/TextField'
import { Loading } from '@/components/PageState'
import { scrollTo, useForm } from '@/components/useForm'
import { ApiError, call } from '@/api'
import type { GridOption, OrderView, ServiceView } from '@/core/api'
import { hotlineOrderInput } from '@/core/order'
import { checkExtras, emergencyRefusal } from '@/core/serviceFields'
import { EmergencyCall, ExtraFields } from '@/components/ExtraFields'
import { STORAGE, go, load, query, save } from '@/components/util'
import './index.scss'

type Field = 'gridId' | 'serviceId' | 'callerName' | 'callerPhone' | 'description'
const FIELDS: Field[] = ['gridId', 'serviceId', 'callerName', 'callerPhone', 'description']
const GRID_KEY = 'xf.hotlineGrid' // the grid chosen last: the next call is usually from the same place
const SEARCH_DELAY_MS = 250

/** Services by category, in the catalogue's order. */
function groups(services: ServiceView[]) {
  const out: { category: string; items: ServiceView[] }[] = []
  for (const s of services) {
    let g = out.find((x) => x.category === s.category)
    if (!g) out.push((g = { category: s.category, items: [] }))
    g.items.push(s)
  }
  return out
}

export default function Hotline() {
  const [grid, setGrid] = useState<GridOption | null>(() => load<GridOption>(GRID_KEY))
  const [q, setQ] = useState('')
  const [results, setResults] = useState<GridOption[] | null>(null)
  const [searchError, setSearchError] = useState<unknown>(null)
  const [searching, setSearching] = useState(false)
  const searchSeq = useRef(0)

  const [services, setServices] = useState<ServiceView[] | null>(() => load<ServiceView[]>(STORAGE.catalogue))
  const [servicesError, setServicesError] = useState<unknown>(null)
  const [serviceId, setServiceId] = useState('')
  const [extras, setExtras] = useState<Record<string, string>>({})
  const [extraError, setExtraError] = useState<{ key: string; message: string } | null>(null)
  const [name, setName] = useState('')
  const [phone, setPhone] = useState('')
  const [description, setDescription] = useState('')
  // one requestId per call taken: a retry after a lost answer never enters the order twice;
  // after a lost answer (uncertain) new content needs 重新填写
  const form = useForm<Field>({ anchor: 'h-form-message' })
  const { submitting, uncertain, clear } = form
  const [placed, setPlaced] = useState<OrderView | null>(null)

  const loadCatalogue = () => {
    setServicesError(null)
    call('grid', 'catalogue', {}).then((list) => {
      setServices(list)
      save(STORAGE.catalogue, list)
    }, setServicesError)
  }
  useEffect(loadCatalogue, [])

  // search as the staff member types; only the latest answer counts
  useEffect(() => {
    const text = q.trim()
    const mine = ++searchSeq.current
    if (!text) {
      setResults(null)
      setSearchError(null)
      setSearching(false)
      return
    }
    setSearching(true)
    const t = setTimeout(() => {
      call('grid', 'search', { q: text, limit: 20 })
        .then(
          (list) => {
            if (mine !== searchSeq.current) return
            setResults(list)
            setSearchError(null)
          },
          (e) => mine === searchSeq.current && setSearchError(e),
        )
        .then(() => mine === searchSeq.current && setSearching(false))
    }, SEARCH_DELAY_MS)
    return () => clearTimeout(t)
  }, [q])

  const choose = (g: GridOption) => {
    setGrid(g)
    save(GRID_KEY, g)
    setQ('')
    setResults(null)
    clear('gridId')
  }

  const selected = services?.find((s) => s.id === serviceId) ?? null

  const submit = async () => {
    if (submitting) return
    // an emergency service is not entered: the caller is told the number (the server refuses it too)
    const refusal = selected && emergencyRefusal(selected)
    if (refusal) return form.fail(new ApiError('VALIDATION', refusal))
    const x = checkExtras(selected?.fields, Object.entries(extras).map(([key, value]) => ({ key, value })))
    setExtraError(x.ok ? null : x)
    if (!x.ok) return scrollTo(`#x-${x.key}`)
    const parsed = hotlineOrderInput.safeParse({
      requestId: form.requestId,
      gridId: grid?.id ?? '',
      serviceId,
      description,
      callerName: name,
      callerPhone: phone,
      extras: x.extras.length ? x.extras.map((e) => ({ key: e.key, value: e.value })) : undefined,
    })
    if (!parsed.success) return form.refuse(parsed.error.issues, FIELDS, { gridId: '请先选择来电人所在的网格', serviceId: '请选择服务项目' })
    // on a failure the fields and requestId stay: tapping again is safe
    const order = await form.send(() => call('order', 'placeHotline', parsed.data))
    if (!order) return
    Taro.showToast({ title: `已录入，单号 ${order.no}`, icon: 'none', duration: 3000 })
    setPlaced(order)
    // ready for the next call: same grid, everything else empty, a new requestId
    setServiceId('')
    setExtras({})
    setName('')
    setPhone('')
    setDescription('')
    form.renew()
    Taro.pageScrollTo({ scrollTop: 0, duration: 200 }).catch(() => {})
  }

  const err = form.fieldMessage

  return (
    <View className='xf-page hotline'>
      {placed && (
        <View id='h-placed' className='hotline__placed' hoverClass='xf-pressed' onClick={() => go(`/staff/order/index?${query({ id: placed.id })}`)}>
          <View className='xf-cell__main'>
            <View className='hotline__placed-title'>已录入，单号 {placed.no}</View>
            <View className='hotline__placed-desc'>
              {placed.serviceName} · {placed.gridName}　点此查看、派单
            </View>
          </View>
          <Text className='xf-cell__arrow'>›</Text>
        </View>
      )}

      <View className='xf-card xf-form'>
        <View className='xf-form__label' id='f-gridId'>
          网格<Text className='xf-form__req'>（必填）</Text>
        </View>
        {grid && (
          <View id='h-grid' className='xf-form__chosen'>
            <View>
              <View className='xf-form__chosen-name'>{grid.name}</View>
              <View className='xf-muted'>
                {grid.townshipName} · {grid.villageName} · {grid.code}
              </View>
            </View>
            <View id='h-grid-change' className='xf-form__change' hoverClass='xf-pressed' onClick={() => setGrid(null)}>
              更换
            </View>
          </View>
        )}
        {!grid && (
          <>
            <Input
              id='h-grid-q'
              className={`xf-form__input xf-input-fill${form.errorOf('gridId') ? ' xf-form__bad' : ''}`}
              value={q}
              maxlength={20}
              focus
              placeholder='输入网格名称或编码，如 第一网格、XF0101'
              onInput={(e) => setQ(e.detail.value)}
            />
            {searching && <Loading small text='正在查找…' />}
            {!!searchError && !searching && <ErrorBox error={searchError} />}
            {results && !searching && results.length === 0 && <View className='xf-form__tip'>没有找到，换个名称或编码试试</View>}
            {results && results.length > 0 && (
              <View id='h-grid-results' className='xf-list hotline__results'>
                {results.map((g) => (
                  <View
                    key={g.id}
                    className={`xf-cell h-grid-item${g.active ? '' : ' hotline__off'}`}
                    hoverClass={g.active ? 'xf-pressed' : 'none'}
                    onClick={() => g.active && choose(g)}
                  >
                    <View className='xf-cell__main'>
                      <View className='xf-cell__title'>
                        {g.name}
                        <Text className='hotline__code'> {g.code}</Text>
                      </View>
                      <View className='xf-cell__desc'>
                        {g.townshipName} · {g.villageName}
                        {g.active ? '' : '（已停用）'}
                      </View>
                    </View>
                  </View>
                ))}
              </View>
            )}
          </>
        )}
        {err('gridId')}

        <View className='xf-form__label' id='f-serviceId'>
          服务<Text className='xf-form__req'>（必填）</Text>
        </View>
        {!services && !servicesError && <Loading small text='正在加载服务清单…' />}
        {!services && !!servicesError && <ErrorBox error={servicesError} onRetry={loadCatalogue} />}
        {services && (
          <View id='h-service'>
            {groups(services).map((g) => (
              <View key={g.category}>
                <View className='hotline__category'>{g.category}</View>
                <View className='xf-form__chips'>
                  {g.items.map((s) => (
                    <View
                      key={s.id}
                      className={`h-service-item xf-form__chip${serviceId === s.id ? ' xf-form__chip--on' : ''}`}
                      onClick={() => {
                        if (s.id !== serviceId) setExtras({})
                        setServiceId(s.id)
                        setExtraError(null)
                        clear('serviceId')
                      }}
                    >
                      {s.name}
                    </View>
                  ))}
                </View>
              </View>
            ))}
          </View>
        )}
        {err('serviceId')}
        {selected?.emergency && <EmergencyCall name={selected.name} emergency={selected.emergency} />}
        {!selected?.emergency && !!selected?.fields?.length && (
          <ExtraFields
            fields={selected.fields}
            values={extras}
            error={extraError}
            onChange={(v) => {
              setExtras(v)
              setExtraError(null)
            }}
          />
        )}

        <TextField
          name='callerName'
          id='h-name'
          label='来电人姓名'
          required
          value={name}
          onChange={(v) => {
            setName(v)
            clear('callerName')
          }}
          error={form.errorOf('callerName')}
          placeholder='如：王大爷'
          maxlength={20}
        />

        <TextField
          name='callerPhone'
          id='h-phone'
          label='来电电话'
          required
          value={phone}
          onChange={(v) => {
            setPhone(v)
            clear('callerPhone')
          }}
          error={form.errorOf('callerPhone')}
          placeholder='手机号或带区号的座机号'
          maxlength={13} type='number'
        />

        <TextField
          name='description'
          id='h-desc'
          label='诉求描述'
          required
          value={description}
          onChange={(v) => {
            setDescription(v)
            clear('description')
          }}
          error={form.errorOf('description')}
          placeholder='什么事、在哪里，如：家里水管漏水，村东头第三户'
          maxlength={500} multiline
        />
      </View>

      {form.formMessage()}

      <View className='xf-actions'>
        <Btn id='h-submit' type='primary' disabled={submitting || !!selected?.emergency} onClick={submit}>
          {submitting ? '录入中…' : '录入诉求'}
        </Btn>
        {uncertain && !submitting ? (
          <View id='h-uncertain' className='xf-form__retry-tip'>
            上次提交可能已经成功，请先到诉求处理里查看，避免重复录入；如需修改内容，请点「重新填写」
            <Text id='h-restart' className='xf-link hotline__restart' onClick={form.restart}>
              重新填写
            </Text>
          </View>
        ) : (
          !!form.submitError && !submitting && <View className='xf-form__retry-tip'>填的内容都还在，再点一次“录入诉求”不会重复录入。</View>
        )}
        <View className='xf-hint'>录入后在“诉求处理”里派单。</View>
      </View>
    </View>
  )
}
