// babel-preset-taro: https://docs.taro.zone/docs/next/babel-config
module.exports = {
  presets: [
    ['taro', { framework: 'react', ts: true, compiler: 'webpack5' }],
  ],
  plugins: [
    // NutUI React Taro: import components and their CSS on demand.
    ['import', { libraryName: '@nutui/nutui-react-taro', libraryDirectory: 'dist/es/packages', style: 'css', camel2DashComponentName: false, customName: (name) => `@nutui/nutui-react-taro/dist/es/packages/${name.toLowerCase()}` }, 'nutui-react-taro'],
  ],
}
