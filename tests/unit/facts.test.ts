import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CASE_DEADLINES, DEADLINE_TEXT, REGIONS, WECHAT_TEMPLATE_IDS } from '@mashang/shared';

// Facts both sides state live once, in shared/src/facts.ts (issue 8 item 4). These checks read the production
// sources and fail when one of those facts is written out again somewhere else, where it would drift.

const ROOT = join(__dirname, '..', '..');
const FACTS = 'shared/src/facts.ts';
const PRODUCTION = ['functions/src', 'shared/src', 'miniapp/src', 'console/src'];

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const rel = join(dir, name);
    if (statSync(join(ROOT, rel)).isDirectory()) return sources(rel);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [rel] : [];
  });
}

const files = PRODUCTION.flatMap(sources)
  .filter((f) => f !== FACTS)
  .map((f) => ({ file: f, text: readFileSync(join(ROOT, f), 'utf8') }));

/** The places (file:line) outside facts.ts whose line matches. */
function writtenAgain(match: (line: string) => boolean): string[] {
  return files.flatMap(({ file, text }) =>
    text.split('\n').flatMap((line, i) => (match(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
  );
}

describe('shared facts are written once', () => {
  test('the production sources are read (the checks below would pass on nothing)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.some((f) => f.file.startsWith('console/src/'))).toBe(true);
    expect(files.some((f) => f.file.startsWith('miniapp/src/'))).toBe(true);
  });

  test('when a deadline is stated, then it comes from the deadline numbers, never as a literal "N 个工作日"', () => {
    expect(DEADLINE_TEXT.callbackPromise).toContain(`${CASE_DEADLINES.callback}个工作日`);
    expect(writtenAgain((l) => /\d\s*个工作日/.test(l))).toEqual([]);
  });

  test('when a region is named, then the name comes from REGIONS', () => {
    const names = REGIONS.map((r) => r.name);
    expect(names).toHaveLength(5);
    expect(writtenAgain((l) => names.some((n) => l.includes(n)))).toEqual([]);
  });

  test('when a WeChat template is named, then its id comes from WECHAT_TEMPLATE_IDS', () => {
    const ids = Object.values(WECHAT_TEMPLATE_IDS);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    expect(writtenAgain((l) => ids.some((id) => l.includes(id)))).toEqual([]);
  });
});

describe('the README describes the keys as they are', () => {
  const keys = readFileSync(join(ROOT, 'functions/src/data/keys.ts'), 'utf8');
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Access patterns'), readme.indexOf('## Endpoints'));

  test('when data/keys.ts builds a key or index partition, then the access-pattern table names it', () => {
    // Every literal key part: `CASE#${…}`, 'META', 'GAUGE', 'REGIONS', …
    const parts = new Set([...keys.matchAll(/[`'"]([A-Z][A-Z_]{2,}#?)/g)].map((m) => m[1]));
    expect(parts.size).toBeGreaterThan(40);
    expect(section.length).toBeGreaterThan(1000);
    expect([...parts].filter((p) => !section.includes(p))).toEqual([]);
  });
});
