import { useState } from 'react'
import Taro from '@tarojs/taro'
import { Input, Picker, Text, View } from '@tarojs/components'
import dayjs from 'dayjs'
import Btn from '@/components/Btn'
import { calendarEntrySchema, type CalendarEntry } from '@/core/calendar'
import { describeZodError } from '@/core/errors'

const KINDS: { key: CalendarEntry['kind']; label: string }[] = [
  { key: 'holiday', label: '放假' },
  { key: 'workday', label: '上班' },
]
const KIND_LABEL = { holiday: '放假', workday: '上班' } as const
const WEEKDAY = '日一二三四五六'

/** 2004–2026 when the years run without a gap, else 2024、2026 */
const yearsText = (years: number[]) =>
  years.length > 2 && years[years.length - 1] - years[0] === years.length - 1 ? `${years[0]}–${years[years.length - 1]}` : years.join('、')

/** 2027-01-01 周五 */
const dayText = (date: string) => `${date} 周${WEEKDAY[dayjs(date).day()]}`

type Props = {
  entries: CalendarEntry[]
  nationalYears: number[]
  onChange: (entries: CalendarEntry[]) => void
}

/**
 * The county's own holidays and working days over the built-in national arrangement.
 * Ids: tl-entry-<date> (a row), tl-entry-<date>-delete; the add form: tl-add-date,
 * tl-add-holiday / tl-add-workday, tl-add-note, tl-add-entry, tl-add-error.
 */
export default function CalendarEditor({ entries, nationalYears, onChange }: Props) {
  const thisYear = dayjs().year()
  const [date, setDate] = useState('')
  const [kind, setKind] = useState<CalendarEntry['kind']>('holiday')
  const [note, setNote] = useState('')
  const [error, setError] = useState('')
  const years = [...nationalYears].sort((a, b) => a - b)
  // a year the built-in arrangement does not cover and the county has not entered yet
  const uncovered = [thisYear, thisYear + 1].filter((y) => !years.includes(y) && !entries.some((e) => e.date.startsWith(`${y}-`)))

  const add = () => {
    if (!date) return setError('请先选择日期')
    if (entries.some((e) => e.date === date)) return setError(`${date} 已经有一条设置，请先删除再添加`)
    const parsed = calendarEntrySchema.safeParse({ date, kind, ...(note.trim() ? { note: note.trim() } : {}) })
    if (!parsed.success) return setError(describeZodError(parsed.error))
    onChange([...entries, parsed.data].sort((a, b) => a.date.localeCompare(b.date)))
    setDate('')
    setNote('')
    setError('')
  }

  const remove = async (e: CalendarEntry) => {
    const ok = await Taro.showModal({ title: '删除日历设置', content: `删除 ${dayText(e.date)}「${KIND_LABEL[e.kind]}」这一条？保存后生效。`, confirmText: '删除', cancelText: '取消' })
      .then((r) => r.confirm)
      .catch(() => false)
    if (ok) onChange(entries.filter((x) => x.date !== e.date))
  }

  return (
    <>
      <View className='xf-hint'>
        {years.length ? `已内置国家法定节假日和调休安排（${yearsText(years)}年）。` : '没有内置的国家节假日安排。'}
        本县在这里录入的日子优先于内置安排；其他年份（例如国务院公布下一年的放假安排后）要在这里逐日录入放假和调休上班的日子。
      </View>
      {uncovered.length > 0 && <View className='xf-hint tl-warn'>{uncovered.join('、')}年的节假日还没有内置，也还没有录入。</View>}

      {entries.length === 0 ? (
        <View className='xf-card xf-muted'>本县还没有自己的日历设置。</View>
      ) : (
        <View id='tl-entries' className='xf-list'>
          {entries.map((e) => (
            <View key={e.date} id={`tl-entry-${e.date}`} className='xf-cell'>
              <View className='xf-cell__main'>
                <View className='xf-cell__title'>
                  {dayText(e.date)}
                  <Text className={`xf-tag tl-kind ${e.kind === 'holiday' ? 'xf-tag--wait' : 'xf-tag--work'}`}>{KIND_LABEL[e.kind]}</Text>
                </View>
                {e.note && <View className='xf-cell__desc'>{e.note}</View>}
              </View>
              <Btn id={`tl-entry-${e.date}-delete`} size='small' onClick={() => remove(e)}>
                删除
              </Btn>
            </View>
          ))}
        </View>
      )}

      <View className='xf-card'>
        <View className='xf-form__label'>添加一天</View>
        <Picker mode='date' value={date || dayjs().format('YYYY-MM-DD')} start={`${thisYear - 1}-01-01`} end={`${thisYear + 5}-12-31`} onChange={(e) => setDate(e.detail.value)}>
          <View id='tl-add-date' className={`tl-pick tl-pick--wide${date ? '' : ' tl-pick--empty'}`}>
            {date ? dayText(date) : '选择日期'}
          </View>
        </Picker>
        <View className='xf-form__chips tl-add-kind'>
          {KINDS.map((k) => (
            <View key={k.key} id={`tl-add-${k.key}`} className={`xf-form__chip${kind === k.key ? ' xf-form__chip--on' : ''}`} onClick={() => setKind(k.key)}>
              {k.label}
            </View>
          ))}
        </View>
        <Input id='tl-add-note' className='xf-form__input xf-input-fill' value={note} maxlength={20} placeholder='备注（可不填），如：元旦' onInput={(e) => setNote(e.detail.value)} />
        {!!error && (
          <View id='tl-add-error' className='xf-form__error'>
            {error}
          </View>
        )}
        <View className='xf-actions'>
          <Btn id='tl-add-entry' type='outline' onClick={add}>
            添加到日历
          </Btn>
        </View>
      </View>
    </>
  )
}
