import { useEffect, useState } from 'react'
import { Text } from '@tarojs/components'
import type { ClockView } from '@/core/api'
import { countdown, URGENCY_LABEL, urgencyOf } from '@/core/timeliness'
import './dueChip.scss'

/** The current minute, re-rendered once a minute (countdowns on workbench lists). */
export function useNow(everyMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs)
    return () => clearInterval(t)
  }, [everyMs])
  return now
}

/**
 * 正常 / 即将超时 / 已超时 with the countdown, e.g. 「即将超时 · 剩1小时5分」: text and
 * colour (never colour alone). Nothing for a closed order; the confirm stage shows
 * when the follow-up call is due instead.
 */
export default function DueChip({ clock, id }: { clock: ClockView | null | undefined; id?: string }) {
  const now = useNow()
  if (!clock) return null
  if (clock.stage === 'confirm') {
    return (
      <Text id={id} className={`xw-due xw-due--${clock.followUp ? 'soon' : 'normal'}`}>
        {clock.followUp ? '待电话回访' : `等村民确认 · ${countdown(clock.dueAt, now)}回访`}
      </Text>
    )
  }
  const u = urgencyOf(clock, now)
  // 已超时2小时 past the deadline; just 已超时 when flagged before it (an unanswered 督办)
  const text = u !== 'overdue' ? `${URGENCY_LABEL[u]} · ${countdown(clock.dueAt, now)}` : now >= clock.dueAt ? `已${countdown(clock.dueAt, now)}` : URGENCY_LABEL.overdue
  return (
    <Text id={id} className={`xw-due xw-due--${u}`}>
      {text}
    </Text>
  )
}
