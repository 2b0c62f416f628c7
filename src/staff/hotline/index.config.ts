export default definePageConfig({ navigationBarTitleText: '电话点单' })
