export default definePageConfig({ navigationBarTitleText: '填写诉求' })
