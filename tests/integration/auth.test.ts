import { PREFECTURE_ID } from '@mashang/shared';
import { login } from '../../functions/src/handlers/auth';
import { windows } from '../../functions/src/handlers/registry';
import { call, uniq } from '../support/api';
import { anOfficial } from '../support/builders';

describe('POST /v1/auth/wechat', () => {
  test('when the same wx.login code logs in twice, then it is the same user (jscode2session over HTTP to the stand-in)', async () => {
    const code = uniq('citizen-');
    const a = await call(login, { body: { code } });
    const b = await call(login, { body: { code } });
    expect(a.status).toBe(200);
    expect(a.body.user.id).toBe(b.body.user.id);
    expect(a.body.user.roles).toEqual([]);
    expect(a.body.token.split('.')).toHaveLength(3);
  });

  test('when an official logs in, then their roles and scopes come from the data', async () => {
    const o = await anOfficial([{ role: 'inspector', scope: `${PREFECTURE_ID}/menyuan` }]);
    const res = await call(login, { body: { code: o.loginCode } });
    expect(res.body.user).toEqual({ id: o.userId, roles: [{ role: 'inspector', scope: `${PREFECTURE_ID}/menyuan` }] });
  });

  test('when WeChat rejects the code (40029), then 401 with a Chinese message', async () => {
    const res = await call(login, { body: { code: 'invalid-code' } });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
    expect(res.body.error.message).toMatch(/登录凭证/);
  });

  test('when the body lacks a code, then 400', async () => {
    const res = await call(login, { body: {} });
    expect(res.status).toBe(400);
    expect(res.body.error.issues[0].path).toBe('code');
  });

  test("when a token is forged or tampered with, then 401 on an officials' route", async () => {
    const o = await anOfficial([{ role: 'operator', scope: PREFECTURE_ID }]);
    const { token } = (await call(login, { body: { code: o.loginCode } })).body;
    const [h, p, s] = token.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    const widened = Buffer.from(JSON.stringify({ ...payload, sub: 'someone-else' })).toString('base64url');

    expect((await call(windows, { token: `${h}.${widened}.${s}` })).status).toBe(401);
    expect((await call(windows, { token: 'not-a-token' })).status).toBe(401);
    expect((await call(windows, { token })).status).toBe(200);
  });
});
