export default definePageConfig({ navigationBarTitleText: '调试登录' })
