// babel-preset-taro: https://docs.taro.zone/docs/next/babel-config
//
// The H5 build runs in WeChat's in-app browser (Chromium-based XWeb/X5 on Android, WKWebView on
// iOS ≥ 12 for any WeChat still supported) and ordinary phone browsers of the last years: all run
// ES2018, so async functions, classes and spread stay as they are instead of being rewritten into
// ES5 (smaller and, on a slow phone, noticeably faster to start). The mini-program keeps the
// package.json browserslist (WeChat's own ES6→ES5 step and older base libraries).
const H5_TARGETS = 'chrome >= 64, safari >= 12, ios_saf >= 12, android >= 64'

module.exports = {
  presets: [
    ['taro', { framework: 'react', ts: true, compiler: 'webpack5', ...(process.env.TARO_ENV === 'h5' ? { targets: H5_TARGETS } : {}) }],
  ],
  plugins: [
    // NutUI React Taro: import components and their CSS on demand.
    ['import', { libraryName: '@nutui/nutui-react-taro', libraryDirectory: 'dist/es/packages', style: 'css', camel2DashComponentName: false, customName: (name) => `@nutui/nutui-react-taro/dist/es/packages/${name.toLowerCase()}` }, 'nutui-react-taro'],
  ],
}
