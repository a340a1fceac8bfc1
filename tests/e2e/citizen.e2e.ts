// The citizen's journeys of issue 4 in a real browser (375 px, touch) on the H5 build against the local system.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { SCREENSHOTS, apiJson, phone, serveStatic, tokenFor, windowCodes } from './support';

let h5: { url: string; close: () => Promise<void> };
const unique = () => `e2e-citizen-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

beforeAll(async () => {
  h5 = await serveStatic(process.env.E2E_H5_DIR as string, Number(process.env.E2E_H5_PORT ?? 0));
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(() => h5?.close());

async function shot(page: Page, name: string) {
  await page.waitForTimeout(300); // let the web components settle
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

const tap = (page: Page, text: string) => page.getByText(text, { exact: true }).first().tap();

interface MyRatings {
  items: { id: string; level: number; window: { id: string }; caseId: string | null }[];
}

describe('citizen journeys (H5 in Chromium)', () => {
  it('a 满意 rating from the scanned code ends on the thank-you page and is stored once', async () => {
    const [w] = await windowCodes(1);
    const who = unique();
    const { page, close } = await phone(who);
    try {
      await page.goto(`${h5.url}/?code=${encodeURIComponent(w.code)}`);
      await page.getByText(w.name).waitFor();
      await shot(page, 'rate');
      await tap(page, '满意');
      await tap(page, '提交评价');
      await page.getByText('感谢您的评价').waitFor();
      await page.getByText('您的评价：满意').waitFor();
      await shot(page, 'thanks');

      const mine = await apiJson<MyRatings>('GET', '/v1/me/ratings', undefined, await tokenFor(who));
      expect(mine.body.items.filter((r) => r.window.id === w.id).map((r) => r.level)).toEqual([4]);
    } finally {
      await close();
    }
  });

  it('a 差评 without a reason is blocked; with a reason and a phone it is accepted and the case number is shown', async () => {
    const [w] = await windowCodes(1);
    const who = unique();
    const { page, close } = await phone(who);
    try {
      await page.goto(`${h5.url}/?code=${encodeURIComponent(w.code)}`);
      await page.getByText(w.name).waitFor();
      await tap(page, '非常不满意');
      await tap(page, '提交评价');
      await page.getByText('请至少选择一项不满意的原因').waitFor();

      await tap(page, '推诿扯皮');
      await tap(page, '多次跑腿');
      await page.locator('textarea').fill('材料已经交齐，窗口让我下周再来一次，没有说明原因。');
      await tap(page, '填写手机号');
      await page.getByText('隐私保护提示').waitFor();
      await shot(page, 'privacy-consent');
      await tap(page, '同意并继续');
      await page.locator('input').first().fill('13912345678');
      await shot(page, 'rate-bad');
      await tap(page, '提交评价');

      await page.getByText('督办件编号').waitFor();
      await page.getByText(/1个工作日内回访/).waitFor();
      await shot(page, 'thanks-bad');
      const mine = await apiJson<MyRatings>('GET', '/v1/me/ratings', undefined, await tokenFor(who));
      const stored = mine.body.items.filter((r) => r.window.id === w.id);
      expect(stored).toHaveLength(1);
      expect(stored[0].caseId).toBeTruthy();
      await expect(page.getByText(stored[0].caseId as string).count()).resolves.toBeGreaterThan(0);
    } finally {
      await close();
    }
  });

  it('a double tap on submit stores one rating', async () => {
    const [w] = await windowCodes(1);
    const who = unique();
    const { page, close } = await phone(who);
    try {
      await page.goto(`${h5.url}/?code=${encodeURIComponent(w.code)}`);
      await page.getByText(w.name).waitFor();
      await tap(page, '非常满意');
      const submit = page.getByText('提交评价', { exact: true });
      // Two taps in one task, before any re-render can disable the button: a touch and a forced second touch raced,
      // and since a 好评 answers in one round trip the page had moved on before the first touch's checks were done.
      await submit.evaluate((el) => {
        const button = el as unknown as { click(): void }; // the root tsconfig has no DOM lib
        button.click();
        button.click();
      });
      await page.getByText('感谢您的评价').waitFor();

      const mine = await apiJson<MyRatings>('GET', '/v1/me/ratings', undefined, await tokenFor(who));
      expect(mine.body.items.filter((r) => r.window.id === w.id)).toHaveLength(1);
    } finally {
      await close();
    }
  });

  it('a window already rated today says so before any form (一次一评) and offers the complaint form', async () => {
    const [w] = await windowCodes(1);
    const who = unique();
    const token = await tokenFor(who);
    await apiJson('POST', '/v1/ratings', { requestId: `e2e-${Date.now()}-first`, code: w.code, level: 5 }, token);
    const { page, close } = await phone(who);
    try {
      await page.goto(`${h5.url}/?code=${encodeURIComponent(w.code)}`);
      await page.getByText(w.name).waitFor();
      await page.getByTestId('rated-today').waitFor();
      expect(await page.getByText('您对本次办事满意吗？').count()).toBe(0);
      await shot(page, 'already-rated');
      await tap(page, '投诉举报');
      await page.getByTestId('complaint-window').getByText(w.name).waitFor();
    } finally {
      await close();
    }
  });

  it('a revoked code shows a page that says so', async () => {
    const [w] = await windowCodes(1, 'gangcha');
    const op = await tokenFor('demo-operator');
    const revoked = await apiJson('POST', `/v1/codes/${encodeURIComponent(w.code)}/revoke`, {}, op);
    expect(revoked.status).toBeLessThan(300);
    const { page, close } = await phone(unique());
    try {
      await page.goto(`${h5.url}/?code=${encodeURIComponent(w.code)}`);
      await page.getByText('此监督码已停用').waitFor();
      await shot(page, 'code-revoked');
      // And a forged one (right shape, wrong signature):
      const forged = `${w.code.split('.')[0]}.AAAAAAAAAAAA`;
      await page.goto(`${h5.url}/?code=${encodeURIComponent(forged)}&t=${Date.now()}`);
      await page.getByText('无法识别此监督码').waitFor();
    } finally {
      await close();
    }
  });

  it('an anonymous complaint shows its tracking number and query code, which then find it', async () => {
    const { page, close } = await phone(unique());
    try {
      await page.goto(`${h5.url}/#/pages/complaint/index`);
      await tap(page, '审批不规范');
      const content = '窗口要求提供法规没有列明的证明材料，跑了三次才办成。';
      await page.locator('textarea').fill(content);
      await page.getByText(`${content.length}/2000`).waitFor();
      await shot(page, 'complaint');
      await tap(page, '提交投诉');
      await page.getByText('投诉已受理').waitFor();
      const trackingNo = (await page.getByTestId('tracking-no').textContent())?.trim() as string;
      const queryCode = (await page.getByTestId('query-code').textContent())?.trim() as string;
      expect(trackingNo).toBeTruthy();
      expect(queryCode).toBeTruthy();
      await shot(page, 'complaint-result');

      await tap(page, '查询进度');
      await page.locator('input').nth(1).fill(queryCode);
      await tap(page, '查询');
      await page.getByTestId('track-result').waitFor();
      await expect(page.getByTestId('track-result').textContent()).resolves.toContain('审批不规范');
      await shot(page, 'track');

      await page.locator('input').nth(1).fill('WRONG-CODE');
      await tap(page, '查询');
      await page.getByTestId('track-error').waitFor();
    } finally {
      await close();
    }
  });

  it('the home page and 明白卡 render in Chinese at 375 px', async () => {
    const { page, close } = await phone(unique());
    try {
      await page.goto(`${h5.url}/`);
      await page.getByText('扫码评价').waitFor();
      await shot(page, 'home');
      await page.goto(`${h5.url}/#/pages/lists/index`);
      await page.getByText('负面清单', { exact: true }).waitFor();
      await shot(page, 'lists');
      const width = await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number);
      expect(width).toBeLessThanOrEqual(375);
    } finally {
      await close();
    }
  });
});
