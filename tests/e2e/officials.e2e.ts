/**
 * Browser journey of the officials' pages (issue 3, point 9) on the H5 build against the local system:
 * a citizen's 差评 on the rate page → it appears in the county inspector's list → the department handler
 * records the callback and the rectification → the inspector closes it as 已整改 → the citizen sees it
 * closed in 我的 and adds a 追评. Screenshots of the officials' pages go to docs/screenshots/officials-*.png.
 *
 * Run: npx tsx --test tests/e2e/officials.e2e.ts   (about 2–3 minutes: starts the system, builds H5)
 *   E2E_API_BASE=http://127.0.0.1:3000   use a running system instead of starting one
 *   E2E_H5_DIR=miniapp/dist/h5           use an H5 build made for that API base instead of building one
 * Needs /usr/bin/chromium and fonts-noto-cjk (TOOLCHAIN.md, "Browser tests").
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { serveStatic } from '../../dev/static-server';

const ROOT = join(__dirname, '..', '..');
const SHOTS = join(ROOT, 'docs', 'screenshots');
const COUNTY = 'menyuan';
const DEPARTMENT = 'menyuan-scjg';
const CITIZEN_CODE = `citizen-e2e-${Date.now().toString(36)}`;
const CITIZEN_PHONE = '13800138000';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

/** `npm start` on free ports with DynamoDB Local in memory, stopped by process group at the end. */
async function startSystem(): Promise<{ apiBase: string; stop: () => Promise<void> }> {
  const [api, dynamodb, standin, h5, lambda] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    API_PORT: String(api),
    DYNAMODB_PORT: String(dynamodb),
    STANDIN_PORT: String(standin),
    H5_PORT: String(h5),
    LAMBDA_PORT: String(lambda),
    DYNAMODB_IN_MEMORY: '1',
  };
  delete env.AWS_ENDPOINT_URL_DYNAMODB;
  const child: ChildProcess = spawn('npm', ['start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const stop = async () => {
    if (child.exitCode !== null || !child.pid) return;
    const exited = new Promise((r) => child.once('exit', r));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 8000))]);
    if (child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const onData = (d: Buffer) => {
        output = (output + d.toString()).slice(-10000);
        if (output.includes('local system is up')) resolve();
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.on('exit', (code) => reject(new Error(`npm start exited (${code}):\n${output}`)));
      setTimeout(() => reject(new Error(`npm start was not up within 180 s:\n${output}`)), 180_000).unref();
    });
  } catch (e) {
    await stop();
    throw e;
  }
  return { apiBase: `http://127.0.0.1:${api}`, stop };
}

function builtFor(dir: string, apiBase: string): boolean {
  const js = join(dir, 'js');
  if (!existsSync(join(dir, 'index.html')) || !existsSync(js)) return false;
  return readdirSync(js).some((f) => f.endsWith('.js') && readFileSync(join(js, f), 'utf8').includes(apiBase));
}

/**
 * The H5 build fixes the API base at build time (TARO_APP_API_BASE_URL, miniapp/config/index.ts). Others build
 * into the same miniapp/dist/h5, so the build is copied away at once and checked to carry this API base.
 */
function buildH5(apiBase: string): string {
  const out = join(ROOT, 'miniapp', 'dist', 'h5');
  for (let attempt = 1; attempt <= 2; attempt++) {
    const run = spawnSync('npm', ['run', 'build:h5', '-w', 'miniapp'], {
      cwd: ROOT,
      env: { ...process.env, TARO_APP_API_BASE_URL: apiBase, NODE_ENV: 'production' },
      encoding: 'utf8',
      timeout: 300_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.status !== 0) throw new Error(`H5 build failed:\n${(run.stdout + run.stderr).slice(-4000)}`);
    const copy = mkdtempSync(join(tmpdir(), 'officials-h5-'));
    cpSync(out, copy, { recursive: true });
    if (builtFor(copy, apiBase)) return copy;
    rmSync(copy, { recursive: true, force: true });
  }
  throw new Error(`the H5 build in ${out} does not carry ${apiBase} (another build overwrote it?)`);
}

async function api<T>(apiBase: string, method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const r = await fetch(apiBase + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await r.json();
  if (!r.ok) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(json)}`);
  return json as T;
}

/**
 * serverless-offline loads each function on its first request, and a loaded machine can take longer than the
 * function timeout to do it (504). Touch every route the journey uses until it answers, so the journey measures
 * the pages, not cold starts.
 */
async function warmUp(apiBase: string): Promise<void> {
  const routes: [string, string, unknown?][] = [
    ['POST', '/v1/auth/wechat', {}],
    ['GET', '/v1/codes/ping'],
    ['GET', '/v1/windows'],
    ['POST', '/v1/ratings', {}],
    ['GET', '/v1/me/ratings'],
    ['GET', '/v1/me/complaints'],
    ['GET', '/v1/cases'],
    ['GET', '/v1/cases/20260101-AAAAAA'],
    ['POST', '/v1/cases/20260101-AAAAAA/actions', {}],
    ['GET', '/v1/stats/summary'],
    ['POST', '/v1/me/subscriptions', {}],
    ['GET', '/v1/alerts/failed'],
  ];
  await Promise.all(
    routes.map(async ([method, path, body]) => {
      const until = Date.now() + 180_000;
      for (;;) {
        const r = await fetch(apiBase + path, {
          method,
          headers: { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        }).catch(() => null);
        if (r && r.status !== 504 && r.status < 500) return;
        if (Date.now() > until) throw new Error(`${method} ${path} still fails after 180 s (${r?.status ?? 'no answer'})`);
        await new Promise((res) => setTimeout(res, 1000));
      }
    }),
  );
}

const tokenFor = async (apiBase: string, code: string) => (await api<{ token: string }>(apiBase, 'POST', '/v1/auth/wechat', { code })).token;

describe('officials journey in the browser (H5)', { timeout: 900_000 }, () => {
  let apiBase = process.env.E2E_API_BASE ?? '';
  let stopSystem: () => Promise<void> = async () => {};
  let h5Dir = '';
  let h5Server: Server | undefined;
  let h5Base = '';
  let context: BrowserContext;
  let page: Page;
  let caseId = '';

  const go = async (route: string) => {
    await page.goto(`${h5Base}/#${route}`);
  };
  /** Signs in on the H5 sign-in page with a stand-in login code, as a person in WeChat would be. */
  const signIn = async (code: string, expect: string | RegExp) => {
    await go('/pages/login/index');
    const input = page.locator('input[placeholder="例如 demo-inspector"]');
    await input.waitFor();
    await input.fill(code);
    await page.locator('taro-button-core').filter({ hasText: /^\s*登录\s*$/ }).tap();
    await page.getByTestId('current-user').getByText(expect).first().waitFor();
  };
  const shot = (name: string, fullPage = true) => page.screenshot({ path: join(SHOTS, `officials-${name}.png`), fullPage });
  const field = (placeholder: string) => page.locator(`textarea[placeholder="${placeholder}"], input[placeholder="${placeholder}"]`);
  const tapAction = (label: string) => page.locator('.action-btn', { hasText: label }).first().tap();
  const submit = (label: string) => page.locator('taro-button-core', { hasText: label }).tap();
  const timeline = () => page.getByTestId('timeline');

  before(async () => {
    if (!apiBase || !(await answers(`${apiBase}/v1/codes/ping`))) {
      const sys = await startSystem();
      apiBase = sys.apiBase;
      stopSystem = sys.stop;
    }
    await warmUp(apiBase);
    h5Dir = process.env.E2E_H5_DIR && builtFor(process.env.E2E_H5_DIR, apiBase) ? process.env.E2E_H5_DIR : buildH5(apiBase);
    const port = await freePort();
    h5Server = await serveStatic(h5Dir, port);
    h5Base = `http://127.0.0.1:${port}`;
    context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'officials-chromium-')), {
      executablePath: '/usr/bin/chromium',
      headless: true,
      hasTouch: true,
      isMobile: true,
      viewport: { width: 375, height: 812 },
      deviceScaleFactor: 2,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(45_000);
  });

  after(async () => {
    await context?.close().catch(() => {});
    h5Server?.close();
    if (h5Dir && h5Dir !== process.env.E2E_H5_DIR) rmSync(h5Dir, { recursive: true, force: true });
    await stopSystem();
  });

  it('a citizen files a 差评 with a phone on the rate page and gets a case number', async () => {
    const operator = await tokenFor(apiBase, 'demo-operator');
    const windows = await api<{ items: { code: string; name: string }[] }>(apiBase, 'GET', `/v1/windows?departmentId=${DEPARTMENT}`, undefined, operator);
    const win = windows.items?.[0];
    assert.ok(win, `no window in ${DEPARTMENT}: ${JSON.stringify(windows).slice(0, 300)}`);

    await signIn(CITIZEN_CODE, '群众');
    await go(`/pages/rate/index?code=${encodeURIComponent(win.code)}`);
    await page.getByText(win.name).first().waitFor();
    await page.getByText('非常不满意', { exact: true }).tap();
    await page.getByText('推诿扯皮', { exact: true }).tap();
    await page.locator('textarea[placeholder="请描述办事经过，便于核实和改进"]').fill('材料齐全仍被要求回去补件，跑了三趟');
    await page.getByText('填写手机号', { exact: true }).tap();
    await page.getByText('同意并继续', { exact: true }).tap();
    await page.locator('input[placeholder="请输入11位手机号"]').fill(CITIZEN_PHONE);
    await page.locator('taro-button-core', { hasText: '提交评价' }).tap();
    await page.waitForURL(/thanks\/index.*caseId=/);
    caseId = decodeURIComponent(/caseId=([^&]+)/.exec(page.url())![1]);
    assert.match(caseId, /^\d{8}-[0-9A-Z]{6}$/);
  });

  it(`the case appears in demo-inspector-${COUNTY}'s list of 待处理 cases`, async () => {
    await signIn(`demo-inspector-${COUNTY}`, /纪检监察/);
    await page.getByText('进入工作台', { exact: true }).tap();
    await page.getByTestId('stats').getByText('待处理').waitFor();
    await page.getByText('%').first().waitFor().catch(() => {});
    await shot('home');
    await page.getByText('待处理督办件', { exact: true }).tap();
    const row = page.getByTestId('case-item').filter({ hasText: caseId });
    await row.waitFor();
    assert.match(await row.innerText(), /非常不满意/);
    await shot('list');
    await row.tap();
    await page.getByTestId('case-summary').getByText(caseId).waitFor();
    // The alerts leave from the table's stream within seconds: wait for both recipients to show.
    for (let i = 0; i < 20; i++) {
      const text = await page.getByTestId('alerts').innerText();
      if (/部门负责人/.test(text) && /纪检监察/.test(text) && !/待发送|发送中/.test(text)) break;
      await page.waitForTimeout(1000);
      await page.reload();
      await page.getByTestId('alerts').waitFor();
    }
    assert.match(await page.getByTestId('alerts').innerText(), /部门负责人[\s\S]*已送达|已送达[\s\S]*部门负责人/);
    assert.equal(await page.getByTestId('tel').getAttribute('href'), `tel:${CITIZEN_PHONE}`);
    await shot('case');
  });

  it(`the handler demo-handler-${DEPARTMENT} records the callback and the rectification`, async () => {
    await signIn(`demo-handler-${DEPARTMENT}`, /部门负责人/);
    await go(`/officials/pages/case/index?id=${caseId}`);
    await page.getByTestId('case-summary').getByText(caseId).waitFor();

    await tapAction('电话回访');
    await page.getByText('已接通', { exact: true }).tap();
    await field('回访情况：对方诉求、答复内容等').fill('已电话联系评价人，核实补件要求不合理，当场致歉');
    await shot('callback-form');
    await submit('提交电话回访');
    await page.getByTestId('deadlines').getByText('已回访').waitFor();
    assert.match(await timeline().innerText(), /电话回访[\s\S]*已电话联系评价人/);

    await tapAction('整改反馈');
    await field('问题原因、整改措施及结果').fill('已修订登记注册一次性告知清单，对窗口人员开展作风教育');
    await submit('提交整改反馈');
    await page.getByTestId('case-summary').getByText('已反馈整改').waitFor();
    assert.match(await timeline().innerText(), /整改反馈[\s\S]*一次性告知清单/);
  });

  it('the inspector closes it as 已整改', async () => {
    await signIn(`demo-inspector-${COUNTY}`, /纪检监察/);
    await go(`/officials/pages/case/index?id=${caseId}`);
    await page.getByTestId('case-summary').getByText('已反馈整改').waitFor();
    await tapAction('办结');
    await page.getByText('已整改', { exact: true }).tap();
    await field('办结说明').fill('经回访核实，整改到位，评价人认可');
    await shot('close-form');
    await submit('提交办结');
    await page.getByTestId('case-summary').getByText('已办结').waitFor();
    assert.match(await page.getByTestId('deadlines').innerText(), /已整改/);
    await shot('closed');

    await go('/officials/pages/cases/index?status=closed');
    await page.getByTestId('case-item').filter({ hasText: caseId }).waitFor();
  });

  it('the citizen sees the case closed in 我的 and adds a 追评', async () => {
    await signIn(CITIZEN_CODE, '群众');
    await go('/pages/mine/index');
    const mine = page.getByTestId('my-ratings');
    await mine.getByText(`督办件 ${caseId}`).waitFor();
    assert.match(await mine.innerText(), /已办结/);
    await mine.getByText('追评', { exact: true }).tap();
    await page.getByTestId('follow-up-form').getByText('满意', { exact: true }).tap();
    await page.locator('taro-button-core', { hasText: '提交追评' }).tap();
    await page.getByText('追评已提交，感谢您的监督。').waitFor();

    const inspector = await tokenFor(apiBase, `demo-inspector-${COUNTY}`);
    const view = await api<{ case: { status: string; outcome: string }; timeline: { action: string }[] }>(apiBase, 'GET', `/v1/cases/${caseId}`, undefined, inspector);
    assert.equal(view.case.status, 'closed');
    assert.equal(view.case.outcome, '已整改');
    assert.deepEqual(
      view.timeline.map((t) => t.action),
      ['opened', 'callback', 'rectification', 'close', 'follow_up'],
    );
  });

  it('at console width the officials pages stay readable (screenshot)', async () => {
    await signIn(`demo-inspector-${COUNTY}`, /纪检监察/);
    await page.setViewportSize({ width: 1280, height: 900 });
    await go(`/officials/pages/case/index?id=${caseId}`);
    await page.getByTestId('timeline').getByText('追评').waitFor();
    await shot('console-case');
    await page.setViewportSize({ width: 375, height: 812 });
  });
});
