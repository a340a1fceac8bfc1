// Test projects: pure rules (unit), handlers against DynamoDB Local (integration),
// and the mini-program's own page tests (miniapp/jest.config.js).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];
// jose 6 ships ESM only; Lambda bundles it with esbuild, jest compiles it to CommonJS here.
const backend = {
  transform: { '^.+\\.(ts|js)$': swc },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  testEnvironment: 'node',
  // Scratch copies (benchmarks, packaging) must not shadow the workspace packages.
  modulePathIgnorePatterns: ['<rootDir>/tmp/', '<rootDir>/.serverless/', '<rootDir>/.esbuild/'],
  // esbuild's `file` loader turns a font import into its path; jest gets the same from a tiny mapper module.
  moduleNameMapper: { '\\.ttf\\.br$': '<rootDir>/tests/support/file-path.js' },
};
/** @type {import('jest').Config} */
module.exports = {
  // A global option in jest 30 (ignored inside a project): integration tests talk to DynamoDB Local and build PDFs.
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      testMatch: ['<rootDir>/tests/unit/**/*.test.ts'],
      ...backend,
      setupFiles: ['<rootDir>/tests/support/unit-env.ts'],
    },
    {
      displayName: 'integration',
      testMatch: ['<rootDir>/tests/integration/**/*.test.ts'],
      ...backend,
      globalSetup: '<rootDir>/tests/support/global-setup.ts',
      globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
      setupFiles: ['<rootDir>/tests/support/env.ts'],
    },
    '<rootDir>/miniapp',
    '<rootDir>/console',
  ],
};
