// Issue 15, the closed loop from the rater's side, in a real browser (375 px, touch) on the H5 build against the
// local system: a 差评 → the county inspector handles and closes the case → the rater's 处理结果通知 reaches the
// WeChat stand-in → 我的 → the citizen view shows the outcome and what was published → 追评 不满意 with a reason
// reopens the case (and the rater is told again).
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { standinOpenid } from '../../dev/standin/identity';
import { SCREENSHOTS, apiJson, phone, serveStatic, tapUntil, tokenFor, windowCodes } from './support';

let h5: { url: string; close: () => Promise<void> };
const unique = () => `e2e-loop-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
const RESULT_TEMPLATE = 'Kf3x-case-result-template-06';

beforeAll(async () => {
  // The API answers CORS only for the configured H5 origin (E2E_H5_PORT).
  h5 = await serveStatic(process.env.E2E_H5_DIR as string, Number(process.env.E2E_H5_PORT ?? 0));
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(() => h5?.close());

async function shot(page: Page, name: string) {
  await page.waitForTimeout(300); // let the web components settle
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

const tap = (page: Page, text: string) => page.getByText(text, { exact: true }).first().tap();

interface Delivered {
  recipient: string;
  template: string;
  data: Record<string, { value: string }>;
  page?: string;
}

/** The stand-in's record of subscribe messages to this openid (newest first), waited for up to ~20 s. */
async function noticesTo(openid: string, count: number): Promise<Delivered[]> {
  const standin = process.env.E2E_STANDIN ?? 'http://127.0.0.1:3900';
  for (let i = 0; ; i++) {
    const all = (await (await fetch(`${standin}/__dev/wechat/messages`)).json()) as Delivered[];
    const mine = all.filter((m) => m.recipient === openid && m.template === RESULT_TEMPLATE);
    if (mine.length >= count || i >= 40) return mine;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function act(token: string, caseId: string, body: Record<string, unknown>) {
  const r = await apiJson('POST', `/v1/cases/${caseId}/actions`, { requestId: unique(), ...body }, token);
  if (r.status !== 200) throw new Error(`${body.type}: ${r.status} ${JSON.stringify(r.body)}`);
}

describe('the rater hears back, sees the result, then is asked (H5 in Chromium)', () => {
  it('差评 → closed by the inspector → 处理结果通知 at the stand-in → the citizen view shows the outcome → 追评 不满意 with a reason reopens it', async () => {
    const [w] = await windowCodes(1);
    const who = unique();
    const { page, close } = await phone(who);
    try {
      // The rating, in the browser.
      await page.goto(`${h5.url}/?code=${encodeURIComponent(w.code)}`);
      await page.getByText(w.name).waitFor();
      await tap(page, '非常不满意');
      await tap(page, '推诿扯皮');
      await tap(page, '提交评价');
      await page.getByText('督办件编号').waitFor();
      const citizen = await tokenFor(who);
      const mine = await apiJson<{ items: { window: { id: string }; caseId: string | null }[] }>(
        'GET',
        '/v1/me/ratings',
        undefined,
        citizen,
      );
      const caseId = mine.body.items.find((r) => r.window.id === w.id)?.caseId as string;
      expect(caseId).toBeTruthy();
      // H5 has no subscribe-message dialog: record the answer WeChat's dialog gives on the submit tap in the weapp.
      const consent = await apiJson('POST', '/v1/me/subscriptions', { accepted: true, caseId }, citizen);
      expect(consent.status).toBe(200);

      // The county inspector handles and closes it, publishing a summary and a closing note.
      const inspector = await tokenFor('demo-inspector-qilian');
      await act(inspector, caseId, {
        type: 'rectification',
        report: '内部：已约谈窗口负责人',
        publicSummary: '已对窗口开展一次性告知培训，并在窗口公示材料清单',
      });
      await act(inspector, caseId, {
        type: 'close',
        outcome: '已整改',
        note: '内部：整改到位',
        publicNote: '感谢您的监督，问题已整改到位',
      });

      // The rater's subscribe message, at the stand-in, opening their case page.
      const openid = standinOpenid(who);
      const [notice] = await noticesTo(openid, 1);
      expect(notice).toBeDefined();
      expect(notice.page).toBe(`pages/case/index?id=${caseId}`);
      expect(notice.data.character_string1.value).toBe(caseId);
      expect(notice.data.thing3.value).toBe('已办结：已整改');

      // 我的 → the case → the result, then the 追评.
      await page.goto('about:blank');
      await page.goto(`${h5.url}/#/pages/mine/index`);
      await page.getByTestId(`my-case-${caseId}`).waitFor();
      await page.getByText('已办结 · 查看结果并追评 ›').first().waitFor();
      await shot(page, 'mine');
      await page.getByTestId(`my-case-${caseId}`).tap();
      await page
        .getByTestId('case-outcome')
        .getByText(/已整改/)
        .waitFor();
      await page.getByTestId('case-result').getByText('已对窗口开展一次性告知培训，并在窗口公示材料清单').waitFor();
      await page.getByTestId('case-result').getByText('感谢您的监督，问题已整改到位').waitFor();
      await expect(page.getByText(/内部/).count()).resolves.toBe(0);
      await shot(page, 'case-result');

      // The 追评 form under the result. A phone tall enough for the whole page: no scrolling inside Taro's page
      // container before the taps, and each tap is repeated until the page shows it took it.
      await page.setViewportSize({ width: 375, height: 1400 });
      const chip = page.getByText('不满意（重新办理）', { exact: true });
      const submit = page.locator('taro-button-core', { hasText: '提交追评' });
      const shown = (text: string) => async () =>
        (await page.getByText(text, { exact: true }).filter({ visible: true }).count()) > 0;
      const selected = page.locator('.chip-selected:visible', { hasText: '不满意（重新办理）' });
      await tapUntil(page, chip, async () => (await selected.count()) > 0);
      await tapUntil(page, submit, shown('请说明不满意的原因'));
      await page.locator('[data-testid="follow-up-form"] textarea').fill('窗口仍然没有一次性告知所需材料');
      await tapUntil(
        page,
        submit,
        async () => (await page.getByTestId('follow-up-done').filter({ visible: true }).count()) > 0,
      );

      const after = await apiJson<{ status: string; statusLabel: string }>(
        'GET',
        `/v1/me/cases/${caseId}`,
        undefined,
        citizen,
      );
      expect(after.body).toMatchObject({ status: 'in_progress', statusLabel: '重新办理中' });
      // Told again that it was reopened.
      const notices = await noticesTo(openid, 2);
      expect(notices.map((m) => m.data.thing3.value).sort()).toEqual(['已办结：已整改', '已重新办理']);
    } finally {
      await close();
    }
    // Cold starts of a dozen functions on a loaded machine: allow more than the default 2 minutes.
  }, 300_000);
});

describe('window staff pages (H5 in Chromium)', () => {
  it('demo-staff-<windowId> signs in, reads 本窗口评价 with the 差评 and its case state, opens the case and files 申诉 with a reason', async () => {
    const [w] = await windowCodes(1);
    const rater = await tokenFor(unique());
    const rated = await apiJson<{ rating: { id: string }; caseId: string }>(
      'POST',
      '/v1/ratings',
      { requestId: unique(), code: w.code, level: 1, reasons: ['推诿扯皮'], comment: '窗口说系统故障让我明天再来' },
      rater,
    );
    expect(rated.status).toBe(201);
    const { caseId } = rated.body;
    const { page, close } = await phone();
    try {
      await page.goto(`${h5.url}/#/pages/login/index`);
      await page.locator('input[placeholder="例如 demo-inspector"]').fill(`demo-staff-${w.id}`);
      await page
        .locator('taro-button-core')
        .filter({ hasText: /^\s*登录\s*$/ })
        .tap();
      await page
        .getByTestId('current-user')
        .getByText(/窗口工作人员/)
        .first()
        .waitFor();

      await page.goto('about:blank');
      await page.goto(`${h5.url}/#/officials/pages/window/index?id=${encodeURIComponent(w.id)}`);
      await page.getByTestId('window-ratings').getByText(w.name).waitFor();
      await page.getByText(`督办件 ${caseId}`).waitFor();
      await page.getByText('窗口说系统故障让我明天再来').waitFor();
      await page.getByText('待处理 ›').first().waitFor();
      await shot(page, 'officials-window-ratings');

      await page.getByText(`督办件 ${caseId}`).tap();
      await page.locator('.action-btn', { hasText: '申诉' }).first().tap();
      await page
        .locator('textarea[placeholder="说明评价有误或恶意的理由及依据"]')
        .fill('评价人当日未到本窗口办理业务，监控可查');
      await page.locator('taro-button-core', { hasText: '提交申诉' }).tap();

      const inspector = await tokenFor('demo-inspector-qilian');
      let status = '';
      for (let i = 0; i < 40 && status !== 'appealed'; i++) {
        const view = await apiJson<{ case: { status: string } }>('GET', `/v1/cases/${caseId}`, undefined, inspector);
        status = view.body.case?.status;
        if (status !== 'appealed') await page.waitForTimeout(500);
      }
      expect(status).toBe('appealed');
    } finally {
      await close();
    }
  }, 300_000);
});
