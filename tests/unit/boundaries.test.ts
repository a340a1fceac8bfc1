import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The architecture boundaries are enforced by ESLint (eslint.config.mjs, run by `npm run lint` in `npm test`).
 * Deliberate violations, linted as if they were files at these paths, must be reported; allowed imports must not.
 * ESLint's Node API runs in a child process: its flat config is an ES module, which jest's CommonJS runtime
 * cannot load.
 */
const root = join(__dirname, '../..');

function lint(
  files: { path: string; code: string }[],
): { path: string; messages: { ruleId: string | null; message: string }[] }[] {
  const script = `
    const { ESLint } = require('eslint');
    (async () => {
      const eslint = new ESLint({ cwd: ${JSON.stringify(root)} });
      const out = [];
      for (const f of JSON.parse(process.argv[1])) {
        const [r] = await eslint.lintText(f.code, { filePath: f.path });
        out.push({ path: f.path, messages: r.messages.map((m) => ({ ruleId: m.ruleId, message: m.message })) });
      }
      process.stdout.write(JSON.stringify(out));
    })().catch((e) => { console.error(e); process.exit(2); });`;
  return JSON.parse(
    execFileSync(process.execPath, ['-e', script, JSON.stringify(files)], { cwd: root, encoding: 'utf8' }),
  );
}

const boundaryRules = ['no-restricted-imports', '@typescript-eslint/no-restricted-imports', 'no-restricted-syntax'];
const restricted = (r: { messages: { ruleId: string | null }[] }) =>
  r.messages.filter((m) => boundaryRules.includes(m.ruleId ?? ''));

describe('architecture boundaries (ESLint)', () => {
  const cases = [
    {
      path: 'functions/src/domain/fixture.ts',
      code: "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const c = new DynamoDBClient({});\n",
      why: 'the domain never talks to AWS',
    },
    {
      path: 'functions/src/domain/fixture.ts',
      code: "import { K } from '../data/keys';\nexport const k = K.case('x');\n",
      why: 'the domain never builds keys',
    },
    {
      path: 'functions/src/domain/fixture.ts',
      code: "import { db } from '../data/client';\nexport const d = db;\n",
      why: 'the domain never uses the client',
    },
    {
      path: 'functions/src/domain/fixture.ts',
      code: "import { queryIndex } from '../data/table';\nexport const q = queryIndex;\n",
      why: 'the domain never queries the table itself',
    },
    {
      path: 'functions/src/handlers/fixture.ts',
      code: "import { loadCase } from '../data/cases';\nexport const l = loadCase;\n",
      why: 'handlers never touch data/',
    },
    {
      path: 'functions/src/handlers/fixture.ts',
      code: "import { list } from './cases';\nexport const l = list;\n",
      why: 'a handler never imports another',
    },
    {
      path: 'functions/src/data/fixture.ts',
      code: "import { submitRating } from '../domain/ratings';\nexport const s = submitRating;\n",
      why: 'data/ never imports the domain',
    },
    {
      path: 'functions/src/lib/fixture.ts',
      code: "import { loadCase } from '../data/cases';\nexport const l = loadCase;\n",
      why: 'lib/ never imports data/',
    },
    {
      path: 'miniapp/src/fixture.ts',
      code: "import { K } from '../../functions/src/data/keys';\nexport const k = K;\n",
      why: 'the mini-program never imports functions/',
    },
    {
      path: 'functions/src/domain/fixture.ts',
      code: "import { seedDemoData } from '../../../dev/seed';\nexport const s = seedDemoData;\n",
      why: 'production code never imports dev/',
    },
    {
      path: 'console/src/fixture.ts',
      code: "import { K } from '../../functions/src/data/keys';\nexport const k = K;\n",
      why: 'the console never imports functions/',
    },
    {
      path: 'console/src/fixture.ts',
      code: "import { seed } from '../../scripts/seed';\nexport const s = seed;\n",
      why: 'production code never imports scripts/',
    },
    {
      path: 'functions/src/domain/fixture.ts',
      code: 'export const keyOf = (item: Record<string, string>) => item.pk;\n',
      why: 'storage keys never reach the domain',
    },
    {
      path: 'functions/src/handlers/fixture.ts',
      code: "export const key = { sk: 'CASE#1' };\n",
      why: 'handlers never build storage keys',
    },
    {
      path: 'functions/src/domain/fixture.ts',
      code: "import { z } from 'zod/mini';\nexport const s = z.string();\n",
      why: 'zod is imported as a namespace (kept where the key rule applies)',
    },
    {
      path: 'shared/src/fixture.ts',
      code: "import * as z from 'zod';\nexport const s = z.string();\n",
      why: 'functions and shared DTOs use zod/mini, not classic zod',
    },
    {
      path: 'functions/src/handlers/fixture.ts',
      code: "import * as z from 'zod';\nexport const s = z.string();\n",
      why: 'a handler uses zod/mini, not classic zod',
    },
  ];
  const allowed = [
    {
      path: 'functions/src/domain/fixture.ts',
      code: "import { loadCase } from '../data/cases';\nexport const l = loadCase;\n",
    },
    {
      path: 'functions/src/handlers/fixture.ts',
      code: "import { getCaseView } from '../domain/case-views';\nexport const g = getCaseView;\n",
    },
    {
      path: 'shared/src/fixture.ts',
      code: "import * as z from 'zod/mini';\nimport type * as zc from 'zod';\nexport const s: zc.ZodType | z.ZodMiniString = z.string();\n",
    },
  ];

  let results: ReturnType<typeof lint>;
  beforeAll(() => {
    results = lint([...cases, ...allowed]);
  }, 60000);

  test.each(cases.map((c, i) => [c.why, i] as const))('when a file breaks "%s", then lint reports it', (_why, i) => {
    expect(restricted(results[i])).toHaveLength(1);
  });

  test('when the layers are respected, then lint reports nothing', () => {
    expect(results.slice(cases.length).flatMap((r) => r.messages)).toEqual([]);
  });
});
