// The officials' journey of issue 3 (point 9) in a real browser (375 px, touch) on the H5 build against the
// local system: a citizen's 差评 → the county inspector's list → the department handler records the callback
// and the rectification → the inspector issues a reminder letter (PDF) and closes it as 已整改 → the citizen
// sees it closed in 我的 and adds a 追评.
// Screenshots of the officials' pages: docs/screenshots/officials-*.png. Run: npm run test:e2e -w miniapp.
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { SCREENSHOTS, api, fullLengthShot, phone, serveStatic, warmUp, type Route } from './support';

const COUNTY = 'menyuan';
const DEPARTMENT = 'menyuan-scjg';
const CITIZEN_PHONE = '13800138000';

/** serverless-offline answers a function that ran past its timeout with status 200 and this body. */
const lambdaTimedOut = (text: string) => text.includes('"errorType":"LambdaTimeoutError"');

/** A call from the test itself (set-up and checks), retried past a cold start on a loaded machine. */
async function call<T>(method: string, p: string, body?: unknown, token?: string): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const r = await fetch(api() + p, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    if (lambdaTimedOut(text) && attempt < 4) continue;
    if (!r.ok || lambdaTimedOut(text)) throw new Error(`${method} ${p} → ${r.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }
}

const tokenOf = async (code: string) => (await call<{ token: string }>('POST', '/v1/auth/wechat', { code })).token;

/** The routes this journey uses, warmed up before it starts. */
const ROUTES: Route[] = [
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

let h5: { url: string; close: () => Promise<void> };
let browser: Awaited<ReturnType<typeof phone>>;
let page: Page;
let caseId = '';
const citizen = `e2e-officials-citizen-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

beforeAll(async () => {
  await warmUp(ROUTES);
  h5 = await serveStatic(process.env.E2E_H5_DIR as string, Number(process.env.E2E_H5_PORT ?? 0));
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await phone(citizen);
  page = browser.page;
  page.setDefaultTimeout(45_000);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await h5?.close();
});

/**
 * Opens a route in a fresh document. A hash change alone would push the page onto Taro's H5 page stack, where
 * the earlier pages stay in the DOM (hidden) and their buttons would match the same locators.
 */
async function go(route: string) {
  await page.goto('about:blank');
  await page.goto(`${h5.url}/#${route}`);
}
const shot = (name: string) => fullLengthShot(page, `officials-${name}`);
/** Becomes the person behind a stand-in login code on the H5 sign-in page. */
async function signIn(code: string, shows: RegExp) {
  await go('/pages/login/index');
  const input = page.locator('input[placeholder="例如 demo-inspector"]');
  await input.fill(code);
  await page
    .locator('taro-button-core')
    .filter({ hasText: /^\s*登录\s*$/ })
    .tap();
  await page.getByTestId('current-user').getByText(shows).first().waitFor();
}
const field = (placeholder: string) =>
  page.locator(`textarea[placeholder="${placeholder}"], input[placeholder="${placeholder}"]`);
const chooseAction = (label: string) => page.locator('.action-btn', { hasText: label }).first().tap();
const submit = (label: string) => page.locator('taro-button-core', { hasText: label }).tap();
const openCase = async () => {
  await go(`/officials/pages/case/index?id=${caseId}`);
  await page.getByTestId('case-summary').getByText(caseId).waitFor();
};

describe('officials journey (H5 in Chromium)', () => {
  it('a citizen files a 差评 with a phone on the rate page and gets a case number', async () => {
    const operator = await tokenOf('demo-operator');
    const windows = await call<{ items: { code: string; name: string }[] }>(
      'GET',
      `/v1/windows?departmentId=${DEPARTMENT}`,
      undefined,
      operator,
    );
    const win = windows.items[Math.floor(Math.random() * windows.items.length)];

    await go(`/pages/rate/index?code=${encodeURIComponent(win.code)}`);
    await page.getByText(win.name).first().waitFor();
    await page.getByText('非常不满意', { exact: true }).tap();
    await page.getByText('推诿扯皮', { exact: true }).tap();
    await page.locator('textarea').first().fill('材料齐全仍被要求回去补件，跑了三趟');
    await page.getByText('填写手机号', { exact: true }).tap();
    await page.getByText('同意并继续', { exact: true }).tap();
    await page.locator('input').first().fill(CITIZEN_PHONE);
    await page.locator('taro-button-core', { hasText: '提交评价' }).tap();
    await page.waitForURL(/thanks\/index.*caseId=/);
    caseId = decodeURIComponent(/caseId=([^&]+)/.exec(page.url())![1]);
    expect(caseId).toMatch(/^\d{8}-[0-9A-Z]{6}$/);
  }, 180_000);

  it(`it appears in demo-inspector-${COUNTY}'s 待处理 list, with the alerts delivered and the rater's phone to call`, async () => {
    await signIn(`demo-inspector-${COUNTY}`, /纪检监察/);
    await page.getByText('进入工作台', { exact: true }).tap();
    await page.getByTestId('stats').getByText('待处理').waitFor();
    await shot('home');

    await page.getByText('待处理督办件', { exact: true }).tap();
    const row = page.getByTestId('case-item').filter({ hasText: caseId });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/非常不满意/);
    await shot('list');

    await row.tap();
    await page.getByTestId('case-summary').getByText(caseId).waitFor();
    // The alerts leave from the table's stream within seconds: reload until both recipients' show as sent.
    for (let i = 0; i < 30; i++) {
      const text = await page.getByTestId('alerts').innerText();
      if (/部门负责人[\s\S]*已送达/.test(text) && /纪检监察[\s\S]*已送达/.test(text)) break;
      await page.waitForTimeout(1000);
      await page.reload();
      await page.getByTestId('case-summary').getByText(caseId).waitFor();
    }
    const alerts = await page.getByTestId('alerts').innerText();
    expect(alerts).toMatch(/新督办件 → 部门负责人[\s\S]*已送达/);
    expect(alerts).toMatch(/新督办件 → 纪检监察[\s\S]*已送达/);
    // No number in the case: 查看并拨打 reveals it (with a reason, written to the audit trail).
    expect(await page.getByTestId('contact').innerText()).not.toContain(CITIZEN_PHONE);
    await page.getByTestId('reveal').tap();
    await page.getByTestId('tel').waitFor();
    expect(await page.getByTestId('tel').getAttribute('href')).toBe(`tel:${CITIZEN_PHONE}`);
    await shot('case');
  }, 180_000);

  it(`the handler demo-handler-${DEPARTMENT} records the callback, then the rectification`, async () => {
    await signIn(`demo-handler-${DEPARTMENT}`, /部门负责人/);
    await openCase();

    await chooseAction('电话回访');
    await page.getByText('已接通', { exact: true }).tap();
    await field('回访情况：对方诉求、答复内容等').fill('已电话联系评价人，核实补件要求不合理，当场致歉');
    await shot('callback-form');
    await submit('提交电话回访');
    await page.getByTestId('deadlines').getByText('已回访').waitFor();
    expect(await page.getByTestId('timeline').innerText()).toMatch(/电话回访[\s\S]*已电话联系评价人/);

    await chooseAction('整改反馈');
    await field('问题原因、整改措施及结果').fill('已修订登记注册一次性告知清单，对窗口人员开展作风教育');
    await submit('提交整改反馈');
    await page.getByTestId('case-summary').getByText('已反馈整改').waitFor();
    expect(await page.getByTestId('timeline').innerText()).toMatch(/整改反馈[\s\S]*一次性告知清单/);
  }, 180_000);

  it('the inspector issues a reminder letter and opens its PDF', async () => {
    await signIn(`demo-inspector-${COUNTY}`, /纪检监察/);
    await openCase();
    await chooseAction('工作提示函');
    await field('提示函正文').fill('你单位登记注册窗口存在推诿扯皮问题，请举一反三，于5个工作日内报送整改情况。');
    await submit('提交工作提示函');
    const notice = page.getByText(/已制发工作提示函/);
    await notice.waitFor();
    const no = /已制发工作提示函\s*(\S+?)。/.exec(await notice.innerText())![1];
    await page.getByTestId('letters').getByText(no).waitFor();
    await page.getByText('已提交', { exact: true }).waitFor({ state: 'hidden' }); // the toast
    await shot('letter');

    // The PDF route needs the token: the page fetches it and opens it as a blob in a new tab.
    const [tab] = await Promise.all([browser.context.waitForEvent('page'), page.getByText('查看 PDF ›').tap()]);
    await tab.waitForURL(/^blob:/);
    await tab.close();
  }, 180_000);

  it('the inspector closes it as 已整改, and it moves to the 已办结 tab', async () => {
    await signIn(`demo-inspector-${COUNTY}`, /纪检监察/);
    await openCase();
    await page.getByTestId('case-summary').getByText('已反馈整改').waitFor();
    await chooseAction('办结');
    await page.getByText('已整改', { exact: true }).tap();
    await field('办结说明').fill('经回访核实，整改到位，评价人认可');
    await shot('close-form');
    await submit('提交办结');
    await page.getByTestId('case-summary').getByText('已办结').waitFor();
    expect(await page.getByTestId('deadlines').innerText()).toMatch(/已整改/);
    await shot('closed');

    await go('/officials/pages/cases/index?status=closed');
    await page.getByTestId('case-item').filter({ hasText: caseId }).waitFor();
  }, 180_000);

  it('the citizen sees it closed in 我的 and adds a 追评, which lands on the case timeline', async () => {
    await signIn(citizen, /群众/);
    await go('/pages/mine/index');
    const mine = page.getByTestId('my-ratings');
    await mine.getByText(`督办件 ${caseId}`).waitFor();
    expect(await mine.innerText()).toMatch(/已办结/);
    // The case opens its 办理结果 page, which offers the 追评.
    await mine.getByTestId(`my-case-${caseId}`).tap();
    await page.getByTestId('follow-up-form').getByText('满意', { exact: true }).tap();
    await page.locator('taro-button-core', { hasText: '提交追评' }).tap();
    await page.getByTestId('follow-up-done').getByText('追评已提交，感谢您的监督。').waitFor();

    const view = await call<{ case: { status: string; outcome: string }; timeline: { action: string }[] }>(
      'GET',
      `/v1/cases/${caseId}`,
      undefined,
      await tokenOf(`demo-inspector-${COUNTY}`),
    );
    expect(view.case).toMatchObject({ status: 'closed', outcome: '已整改' });
    expect(view.timeline.map((t) => t.action)).toEqual([
      'opened',
      'callback',
      'rectification',
      'reminder_letter',
      'close',
      'follow_up',
    ]);
  }, 180_000);

  it('at console width (1280 px) the case page stays a readable column', async () => {
    await signIn(`demo-inspector-${COUNTY}`, /纪检监察/);
    await page.setViewportSize({ width: 1280, height: 900 });
    try {
      await openCase();
      await page.getByTestId('timeline').getByText('追评').waitFor();
      const width = await page.getByTestId('case-summary').evaluate((el) => el.getBoundingClientRect().width);
      expect(width).toBeLessThanOrEqual(960);
      await shot('console-case');
    } finally {
      await page.setViewportSize({ width: 375, height: 740 });
    }
  }, 180_000);
});
