import { Input, Text, View } from '@tarojs/components'
import Btn from '@/components/Btn'
import type { PointRulesView } from '@/core/api'
import { COMMENDATION_LABEL, COMMENDATION_LEVELS, isDeduction, POINT_TRIGGERS, TRIGGER_LABEL, type PointTrigger, type RuleItem } from '@/core/points'
import NumField from './NumField'

type Services = PointRulesView['services']

/** The item with a new trigger: the sign follows it, fields of other triggers are cleared. */
function withTrigger(item: RuleItem, trigger: PointTrigger): RuleItem {
  const p = Number.isFinite(item.points) ? Math.abs(item.points) : item.points
  return {
    ...item,
    trigger,
    points: trigger === 'manual' ? item.points : isDeduction(trigger) ? -p : p,
    serviceId: trigger === 'service_fixed' ? item.serviceId : null,
    serviceCategory: trigger === 'service_fixed' ? item.serviceCategory : null,
    level: trigger === 'commendation' ? item.level : null,
  }
}

/** How an item counts, in words: 每次加5分 / 每核验1小时加1分 / 每次扣2分 / 分值由工作人员录入时填写. */
export function pointsText(item: RuleItem): string {
  if (item.trigger === 'manual') return '分值由工作人员录入时填写'
  const n = Number.isFinite(item.points) ? Math.abs(item.points) : '?'
  const verb = isDeduction(item.trigger) ? '扣' : '加'
  return item.trigger === 'service_hours' ? `每核验1小时${verb}${n}分` : `每次${verb}${n}分`
}

/** Which services a 服务办结 item is for, in words. */
export function scopeText(item: RuleItem, services: Services): string | null {
  if (item.trigger !== 'service_fixed') return null
  if (item.serviceId) return `仅「${services.find((s) => s.id === item.serviceId)?.name ?? '已下架的服务'}」`
  if (item.serviceCategory) return `仅「${item.serviceCategory}」类服务`
  return '全部服务'
}

/**
 * One rule item being edited: name, category, trigger, points, monthly cap, the service
 * or category (服务办结), the level (表彰), on or off. Ids: rule-name, rule-category,
 * rule-category-<i>, rule-trigger-<trigger>, rule-points, rule-cap, rule-scope-all,
 * rule-scope-cat-<i>, rule-service-<serviceId>, rule-level-<level>, rule-active-on,
 * rule-active-off, rule-done, rule-remove-<id>.
 */
export default function RuleEditor(p: {
  item: RuleItem
  services: Services
  categories: string[]
  onChange: (item: RuleItem) => void
  onDone: () => void
  onRemove: () => void
}) {
  const { item, services, categories, onChange } = p
  const set = (patch: Partial<RuleItem>) => onChange({ ...item, ...patch })
  const serviceCategories = [...new Set([...services.map((s) => s.category), ...(item.serviceCategory ? [item.serviceCategory] : [])])]
  const chip = (on: boolean) => `xf-form__chip${on ? ' xf-form__chip--on' : ''}`

  return (
    <View className='rules-edit'>
      <View className='xf-form__label'>规则名称</View>
      <Input id='rule-name' className='xf-form__input xf-input-fill' value={item.name} maxlength={30} placeholder='如：完成一次服务' onInput={(e) => set({ name: e.detail.value })} />

      <View className='xf-form__label'>类别</View>
      <Input id='rule-category' className='xf-form__input xf-input-fill' value={item.category} maxlength={12} placeholder='如：基础积分' onInput={(e) => set({ category: e.detail.value })} />
      <View className='xf-form__chips rules-edit__quick'>
        {categories.map((c, i) => (
          <View key={c} id={`rule-category-${i}`} className={chip(item.category === c)} onClick={() => set({ category: c })}>
            {c}
          </View>
        ))}
      </View>

      <View className='xf-form__label'>什么情况下记分</View>
      <View className='xf-form__chips'>
        {POINT_TRIGGERS.map((t) => (
          <View key={t} id={`rule-trigger-${t}`} className={chip(item.trigger === t)} onClick={() => onChange(withTrigger(item, t))}>
            {TRIGGER_LABEL[t]}
          </View>
        ))}
      </View>

      {item.trigger !== 'manual' ? (
        <>
          <View className='xf-form__label'>分值</View>
          <View className='rules-inline'>
            <Text>{item.trigger === 'service_hours' ? '每核验1小时' : '每次'}</Text>
            <Text className={`rules-sign rules-sign--${isDeduction(item.trigger) ? 'down' : 'up'}`}>{isDeduction(item.trigger) ? '扣' : '加'}</Text>
            <NumField
              id='rule-points'
              value={Number.isFinite(item.points) ? Math.abs(item.points) : item.points}
              onChange={(n) => set({ points: n === null ? NaN : isDeduction(item.trigger) ? -n : n })}
              maxlength={3}
            />
            <Text>分</Text>
          </View>
        </>
      ) : (
        <View className='xf-form__tip'>人工加减分的分值由工作人员每次录入时填写（-100 到 100 分）。</View>
      )}

      {item.trigger !== 'manual' && (
        <>
          <View className='xf-form__label'>
            每人每月上限<Text className='xf-form__opt'>（可不填：不设上限）</Text>
          </View>
          <View className='rules-inline'>
            <Text>最多</Text>
            <NumField id='rule-cap' value={item.monthlyCap} onChange={(n) => set({ monthlyCap: n })} placeholder='不限' />
            <Text>分</Text>
          </View>
        </>
      )}

      {item.trigger === 'service_fixed' && (
        <>
          <View className='xf-form__label'>适用的服务</View>
          <View className='xf-form__chips'>
            <View id='rule-scope-all' className={chip(!item.serviceId && !item.serviceCategory)} onClick={() => set({ serviceId: null, serviceCategory: null })}>
              全部服务
            </View>
            {serviceCategories.map((c, i) => (
              <View key={c} id={`rule-scope-cat-${i}`} className={chip(!item.serviceId && item.serviceCategory === c)} onClick={() => set({ serviceId: null, serviceCategory: c })}>
                {c}类
              </View>
            ))}
          </View>
          <View className='xf-form__tip'>也可以只指定一项服务：</View>
          <View className='xf-form__chips'>
            {services.map((s) => (
              <View key={s.id} id={`rule-service-${s.id}`} className={chip(item.serviceId === s.id)} onClick={() => set({ serviceId: s.id, serviceCategory: null })}>
                {s.name}
              </View>
            ))}
          </View>
          <View className='xf-form__tip'>一次服务只按最具体的一条记分：先看指定的服务，再看类别，最后是全部服务。</View>
        </>
      )}

      {item.trigger === 'commendation' && (
        <>
          <View className='xf-form__label'>表彰级别</View>
          <View className='xf-form__chips'>
            {COMMENDATION_LEVELS.map((l) => (
              <View key={l} id={`rule-level-${l}`} className={chip(item.level === l)} onClick={() => set({ level: l })}>
                {COMMENDATION_LABEL[l]}
              </View>
            ))}
          </View>
        </>
      )}

      <View className='xf-form__label'>状态</View>
      <View className='xf-form__chips'>
        <View id='rule-active-on' className={chip(item.active)} onClick={() => set({ active: true })}>
          启用
        </View>
        <View id='rule-active-off' className={chip(!item.active)} onClick={() => set({ active: false })}>
          停用
        </View>
      </View>

      <View className='rules-edit__actions'>
        <Btn id={`rule-remove-${item.id}`} size='small' onClick={p.onRemove}>
          删除这条
        </Btn>
        <Btn id='rule-done' type='primary' size='small' onClick={p.onDone}>
          改好了
        </Btn>
      </View>
    </View>
  )
}
