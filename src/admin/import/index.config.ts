export default definePageConfig({ navigationBarTitleText: '导入网格表格' })
