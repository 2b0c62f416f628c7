export default definePageConfig({ navigationBarTitleText: '服务风采' })
