// The inspector's statistics journey (issue 14, point 7) in headless Chromium at 1280×800 against the local system:
// open the dashboard (统计分析) → change the county and the month → open the ranking (windows by 差评数) → generate
// the monthly report → export the ratings as xlsx and download the file.
// Run: cd miniapp && E2E_PORT_BASE=<base> npx jest -c ../tests/e2e/jest.config.js --runInBand ../tests/e2e/statistics.e2e.ts
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { SCREENSHOTS, apiJson } from './support';

const consoleUrl = () => process.env.E2E_CONSOLE ?? 'http://127.0.0.1:10088';
const pad = (n: number) => String(n).padStart(2, '0');

/** Last month in China time: its YYYY-MM, first and last day. */
function lastMonth() {
  const now = new Date(Date.now() + 8 * 3600000);
  const y = now.getUTCMonth() === 0 ? now.getUTCFullYear() - 1 : now.getUTCFullYear();
  const m = now.getUTCMonth() === 0 ? 12 : now.getUTCMonth();
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { month: `${y}-${pad(m)}`, m, from: `${y}-${pad(m)}-01`, to: `${y}-${pad(m)}-${pad(last)}` };
}

async function consoleReady(): Promise<void> {
  const until = Date.now() + 300_000;
  for (;;) {
    try {
      if ((await fetch(`${consoleUrl()}/config.js`, { signal: AbortSignal.timeout(5000) })).ok) return;
    } catch {
      // not yet
    }
    if (Date.now() > until) throw new Error(`the console did not answer at ${consoleUrl()}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Touch the routes the journey uses until serverless-offline has loaded them (cold starts on a busy machine). */
async function warmUp(): Promise<void> {
  const routes: [string, string][] = [
    ['GET', '/v1/stats/summary'],
    ['GET', '/v1/stats/trend'],
    ['GET', '/v1/stats/ranking'],
    ['GET', '/v1/departments'],
    ['GET', '/v1/reports/monthly'],
    ['POST', '/v1/reports/monthly'],
    ['GET', '/v1/exports'],
    ['POST', '/v1/exports'],
  ];
  await Promise.all(
    routes.map(async ([method, p]) => {
      for (let i = 0; i < 10; i++) {
        const r = await apiJson(method, p, method === 'POST' ? {} : undefined).catch(() => ({ status: 0 }));
        if (r.status !== 502 && r.status !== 0) return;
        await new Promise((done) => setTimeout(done, 2000));
      }
    }),
  );
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `console-${name}.png`) });

/** Choose an option of a TDesign Select found by its placeholder. */
async function choose(page: Page, placeholder: string, option: string) {
  await page.getByPlaceholder(placeholder, { exact: true }).click();
  await page.locator('.t-select-option').getByText(option, { exact: true }).click();
}

describe('inspector statistics journey at 1280×800', () => {
  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await consoleReady();
    await warmUp();
  }, 360_000);

  it('dashboard → county and month → ranking → monthly report → xlsx export downloaded', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-stats-'));
    const context = await chromium.launchPersistentContext(dir, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1280, height: 800 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const lm = lastMonth();
    try {
      await page.goto(consoleUrl());
      await page.getByPlaceholder('登录代码，例如 demo-operator').fill('demo-inspector');
      await page.getByRole('button', { name: '登录' }).click();
      await page.getByText('退出登录').waitFor({ timeout: 60_000 });

      // The dashboard: the prefecture's figures of this month.
      await page.locator('.t-menu').getByText('统计分析', { exact: true }).click();
      await page.getByTestId('figure-ratings').waitFor({ timeout: 60_000 });

      // County: 门源 → the summary is asked for that county.
      const county = page.waitForRequest((r) => r.url().includes('/v1/stats/summary') && r.url().includes('menyuan'));
      await choose(page, '全州', '门源回族自治县');
      await county;
      // Month: last month from the month picker.
      const month = page.waitForRequest(
        (r) =>
          r.url().includes('/v1/stats/summary') &&
          r.url().includes(`from=${lm.from}`) &&
          r.url().includes(`to=${lm.to}`) &&
          r.url().includes('menyuan'),
      );
      await page.getByPlaceholder('选择月份').click();
      await page.locator('.t-date-picker__panel').getByText(`${lm.m}月`, { exact: true }).click();
      await month;
      await page.getByTestId('period-text').getByText(`${lm.from} 至 ${lm.to}`).waitFor();
      await page.getByTestId('figure-interviews').waitFor();

      // The ranking: windows of the county by 差评数, with the period just chosen.
      const ranking = page.waitForResponse(
        (r) =>
          r.url().includes('/v1/stats/ranking') &&
          r.url().includes('unit=window') &&
          r.url().includes('by=bad') &&
          r.url().includes(`from=${lm.from}`),
      );
      await page.getByText('窗口', { exact: true }).click();
      await page.getByText('按差评数', { exact: true }).click();
      const rankingBody = (await (await ranking).json()) as { total: number; items: { name: string }[] };
      expect(rankingBody.total).toBeGreaterThan(0);
      await page.getByTestId('ranking-table').getByText(rankingBody.items[0].name, { exact: true }).waitFor();
      await shot(page, 'statistics');

      // The monthly report of the county for that month: generated, then shown in the article's words.
      await page.locator('.t-menu').getByText('月度报告', { exact: true }).click();
      await choose(page, '全州', '门源回族自治县');
      await page
        .getByLabel('月份')
        .click()
        .catch(() => undefined);
      const monthCell = page.locator('.t-date-picker__panel').getByText(`${lm.m}月`, { exact: true });
      if (await monthCell.isVisible().catch(() => false)) await monthCell.click();
      const missing = page.getByTestId('report-missing');
      const report = page.getByTestId('report-text');
      await missing.or(report).first().waitFor({ timeout: 60_000 });
      if (await missing.isVisible()) await missing.getByRole('button', { name: '生成报告' }).click();
      await report.waitFor({ timeout: 120_000 });
      expect(await report.textContent()).toContain('门源');
      await shot(page, 'monthly-report');

      // The export: ratings of the county as xlsx → a job → a download link → the file is an xlsx (a zip).
      await page.locator('.t-menu').getByText('数据导出', { exact: true }).click();
      await choose(page, '全州', '门源回族自治县');
      await page.getByText('Excel（xlsx）').click();
      const created = page.waitForResponse((r) => r.url().includes('/v1/exports') && r.request().method() === 'POST');
      await page.getByRole('button', { name: '开始导出' }).click();
      const job = (await (await created).json()) as { id: string; format: string };
      expect(job.format).toBe('xlsx');
      const download = page.getByTestId('export-jobs').getByText('下载（', { exact: false }).first();
      await download.waitFor({ timeout: 240_000 });
      await shot(page, 'export-done');
      const file = await fetch((await download.getAttribute('href'))!);
      expect(file.status).toBe(200);
      expect(
        Buffer.from(await file.arrayBuffer())
          .subarray(0, 2)
          .toString(),
      ).toBe('PK');
    } finally {
      await context.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
