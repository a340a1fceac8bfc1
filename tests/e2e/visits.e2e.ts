// The visits journey of issue 12 in a real browser (375 px, touch) on the H5 build against the local system: a
// visiting official scans an enterprise's code and registers a visit → the enterprise's bound contact gets the
// WeChat subscribe message (stand-in) → opens its link and rates 不满意 citing 吃拿卡要 → the county inspector sees
// the visit case in the officials' list. Screenshots: docs/screenshots/visits-*.png.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { SCREENSHOTS, apiJson, phone, serveStatic, tokenFor, warmUp, type Route } from './support';

const COUNTY = 'qilian';
const DEPARTMENT = 'qilian-scjg';
const standin = () => process.env.E2E_STANDIN ?? 'http://127.0.0.1:3900';

/** The routes this journey uses, warmed up before it starts. */
const ROUTES: Route[] = [
  ['POST', '/v1/auth/wechat', {}],
  ['GET', '/v1/codes/ping'],
  ['GET', '/v1/enterprises'],
  ['POST', '/v1/visits', {}],
  ['GET', '/v1/visits/X'],
  ['POST', '/v1/visits/X/rating', {}],
  ['GET', '/v1/me/visits'],
  ['GET', '/v1/enterprises/X/visits'],
  ['GET', '/v1/lists'],
  ['GET', '/v1/cases'],
];

let h5: { url: string; close: () => Promise<void> };
let browser: Awaited<ReturnType<typeof phone>>;
let page: Page;
let enterprise: { id: string; name: string; code: string };
let visitId = '';
let ratePage = '';
let caseId = '';

beforeAll(async () => {
  await warmUp(ROUTES);
  // The API answers CORS only for the configured H5 origin (E2E_H5_PORT).
  h5 = await serveStatic(process.env.E2E_H5_DIR as string, Number(process.env.E2E_H5_PORT ?? 0));
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await phone(`e2e-visits-${Date.now().toString(36)}`);
  page = browser.page;
  page.setDefaultTimeout(45_000);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await h5?.close();
});

async function go(route: string) {
  await page.goto('about:blank');
  await page.goto(`${h5.url}/#${route}`);
}
async function shot(name: string) {
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SCREENSHOTS, `visits-${name}.png`) });
}
async function signIn(code: string, shows: RegExp) {
  await go('/pages/login/index');
  await page.locator('input[placeholder="例如 demo-inspector"]').fill(code);
  await page
    .locator('taro-button-core')
    .filter({ hasText: /^\s*登录\s*$/ })
    .tap();
  await page.getByTestId('current-user').getByText(shows).first().waitFor();
}

describe('visits journey (H5 in Chromium)', () => {
  it('a visiting official scans an enterprise code and gets the 访企登记 form first, then registers the visit', async () => {
    const op = await tokenFor('demo-operator');
    const list = await apiJson<{ items: { id: string; name: string; code: string }[] }>(
      'GET',
      `/v1/enterprises?county=${COUNTY}&limit=100`,
      undefined,
      op,
    );
    // A random enterprise: reruns against a persistent store must not pile visits onto one.
    const pool = list.body.items.filter((e) => e.id !== 'ent-001');
    enterprise = pool[Math.floor(Math.random() * pool.length)];

    const cadre = await tokenFor(`demo-cadre-${DEPARTMENT}`);
    const mineBefore = await apiJson<{ items: { id: string }[] }>('GET', '/v1/me/visits', undefined, cadre);
    const known = new Set(mineBefore.body.items.map((v) => v.id));

    await signIn(`demo-cadre-${DEPARTMENT}`, /访企干部/);
    await go(`/pages/index/index?code=${encodeURIComponent(enterprise.code)}`);
    await page.getByText(/^访企登记 · /).waitFor();
    await page.getByText(enterprise.name).first().waitFor();
    await page.getByText('检查', { exact: true }).tap();
    await page.locator('textarea').first().fill('食品经营许可现场核查');
    await shot('register');
    await page.locator('taro-button-core', { hasText: '提交登记' }).tap();
    await page.getByText('访企登记成功').waitFor();
    await shot('registered');

    const mine = await apiJson<{ items: { id: string; enterprise: { id: string }; purpose: string }[] }>(
      'GET',
      '/v1/me/visits',
      undefined,
      cadre,
    );
    const registered = mine.body.items.filter((v) => !known.has(v.id));
    expect(registered).toEqual([
      expect.objectContaining({ enterprise: expect.objectContaining({ id: enterprise.id }), purpose: '检查' }),
    ]);
    visitId = registered[0].id;
  }, 180_000);

  it("the enterprise's bound contact gets a WeChat subscribe message that links to the rating page", async () => {
    for (let i = 0; i < 60 && !ratePage; i++) {
      const msgs = (await (await fetch(`${standin()}/__dev/wechat/messages`)).json()) as { page?: string }[];
      ratePage = msgs.find((m) => m.page === `visits/pages/rate/index?id=${visitId}`)?.page ?? '';
      if (!ratePage) await new Promise((r) => setTimeout(r, 1000));
    }
    expect(ratePage).toBe(`visits/pages/rate/index?id=${visitId}`);
  }, 120_000);

  it('the contact opens the link and rates 不满意 citing 吃拿卡要; a case number comes back', async () => {
    await signIn(`demo-enterprise-${enterprise.id}`, /企业联系人/);
    await go(`/${ratePage}`);
    await page.getByText('您对本次走访满意吗？').waitFor();
    await page.getByText('不满意', { exact: true }).tap();
    await page.getByText('吃拿卡要', { exact: true }).tap();
    await page.getByText('未解决', { exact: true }).tap();
    await shot('rate');
    await page.locator('taro-button-core', { hasText: '提交评价' }).tap();
    const done = page.getByTestId('visit-rated');
    await done.waitFor();
    caseId = /督办件 (\d{8}-[0-9A-Z]{6})/.exec(await done.innerText())![1];
    await shot('rated');
  }, 180_000);

  it(`demo-inspector-${COUNTY} sees the visit case against the department in the officials' list`, async () => {
    await signIn(`demo-inspector-${COUNTY}`, /纪检监察/);
    await go('/officials/pages/cases/index?status=open');
    const row = page.getByTestId('case-item').filter({ hasText: caseId });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/干部走访 · 不满意/);
    await row.tap();
    await page.getByTestId('case-summary').getByText(caseId).waitFor();
    await page.getByTestId('case-summary').getByText('干部访企评价', { exact: true }).waitFor();
    await shot('case');
  }, 180_000);
});
