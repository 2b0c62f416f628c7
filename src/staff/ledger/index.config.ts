export default definePageConfig({ navigationBarTitleText: '问题台账', enablePullDownRefresh: true })
