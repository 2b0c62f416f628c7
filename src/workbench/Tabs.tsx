import { View } from '@tarojs/components'
import './tabs.scss'

/** The tab bar of the workbench lists (incoming, approvals, volunteer registrations, tasks). Each tab has id `tab-<key>`. */
export default function Tabs<K extends string>(props: { tabs: readonly { key: K; label: string }[]; value: K; onChange: (key: K) => void }) {
  const { tabs, value, onChange } = props
  // more than four tabs: rows of three (or four, past six), so no label is squeezed on a 375-px phone
  const rows = tabs.length > 6 ? ' xw-tabs--rows xw-tabs--rows4' : tabs.length > 4 ? ' xw-tabs--rows' : ''
  return (
    <View className={`xw-tabs${rows}`}>
      {tabs.map((t) => (
        <View key={t.key} id={`tab-${t.key}`} className={`xw-tabs__tab${value === t.key ? ' xw-tabs__tab--on' : ''}`} onClick={() => onChange(t.key)}>
          {t.label}
        </View>
      ))}
    </View>
  )
}
