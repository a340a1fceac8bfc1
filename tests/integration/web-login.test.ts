import { PREFECTURE_ID } from '@mashang/shared';
import { LOCAL_WECHAT } from '../../dev/local-env';
import { login, webLogin, webState } from '../../functions/src/handlers/auth';
import { windows } from '../../functions/src/handlers/registry';
import { call, uniq } from '../support/api';
import { anOfficial } from '../support/builders';

/** The console's redirect_uri; WeChat sends the browser back here with ?code=&state=. */
const CONSOLE = 'http://127.0.0.1:10088/';

function qrUrl(path: string, state: string, extra: Record<string, string> = {}): string {
  const u = new URL(path, process.env.WECHAT_API_BASE);
  const q = {
    appid: LOCAL_WECHAT.web.appid,
    redirect_uri: CONSOLE,
    response_type: 'code',
    scope: 'snsapi_login',
    state,
    ...extra,
  };
  for (const [k, v] of Object.entries(q)) u.searchParams.set(k, v);
  return u.toString();
}

/** The person scans the QR on the stand-in's qrconnect page and confirms on the phone: the code WeChat sends back. */
async function scanAndConfirm(person: string, state: string): Promise<{ code: string; state: string }> {
  const page = await fetch(qrUrl('/connect/qrconnect', state));
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('请使用微信扫描二维码登录');
  const back = await fetch(qrUrl('/connect/confirm', state, { person }), { redirect: 'manual' });
  expect(back.status).toBe(302);
  const to = new URL(back.headers.get('location')!);
  expect(`${to.origin}${to.pathname}`).toBe(CONSOLE);
  return { code: to.searchParams.get('code')!, state: to.searchParams.get('state')! };
}

const newState = async () => {
  const r = await call(webState, {});
  expect(r.status).toBe(201);
  return r.body.state as string;
};

describe('POST /v1/auth/wechat-web (WeChat website QR login of the console)', () => {
  test('when an operator who uses the mini-program scans and confirms, then the console signs in the same person, with their roles, by unionid', async () => {
    const o = await anOfficial([{ role: 'operator', scope: `${PREFECTURE_ID}/menyuan` }]);
    await call(login, { body: { code: o.loginCode } }); // the mini-program sign-in maps the unionid

    const state = await newState();
    const back = await scanAndConfirm(o.loginCode, state);
    const res = await call(webLogin, { body: back });

    expect(back.state).toBe(state);
    expect(res.status).toBe(200);
    expect(res.body.user).toEqual({
      id: o.userId,
      roles: [{ role: 'operator', scope: `${PREFECTURE_ID}/menyuan` }],
      scopeNames: { [`${PREFECTURE_ID}/menyuan`]: '门源县' },
    });
    expect((await call(windows, { token: res.body.token })).status).toBe(200);
  });

  test('when a state is used a second time, even with a fresh code, then 401 LOGIN_STATE_INVALID and nobody is signed in', async () => {
    const o = await anOfficial([{ role: 'inspector', scope: PREFECTURE_ID }]);
    await call(login, { body: { code: o.loginCode } });
    const state = await newState();
    const first = await call(webLogin, { body: await scanAndConfirm(o.loginCode, state) });

    const again = await call(webLogin, { body: await scanAndConfirm(o.loginCode, state) });

    expect(first.status).toBe(200);
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('LOGIN_STATE_INVALID');
    expect(again.body.error.message).toMatch(/重新扫码/);
    expect(again.body.token).toBeUndefined();
  });

  test('when the state was never issued by the API (a forged link), then 401 before WeChat is asked', async () => {
    const o = await anOfficial([{ role: 'operator', scope: PREFECTURE_ID }]);
    await call(login, { body: { code: o.loginCode } });
    const forged = uniq('forgedstate-x');
    const back = await scanAndConfirm(o.loginCode, forged);

    const res = await call(webLogin, { body: back });
    // The code was not spent on the forged state: with a state the API issued it still signs in.
    const ok = await call(webLogin, { body: { code: back.code, state: await newState() } });

    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('LOGIN_STATE_INVALID');
    expect(ok.status).toBe(200);
  });

  test('when the WeChat account is unknown here (never signed in to the mini-program), then 403 ACCOUNT_NOT_LINKED', async () => {
    const stranger = uniq('stranger-');
    const res = await call(webLogin, { body: await scanAndConfirm(stranger, await newState()) });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('ACCOUNT_NOT_LINKED');
    expect(res.body.error.message).toMatch(/小程序/);
  });

  test('when a code is exchanged twice (WeChat 40163) or is made up (40029), then 401 UNAUTHENTICATED with a Chinese message', async () => {
    const o = await anOfficial([{ role: 'operator', scope: PREFECTURE_ID }]);
    await call(login, { body: { code: o.loginCode } });
    const back = await scanAndConfirm(o.loginCode, await newState());
    expect((await call(webLogin, { body: back })).status).toBe(200);

    const reused = await call(webLogin, { body: { code: back.code, state: await newState() } });
    const madeUp = await call(webLogin, { body: { code: 'not-a-code', state: await newState() } });

    for (const r of [reused, madeUp]) {
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('UNAUTHENTICATED');
      expect(r.body.error.message).toMatch(/重新扫码/);
    }
  });

  test('when the body lacks the code or has a malformed state, then 400 with the field named', async () => {
    const noCode = await call(webLogin, { body: { state: await newState() } });
    const badState = await call(webLogin, { body: { code: 'abc', state: '<script>' } });
    const extra = await call(webLogin, { body: { code: 'abc', state: await newState(), userId: 'u1' } });
    expect([noCode.status, badState.status, extra.status]).toEqual([400, 400, 400]);
    expect(noCode.body.error.issues[0].path).toBe('code');
    expect(badState.body.error.issues[0]).toEqual({ path: 'state', message: '登录状态无效，请重新扫码' });
  });

  test("when the QR page is opened with another application's appid or scope, then WeChat's stand-in shows an error and issues no code", async () => {
    const wrongScope = await fetch(qrUrl('/connect/qrconnect', 'x'.repeat(20), { scope: 'snsapi_userinfo' }));
    const wrongApp = await fetch(
      qrUrl('/connect/confirm', 'x'.repeat(20), { appid: LOCAL_WECHAT.appid, person: 'p' }),
      {
        redirect: 'manual',
      },
    );
    expect(wrongScope.status).toBe(400);
    expect(await wrongScope.text()).toContain('Scope 参数错误');
    expect(wrongApp.status).toBe(400);
    expect(wrongApp.headers.get('location')).toBeNull();
  });
});
