import { useEffect, useState } from 'react'
import { Text, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import ErrorBox from '@/components/ErrorBox'
import { Loading } from '@/components/PageState'
import { scrollTo, useForm } from '@/components/useForm'
import { ApiError, call } from '@/api'
import type { OrderView } from '@/core/api'
import { PATROL_KIND_LABEL, PATROL_KINDS, patrolInput, SENSITIVE_PATROL_KINDS, type PatrolKind } from '@/core/patrol'
import { STORAGE, load, save } from '@/components/util'
import TextField from '@/workbench/TextField'
import PhotoPicker, { usePhotos } from '@/workbench/PhotoPicker'
import { ask } from '@/workbench/ask'

/** A grid the reporter may report in: their own, its micro-grids, their team's (order.patrolGrids). */
export type PatrolGrid = { id: string; name: string }

/**
 * What survives a failed submit, a closed app or a weak network: everything typed, the photos
 * already uploaded, and the requestId — sending again after a lost answer never reports twice.
 */
type Draft = {
  requestId: string
  kind: PatrolKind | ''
  note: string
  spot: string
  grid: PatrolGrid | null
  photos: string[]
  handling: boolean
  afterNote: string
  afterPhotos: string[]
}

type Field = 'kind' | 'gridId' | 'note' | 'spot' | 'photos' | 'afterNote' | 'afterPhotos'
const FIELDS: Field[] = ['kind', 'gridId', 'note', 'spot', 'photos', 'afterNote', 'afterPhotos']
const AFTER_NOTE_MIN = 2

/**
 * 随手拍: kind, photos, a note, the grid, the household or spot — then 上报实践站, or 就地处置
 * with a photo after and what was done. `grids`: the reporter's own (null while loading).
 * Ids: kind-<kind>, patrol-add-photo, patrol-note, patrol-grid, grid-<id>, patrol-spot,
 * btn-patrol-report, btn-patrol-handle, patrol-add-after-photo, patrol-after-note,
 * btn-patrol-handle-submit, btn-patrol-handle-cancel.
 */
export default function PatrolForm({ grids, gridsError, onRetryGrids, onDone }: { grids: PatrolGrid[] | null; gridsError: unknown; onRetryGrids: () => void; onDone: (order: OrderView) => void }) {
  const [initial] = useState(() => load<Draft>(STORAGE.patrolDraft))
  const form = useForm<Field>({ anchor: 'patrol-form-message', requestId: initial?.requestId })
  const { requestId, submitting, uncertain, clear } = form
  const [kind, setKind] = useState<PatrolKind | ''>(initial?.kind ?? '')
  const [note, setNote] = useState(initial?.note ?? '')
  const [spot, setSpot] = useState(initial?.spot ?? '')
  const [grid, setGrid] = useState<PatrolGrid | null>(initial?.grid ?? null)
  const [handling, setHandling] = useState(initial?.handling ?? false)
  const [afterNote, setAfterNote] = useState(initial?.afterNote ?? '')
  const photos = usePhotos(initial?.photos)
  const after = usePhotos(initial?.afterPhotos)

  // the grid: the draft's if it is still one of the reporter's, else their first
  const gridId = grid?.id
  useEffect(() => {
    if (grids && grids.length && !grids.some((g) => g.id === gridId)) setGrid(grids[0])
  }, [grids, gridId])

  const uploaded = photos.uploaded
  const afterUploaded = after.uploaded
  useEffect(() => {
    const typed = kind || note.trim() || spot.trim() || afterNote.trim() || uploaded.length || afterUploaded.length
    save(STORAGE.patrolDraft, typed ? ({ requestId, kind, note, spot, grid, photos: uploaded, handling, afterNote, afterPhotos: afterUploaded } satisfies Draft) : null)
  }, [requestId, kind, note, spot, grid, handling, afterNote, uploaded, afterUploaded])

  const err = form.fieldMessage

  const submit = async (handled: boolean) => {
    if (submitting) return
    if (photos.busy || after.busy) return form.fail(new ApiError('VALIDATION', '照片还在上传，请稍等一下再提交'))
    const failed = photos.failed + (handled ? after.failed : 0)
    if (failed) return form.fail(new ApiError('VALIDATION', `有${failed}张照片没传上，请点照片重试或点 × 删掉`))
    const parsed = patrolInput.safeParse({
      requestId,
      kind,
      gridId: grid?.id ?? '',
      note,
      spot: spot.trim() || undefined,
      photos: photos.uploaded,
      handled,
      afterNote: handled ? afterNote.trim() || undefined : undefined,
      afterPhotos: handled ? after.uploaded : [],
    })
    const problem: { field: Field; message: string } | null = !parsed.success
      ? (() => {
          const issue = parsed.error.issues[0]
          const field = String(issue?.path[0] || '') as Field
          if (field === 'kind') return { field, message: '请选择问题类别' }
          if (field === 'gridId') return { field, message: '没有可以上报的网格' }
          if (field === 'photos' && !photos.uploaded.length) return { field, message: photos.failed ? '照片没有传上去，请点照片重试' : '请至少拍一张现场照片' }
          return FIELDS.includes(field) ? { field, message: issue.message } : { field: 'note', message: issue?.message || '填写的内容不正确' }
        })()
      : handled && afterNote.trim().length < AFTER_NOTE_MIN
        ? { field: 'afterNote', message: '请简单说明是怎么处置的' }
        : null
    if (problem) return form.bad(problem.field, problem.message)
    const ok = handled
      ? await ask('就地处置', '记录为已就地处置，这件事直接办结，不再派给实践站。确定吗？')
      : await ask('上报实践站', '上报后由村实践站安排志愿者处理，每一步都会通知您。确定上报吗？')
    if (!ok || !parsed.success) return
    // on a failure everything typed stays; tapping again sends the same requestId
    const order = await form.send(() => call('order', 'patrol', parsed.data))
    if (!order) return
    save(STORAGE.patrolDraft, null)
    onDone(order)
  }

  return (
    <>
      <View className='xf-card xf-form'>
        <View className='xf-form__label' id='f-kind'>
          发现了什么<Text className='xf-form__req'>（必填）</Text>
        </View>
        <View className='xf-form__chips'>
          {PATROL_KINDS.map((k) => (
            <View
              key={k}
              id={`kind-${k}`}
              className={`xf-form__chip${kind === k ? ' xf-form__chip--on' : ''}`}
              onClick={() => {
                setKind(k)
                clear('kind')
              }}
            >
              {PATROL_KIND_LABEL[k]}
            </View>
          ))}
        </View>
        {kind && SENSITIVE_PATROL_KINDS.includes(kind) && <View className='xf-form__tip'>涉及个人的情况只给工作人员和处理的志愿者看，不会公开。</View>}
        {err('kind')}

        <View className='xf-form__label' id='f-photos'>
          现场照片<Text className='xf-form__req'>（至少1张）</Text>
        </View>
        <PhotoPicker photos={photos} id='patrol-photos' addId='patrol-add-photo' />
        {err('photos')}

        <TextField
          name='note'
          id='patrol-note'
          label='简单说明'
          required
          value={note}
          onChange={(v) => {
            setNote(v)
            clear('note')
          }}
          error={form.errorOf('note')}
          placeholder='什么问题，如：3组路口电线杆倾斜，电线垂得很低'
          maxlength={300}
          multiline
        />

        <View className='xf-form__label' id='f-gridId'>
          网格
        </View>
        {grid && (!grids || grids.length <= 1) && (
          <View id='patrol-grid' className='xf-form__chosen'>
            <View className='xf-form__chosen-name'>{grid.name}</View>
          </View>
        )}
        {grids && grids.length > 1 && (
          <View id='patrol-grid' className='xf-form__chips'>
            {grids.map((g) => (
              <View
                key={g.id}
                id={`grid-${g.id}`}
                className={`xf-form__chip${grid?.id === g.id ? ' xf-form__chip--on' : ''}`}
                onClick={() => {
                  setGrid(g)
                  clear('gridId')
                }}
              >
                {g.name}
              </View>
            ))}
          </View>
        )}
        {!grid && !grids && !gridsError && <Loading small text='正在读取您的网格…' />}
        {!grid && !!gridsError && <ErrorBox error={gridsError} onRetry={onRetryGrids} />}
        <View className='xf-form__tip'>默认是您自己的网格；在哪个微网格发现的，就选哪个。</View>
        {err('gridId')}

        <TextField
          name='spot'
          id='patrol-spot'
          label='哪一户 / 什么地方'
          value={spot}
          onChange={(v) => {
            setSpot(v)
            clear('spot')
          }}
          error={form.errorOf('spot')}
          placeholder='选填，如：3组李家门前'
          maxlength={40}
        />
      </View>

      {handling && (
        <View className='xf-card xf-form patrol__after'>
          <View className='patrol__after-title'>就地处置</View>
          <View className='xf-form__label' id='f-afterPhotos'>
            处置后的照片<Text className='xf-form__req'>（至少1张）</Text>
          </View>
          <PhotoPicker photos={after} id='patrol-after-photos' addId='patrol-add-after-photo' />
          {err('afterPhotos')}
          <TextField
            name='afterNote'
            id='patrol-after-note'
            label='怎么处置的'
            required
            value={afterNote}
            onChange={(v) => {
              setAfterNote(v)
              clear('afterNote')
            }}
            error={form.errorOf('afterNote')}
            placeholder='如：已把倒下的树枝清到路边，路已通'
            maxlength={300}
            multiline
          />
        </View>
      )}

      {form.formMessage()}

      <View className='xf-actions'>
        {handling ? (
          <>
            <Btn id='btn-patrol-handle-submit' type='primary' disabled={submitting} onClick={() => submit(true)}>
              {submitting ? '正在提交…' : '确认已就地处置'}
            </Btn>
            <Btn
              id='btn-patrol-handle-cancel'
              type='default'
              disabled={submitting}
              onClick={() => {
                setHandling(false)
                form.dismiss()
              }}
            >
              处置不了，改为上报
            </Btn>
          </>
        ) : (
          <>
            <Btn id='btn-patrol-report' type='primary' disabled={submitting} onClick={() => submit(false)}>
              {submitting ? '正在上报…' : '上报实践站'}
            </Btn>
            <Btn
              id='btn-patrol-handle'
              type='default'
              disabled={submitting}
              onClick={() => {
                setHandling(true)
                form.dismiss()
                scrollTo('.patrol__after')
              }}
            >
              就地处置
            </Btn>
          </>
        )}
        {uncertain && !submitting ? (
          <View id='patrol-uncertain' className='xf-form__retry-tip'>
            上次提交可能已经成功，请先到“我的上报”里看看，避免重复；再点一次提交也不会重复。如要另报一条，请点
            <Text id='patrol-restart' className='xf-link' onClick={form.restart}>
              「重新填写」
            </Text>
          </View>
        ) : (
          !!form.submitError && !submitting && <View className='xf-form__retry-tip'>填的内容和照片都还在，改好后再提交即可。</View>
        )}
        <View className='xf-hint'>能当场解决的点“就地处置”，拍一张处置后的照片；解决不了的上报实践站。</View>
      </View>
    </>
  )
}
