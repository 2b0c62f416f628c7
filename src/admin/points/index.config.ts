export default definePageConfig({ navigationBarTitleText: 'TODO' })
