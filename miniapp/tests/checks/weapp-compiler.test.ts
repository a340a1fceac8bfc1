/**
 * @jest-environment node
 */
// The weapp output checked offline by WeChat's own tools (scripts/check-weapp.js): miniprogram-ci's
// dependency analysis and full compile, and the wcc/wcsc compilers. A build that fails here would fail in WeChat.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DIST, MINIAPP, ensureWeappBuild } from './weapp-build';

const { measure } = require('../../scripts/size-check');

const MAIN_BUDGET_KB = 500;

interface Check {
  ok: boolean;
  errors: string[];
}
interface Report {
  ok: boolean;
  checks: Record<string, Check>;
}

function check(dir: string, only?: string[]): Report {
  const run = spawnSync(
    process.execPath,
    [path.join(MINIAPP, 'scripts', 'check-weapp.js'), dir, ...(only ? [`--only=${only.join(',')}`] : [])],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 240_000 },
  );
  const lastLine = run.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(lastLine) as Report;
  } catch {
    throw new Error(`check-weapp printed no report (status ${run.status}): ${run.stderr.slice(-2000)}`);
  }
}

function brokenCopy(mutate: (dir: string) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weapp-broken-'));
  fs.cpSync(DIST, dir, { recursive: true });
  mutate(dir);
  return dir;
}

beforeAll(() => ensureWeappBuild(), 300_000);

describe('weapp build', () => {
  it('has app.json with the citizen pages in the main package, the officials and the visits pages in subpackages', () => {
    const app = JSON.parse(fs.readFileSync(path.join(DIST, 'app.json'), 'utf8'));
    expect(app.pages[0]).toBe('pages/index/index');
    expect(app.pages).toEqual(
      expect.arrayContaining([
        'pages/rate/index',
        'pages/complaint/index',
        'pages/privacy/index',
        'pages/invite/index',
      ]),
    );
    expect(app.subPackages).toEqual([
      expect.objectContaining({
        root: 'officials',
        pages: [
          'pages/home/index',
          'pages/cases/index',
          'pages/case/index',
          'pages/alerts/index',
          'pages/visits/index',
          'pages/invite/index',
          'pages/window/index',
          'pages/stats/index',
          'pages/bind/index',
        ],
      }),
      expect.objectContaining({
        root: 'visits',
        pages: [
          'pages/enterprise/index',
          'pages/bind/index',
          'pages/register/index',
          'pages/rate/index',
          'pages/log/index',
          'pages/mine/index',
        ],
      }),
      // 满意度公示 (public, no login).
      expect.objectContaining({ root: 'public', pages: ['pages/satisfaction/index'] }),
    ]);
    expect(app.__usePrivacyCheck__).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(DIST, 'project.config.json'), 'utf8')).miniprogramRoot).toBe('./');
  });

  it(`keeps the main package within ${MAIN_BUDGET_KB} KB`, () => {
    const sizes = measure();
    expect(sizes.main / 1024).toBeLessThan(MAIN_BUDGET_KB);
    expect(sizes.officials).toBeGreaterThan(0);
    expect(sizes.visits).toBeGreaterThan(0);
  });

  it('takes photos the WeChat way wherever the photo picker is (评价, 投诉, 整改反馈): chooseMedia, compressImage, uploadFile', () => {
    const read = (f: string) => fs.readFileSync(path.join(DIST, f), 'utf8');
    const common = read('common.js');
    // Webpack modules in a minified chunk: `,<id>:function(` up to the next one.
    const starts = [...common.matchAll(/[,{[](\d+):function\(/g)].map((m) => ({ id: m[1], at: m.index ?? 0 }));
    const moduleOf = (at: number) => starts.filter((m) => m.at < at).pop();
    const text = (id: string) => {
      const i = starts.findIndex((m) => m.id === id);
      return common.slice(starts[i].at, starts[i + 1]?.at ?? common.length);
    };
    // The picker (its add button) and its upload code, in the main package's common chunk (every package loads it).
    const picker = moduleOf(common.indexOf('add-photo'));
    expect(picker).toBeDefined();
    const code = text(picker!.id);
    expect(code).toMatch(/\.chooseMedia\(\{count:\w+,mediaType:\["image"\]/);
    expect(code).toContain('.compressImage(');
    expect(code).toContain('.uploadFile(');
    expect(code).toContain('withCredentials:!1');
    const uses = (t: string) => t.includes(`(${picker!.id})`);
    // 投诉 and the officials' case page (整改反馈) load it themselves; 评价 through the rating form in common.js.
    expect(uses(read('pages/complaint/index.js'))).toBe(true);
    expect(uses(read('officials/pages/case/index.js'))).toBe(true);
    const ratePage = read('pages/rate/index.js');
    const viaCommon = starts.filter((m) => ratePage.includes(`(${m.id})`) && uses(text(m.id)));
    expect(viaCommon.length).toBeGreaterThan(0);
  });

  it('passes miniprogram-ci analysis and compile, wcc and wcsc without a single error', () => {
    const report = check(DIST);
    expect(report.checks).toEqual({
      analyse: expect.objectContaining({ ok: true, errors: [] }),
      compile: expect.objectContaining({ ok: true, errors: [] }),
      wcc: expect.objectContaining({ ok: true, errors: [] }),
      wcsc: expect.objectContaining({ ok: true, errors: [] }),
    });
  }, 300_000);

  it('the checks do catch a broken build (unclosed WXML tag, bad WXSS)', () => {
    const bad = brokenCopy((d) => {
      fs.appendFileSync(path.join(d, 'pages/rate/index.wxml'), '<view><text>x</view>');
      fs.appendFileSync(path.join(d, 'app.wxss'), '.a { color: red ');
    });
    try {
      const report = check(bad, ['wcc', 'wcsc']);
      expect(report.ok).toBe(false);
      expect(report.checks.wcc.errors.join()).toContain('pages/rate/index.wxml');
      expect(report.checks.wcsc.ok).toBe(false);
    } finally {
      fs.rmSync(bad, { recursive: true, force: true });
    }
  }, 60_000);
});
