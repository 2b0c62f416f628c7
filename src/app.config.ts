export default defineAppConfig({
  pages: ['pages/scan/index'],
  window: { navigationBarTitleText: '幸福+码', navigationBarBackgroundColor: '#c8102e', navigationBarTextStyle: 'white', backgroundColor: '#f5f5f5' },
})
