import { defineConfig, type UserConfigExport } from '@tarojs/cli'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { minify } from 'terser'

// One config for both targets: `taro build --type weapp` (the mini-program) and
// `--type h5` (the same app in a browser, served by the local runtime).
export default defineConfig<'webpack5'>(async (merge) => {
  const env = process.env.TARO_ENV || 'weapp'
  // H5: what the HTML runs first (it starts the app, and on the scan landing draws it before the app), inlined minified
  const bootScript = env === 'h5' ? (await minify(readFileSync(path.resolve(__dirname, '..', 'src', 'boot.js'), 'utf8'))).code : ''
  const base: UserConfigExport<'webpack5'> = {
    projectName: 'xingfu-plus-code',
    date: '2026-11-23',
    // NutUI files are drawn at 375, ours at 750.
    designWidth(input: any) {
      const file = String(input?.file || '').replace(/\\+/g, '/')
      return file.includes('@nutui') ? 375 : 750
    },
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    // the public H5 build goes beside the local one, never over it
    outputRoot: env === 'h5' && process.env.XF_H5_PUBLIC === '1' ? 'dist/h5-public' : `dist/${env}`,
    plugins: ['@tarojs/plugin-html'],
    defineConstants: {
      CLOUD_ENV: JSON.stringify(process.env.CLOUD_ENV || ''),
      // false in the public H5 build: it has no dev sign-in page
      DEV_SIGNIN: JSON.stringify(env === 'h5' && process.env.XF_H5_PUBLIC !== '1'),
      // the mini-program account may use WeChat's phone-number button (verified, non-personal, billed per use)
      WX_PHONE: JSON.stringify(process.env.XF_WX_PHONE === '1'),
    },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: { type: 'webpack5', prebundle: { enable: false } },
    cache: { enable: false },
    alias: { '@': path.resolve(__dirname, '..', 'src') },
    mini: {
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      // content hashes in every script name: the runtime (and a CDN) may cache them for a year
      output: { filename: 'js/[name].[contenthash:8].js', chunkFilename: 'chunk/[name].[contenthash:8].js' },
      // src/index.html writes the tags itself: the scripts are preloaded and started by src/boot.js
      htmlPluginOption: { bootScript, inject: false },
      miniCssExtractPluginOption: { ignoreOrder: true, filename: 'css/[name].[hash].css', chunkFilename: 'css/[name].[chunkhash].css' },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
    },
  }
  if (process.env.NODE_ENV === 'development') return merge({}, base, { mini: {}, h5: {} })
  return merge({}, base, {
    mini: {
      sourceMapType: undefined,
      enableSourceMap: false,
      // keep Chinese text as UTF-8 instead of \uXXXX escapes: ~half the bytes for every UI string
      terser: { enable: true, config: { output: { ascii_only: false } } },
    },
    h5: { enableSourceMap: false },
  })
})
