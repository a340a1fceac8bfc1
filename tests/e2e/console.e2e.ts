// The web console's operator journey (issue 11, point 9) in headless Chromium at 1280×800 against the local system:
// sign in as the operator → import a small file with one bad row → see the error → fix it → commit → print the new
// window's poster → revoke its code (the confirmation says the old poster stops working) → the mini-program's H5 page
// shows the code as 已停用. Then the posters of a department as a job, and the audit trail. A second journey signs in
// by WeChat website QR login through the stand-in's qrconnect page and opens the holiday calendar.
// Screenshots: docs/screenshots/console-*.png. Run: npx jest -c tests/e2e/jest.config.js tests/e2e/console.e2e.ts
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import {
  SCREENSHOTS,
  apiJson,
  consoleReady,
  consoleUrl,
  desktop,
  phone,
  serveStatic,
  tokenFor,
  warmUp,
  type Route,
} from './support';

const DEPARTMENT = 'haiyan-scjg';

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `console-${name}.png`) });

const csv = (rows: string[][]) =>
  Buffer.from(['窗口编号,窗口名称,类型,部门编号', ...rows.map((r) => r.join(','))].join('\n'), 'utf8');

/** The routes this journey uses, warmed up before it starts. */
const ROUTES: Route[] = [
  ['GET', '/v1/windows'],
  ['GET', '/v1/departments'],
  ['GET', '/v1/imports'],
  ['POST', '/v1/imports'],
  ['GET', '/v1/windows/x'],
  ['POST', '/v1/windows/x/poster'],
  ['GET', '/v1/audit'],
  ['GET', '/v1/poster-jobs'],
  ['POST', '/v1/poster-jobs'],
  ['GET', '/v1/codes/ping'],
];

describe('web console at 1280×800', () => {
  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await consoleReady();
    await warmUp(ROUTES);
  }, 360_000);

  it('operator: import with a bad row → fix → commit → poster → revoke → the H5 page shows 已停用; a department’s posters as a job', async () => {
    const run = Date.now().toString(36);
    const ids = [`e2e-${run}-w1`, `e2e-${run}-w2`];
    const names = [`E2E综合受理窗口${run}`, `E2E登记注册窗口${run}`];
    const d = await desktop();
    // The API answers CORS only for the configured H5 origin (E2E_H5_PORT).
    const h5 = await serveStatic(process.env.E2E_H5_DIR!, Number(process.env.E2E_H5_PORT ?? 0));
    const mobile = await phone();
    try {
      const { page } = d;
      await page.goto(consoleUrl());
      await page.getByPlaceholder('登录代码，例如 demo-operator').fill('demo-operator');
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.getByText('退出登录').waitFor({ timeout: 60_000 });
      await page.getByRole('cell').first().waitFor({ timeout: 60_000 });
      await shot(page, 'windows');

      // Import: one bad row (a type that does not exist) → the per-row report.
      await page.goto(`${consoleUrl()}/#/import`);
      await page.getByText('上传并预检').waitFor();
      await page.getByTestId('import-file').setInputFiles({
        name: `windows-${run}.csv`,
        mimeType: 'text/csv',
        buffer: csv([
          [ids[0], names[0], '服务窗口', DEPARTMENT],
          [ids[1], names[1], '窗口', DEPARTMENT],
        ]),
      });
      await page.getByTestId('import-state').getByText('预检未通过').waitFor({ timeout: 60_000 });
      // The per-row report: row 3 (the header is row 1), its id and the field's Chinese message.
      const row = page.locator('tr', { hasText: ids[1] });
      await row.getByText('类型须为 审批科室 或 服务窗口', { exact: false }).waitFor();
      await row.getByText('3', { exact: true }).waitFor();
      await shot(page, 'import-errors');

      // Fixed file → validated → commit (a job) → done.
      await page.getByTestId('import-file').setInputFiles({
        name: `windows-${run}-fixed.csv`,
        mimeType: 'text/csv',
        buffer: csv([
          [ids[0], names[0], '服务窗口', DEPARTMENT],
          [ids[1], names[1], '审批科室', DEPARTMENT],
        ]),
      });
      await page.getByTestId('import-state').getByText('预检通过，待提交').waitFor({ timeout: 60_000 });
      await page.getByRole('button', { name: '提交导入' }).click();
      await page.getByText('导入完成，全部数据已生效。').waitFor({ timeout: 180_000 });
      await shot(page, 'import-done');

      // The new window's page: print its poster.
      const op = await tokenFor('demo-operator');
      const w = await apiJson<{ code: string; name: string; codeStatus: string }>(
        'GET',
        `/v1/windows/${ids[0]}`,
        undefined,
        op,
      );
      expect(w.status).toBe(200);
      expect(w.body).toMatchObject({ name: names[0], codeStatus: 'active' });
      await page.goto(`${consoleUrl()}/#/windows/${ids[0]}`);
      await page.getByTestId('code-status').getByText('有效').waitFor({ timeout: 60_000 });
      const popup = page.waitForEvent('popup').catch(() => undefined);
      await page.getByTestId('print-poster').click();
      const link = page.getByTestId('poster-link');
      await link.waitFor({ timeout: 120_000 });
      await (await popup)?.close();
      const pdf = await fetch((await link.getAttribute('href'))!);
      expect(pdf.status).toBe(200);
      expect(
        Buffer.from(await pdf.arrayBuffer())
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');

      // Revoke: the confirmation says the old poster stops working.
      await page.getByRole('button', { name: '停用监督码' }).click();
      const dialog = page.locator('.t-dialog');
      await dialog.getByText('旧海报', { exact: false }).waitFor();
      await shot(page, 'revoke-confirm');
      await dialog.getByRole('button', { name: '确定停用' }).click();
      await page.getByTestId('code-status').getByText('已停用').waitFor({ timeout: 60_000 });
      await shot(page, 'window');

      // The mini-program (H5 build, phone) scanning the old poster.
      await mobile.page.goto(`${h5.url}/?code=${encodeURIComponent(w.body.code)}`);
      await mobile.page.getByText('此监督码已停用').waitFor({ timeout: 60_000 });

      // Posters of the department as a job: progress, then a download link.
      await page.goto(`${consoleUrl()}/#/posters`);
      await page.getByText('按部门').click();
      await page.getByPlaceholder('选择区县', { exact: true }).click();
      await page.locator('.t-select-option').getByText('海晏县', { exact: true }).click();
      await page.getByPlaceholder('选择部门', { exact: true }).click();
      await page.locator('.t-select-option').getByText('海晏县市场监督管理局', { exact: true }).click();
      await page.getByRole('button', { name: '开始生成' }).click();
      const download = page.getByTestId('poster-jobs').getByText('下载（', { exact: false }).first();
      await download.waitFor({ timeout: 240_000 });
      await shot(page, 'posters');
      const zip = await fetch((await download.getAttribute('href'))!);
      expect(zip.status).toBe(200);
      expect(
        Buffer.from(await zip.arrayBuffer())
          .subarray(0, 2)
          .toString(),
      ).toBe('PK');

      // The audit trail has the import, the poster, the revocation.
      await page.goto(`${consoleUrl()}/#/audit`);
      await page.getByText('停用监督码').first().waitFor({ timeout: 60_000 });
      await shot(page, 'audit');
    } finally {
      await mobile.close();
      await h5.close();
      await d.close();
    }
  }, 900_000);

  it('inspector: 微信扫码登录 through the stand-in’s qrconnect page → signed in → 节假日日历 shows the year and its source', async () => {
    const d = await desktop();
    try {
      const { page } = d;
      await page.goto(consoleUrl());
      await page.getByRole('button', { name: '微信扫码登录' }).waitFor({ timeout: 60_000 });
      await shot(page, 'login');
      await page.getByRole('button', { name: '微信扫码登录' }).click();
      // WeChat's page (here the stand-in's): the QR code, and in place of the phone's 确认登录 a button per person.
      await page.waitForURL(/\/connect\/qrconnect\?/, { timeout: 60_000 });
      const qr = page.getByRole('img', { name: '登录二维码' });
      await qr.waitFor();
      expect(await qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(
        100,
      );
      const url = new URL(page.url());
      expect(url.searchParams.get('scope')).toBe('snsapi_login');
      expect(url.searchParams.get('state')).toMatch(/\S{16,}/);
      await shot(page, 'wechat-qr');
      await page.locator('button[data-person="demo-inspector-menyuan"]').click();
      // Back at the console with ?code=&state=: the API exchanges the code and the console signs the person in.
      await page.getByText('退出登录').waitFor({ timeout: 60_000 });
      expect(new URL(page.url()).searchParams.get('code')).toBeNull();

      await page.goto(`${consoleUrl()}/#/calendar`);
      const year = page.getByTestId('calendar-year');
      await year.getByText(/来源：\S+/).waitFor({ timeout: 60_000 });
      await page.getByText(/放假（\d+ 天）/).waitFor();
      await page.getByText(/调休上班（\d+ 天）/).waitFor();
      await shot(page, 'calendar');
    } finally {
      await d.close();
    }
  }, 300_000);
});
