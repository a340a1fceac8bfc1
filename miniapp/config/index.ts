import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';

// The shared DTO workspace is TypeScript source reached through a symlink in node_modules;
// Taro only compiles what lies outside node_modules unless told otherwise.
const sharedSrc = path.resolve(__dirname, '..', '..', 'shared', 'src');

// The API base URL is fixed at build time: TARO_APP_API_BASE_URL=https://api.example.gov.cn npm run build:weapp
const apiBaseUrl = process.env.TARO_APP_API_BASE_URL || 'http://127.0.0.1:3000';

export default defineConfig<'webpack5'>(async () => {
  const isH5 = process.env.TARO_ENV === 'h5';
  const config: UserConfigExport<'webpack5'> = {
    projectName: 'mashang-miniapp',
    date: '2026-11-26',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    // Separate folders: each build empties its own output, and the H5 files must never end up in the
    // weapp package. dist/weapp is what WeChat devtools opens; `npm start` serves dist/h5.
    // MINIAPP_H5_OUT (relative, e.g. dist/h5-e2e) gives the browser journeys a build no other run can empty.
    outputRoot: isH5 ? process.env.MINIAPP_H5_OUT || 'dist/h5' : 'dist/weapp',
    plugins: [],
    defineConstants: {
      API_BASE_URL: JSON.stringify(apiBaseUrl),
    },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    mini: {
      compile: { include: [sharedSrc] },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      compile: { include: [sharedSrc] },
      // Hash routing: any static server can serve the build, and `/?code=` survives the redirect.
      router: { mode: 'hash' },
      devServer: { host: '127.0.0.1', port: 10086 },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[chunkhash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[chunkhash:8].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
  };
  return config;
});
