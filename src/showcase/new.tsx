import { useEffect, useRef, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Image, Text, Textarea, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import ErrorBox from '@/components/ErrorBox'
import { Loading } from '@/components/PageState'
import { photoSrc } from '@/components/Photos'
import { call, errorMessage } from '@/api'
import { MAX_PHOTOS, MAX_PHOTO_BYTES, uploadImage } from '@/api/upload'
import type { OrderView } from '@/core/api'
import { STORAGE, decode, go, load, query, save } from '@/components/util'
import { useCareMode } from '@/components/CareMode'
import './new.scss'

/** One photo of the showcase: picked on this device (`local`), uploaded once it has a `fileID`. */
type Photo = { key: string; local?: string; size?: number; fileID?: string; state: 'waiting' | 'uploading' | 'done' | 'failed'; error?: string }
/** What survives a failed submit, a closed app or a weak network: the text and the photos already uploaded. */
type Draft = { story: string; photos: string[] }

const STORY_MIN = 10
const STORY_MAX = 500
let seq = 0
const nextKey = () => `p${Date.now().toString(36)}${++seq}`

export default function NewShowcase() {
  const { params } = useRouter()
  const orderId = decode(params.orderId)
  const draftKey = STORAGE.showcaseDraft(orderId)
  const [initial] = useState(() => load<Draft>(draftKey))
  const [story, setStory] = useState(initial?.story || '')
  const [photos, setPhotos] = useState<Photo[]>(() => (initial?.photos || []).map((fileID) => ({ key: nextKey(), fileID, state: 'done' })))
  const [order, setOrder] = useState<OrderView | null>(null)
  const [orderError, setOrderError] = useState<unknown>(null)
  const [fieldError, setFieldError] = useState<string>('')
  const [submitError, setSubmitError] = useState<unknown>(null)
  const [submitting, setSubmitting] = useState(false)
  const [done, setDone] = useState(false)
  const care = useCareMode()
  const uploading = useRef(false)
  const photosRef = useRef(photos)
  photosRef.current = photos

  const loadOrder = () => {
    if (!orderId) return
    setOrderError(null)
    call('order', 'detail', { id: orderId })
      .then(setOrder)
      .catch(setOrderError)
  }
  useEffect(loadOrder, [orderId])

  // keep the draft: the story and every photo already uploaded
  useEffect(() => {
    if (!orderId || done) return
    const uploaded = photos.filter((p) => p.fileID).map((p) => p.fileID!)
    save(draftKey, story.trim() || uploaded.length ? ({ story, photos: uploaded } satisfies Draft) : null)
  }, [story, photos])

  // photos live in a ref (the upload loop reads the latest list) mirrored into state for drawing
  const setList = (next: Photo[]) => {
    photosRef.current = next
    setPhotos(next)
  }
  const patch = (key: string, p: Partial<Photo>) => setList(photosRef.current.map((x) => (x.key === key ? { ...x, ...p } : x)))

  /**
   * Upload waiting photos one at a time (a weak network copes better with one than with nine).
   * Promise chains rather than async/await: the transpiled state machines cost main-package bytes.
   */
  const uploadNext = () => {
    const next = photosRef.current.find((p) => p.state === 'waiting')
    if (!next) {
      uploading.current = false
      return
    }
    uploading.current = true
    patch(next.key, { state: 'uploading', error: undefined })
    uploadImage(next.local!, next.size)
      .then(
        (fileID) => patch(next.key, { state: 'done', fileID }),
        (e) => patch(next.key, { state: 'failed', error: errorMessage(e) }),
      )
      .then(uploadNext)
  }
  const startUploads = () => {
    if (!uploading.current) uploadNext()
  }

  const addPhotos = () => {
    const room = MAX_PHOTOS - photosRef.current.length
    if (room <= 0) return Taro.showToast({ title: `照片最多${MAX_PHOTOS}张`, icon: 'none' })
    Taro.chooseImage({ count: room, sizeType: ['compressed'], sourceType: ['album', 'camera'] }).then(
      (res) => {
        const picked: Photo[] = res.tempFiles.slice(0, room).map((f) => {
          const tooBig = f.size > MAX_PHOTO_BYTES
          return { key: nextKey(), local: f.path, size: f.size, state: tooBig ? 'failed' : 'waiting', error: tooBig ? '图片不能超过 10 MB' : undefined }
        })
        if (!picked.length) return
        setFieldError('')
        setList(photosRef.current.concat(picked))
        startUploads()
      },
      () => {
        /* cancelled */
      },
    )
  }

  const retry = (key: string) => {
    const p = photosRef.current.find((x) => x.key === key)
    if (!p?.local || (p.size ?? 0) > MAX_PHOTO_BYTES) return
    patch(key, { state: 'waiting', error: undefined })
    startUploads()
  }

  const remove = (key: string) => setList(photosRef.current.filter((x) => x.key !== key))

  const busyCount = photos.filter((p) => p.state === 'waiting' || p.state === 'uploading').length
  const doneCount = photos.filter((p) => p.state === 'done').length
  const failedCount = photos.filter((p) => p.state === 'failed').length
  const progress = busyCount ? `上传中 ${doneCount + 1}/${doneCount + busyCount}` : ''

  const submit = () => {
    if (submitting) return
    setSubmitError(null)
    const uploaded = photos.filter((p) => p.fileID).map((p) => p.fileID!)
    const n = story.trim().length
    // the server checks again (showcaseInput); these say it before a round trip
    const problem = busyCount
      ? '照片还在上传，请稍等一下再提交'
      : n < STORY_MIN
        ? `服务故事至少写${STORY_MIN}个字`
        : n > STORY_MAX
          ? `服务故事不能超过${STORY_MAX}字`
          : !uploaded.length
            ? '请至少上传1张照片'
            : ''
    setFieldError(problem)
    if (problem) return
    setSubmitting(true)
    call('showcase', 'create', { orderId, story: story.trim(), photos: uploaded.slice(0, MAX_PHOTOS) })
      .then(
        () => {
          save(draftKey, null)
          setDone(true)
        },
        setSubmitError, // the draft (text + uploaded photos) stays for another try
      )
      .then(() => setSubmitting(false))
  }

  if (!orderId)
    return (
      <View className={`xf-page${care.cls}`}>
        <ErrorBox error={null} message='没有找到要晒的诉求，请从“我的诉求”里打开' />
      </View>
    )

  if (done)
    return (
      <View className={`xf-page showcase-new${care.cls}`}>
        <View className='showcase-new__done' id='showcase-submitted'>
          <View className='showcase-new__done-title'>晒单已提交</View>
          <View>审核通过后在“服务风采”里公开。</View>
        </View>
        <View className='xf-actions'>
          <Btn type='primary' onClick={() => Taro.redirectTo({ url: `/pages/orders/detail?${query({ id: orderId })}` })}>
            回到诉求详情
          </Btn>
          <Btn type='default' onClick={() => go('/showcase/feed')}>
            看看大家的晒单
          </Btn>
        </View>
      </View>
    )

  return (
    <View className={`xf-page showcase-new${care.cls}`}>
      <View className='xf-card'>
        <View className='xf-muted'>晒一晒这次服务</View>
        {order ? (
          <View className='xf-h1'>{order.serviceName}</View>
        ) : orderError ? (
          <ErrorBox error={orderError} onRetry={loadOrder} />
        ) : (
          <Loading small />
        )}
        {order?.assignee && <View className='xf-muted'>服务志愿者：{order.assignee.name}</View>}
      </View>

      <View className='xf-card'>
        <View className='xf-form__label'>
          说说这次服务<Text className='xf-form__opt'>（10到500字）</Text>
        </View>
        <Textarea
          id='showcase-story'
          className='xf-form__textarea xf-input-fill'
          value={story}
          maxlength={STORY_MAX}
          placeholder='如：志愿者半小时就到，很快修好了，感谢服务队！'
          onInput={(e) => {
            setStory(e.detail.value)
            if (fieldError) setFieldError('')
          }}
        />
        <View className={`xf-form__count${story.trim().length && story.trim().length < STORY_MIN ? ' showcase-new__count--short' : ''}`}>
          {story.trim().length}/{STORY_MAX}
        </View>

        <View className='xf-form__label'>
          照片<Text className='xf-form__opt'>（至少1张，最多{MAX_PHOTOS}张）</Text>
        </View>
        <View className='showcase-new__photos' id='showcase-photos'>
          {photos.map((p) => {
            const src = p.local || (p.fileID ? photoSrc(p.fileID) : null)
            return (
              <View key={p.key} className={`showcase-new__photo showcase-new__photo--${p.state}`}>
                {src ? <Image className='showcase-new__img' src={src} mode='aspectFill' /> : <View className='showcase-new__img showcase-new__img--saved'>已上传</View>}
                {p.state === 'uploading' && <View className='showcase-new__mask'>上传中</View>}
                {p.state === 'waiting' && <View className='showcase-new__mask'>等待上传</View>}
                {p.state === 'failed' && (
                  <View className='showcase-new__mask showcase-new__mask--bad' onClick={() => retry(p.key)}>
                    {p.error && p.error.includes('10 MB') ? '太大了' : '失败，点此重试'}
                  </View>
                )}
                <View className='showcase-new__remove' aria-label='删除这张照片' onClick={() => remove(p.key)}>
                  ×
                </View>
              </View>
            )
          })}
          {photos.length < MAX_PHOTOS && (
            <View id='showcase-add-photo' className='showcase-new__add' hoverClass='xf-pressed' onClick={addPhotos}>
              <View className='showcase-new__plus'>＋</View>
              <View>添加照片</View>
            </View>
          )}
        </View>
        {!!progress && (
          <View id='upload-progress' className='showcase-new__progress'>
            {progress}
          </View>
        )}
        {!busyCount && failedCount > 0 && <View className='showcase-new__warn'>{failedCount} 张没传上，点照片重试或点 × 删掉</View>}
        {fieldError && (
          <View id='error-message' className='showcase-new__error'>
            {fieldError}
          </View>
        )}
      </View>

      {!!submitError && <ErrorBox error={submitError} />}

      <View className='xf-actions'>
        <Btn id='btn-showcase-submit' type='primary' disabled={submitting} onClick={submit}>
          {submitting ? '提交中…' : busyCount ? progress : '提交晒单'}
        </Btn>
        {!!submitError && !submitting && <View className='showcase-new__tip'>写的字和照片都还在，改好后再提交即可。</View>}
        <View className='xf-muted showcase-new__tip'>审核通过后公开，不显示电话。</View>
      </View>
    </View>
  )
}
