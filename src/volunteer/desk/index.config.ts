export default definePageConfig({ navigationBarTitleText: '队长派单', enablePullDownRefresh: true })
