/**
 * @jest-environment node
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

// Type-checking is a test: the pages, the API client and the tests against @mashang/shared's DTOs.
it('the mini-program type-checks', () => {
  const run = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'], {
    cwd: path.resolve(__dirname, '..', '..'),
    encoding: 'utf8',
  });
  expect(run.stdout + run.stderr).toBe('');
  expect(run.status).toBe(0);
}, 120_000);
