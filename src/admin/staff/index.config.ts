export default definePageConfig({ navigationBarTitleText: '工作人员', enablePullDownRefresh: true })
