import { useEffect, useRef, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Input, Text, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import TextField from '@/workbench/TextField'
import PageState, { Loading } from '@/components/PageState'
import { useForm } from '@/components/useForm'
import Fact from '@/components/Fact'
import { call, errorMessage, newRequestId } from '@/api'
import OnePhoto, { type PhotoState } from '@/workbench/OnePhoto'
import type { GridView, VolunteerView } from '@/core/api'
import { codeEntryHint } from '@/core/grid'
import { gridCodeSchema, PRIVACY_VERSION } from '@/core/schemas'
import { AVAILABILITY, VOLUNTEER_SKILLS, VOLUNTEER_STATUS_LABEL, registerInput } from '@/core/volunteer'
import { STORAGE, decode, errorCode, go, load, save } from '@/components/util'
import { startingGridCode } from './startingGrid'
import { useCareMode } from '@/components/CareMode'
import './index.scss'

type Field = 'name' | 'phone' | 'gridId' | 'skills' | 'availability' | 'photo' | 'privacyVersion'
const FIELDS: Field[] = ['name', 'phone', 'gridId', 'skills', 'availability', 'photo', 'privacyVersion']
/** What survives a weak network or a closed app until the registration goes through; the requestId makes a retry safe. */
type Draft = { requestId: string; name: string; phone: string; gridCode: string; skills: string[]; availability: string[]; photo: string; savedAt?: number }
type Contact = { phone: string; name: string }

const DRAFT_KEY = 'xf.volunteerDraft'

/** 东关村 · 第一网格: the grid's own name without the village name it often repeats. */
const gridLabel = (g: { name: string; villageName: string }) => {
  const own = g.villageName && g.name.startsWith(g.villageName) ? g.name.slice(g.villageName.length) : g.name
  return g.villageName ? `${g.villageName} · ${own || g.name}` : g.name
}

const toggle = (list: string[], v: string) => (list.includes(v) ? list.filter((x) => x !== v) : list.concat(v))

export default function Register() {
  const { params } = useRouter()
  const [mine, setMine] = useState<VolunteerView | null | undefined>(undefined)
  const [mineError, setMineError] = useState<unknown>(null)
  // a rejected applicant chose 重新申请: show the form (prefilled) instead of the status
  const [reapply, setReapply] = useState(false)
  const care = useCareMode()

  const loadMine = () => {
    setMineError(null)
    call('volunteer', 'mine', {}).then((v) => {
      // the draft's request went through (or an older one did): its requestId must not be reused
      const d = v && load<Draft>(DRAFT_KEY)
      if (d?.requestId) save(DRAFT_KEY, { ...d, requestId: '' } satisfies Draft)
      setMine(v)
    }, setMineError)
  }
  useEffect(loadMine, [])

  if (mine === undefined)
    return (
      <View className={`xf-page${care.cls}`}>
        <PageState loading={!mineError} loadingText='正在查询您的登记…' error={mineError} onRetry={loadMine} />
      </View>
    )

  if (mine && !(mine.status === 'rejected' && reapply)) return <Status v={mine} onReapply={() => setReapply(true)} />

  return <RegisterForm codeParam={decode(params.code)} previous={mine} onDone={setMine} />
}

/** The applicant's registration as it stands. */
function Status({ v, onReapply }: { v: VolunteerView; onReapply: () => void }) {
  const care = useCareMode()
  return (
    <View className={`xf-page reg${care.cls}`}>
      <View id='r-status' className={`xf-card reg__status reg__status--${v.status}`}>
        <View className='reg__status-label'>{VOLUNTEER_STATUS_LABEL[v.status]}</View>
        {v.status === 'pending' && <View className='reg__status-text'>您的志愿者申请已提交，请等待实践站审核，审核结果会在这里显示。</View>}
        {v.status === 'approved' && (
          <>
            <View className='reg__status-text'>欢迎加入志愿服务队！</View>
            {v.plate && (
              <View className='reg__plate'>
                <Text className='xf-muted'>我的号牌 </Text>
                <Text id='r-plate' className='reg__plate-no'>
                  {v.plate}
                </Text>
              </View>
            )}
          </>
        )}
        {(v.status === 'rejected' || v.status === 'suspended') && (
          <View className='reg__status-text'>原因：{v.reason || '未说明，请联系所在村的实践站'}</View>
        )}
      </View>

      <View className='xf-card'>
        <Fact label='姓名' value={v.name} />
        <Fact label='手机号' value={v.phone} />
        <Fact label='所在网格' value={gridLabel({ name: v.gridName, villageName: v.villageName })} />
        {v.teamName && <Fact label='服务队' value={v.teamName} />}
        <Fact label='特长' value={v.skills.join('、') || '—'} />
        <Fact label='可服务时间' value={v.availability.join('、') || '—'} />
      </View>

      <View className='xf-actions'>
        {v.status === 'approved' && (
          <>
            <Btn id='r-badge' type='primary' onClick={() => go('/volunteer/badge/index')}>
              我的胸牌
            </Btn>
            <Btn type='default' onClick={() => go('/volunteer/tasks/index')}>
              我的任务
            </Btn>
          </>
        )}
        {v.status === 'rejected' && (
          <Btn id='r-reapply' type='primary' onClick={onReapply}>
            重新申请
          </Btn>
        )}
        {v.status === 'suspended' && <View className='xf-hint'>如有疑问，请联系所在村的新时代文明实践站。</View>}
      </View>
    </View>
  )
}

function RegisterForm({ codeParam, previous, onDone }: { codeParam: string; previous: VolunteerView | null; onDone: (v: VolunteerView) => void }) {
  const [initial] = useState(() => {
    const d = load<Draft>(DRAFT_KEY)
    const contact = load<Contact>(STORAGE.contact)
    const last = load<{ code: string; at?: number }>(STORAGE.lastGrid)
    return {
      // a re-application after a rejection is a new request, never a retry of the first one
      requestId: previous ? newRequestId() : d?.requestId || newRequestId(),
      name: d?.name || previous?.name || contact?.name || '',
      phone: d?.phone || previous?.phone || contact?.phone || '',
      gridCode: startingGridCode({ param: codeParam, draft: d, lastScan: last }),
      skills: d?.skills || previous?.skills || [],
      availability: d?.availability || previous?.availability || [],
      photo: d?.photo || '',
    }
  })
  const form = useForm<Field>({ anchor: 'r-form-message', requestId: initial.requestId })
  const { requestId, submitting, clear } = form
  const [name, setName] = useState(initial.name)
  const [phone, setPhone] = useState(initial.phone)
  const [skills, setSkills] = useState<string[]>(initial.skills)
  const [availability, setAvailability] = useState<string[]>(initial.availability)
  const [photo, setPhoto] = useState<PhotoState | null>(initial.photo ? { fileID: initial.photo, state: 'done' } : null)
  const [agreed, setAgreed] = useState(() => load<string>(STORAGE.privacy) === PRIVACY_VERSION)

  // the grid: resolved from ?code=, the draft or the last scanned signboard; otherwise typed in
  const [grid, setGrid] = useState<GridView | null>(null)
  const [gridLoading, setGridLoading] = useState(false)
  const [gridError, setGridError] = useState('')
  const [codeText, setCodeText] = useState(initial.gridCode)
  const [editingGrid, setEditingGrid] = useState(!initial.gridCode)
  const lookup = useRef(0)

  const resolveGrid = (raw: string) => {
    const r = gridCodeSchema.safeParse(raw)
    if (!r.success) {
      setGridError(r.error.issues[0]?.message || '网格编码不正确')
      setEditingGrid(true)
      return
    }
    const mineNo = ++lookup.current
    setGridError('')
    setGridLoading(true)
    call('grid', 'resolve', { code: r.data })
      .then(
        (g) => {
          if (mineNo !== lookup.current) return
          setGrid(g)
          setEditingGrid(false)
          clear('gridId')
        },
        (e) => {
          if (mineNo !== lookup.current) return
          setGrid(null)
          setEditingGrid(true)
          setGridError(errorCode(e) === 'NOT_FOUND' ? '没有找到这个网格，请核对标识牌上的网格编码' : errorMessage(e))
        },
      )
      .then(() => mineNo === lookup.current && setGridLoading(false))
  }
  useEffect(() => {
    if (initial.gridCode) resolveGrid(initial.gridCode)
  }, [])

  useEffect(() => {
    save(DRAFT_KEY, {
      requestId,
      name,
      phone,
      gridCode: grid?.code || codeText,
      skills,
      availability,
      photo: photo?.fileID || '',
      savedAt: Date.now(),
    } satisfies Draft)
  }, [name, phone, grid, codeText, skills, availability, photo])

  const submit = async () => {
    if (submitting) return
    if (photo && photo.state !== 'done')
      return form.bad('photo', photo.state === 'uploading' ? '照片还在上传，请稍等一下再提交' : '照片没有传上，请重新选择，或删除照片后再提交')
    const parsed = registerInput.safeParse({
      requestId,
      name,
      phone,
      gridId: grid?.id ?? '',
      skills,
      availability,
      photo: photo?.fileID || undefined,
      privacyVersion: agreed ? PRIVACY_VERSION : undefined,
    })
    if (!parsed.success) return form.refuse(parsed.error.issues, FIELDS, { gridId: '请先找到您所在的网格（输入标识牌上的网格编码）' })
    save(STORAGE.contact, { phone: parsed.data.phone, name: parsed.data.name } satisfies Contact)
    // a taken phone number belongs next to the phone field (scrolled to: the person is at the submit button)
    const v = await form.send(
      () => call('volunteer', 'register', parsed.data),
      (e) => (errorCode(e) === 'CONFLICT' && /手机|电话/.test(errorMessage(e)) ? ['phone', errorMessage(e)] : null),
    )
    if (!v) return
    save(DRAFT_KEY, null)
    Taro.showToast({ title: '已提交，请等待审核', icon: 'none' })
    onDone(v)
  }

  const err = form.fieldMessage
  const care = useCareMode()

  return (
    <View className={`xf-page reg${care.cls}`}>
      <View className='xf-card'>
        <View className='xf-h1'>注册成为志愿者</View>
        <View className='xf-muted'>填好后由所在村的实践站审核，通过后发放志愿者号牌。</View>
        {previous?.status === 'rejected' && previous.reason && <View className='reg__prev'>上次未通过的原因：{previous.reason}</View>}
      </View>

      <View className='xf-card xf-form'>
        <TextField
          name='name'
          id='r-name'
          label='姓名'
          required
          value={name}
          onChange={(v) => {
            setName(v)
            clear('name')
          }}
          error={form.errorOf('name')}
          placeholder='请填写真实姓名'
          maxlength={20}
        />

        <TextField
          name='phone'
          id='r-phone'
          label='手机号'
          required
          value={phone}
          onChange={(v) => {
            setPhone(v)
            clear('phone')
          }}
          error={form.errorOf('phone')}
          placeholder='11位手机号'
          maxlength={13} type='number'
        />

        <View className='xf-form__label' id='f-gridId'>
          所在网格<Text className='xf-form__req'>（必填）</Text>
        </View>
        {gridLoading && <Loading small text='正在查找网格…' />}
        {!gridLoading && grid && !editingGrid && (
          <View id='r-grid' className='xf-form__chosen'>
            <View>
              <View className='xf-form__chosen-name'>{gridLabel(grid)}</View>
              <View className='xf-muted'>
                {grid.townshipName} · 编码 {grid.code}
              </View>
            </View>
            <View className='xf-form__change' hoverClass='xf-pressed' onClick={() => setEditingGrid(true)}>
              更换
            </View>
          </View>
        )}
        {!gridLoading && editingGrid && (
          <>
            <View className='reg__code-row'>
              <Input
                id='r-grid-code'
                className={`xf-form__input xf-input-fill reg__code-input${gridError || form.errorOf('gridId') ? ' xf-form__bad' : ''}`}
                value={codeText}
                maxlength={20}
                placeholder={codeEntryHint(initial.gridCode)}
                confirmType='search'
                onInput={(e) => {
                  setCodeText(e.detail.value.toUpperCase())
                  setGridError('')
                  clear('gridId')
                }}
                onConfirm={() => resolveGrid(codeText)}
              />
              <View id='r-grid-find' className='xf-form__change reg__find' hoverClass='xf-pressed' onClick={() => resolveGrid(codeText)}>
                查找
              </View>
            </View>
            <View className='xf-form__tip'>网格编码印在村里的网格标识牌上，二维码下方。</View>
            {grid && (
              <View className='xf-link' onClick={() => setEditingGrid(false)}>
                仍用 {gridLabel(grid)}
              </View>
            )}
          </>
        )}
        {gridError && (
          <View id='error-message' className='xf-form__error'>
            {gridError}
          </View>
        )}
        {err('gridId')}

        <View className='xf-form__label' id='f-skills'>
          特长<Text className='xf-form__req'>（至少选一项，可多选）</Text>
        </View>
        <View id='r-skills' className='xf-form__chips'>
          {VOLUNTEER_SKILLS.map((s) => (
            <View
              key={s}
              className={`r-skill xf-form__chip${skills.includes(s) ? ' xf-form__chip--on' : ''}`}
              onClick={() => {
                setSkills(toggle(skills, s))
                clear('skills')
              }}
            >
              {skills.includes(s) ? `✓ ${s}` : s}
            </View>
          ))}
        </View>
        {err('skills')}

        <View className='xf-form__label' id='f-availability'>
          可服务时间<Text className='xf-form__req'>（至少选一项）</Text>
        </View>
        <View id='r-avail' className='xf-form__chips'>
          {AVAILABILITY.map((a) => (
            <View
              key={a}
              className={`r-avail-item xf-form__chip${availability.includes(a) ? ' xf-form__chip--on' : ''}`}
              onClick={() => {
                setAvailability(toggle(availability, a))
                clear('availability')
              }}
            >
              {availability.includes(a) ? `✓ ${a}` : a}
            </View>
          ))}
        </View>
        {err('availability')}

        <View className='xf-form__label' id='f-photo'>
          照片<Text className='xf-form__opt'>（可不传，用于胸牌）</Text>
        </View>
        <OnePhoto
          id='r-photo'
          portrait
          value={photo}
          onChange={(v) => {
            setPhoto(v)
            clear('photo')
          }}
        />
        {err('photo')}
      </View>

      <View id='f-privacyVersion' className='xf-form__consent'>
        <View
          id='r-privacy'
          className={`xf-form__check${agreed ? ' xf-form__check--on' : ''}`}
          onClick={() => {
            const next = !agreed
            setAgreed(next)
            save(STORAGE.privacy, next ? PRIVACY_VERSION : null)
            clear('privacyVersion')
          }}
        >
          {agreed ? '✓' : ''}
        </View>
        <View className='xf-form__consent-text'>
          我已阅读并同意
          <Text className='xf-form__link' onClick={() => go('/pages/privacy/index')}>
            《用户隐私保护指引》
          </Text>
          ，姓名、电话和照片仅用于志愿者登记和服务。
        </View>
      </View>
      {err('privacyVersion')}

      {form.formMessage()}

      <View className='xf-actions'>
        <Btn id='r-submit' type='primary' disabled={submitting} onClick={submit}>
          {submitting ? '提交中…' : '提交申请'}
        </Btn>
        {!!form.submitError && !submitting && <View className='xf-form__retry-tip'>您填的内容都还在，网络好了再点一次“提交申请”即可。</View>}
      </View>
    </View>
  )
}
