import { useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { View } from '@tarojs/components'
import { ApiError, newRequestId } from '@/api'
import ErrorBox from './ErrorBox'
import { errorCode } from './util'

/** Room left above a field's label when scrolled to it: the title bar must not cover it. */
const MARGIN = -80

/** Bring `selector` into view once it is drawn (the message was just set). */
export function scrollTo(selector: string) {
  setTimeout(() => Taro.pageScrollTo({ selector, offsetTop: MARGIN, duration: 200 }).catch(() => {}), 50)
}

type Issue = { path: PropertyKey[]; message: string }

/**
 * The plumbing every form repeats: one error at a time — under its field (the label carries
 * id `f-<field>`, as TextField gives it) or for the whole form (above the submit button) —
 * scrolled into view where the person can see it; the submitting state; and the requestId
 * that makes a resubmit after a lost answer (weak network) the same request, so exactly one
 * record is created. It stays until `renew()` (after a success, ready for the next) or
 * `restart()` (重新填写: new content, while the lost one keeps its own).
 *
 * `requestId`: a draft's, to carry it across a closed app. `anchor`: the id of the form's
 * own message (give each form its own: H5 keeps earlier pages in the DOM).
 */
export function useForm<F extends string>(opts: { anchor: string; requestId?: string }) {
  const [requestId, setRequestId] = useState(() => opts.requestId || newRequestId())
  const [fieldError, setFieldError] = useState<{ field: F; message: string } | null>(null)
  const [submitError, setSubmitError] = useState<unknown>(null)
  const [submitting, setSubmitting] = useState(false)
  // an answer lost on the network: the request may have arrived; sending again (same requestId) is safe
  const [uncertain, setUncertain] = useState(false)
  const busy = useRef(false)

  /** a field's refusal, under it, scrolled into view */
  const bad = (field: F, message: string) => {
    setFieldError({ field, message })
    scrollTo(`#f-${field}`)
  }
  /** a refusal of the whole form (or the server's answer), above the submit button, scrolled into view */
  const fail = (error: unknown) => {
    setFieldError(null)
    setSubmitError(error)
    scrollTo(`#${opts.anchor}`)
  }
  /** the first issue of a refused parse: on its field when the form shows one, else for the form (`other`: its wording) */
  const refuse = (issues: Issue[], fields: readonly F[], say: { [K in F]?: string } & { other?: string } = {}) => {
    const issue = issues[0]
    const field = String(issue?.path[0] ?? '') as F
    if (fields.includes(field)) bad(field, say[field] ?? issue.message)
    else fail(new ApiError('VALIDATION', say.other || issue?.message || '填写的内容不正确'))
  }

  /**
   * Send with this form's requestId; one at a time. Resolves to the answer, or null when it
   * failed: then the error is shown (on a field when `fieldOf` places it there, e.g. a phone
   * number already registered) and everything typed stays for another try.
   */
  const send = async <T,>(fn: (requestId: string) => Promise<T>, fieldOf?: (e: unknown) => [F, string] | null): Promise<T | null> => {
    if (busy.current) return null
    busy.current = true
    setSubmitting(true)
    setFieldError(null)
    setSubmitError(null)
    try {
      const answer = await fn(requestId)
      setUncertain(false)
      return answer
    } catch (e) {
      const onField = fieldOf?.(e)
      if (onField) bad(...onField)
      else fail(e)
      if (errorCode(e) === 'NETWORK') setUncertain(true)
      return null
    } finally {
      busy.current = false
      setSubmitting(false)
    }
  }

  const renew = () => {
    setRequestId(newRequestId())
    setUncertain(false)
    setSubmitError(null)
  }

  return {
    requestId,
    submitting,
    submitError,
    uncertain,
    fieldError,
    bad,
    fail,
    refuse,
    send,
    /** after a success: the next submit is a new record */
    renew,
    /** 重新填写: keep what is typed, but the next submit is a new record (a lost one, if it arrived, keeps its own) */
    restart: renew,
    /** this field's message, for TextField's `error` */
    errorOf: (f: F) => (fieldError?.field === f ? fieldError.message : null),
    /** the form changed shape (e.g. another mode): both messages go */
    dismiss: () => {
      setFieldError(null)
      setSubmitError(null)
    },
    /** the person changed this field: its message goes */
    clear: (f: F) => {
      if (fieldError?.field === f) setFieldError(null)
    },
    /** the message under a field that is not a TextField */
    fieldMessage: (f: F) =>
      fieldError?.field === f ? (
        <View id='error-message' className='xf-form__error'>
          {fieldError.message}
        </View>
      ) : null,
    /** the form's own message, above its submit button; scrolled to by `fail` (`hotline`: offered as another way) */
    formMessage: (onRetry?: () => void, hotline?: string | null) => (
      <View id={opts.anchor}>{!!submitError && <ErrorBox error={submitError} onRetry={onRetry} hotline={hotline} />}</View>
    ),
  }
}
