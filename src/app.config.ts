// Villager path in the main package; staff and volunteer screens in subpackages.
const pages = [
  'pages/scan/index',
  'pages/order/new',
  'pages/orders/index',
  'pages/orders/detail',
  'pages/inbox/index',
  'pages/privacy/index',
]
// The dev sign-in only exists in the H5 build served by the local runtime; the public H5 build
// (static hosting for badge checks: `npm run build:h5:public`) has no way to pick an identity.
if (process.env.TARO_ENV === 'h5' && process.env.XF_H5_PUBLIC !== '1') pages.push('pages/dev/index')

export default defineAppConfig({
  pages,
  subPackages: [
    { root: 'staff', pages: ['incoming/index', 'order/index', 'approvals/index', 'hotline/index', 'volunteers/index', 'points/index', 'store/index', 'dashboard/index', 'export/index', 'honor/index', 'ledger/index'] },
    { root: 'volunteer', pages: ['tasks/index', 'order/index', 'badge/index', 'points/index', 'store/index', 'patrol/index', 'desk/index'] },
    // county / township administration: grid tree, CSV import, signboards, staff roles, time limits, points rules, the points store, the service catalogue, the audit trail
    { root: 'admin', pages: ['tree/index', 'import/index', 'staff/index', 'timeliness/index', 'points/index', 'store/index', 'catalogue/index', 'audit/index'] },
    // anyone: volunteer registration, the public badge check (亮证), rankings (积分排行), the published 红黑榜
    // villagers after an order is done: 晒单 and the village's showcase feed (kept out of the main package)
    { root: 'showcase', pages: ['new', 'feed'] },
    { root: 'join', pages: ['register/index', 'verify/index', 'rank/index', 'honor/index'] },
  ],
  window: {
    navigationBarTitleText: '幸福+码',
    navigationBarBackgroundColor: '#c8102e',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f5f5f5',
    backgroundTextStyle: 'dark',
    // H5: show Taro's own title bar (back/home buttons); the mini-program has its native one anyway
    navigationStyle: 'default',
  },
})
