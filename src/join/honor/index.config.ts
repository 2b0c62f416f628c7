export default definePageConfig({ navigationBarTitleText: '红黑榜', enablePullDownRefresh: true })
