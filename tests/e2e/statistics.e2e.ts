// The inspector's statistics journey (issue 14, point 7) in headless Chromium at 1280×800 against the local system:
// sign in → the dashboard (统计分析) → change the county and the month → the ranking (windows by 差评数) → generate the
// monthly report and read its text → export the ratings as xlsx, download the file and open it with exceljs.
// Screenshots: docs/screenshots/console-statistics.png, console-report.png, console-export.png.
// Run: cd miniapp && E2E_PORT_BASE=<base> npx jest -c ../tests/e2e/jest.config.js --runInBand ../tests/e2e/statistics.e2e.ts
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { SCREENSHOTS, apiJson, consoleReady, consoleUrl, desktop, tokenFor, warmUp, type Route } from './support';

const pad = (n: number) => String(n).padStart(2, '0');
const COUNTY = 'menyuan';
const COUNTY_NAME = '门源回族自治县';

/** Last month in China time: its YYYY-MM, number, first and last day, and whether it lies in last year. */
function lastMonth() {
  const now = new Date(Date.now() + 8 * 3600000);
  const y = now.getUTCMonth() === 0 ? now.getUTCFullYear() - 1 : now.getUTCFullYear();
  const m = now.getUTCMonth() === 0 ? 12 : now.getUTCMonth();
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return {
    month: `${y}-${pad(m)}`,
    m,
    from: `${y}-${pad(m)}-01`,
    to: `${y}-${pad(m)}-${pad(last)}`,
    lastYear: y !== now.getUTCFullYear(),
  };
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(SCREENSHOTS, `console-${name}.png`), fullPage: true });

/** Choose an option of a TDesign Select found by its placeholder. */
async function choose(page: Page, placeholder: string, option: string) {
  await page.getByPlaceholder(placeholder, { exact: true }).click();
  await page.locator('.t-select-option').getByText(option, { exact: true }).click();
}

/** Pick a month in an open TDesign month panel (its cells read "11 月"). */
async function pickMonth(page: Page, m: number, lastYear: boolean) {
  const panel = page.locator('.t-date-picker__panel');
  await panel.waitFor();
  if (lastYear) await panel.locator('.t-pagination-mini__prev').click();
  await panel.getByText(new RegExp(`^\\s*${m}\\s*月\\s*$`)).click();
}

/** The routes this journey uses, warmed up before it starts. */
const ROUTES: Route[] = [
  ['GET', '/v1/stats/summary'],
  ['GET', '/v1/stats/trend'],
  ['GET', '/v1/stats/ranking'],
  ['GET', '/v1/departments'],
  ['GET', '/v1/reports/monthly'],
  ['POST', '/v1/reports/monthly'],
  ['GET', '/v1/exports'],
  ['POST', '/v1/exports'],
];

describe('inspector statistics journey at 1280×800', () => {
  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await consoleReady();
    await warmUp(ROUTES);
  }, 360_000);

  it('dashboard → county and month → ranking → monthly report → xlsx export downloaded and opened', async () => {
    const { page, close } = await desktop();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-stats-'));
    const lm = lastMonth();
    try {
      await page.goto(consoleUrl());
      await page.getByPlaceholder('登录代码，例如 demo-operator').fill('demo-inspector');
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.getByText('退出登录').waitFor({ timeout: 60_000 });

      // The dashboard: the prefecture's figures of this month.
      await page.locator('.t-menu').getByText('统计分析', { exact: true }).click();
      await page.getByTestId('figure-ratings').waitFor({ timeout: 60_000 });

      // County: 门源 → the summary is asked for that county.
      const county = page.waitForResponse(
        (r) => r.url().includes('/v1/stats/summary') && r.url().includes(COUNTY) && r.ok(),
        { timeout: 120_000 },
      );
      await choose(page, '全州', COUNTY_NAME);
      await county;
      // Month: last month from the month picker → the summary of the county for that month.
      const month = page.waitForResponse(
        (r) =>
          r.url().includes('/v1/stats/summary') &&
          r.url().includes(`from=${lm.from}`) &&
          r.url().includes(`to=${lm.to}`) &&
          r.url().includes(COUNTY) &&
          r.ok(),
        { timeout: 120_000 },
      );
      await page.getByPlaceholder('选择月份').click();
      await pickMonth(page, lm.m, lm.lastYear);
      const summary = (await (await month).json()) as { ratings: { total: number } };
      await page.getByTestId('period-text').getByText(`${lm.from} 至 ${lm.to}`).waitFor();
      // The figure on the page is the one the API answered for that county and month.
      await page
        .getByTestId('figure-ratings')
        .getByText(String(summary.ratings.total), { exact: true })
        .waitFor({ timeout: 30_000 });

      // The ranking: windows of the county by 差评数, for the month just chosen.
      const ranking = page.waitForResponse(
        (r) =>
          r.url().includes('/v1/stats/ranking') &&
          r.url().includes('unit=window') &&
          r.url().includes('by=bad') &&
          r.url().includes(`from=${lm.from}`) &&
          r.url().includes(COUNTY) &&
          r.ok(),
        { timeout: 120_000 },
      );
      await page.getByText('窗口', { exact: true }).click();
      await page.getByText('按差评数', { exact: true }).click();
      const rankingBody = (await (await ranking).json()) as { items: { name: string; bad: number }[] };
      expect(rankingBody.items.length).toBeGreaterThan(0);
      // Ordered by 差评数, most first.
      const bads = rankingBody.items.map((i) => i.bad);
      expect(bads).toEqual([...bads].sort((a, b) => b - a));
      await page.getByTestId('ranking-table').getByText(rankingBody.items[0].name, { exact: true }).first().waitFor();
      await shot(page, 'statistics');

      // The monthly report of the county for last month (the page's default month): generated, then its text.
      await page.locator('.t-menu').getByText('月度报告', { exact: true }).click();
      await page
        .getByText('该月报告尚未生成。')
        .or(page.getByTestId('report-text'))
        .first()
        .waitFor({ timeout: 60_000 });
      const shown = page.waitForResponse(
        (r) =>
          r.url().includes('/v1/reports/monthly') &&
          r.request().method() === 'GET' &&
          r.url().includes(COUNTY) &&
          r.url().includes(`month=${lm.month}`),
        { timeout: 120_000 },
      );
      await choose(page, '全州', COUNTY_NAME);
      await shown;
      const missing = page.getByTestId('report-missing');
      const text = page.getByTestId('report-text');
      await missing.or(text).first().waitFor({ timeout: 60_000 });
      if (await missing.isVisible()) {
        const generated = page.waitForResponse(
          (r) => r.url().includes('/v1/reports/monthly') && r.request().method() === 'POST',
          { timeout: 120_000 },
        );
        await missing.getByRole('button', { name: '生成报告' }).click();
        expect((await generated).status()).toBeLessThan(300);
      }
      await text.waitFor({ timeout: 120_000 });
      const report = await apiJson<{ text: string; month: string; scopeName: string }>(
        'GET',
        `/v1/reports/monthly?scope=${encodeURIComponent(`haibei/${COUNTY}`)}&month=${lm.month}`,
        undefined,
        await tokenFor('demo-inspector'),
      );
      expect(report.status).toBe(200);
      // The page shows the stored report's text, which speaks of the county and the month.
      expect(await text.textContent()).toBe(report.body.text);
      expect(report.body.text).toContain('门源');
      expect(report.body.text).toContain(`${lm.m}月`);
      await page.getByText(`统计期 ${lm.from} 至 ${lm.to}`, { exact: false }).waitFor();
      await shot(page, 'report');

      // The export: ratings of the county as xlsx → a job → a download link → the file opens with exceljs.
      await page.locator('.t-menu').getByText('数据导出', { exact: true }).click();
      await page.getByRole('button', { name: '开始导出' }).waitFor();
      await choose(page, '全州', COUNTY_NAME);
      await page.getByText('Excel（xlsx）').click();
      const created = page.waitForResponse((r) => r.url().includes('/v1/exports') && r.request().method() === 'POST', {
        timeout: 120_000,
      });
      await page.getByRole('button', { name: '开始导出' }).click();
      const job = (await (await created).json()) as { id: string; format: string; kind: string };
      expect(job).toMatchObject({ format: 'xlsx', kind: 'ratings' });
      const link = page
        .getByTestId('export-jobs')
        .getByRole('link', { name: /^下载（/ })
        .first();
      await link.waitFor({ timeout: 240_000 });
      await shot(page, 'export');
      // The browser downloads the file (the link's answer is an attachment; in this tab rather than a new one, so
      // the download is the page's own event).
      await link.evaluate((a) => (a as unknown as { removeAttribute(n: string): void }).removeAttribute('target'));
      const download = page.waitForEvent('download', { timeout: 60_000 });
      await link.click();
      const saved = await download;
      expect(saved.suggestedFilename()).toMatch(/\.xlsx$/);
      const file = path.join(dir, 'export.xlsx');
      await saved.saveAs(file);
      const book = new ExcelJS.Workbook();
      await book.xlsx.readFile(file);
      const sheet = book.worksheets[0];
      const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
      expect(header.slice(0, 5)).toEqual(['评价编号', '评价时间', '区县', '部门', '窗口']);
      expect(header).toContain('评价等级');
      expect(header).toContain('评价人类别');
      // Identities are never exported.
      for (const h of header) expect(h).not.toMatch(/姓名|电话|手机|联系人|受理编号/);
      // Every row is of the county chosen.
      const countyColumn = header.indexOf('区县') + 1;
      sheet.eachRow((row, n) => {
        if (n > 1) expect(String(row.getCell(countyColumn).value)).toBe(COUNTY_NAME);
      });
      // As many rows as the job says it wrote.
      const done = await apiJson<{ items: { id: string; rows: number }[] }>(
        'GET',
        '/v1/exports',
        undefined,
        await tokenFor('demo-inspector'),
      );
      expect(sheet.actualRowCount - 1).toBe(done.body.items.find((j) => j.id === job.id)?.rows);
    } finally {
      await close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
