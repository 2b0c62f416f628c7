import { Text, View } from '@tarojs/components'
import type { CatalogueView } from '@/core/api'
import { EMERGENCY_LABEL, EMERGENCY_NUMBERS } from '@/core/serviceFields'
import { VOLUNTEER_SKILLS } from '@/core/volunteer'
import TextField from '@/workbench/TextField'
import LimitsEditor, { describeLimits } from '../timeliness/LimitsEditor'
import NumberInput from '../timeliness/NumberInput'
import FieldsEditor from './FieldsEditor'
import type { FormDraft } from './draft'

type Props = { draft: FormDraft; view: CatalogueView; onChange: (p: Partial<FormDraft>) => void; onClose: () => void }

/**
 * Add or edit one service. Ids: cat-form, cat-f-name / -category / -desc / -note (inputs),
 * cat-category-<n> (an existing category), cat-skill-<skill>, cat-emergency-off / -<number>,
 * cat-sensitive, cat-limits-default / -own, cat-points-default / -own, cat-points, cat-close.
 */
export default function ServiceForm({ draft: d, view, onChange, onClose }: Props) {
  const item = view.services.find((s) => s.id === d.id) ?? null
  const categories = [...new Set(view.services.map((s) => s.category))]
  const stopped = !!item && !item.active
  return (
    <View id='cat-form' className='xf-card xf-form cat-form'>
      <View className='xf-row'>
        <View className='xf-h1'>{d.id ? `修改「${item?.name ?? ''}」` : '新增服务'}</View>
        <View id='cat-close' className='xf-form__change' hoverClass='xf-pressed' onClick={onClose}>
          关闭
        </View>
      </View>

      <TextField name='name' id='cat-f-name' label='服务名称' required value={d.name} onChange={(name) => onChange({ name })} placeholder='如：家电维修' maxlength={20} />
      <TextField name='category' id='cat-f-category' label='服务类别' required value={d.category} onChange={(category) => onChange({ category })} placeholder='如：生活帮扶' maxlength={10} />
      <View className='xf-form__chips'>
        {categories.map((c, i) => (
          <View key={c} id={`cat-category-${i}`} className={`xf-form__chip${d.category === c ? ' xf-form__chip--on' : ''}`} onClick={() => onChange({ category: c })}>
            {c}
          </View>
        ))}
      </View>
      <TextField name='description' id='cat-f-desc' label='简介' value={d.description} onChange={(description) => onChange({ description })} placeholder='一句话说明这项服务，村民选服务时能看到' maxlength={100} multiline />

      <View className='xf-form__label'>需要的志愿者特长</View>
      <View className='xf-form__chips'>
        {['', ...VOLUNTEER_SKILLS].map((k) => (
          <View key={k || 'none'} id={`cat-skill-${k || 'none'}`} className={`xf-form__chip${d.skill === k ? ' xf-form__chip--on' : ''}`} onClick={() => onChange({ skill: k })}>
            {k || '不限'}
          </View>
        ))}
      </View>

      <View className='xf-form__label'>附加信息</View>
      <View className='xf-form__tip'>村民点单时要多回答的问题，如家电维修问“电器类型”。没有就不用加。</View>
      <FieldsEditor fields={d.fields} onChange={(fields) => onChange({ fields })} />

      <View className='xf-form__label'>紧急情况</View>
      <View className='xf-form__tip'>燃气泄漏、火情、急病等不能等志愿者的事：村民看到的是提示和拨号按钮，不能点单。</View>
      <View className='xf-form__chips'>
        <View id='cat-emergency-off' className={`xf-form__chip${d.emergency ? '' : ' xf-form__chip--on'}`} onClick={() => onChange({ emergency: false })}>
          不是紧急情况
        </View>
        {EMERGENCY_NUMBERS.map((n) => (
          <View key={n} id={`cat-emergency-${n}`} className={`xf-form__chip cat-form__sos${d.emergency && d.number === n ? ' xf-form__chip--on' : ''}`} onClick={() => onChange({ emergency: true, number: n })}>
            {n} {EMERGENCY_LABEL[n]}
          </View>
        ))}
      </View>
      {d.emergency && (
        <TextField name='note' id='cat-f-note' label='紧急提示' required value={d.note} onChange={(note) => onChange({ note })} placeholder='如：马上关阀门、开窗，到屋外拨打119' maxlength={60} multiline />
      )}

      <View className='xf-form__label'>对外公开</View>
      <View className='xf-form__chips'>
        <View id='cat-sensitive' className={`xf-form__chip${d.sensitive ? ' xf-form__chip--on' : ''}`} onClick={() => onChange({ sensitive: !d.sensitive })}>
          {d.sensitive ? '✓ 涉及隐私，不公开' : '可以公开'}
        </View>
      </View>
      <View className='xf-form__tip'>纠纷调解、困难群众帮扶等涉及隐私的服务请选“不公开”：它的订单不会出现在对外数据接口（Open311）里。</View>

      {stopped ? (
        <View className='xf-form__tip'>这项服务已停用，恢复后才能设置办理时限和基础积分。</View>
      ) : (
        <>
          <View className='xf-form__label'>办理时限</View>
          <View className='xf-form__chips'>
            <View id='cat-limits-default' className={`xf-form__chip${d.ownLimits ? '' : ' xf-form__chip--on'}`} onClick={() => onChange({ ownLimits: false })}>
              使用默认
            </View>
            <View id='cat-limits-own' className={`xf-form__chip${d.ownLimits ? ' xf-form__chip--on' : ''}`} onClick={() => onChange({ ownLimits: true })}>
              单独设置
            </View>
          </View>
          {d.ownLimits ? <LimitsEditor idPrefix='cat-limits' value={d.limits} onChange={(limits) => onChange({ limits })} /> : <View className='xf-muted'>{describeLimits(view.defaults)}</View>}

          <View className='xf-form__label'>基础积分（村民确认解决后）</View>
          <View className='xf-form__chips'>
            <View id='cat-points-default' className={`xf-form__chip${d.ownPoints ? '' : ' xf-form__chip--on'}`} onClick={() => onChange({ ownPoints: false })}>
              按积分规则
            </View>
            <View id='cat-points-own' className={`xf-form__chip${d.ownPoints ? ' xf-form__chip--on' : ''}`} onClick={() => onChange({ ownPoints: true })}>
              单独设置
            </View>
          </View>
          {d.ownPoints ? (
            <View className='cat-form__inline'>
              每次 <NumberInput id='cat-points' value={d.points} onChange={(points) => onChange({ points })} maxlength={3} /> 分
            </View>
          ) : (
            <View className='xf-muted'>
              {item?.pointsNow != null && item.basePoints == null ? `现在按「${item.pointsRule}」每次 ${item.pointsNow} 分` : '按积分规则里的“服务办结”规则计分'}
            </View>
          )}
          <Text className='xf-form__tip'>时限和积分写进“办理时限”和“积分规则”，只对以后的订单生效。</Text>
        </>
      )}
    </View>
  )
}
