// Lint and architecture boundaries for the whole repository (ESLint flat config).
// Layers: handlers → domain → data / gateways → lib; shared/ is used by every side; the mini-program and the
// console never import the backend; production code never imports scripts/ or dev/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const outsideProduction = [
  { group: ['**/scripts/**', '**/dev/**'], message: 'Production code never imports scripts/ or dev/.' },
];

// `import { z } from 'zod'` makes esbuild keep the whole z namespace (every locale, JSON-schema conversion):
// about 350 KB more per Lambda bundle than `import * as z from 'zod'` (issue 9, bench section 2).
const zodAsNamespace = {
  selector: "ImportDeclaration[source.value=/^zod(\\/.*)?$/] > ImportSpecifier[imported.name='z']",
  message: "Import zod as a namespace (import * as z from 'zod'): the named z keeps all of zod in the bundle.",
};
// Functions and the DTOs they share use zod/mini: classic zod (its API, English locale and schema set-up) costs a Lambda
// ~65 KB and most of its own cold init (issue 9, bench section 2). Type-only imports cost nothing.
const classicZod = {
  selector: "ImportDeclaration[source.value='zod'][importKind!='type']",
  message:
    "Use zod/mini (import * as z from 'zod/mini'): classic zod slows every Lambda that bundles it at cold start.",
};
// Storage keys (pk, sk, gsi1pk …) never leave data/: above it, items are plain records and keys are data/'s business.
const storageKey = '/^(pk|sk|gsi\\d*(pk|sk))$/';
const noStorageKeys = [
  {
    selector: `MemberExpression[property.name=${storageKey}]`,
    message: 'Storage keys stay in data/: ask an entity module of data/ for what you need.',
  },
  {
    selector: `Property[key.name=${storageKey}]`,
    message: 'Storage keys stay in data/: let an entity module of data/ build the key.',
  },
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.serverless/**',
      '**/.esbuild/**',
      '**/.build/**',
      '**/coverage/**',
      'tmp/**',
      '**/*.js',
      '**/*.cjs',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': ['error', zodAsNamespace],
    },
  },
  {
    files: ['shared/src/**/*.ts', 'functions/src/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', zodAsNamespace, classicZod] },
  },
  {
    // Tests, scripts and the local stand-ins read loosely typed JSON; `any` is allowed there, not in production code.
    files: ['tests/**', 'scripts/**', 'dev/**', 'miniapp/tests/**', 'console/tests/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: [
      'miniapp/src/**/*.{ts,tsx}',
      'miniapp/tests/**/*.{ts,tsx}',
      'console/src/**/*.{ts,tsx}',
      'console/tests/**/*.{ts,tsx}',
    ],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  // Boundaries.
  {
    files: ['functions/src/domain/**/*.ts', 'functions/src/handlers/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', zodAsNamespace, classicZod, ...noStorageKeys] },
  },
  {
    files: ['functions/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...outsideProduction,
            { group: ['@aws-sdk/*'], message: 'The domain never talks to AWS: go through data/ or gateways/.' },
            {
              group: ['**/data/client', '**/data/keys', '**/data/table', '**/data/paging'],
              message: 'The domain never builds keys or talks to the table: use an entity module of data/.',
            },
            { group: ['**/handlers/**', '../handlers'], message: 'The domain never imports handlers.' },
          ],
        },
      ],
    },
  },
  {
    files: ['functions/src/handlers/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ...outsideProduction,
            {
              group: ['**/data/**', '../data'],
              message: 'Handlers parse and call the domain; they never touch data/.',
            },
            {
              // Parsing a stream record (util-dynamodb, SDK types) is a handler's job; talking to AWS is not.
              group: ['@aws-sdk/client-*', '@aws-sdk/lib-*'],
              allowTypeImports: true,
              message: 'Handlers never talk to AWS directly.',
            },
            { group: ['./*', '!./*.schema'], message: 'A handler never imports another handler.' },
          ],
        },
      ],
    },
  },
  {
    files: ['functions/src/data/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...outsideProduction,
            {
              group: ['**/domain/**', '../domain', '**/handlers/**', '../handlers', '**/gateways/**', '../gateways'],
              message: 'Lower layers never import upper ones; data/ never calls outside services.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['functions/src/gateways/**/*.ts', 'functions/src/lib/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...outsideProduction,
            {
              group: ['**/domain/**', '../domain', '**/handlers/**', '../handlers', '**/data/**', '../data'],
              message: 'gateways/ and lib/ sit below the domain and beside data/: they never import them.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...outsideProduction,
            {
              group: ['**/functions/**', '**/miniapp/**', '**/console/**'],
              message: 'shared/ depends on nothing of ours.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['miniapp/src/**/*.{ts,tsx}', 'console/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...outsideProduction,
            {
              group: ['**/functions/**', '@aws-sdk/*'],
              message: 'Front ends talk to the API only; DTOs come from @mashang/shared.',
            },
          ],
        },
      ],
    },
  },
);
