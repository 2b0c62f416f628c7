export default definePageConfig({ navigationBarTitleText: '幸福+码' })
