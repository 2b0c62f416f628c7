export default definePageConfig({ navigationBarTitleText: '幸福+码 扫码点单' })
