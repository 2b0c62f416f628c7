export default definePageConfig({ navigationBarTitleText: '我的胸牌', backgroundColor: '#ffffff' })
