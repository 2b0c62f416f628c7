import { useState } from 'react'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { View } from '@tarojs/components'
import PageState from '@/components/PageState'
import { StaleNotice } from '@/components/PagedList'
import { call, errorMessage } from '@/api'
import { HONOR_SUBJECT_LABEL, type HonorSubject } from '@/core/honor'
import { monthLabel, monthOf, shiftMonth } from '@/core/points'
import { ask } from '@/workbench/ask'
import Tabs from '@/workbench/Tabs'
import HonorRowCard from './HonorRowCard'
import HonorStatus from './HonorStatus'
import RulesEditor from './RulesEditor'
import { useHonorDraft } from './useHonorDraft'
import './index.scss'

type Tab = HonorSubject | 'rules'
const SUBJECT_TABS: { key: Tab; label: string }[] = [
  { key: 'village', label: HONOR_SUBJECT_LABEL.village },
  { key: 'team', label: HONOR_SUBJECT_LABEL.team },
]
const RULES_TAB: { key: Tab; label: string } = { key: 'rules', label: '评分规则' }

/**
 * 红黑榜 (county and township staff): a month's villages or teams as the county's formula ranks
 * them, with red and black marks and the rates behind each score; the county admin publishes
 * the month (once, after it ends) and edits the rules (评分规则). Township staff see the whole
 * county with their own rows marked. Ids: tab-village, tab-team, tab-rules, honor-list,
 * honor-row-<n>; the status card's in HonorStatus, the editor's in RulesEditor.
 */
export default function StaffHonor() {
  // the month to publish is usually the one just over
  const [month, setMonth] = useState(() => shiftMonth(monthOf(Date.now()), -1))
  const [tab, setTab] = useState<Tab>('village')
  const [subject, setSubject] = useState<HonorSubject>('village')
  const { view, stale, error, load } = useHonorDraft(month, subject, tab !== 'rules')
  const [publishing, setPublishing] = useState(false)
  usePullDownRefresh(() => {
    if (tab === 'rules') Taro.stopPullDownRefresh()
    else load()
  })

  const [rulesOpened, setRulesOpened] = useState(false)
  const pick = (t: Tab) => {
    setTab(t)
    if (t === 'rules') setRulesOpened(true)
    if (t !== 'rules') setSubject(t)
  }
  const tabs = stale?.canPublish ? [...SUBJECT_TABS, RULES_TAB] : SUBJECT_TABS

  const publish = async () => {
    if (!view || publishing) return
    const ranked = view.rows.filter((r) => r.rank !== null).length
    const sure = await ask(
      '发布红黑榜',
      `发布${monthLabel(month)}红黑榜？村（社区）和服务队的名单、得分将向社会公开，并生成海报和广播稿。发布后不能修改或撤回。（当前${HONOR_SUBJECT_LABEL[subject]}有 ${ranked} 个参加排名）`,
      '确认发布',
    )
    if (!sure) return
    setPublishing(true)
    try {
      await call('stats', 'honorPublish', { month })
      Taro.showToast({ title: '已发布', icon: 'success' })
      await load()
    } catch (e) {
      Taro.showModal({ title: '发布没有成功', content: errorMessage(e), showCancel: false })
      load()
    } finally {
      setPublishing(false)
    }
  }

  return (
    <View className='xf-page honor'>
      {tab !== 'rules' && <HonorStatus view={view} month={month} onMonth={setMonth} publishing={publishing} onPublish={publish} />}
      <Tabs tabs={tabs} value={tab} onChange={pick} />
      {rulesOpened && (
        // kept while other tabs are open, so unsaved edits survive a look at the draft; a saved
        // version shows in the draft when its tab opens again (it reloads then)
        <View className={tab === 'rules' ? '' : 'honor-hidden'}>
          <RulesEditor />
        </View>
      )}
      {tab !== 'rules' && (
        <>
          {!!error && view && <StaleNotice error={error} />}
          <PageState loading={!view && !error} error={!view ? error : null} onRetry={load} empty={!!view && view.rows.length === 0} emptyText={`${monthLabel(month)}还没有${HONOR_SUBJECT_LABEL[subject]}的诉求`}>
            {view && (
              <View id='honor-list'>
                {view.rows.map((r, i) => (
                  <HonorRowCard key={r.id} row={r} n={i + 1} rules={view.rules} />
                ))}
                <View className='xf-hint'>当月没有诉求的{HONOR_SUBJECT_LABEL[subject]}不列出。</View>
              </View>
            )}
          </PageState>
        </>
      )}
    </View>
  )
}
