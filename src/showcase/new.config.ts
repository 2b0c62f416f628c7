export default definePageConfig({ navigationBarTitleText: '晒单' })
