// Console page tests: jsdom + Testing Library against the real TDesign components; the API is a fetch stub.
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'console',
  rootDir: __dirname,
  testEnvironment: 'jsdom',
  testMatch: ['<rootDir>/tests/**/*.test.{ts,tsx}'],
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', tsx: true },
          transform: { react: { runtime: 'automatic' } },
          target: 'es2020',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: [
    '/node_modules/(?!(tdesign-react|tdesign-icons-react|lodash-es|@babel/runtime|dayjs|tinycolor2|zod|echarts|zrender|tslib)/)',
  ],
  moduleNameMapper: { '\\.(css|less)$': '<rootDir>/tests/style-stub.js' },
  setupFilesAfterEnv: ['<rootDir>/tests/setup.ts'],
  testTimeout: 20000,
};
