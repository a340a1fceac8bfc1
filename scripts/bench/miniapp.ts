import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { kb, log, ratio, ROOT, run, section, WORK, type SectionResult } from './common';

const LIMIT = 2 * 1024 * 1024; // WeChat: 2 MB per package (main and each subpackage), 20 MB in all.

/** Files the devtools never upload (the same rule as miniapp/scripts/size-check.js). */
const ignored = (rel: string) =>
  rel === 'project.config.json' || rel === 'project.private.config.json' || rel.endsWith('.map');

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

/** Package sizes as WeChat counts them: every file under a subpackage root belongs to it, the rest to the main package. */
export function packageSizes(dist: string): Record<string, number> {
  const app = JSON.parse(readFileSync(join(dist, 'app.json'), 'utf8'));
  const roots: string[] = (app.subPackages ?? app.subpackages ?? []).map((s: { root: string }) =>
    s.root.replace(/\/$/, ''),
  );
  const sizes: Record<string, number> = { main: 0 };
  for (const r of roots) sizes[r] = 0;
  for (const file of walk(dist)) {
    const rel = relative(dist, file).split(sep).join('/');
    if (ignored(rel)) continue;
    const root = roots.find((r) => rel === r || rel.startsWith(`${r}/`));
    sizes[root ?? 'main'] += statSync(file).size;
  }
  return sizes;
}

/**
 * A copy of the mini-program project under tmp/bench/<name>/miniapp (inside the repo, so node_modules resolve).
 * In the copied Taro config `__dirname` is replaced by the original config folder, so paths it builds (the shared
 * sources it compiles) are the repo's own. Building the copy leaves miniapp/dist, which others use, alone.
 */
function projectCopy(name: string, src?: Record<string, string>): string {
  const base = join(WORK, name);
  rmSync(base, { recursive: true, force: true });
  const dir = join(base, 'miniapp');
  mkdirSync(dir, { recursive: true });
  for (const f of ['config', 'babel.config.js', 'package.json', 'project.config.json', 'tsconfig.json', 'types']) {
    if (existsSync(join(ROOT, 'miniapp', f))) cpSync(join(ROOT, 'miniapp', f), join(dir, f), { recursive: true });
  }
  for (const f of readdirSync(join(dir, 'config'))) {
    const p = join(dir, 'config', f);
    writeFileSync(p, readFileSync(p, 'utf8').replaceAll('__dirname', JSON.stringify(join(ROOT, 'miniapp', 'config'))));
  }
  if (src) {
    for (const [file, text] of Object.entries(src)) {
      mkdirSync(join(dir, 'src', file, '..'), { recursive: true });
      writeFileSync(join(dir, 'src', file), text);
    }
  } else {
    cpSync(join(ROOT, 'miniapp', 'src'), join(dir, 'src'), { recursive: true });
  }
  return dir;
}

/** The framework's floor: one page that renders one line of text, same Taro config, same build. */
const MINIMAL_APP: Record<string, string> = {
  'app.ts': `import { PropsWithChildren } from 'react';\nexport default function App({ children }: PropsWithChildren) {\n  return children;\n}\n`,
  'app.config.ts': `export default defineAppConfig({ pages: ['pages/index/index'], window: { navigationBarTitleText: '码上监督' } });\n`,
  'app.css': '',
  'pages/index/index.tsx': `import { View } from '@tarojs/components';\nexport default function Index() {\n  return <View>码上监督</View>;\n}\n`,
  'pages/index/index.config.ts': `export default definePageConfig({ navigationBarTitleText: '码上监督' });\n`,
};

/** Where the weapp build landed (config/index.ts's outputRoot: dist/weapp now, dist before). */
function weappDist(dir: string): string | undefined {
  return [join(dir, 'dist', 'weapp'), join(dir, 'dist')].find((d) => existsSync(join(d, 'app.json')));
}

async function buildWeapp(dir: string): Promise<{ ok: boolean; ms: number; tail: string; dist?: string }> {
  const r = await run(join(ROOT, 'node_modules/.bin/taro'), ['build', '--type', 'weapp'], {
    cwd: dir,
    env: { ...process.env, NODE_ENV: 'production', BROWSERSLIST_IGNORE_OLD_DATA: '1' },
    timeoutMs: 240000,
  });
  const dist = weappDist(dir);
  const ok = r.code === 0 && !!dist;
  return {
    ok,
    ms: r.ms,
    dist,
    tail:
      `exit code ${r.code}, ${dist ? `${dist}/app.json written` : 'no app.json under dist/'}\n` +
      r.out
        .replace(new RegExp(String.fromCharCode(27) + '\\[[0-9;]*[A-Za-z]', 'g'), '')
        .split('\n')
        .filter((l) => l.trim())
        .slice(-8)
        .join('\n'),
  };
}

export async function miniappSize(): Promise<SectionResult> {
  const s = section(
    'miniapp',
    '1. Mini-program size (weapp, production build of miniapp/src; floor = a one-page Taro app, same config)',
  );
  if (!existsSync(join(ROOT, 'miniapp', 'src', 'app.config.ts'))) {
    s.status = 'not available yet';
    s.notes.push('miniapp/src has no app.config.ts yet.');
    return s;
  }
  log('building the mini-program (weapp) in tmp/bench/miniapp-build ...');
  const appDir = projectCopy('miniapp-build');
  const app = await buildWeapp(appDir);
  log('building the one-page Taro floor in tmp/bench/taro-floor ...');
  const floorDir = projectCopy('taro-floor', MINIMAL_APP);
  const floor = await buildWeapp(floorDir);
  const floorSizes = floor.ok ? packageSizes(floor.dist!) : undefined;
  const floorMain = floorSizes?.main ?? NaN;
  if (!floor.ok) s.notes.push(`The one-page floor did not build (${(floor.ms / 1000).toFixed(0)} s):\n${floor.tail}`);
  if (!app.ok) {
    s.status = 'failed';
    s.notes.push(`The mini-program build failed (${(app.ms / 1000).toFixed(0)} s); last lines:\n${app.tail}`);
    if (floorSizes)
      s.rows.push({
        measure: 'one-page Taro app, main package (floor)',
        value: kb(floorMain),
        floor: `limit ${kb(LIMIT)}`,
      });
    return s;
  }
  const sizes = packageSizes(app.dist!);
  const total = Object.values(sizes).reduce((a, b) => a + b, 0);
  s.rows.push({
    measure: 'main package',
    value: kb(sizes.main),
    floor: floorSizes ? `${kb(floorMain)} one-page app` : 'floor not built',
    ratio: floorSizes ? ratio(sizes.main, floorMain) : '',
    note: `${((sizes.main / LIMIT) * 100).toFixed(0)}% of WeChat's 2 MB limit`,
  });
  for (const [name, bytes] of Object.entries(sizes)) {
    if (name === 'main') continue;
    s.rows.push({
      measure: `subpackage ${name}`,
      value: kb(bytes),
      note: `${((bytes / LIMIT) * 100).toFixed(0)}% of 2 MB`,
    });
  }
  s.rows.push({
    measure: 'total (all packages)',
    value: kb(total),
    floor: floorSizes ? kb(Object.values(floorSizes).reduce((a, b) => a + b, 0)) : '',
    note: "WeChat's limit for all packages: 20 MB",
  });
  const pages = JSON.parse(readFileSync(join(app.dist!, 'app.json'), 'utf8'));
  s.notes.push(
    `Built with taro build --type weapp from a copy of miniapp/ (tmp/bench/miniapp-build) in ${(app.ms / 1000).toFixed(0)} s; the floor in ${(floor.ms / 1000).toFixed(0)} s. Sizes are the bytes WeChat uploads (project.config.json and source maps excluded), uncompressed.`,
    `${pages.pages.length} main-package pages, ${(pages.subPackages ?? pages.subpackages ?? []).length} subpackage(s). The floor is Taro's runtime (taro.js, vendors.js, base.wxml, comp.*) that every Taro 4 + React mini-program pays before its first page.`,
  );
  s.data = { sizes, total, floorSizes, limit: LIMIT, buildMs: app.ms, floorBuildMs: floor.ms };
  return s;
}
