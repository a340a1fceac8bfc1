// Page tests: the real Taro H5 components in jsdom (TOOLCHAIN.md, "Page tests that work").
const path = require('node:path');

// ESM-only packages that must go through babel.
const esm = [
  '@tarojs',
  '@stencil',
  'lodash-es',
  'query-string',
  'decode-uri-component',
  'split-on-first',
  'filter-obj',
  'classnames',
  'swiper',
  'ssr-window',
  'dom7',
  'zod',
  'resolve-pathname',
  'history',
  'mobile-detect',
  'tslib',
  'style-inject',
  'nanoid',
  '\\.pnpm',
];

/** @type {import('jest').Config} */
module.exports = {
  displayName: 'miniapp',
  rootDir: __dirname,
  testEnvironment: 'jsdom',
  testMatch: ['<rootDir>/tests/{pages,checks}/**/*.test.{ts,tsx}'],
  transform: {
    '^.+\\.m?[jt]sx?$': ['babel-jest', { configFile: path.join(__dirname, 'babel.config.js') }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esm.join('|')})/)`],
  moduleNameMapper: {
    '^@tarojs/components$': '@tarojs/components/lib/react',
    '^@tarojs/taro$': '<rootDir>/tests/support/taro.js',
    '\\.(css|less|scss)$': '<rootDir>/tests/support/style-stub.js',
  },
  // Build-time constants Taro's webpack would define.
  globals: {
    ENABLE_INNER_HTML: true,
    ENABLE_ADJACENT_HTML: true,
    ENABLE_SIZE_APIS: true,
    ENABLE_TEMPLATE_CONTENT: true,
    ENABLE_CLONE_NODE: true,
    ENABLE_CONTAINS: true,
    ENABLE_MUTATION_OBSERVER: true,
    SUPPORT_TARO_POLYFILL: 'disabled',
    DEPRECATED_ADAPTER_COMPONENT: false,
    API_BASE_URL: 'http://api.test',
  },
  setupFilesAfterEnv: ['<rootDir>/tests/support/setup.ts'],
  testTimeout: 15000,
};
