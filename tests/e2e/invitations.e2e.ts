// The 一事一评 journey of issue 13 in a real browser (375 px, touch) on the H5 build against the local system: a
// service hall's system posts a signed batch of completed services → the invitation SMS reaches the SMS stand-in
// (Tencent Cloud SMS protocol) with a WeChat URL Link → the citizen opens that service's page and rates it → the
// delivery receipts set the states → the counts and the 未评率 in GET /v1/stats/summary and on the officials' home
// move; a second rating of the same service and a tampered link are refused.
// Screenshots: docs/screenshots/invite-*.png.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { signRequest } from '../../dev/machine-client';
import { SCREENSHOTS, api, apiJson, phone, serveStatic, tokenFor } from './support';

const COUNTY = 'qilian';
const standin = () => process.env.E2E_STANDIN ?? 'http://127.0.0.1:3900';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DAY = 86400000;
const chinaDate = (t: number) => new Date(t + 8 * 3600000).toISOString().slice(0, 10);

interface Summary {
  invitations: {
    services: number;
    sent: number;
    delivered: number;
    failed: number;
    skipped: number;
    rated: number;
    expiredUnrated: number;
  };
  unratedRate: number | null;
}
interface WindowInvitation {
  id: string;
  matter: string;
  phone: string;
  status: string;
  statusLabel: string;
  rated: boolean;
}

/** Poll until `get` answers something `done` accepts (the schedules run every minute under serverless-offline). */
async function until<T>(what: string, get: () => Promise<T>, done: (v: T) => boolean, ms = 200_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (done(v)) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${ms / 1000} s; last ${JSON.stringify(v)}`);
    await sleep(2000);
  }
}

let h5: { url: string; close: () => Promise<void> };
let op = '';
let win: { id: string; name: string; department: { id: string; name: string } };
let departmentScope = '';
// Two citizens of the batch and one served at the window without integration (the staff form).
const phones = [0, 1, 2].map(() => `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`);
const citizen = `e2e-invite-${Date.now().toString(36)}`;
let invitationIds: string[] = [];
let token = '';
const before: { prefecture?: Summary; department?: Summary } = {};
// The period starts on a fixed day and ends today at each call: a journey that runs across China's midnight (CI at
// 16:00 UTC) dates its rating on the new day, which a `to` fixed at load left out of the figures.
const from = chinaDate(Date.now() - 59 * DAY);
const summary = async (scope: string) =>
  (
    await apiJson<Summary>(
      'GET',
      `/v1/stats/summary?scope=${encodeURIComponent(scope)}&from=${from}&to=${chinaDate(Date.now())}`,
      undefined,
      op,
    )
  ).body;
const ratio = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 1000) / 10 : null);

beforeAll(async () => {
  h5 = await serveStatic(process.env.E2E_H5_DIR as string, Number(process.env.E2E_H5_PORT ?? 0));
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  op = await tokenFor('demo-operator');
}, 120_000);
afterAll(() => h5?.close());

async function signIn(page: Page, code: string) {
  await page.goto(`${h5.url}/#/pages/login/index`);
  await page.locator('input[placeholder="例如 demo-inspector"]').fill(code);
  await page
    .locator('taro-button-core')
    .filter({ hasText: /^\s*登录\s*$/ })
    .tap();
  await page
    .getByTestId('current-user')
    .getByText(/用户编号/)
    .waitFor();
  await page.goto('about:blank');
}

async function shot(page: Page, name: string) {
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

describe('一事一评 journey (H5 in Chromium)', () => {
  it('a service hall posts a signed batch of two services: both accepted; the same batch again stores nothing twice', async () => {
    const list = await apiJson<{ items: (typeof win & { path?: string })[] }>(
      'GET',
      `/v1/windows?county=${COUNTY}&limit=100`,
      undefined,
      op,
    );
    win = list.body.items[Math.floor(Math.random() * list.body.items.length)];
    departmentScope = `haibei/${COUNTY}/${win.department.id}`;
    before.prefecture = await summary('haibei');
    before.department = await summary(departmentScope);

    // The operator creates the department's API key (the secret is shown once).
    const key = await apiJson<{ keyId: string; secret: string }>(
      'POST',
      '/v1/api-keys',
      { departmentId: win.department.id, name: '青松办（浏览器旅程）' },
      op,
    );
    expect(key.status).toBe(201);

    const run = Date.now().toString(36);
    const body = JSON.stringify({
      services: [
        {
          serviceId: `E2E-${run}-1`,
          windowId: win.id,
          matter: '营业执照办理',
          completedAt: new Date(Date.now() - 20 * 60000).toISOString(),
          phone: phones[0],
          name: '张三',
        },
        {
          serviceId: `E2E-${run}-2`,
          windowId: win.id,
          matter: '社保卡补办',
          completedAt: new Date(Date.now() - 10 * 60000).toISOString(),
          phone: phones[1],
        },
      ],
    });
    const post = async () => {
      const s = signRequest({ keyId: key.body.keyId, secret: key.body.secret }, 'POST', '/v1/services', body);
      const r = await fetch(`${api()}/v1/services`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: s.authorization },
        body,
      });
      return { status: r.status, body: (await r.json()) as any };
    };
    const first = await post();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ received: 2, accepted: 2, duplicates: [], invalid: 0 });
    invitationIds = first.body.rows.map((r: { invitationId: string }) => r.invitationId);
    expect(invitationIds).toEqual([expect.stringMatching(/^i\w{10}$/), expect.stringMatching(/^i\w{10}$/)]);

    // The same batch again (the same bytes: a retry) gets the first answer, with the same invitations, and stores
    // nothing twice; a batch whose rows changed names them as duplicates (tests/integration/invitations.test.ts).
    const again = await post();
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
  }, 180_000);

  it("the window's staff send 发送评价邀请 from the officials' pages (demo-staff-<windowId>)", async () => {
    const { page, close } = await phone();
    try {
      page.setDefaultTimeout(45_000);
      await signIn(page, `demo-staff-${win.id}`);
      await page.goto(`${h5.url}/#/officials/pages/invite/index`);
      await page.locator('input[placeholder="11位手机号"]').fill(phones[2]);
      await page.getByText('不动产登记', { exact: true }).tap();
      await page.locator('taro-button-core', { hasText: '发送评价邀请' }).tap();
      await page.getByTestId('invite-message').getByText('已登记，评价短信即将发出').waitFor();
      await page
        .getByTestId('invite-list')
        .getByText(`不动产登记 · ${phones[2].slice(0, 3)}****${phones[2].slice(7)}`)
        .waitFor();
      await shot(page, 'invite-staff');
    } finally {
      await close();
    }
  }, 180_000);

  it('the invitation SMS reaches each citizen (SMS stand-in) with a WeChat URL Link to that service', async () => {
    const msgs = await until(
      'the two invitation SMS',
      async () =>
        (await (await fetch(`${standin()}/__dev/sms/messages`)).json()) as {
          recipient: string;
          data: string[];
          sessionContext: string;
        }[],
      (all) => phones.every((p) => all.some((m) => m.recipient === `+86${p}`)),
    );
    expect(msgs.find((m) => m.recipient === `+86${phones[2]}`)!.data[1]).toBe('不动产登记');
    const sms = msgs.find((m) => m.recipient === `+86${phones[0]}`)!;
    expect(sms.sessionContext).toBe(invitationIds[0]);
    const [windowName, matter, link] = sms.data;
    expect(win.name.startsWith(windowName.replace(/…$/, ''))).toBe(true);
    expect(matter).toBe('营业执照办理');
    expect(link).toMatch(/^https:\/\/wxaurl\.cn\/\w+$/);
    const links = (await (await fetch(`${standin()}/__dev/wechat/urllinks`)).json()) as {
      url: string;
      path: string;
      query: string;
    }[];
    const target = links.find((l) => l.url === link)!;
    expect(target.path).toBe('pages/invite/index');
    token = /^t=(.+)$/.exec(target.query)![1];
    expect(token.length).toBeLessThanOrEqual(32);
  }, 240_000);

  it('the citizen opens the link: window, matter and date; rates 非常满意; opening it again shows the stored rating; a second rating of that service and a tampered link are refused', async () => {
    const { page, close } = await phone(citizen);
    try {
      page.setDefaultTimeout(45_000);
      await page.goto(`${h5.url}/#/pages/invite/index?t=${encodeURIComponent(token)}`);
      await page.getByTestId('window-name').getByText(win.name).waitFor();
      await page.getByText('办理事项：营业执照办理').waitFor();
      await page.getByText(`办结日期：${chinaDate(Date.now() - 20 * 60000)}`).waitFor();
      await shot(page, 'invite');
      await page.getByText('非常满意', { exact: true }).first().tap();
      await page.getByText('提交评价', { exact: true }).first().tap();
      await page.getByText('感谢您的评价').waitFor();
      await shot(page, 'invite-thanks');

      await page.goto('about:blank');
      await page.goto(`${h5.url}/#/pages/invite/index?t=${encodeURIComponent(token)}`);
      await page.getByTestId('invite-rated').getByText('您已评价本次办事').waitFor();
      await page.getByTestId('invite-rated').getByText('非常满意').waitFor();
      await shot(page, 'invite-rated');

      // A tampered link (one character of the signed token changed) is refused with a clear page.
      const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
      await page.goto('about:blank');
      await page.goto(`${h5.url}/#/pages/invite/index?t=${encodeURIComponent(tampered)}`);
      await page.getByTestId('invite-problem').getByText('评价链接无效').waitFor();
      await shot(page, 'invite-invalid');
    } finally {
      await close();
    }
    // A second rating of the same service (someone else with the link, another level) is refused: counted once.
    const view = await apiJson<{ window: { code: string } }>('GET', `/v1/invitations/${encodeURIComponent(token)}`);
    expect(view.status).toBe(200);
    const second = await apiJson<{ error: { code: string } }>(
      'POST',
      '/v1/ratings',
      { requestId: randomUUID(), code: view.body.window.code, level: 1, reasons: ['态度生硬'], invitation: token },
      await tokenFor(`${citizen}-other`),
    );
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('INVITATION_USED');
    const mine = await apiJson<{ items: { level: number; window: { id: string } }[] }>(
      'GET',
      '/v1/me/ratings',
      undefined,
      await tokenFor(citizen),
    );
    expect(mine.body.items.filter((r) => r.window.id === win.id).map((r) => r.level)).toEqual([5]);
  }, 180_000);

  it("delivery receipts set each invitation's state: the window's list shows both 已送达, the first rated", async () => {
    const items = await until(
      'both delivered',
      async () =>
        (
          await apiJson<{ items: WindowInvitation[] }>(
            'GET',
            `/v1/windows/${win.id}/invitations?limit=100`,
            undefined,
            op,
          )
        ).body.items.filter((i) => invitationIds.includes(i.id)),
      (l) => l.length === 2 && l.every((i) => i.status === 'delivered'),
    );
    const byId = new Map(items.map((i) => [i.id, i]));
    expect(byId.get(invitationIds[0])).toMatchObject({ statusLabel: '已送达', rated: true, matter: '营业执照办理' });
    expect(byId.get(invitationIds[1])).toMatchObject({ statusLabel: '已送达', rated: false, matter: '社保卡补办' });
    expect(byId.get(invitationIds[0])!.phone).toBe(`${phones[0].slice(0, 3)}****${phones[0].slice(7)}`);
  }, 240_000);

  it('the counts and the 未评率 move: GET /v1/stats/summary and the officials’ home', async () => {
    const b = before.department!.invitations;
    // The rating's count comes from the stream aggregation: poll until it is in.
    const dept = await until(
      'department counters',
      () => summary(departmentScope),
      (s) => s.invitations.rated === b.rated + 1 && s.invitations.delivered === b.delivered + 3,
    );
    // Two services of the batch and one from the staff form.
    expect(dept.invitations).toMatchObject({
      services: b.services + 3,
      sent: b.sent + 3,
      delivered: b.delivered + 3,
      rated: b.rated + 1,
      failed: b.failed,
      expiredUnrated: b.expiredUnrated,
    });
    // 未评率 = expired unrated / sent: three more sent over the seeded history (some of it expired unrated).
    const p0 = before.prefecture!;
    const p1 = await summary('haibei');
    expect(p0.invitations.expiredUnrated).toBeGreaterThan(0);
    expect(p1.invitations.sent).toBe(p0.invitations.sent + 3);
    expect(p1.invitations.rated).toBe(p0.invitations.rated + 1);
    expect(p1.unratedRate).toBe(ratio(p1.invitations.expiredUnrated, p1.invitations.sent));
    expect(p1.unratedRate).toBeLessThan(p0.unratedRate!);

    // The officials' home (this month) shows the same figures as the API for the same period.
    const month = (await apiJson<Summary>('GET', '/v1/stats/summary', undefined, await tokenFor('demo-inspector')))
      .body;
    const { page, close } = await phone();
    try {
      page.setDefaultTimeout(45_000);
      await signIn(page, 'demo-inspector');
      await page.goto(`${h5.url}/#/officials/pages/home/index`);
      const figure = (label: string) =>
        page.getByTestId('stats').locator('.stat-box').filter({ hasText: label }).locator('.stat-value');
      await figure('未评率').waitFor();
      expect(await figure('评价短信').innerText()).toBe(String(month.invitations.sent));
      expect(await figure('短信评价').innerText()).toBe(String(month.invitations.rated));
      expect(await figure('未评率').innerText()).toBe(month.unratedRate === null ? '—' : `${month.unratedRate}%`);
      await shot(page, 'invite-officials-home');
    } finally {
      await close();
    }
  }, 300_000);
});
