export default definePageConfig({ navigationBarTitleText: '服务风采', enablePullDownRefresh: true })
