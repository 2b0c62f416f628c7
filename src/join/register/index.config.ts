export default definePageConfig({ navigationBarTitleText: '注册志愿者' })
