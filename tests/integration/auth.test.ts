import { PREFECTURE_ID } from '@mashang/shared';
import { SignJWT } from 'jose';
import { changeGrant } from '../../functions/src/data/users';
import { loginWithWechat } from '../../functions/src/domain/auth';
import type { AppError } from '../../functions/src/lib/errors';
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
    expect(res.body.user).toEqual({
      id: o.userId,
      roles: [{ role: 'inspector', scope: `${PREFECTURE_ID}/menyuan` }],
      scopeNames: { [`${PREFECTURE_ID}/menyuan`]: '门源县' },
    });
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

describe('tokens and grants', () => {
  const secret = () => new TextEncoder().encode(process.env.TOKEN_SECRET!);
  const claims = (_userId: string) => ({ roles: [{ role: 'operator', scope: PREFECTURE_ID }], gv: 0 });

  test.each([
    ['no expiry', (t: SignJWT) => t.setAudience('mashang-jiandu-api')],
    ['no audience', (t: SignJWT) => t.setExpirationTime('1h')],
    ['another audience', (t: SignJWT) => t.setAudience('someone-else').setExpirationTime('1h')],
  ])('when a correctly signed token has %s, then 401', async (_what, shape) => {
    const o = await anOfficial([{ role: 'operator', scope: PREFECTURE_ID }]);
    const token = await shape(
      new SignJWT(claims(o.userId))
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(o.userId)
        .setIssuer('mashang-jiandu')
        .setIssuedAt(),
    ).sign(secret());
    const ok = await shape(
      new SignJWT(claims(o.userId))
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(o.userId)
        .setIssuer('mashang-jiandu')
        .setIssuedAt(),
    )
      .setAudience('mashang-jiandu-api')
      .setExpirationTime('1h')
      .sign(secret());

    expect((await call(windows, { token })).status).toBe(401);
    expect((await call(windows, { token: ok })).status).toBe(200);
  });

  test('when a token this instance has verified expires, then it is refused at once, cached or not', async () => {
    const o = await anOfficial([{ role: 'operator', scope: PREFECTURE_ID }]);
    const expiresAt = Math.floor(Date.now() / 1000) + 2;
    const token = await new SignJWT(claims(o.userId))
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(o.userId)
      .setIssuer('mashang-jiandu')
      .setAudience('mashang-jiandu-api')
      .setIssuedAt()
      .setExpirationTime(expiresAt)
      .sign(secret());
    expect((await call(windows, { token })).status).toBe(200);
    expect((await call(windows, { token })).status).toBe(200); // the second check from the instance's memory
    await new Promise((r) => setTimeout(r, expiresAt * 1000 - Date.now() + 50));
    expect((await call(windows, { token })).status).toBe(401);
  });

  test('when a token names a user that does not exist, then 401 even if correctly signed', async () => {
    const token = await new SignJWT(claims('u-nobody'))
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u-nobody')
      .setIssuer('mashang-jiandu')
      .setAudience('mashang-jiandu-api')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(secret());
    expect((await call(windows, { token })).status).toBe(401);
  });

  test('when a role is removed from an official, then their token stops working within a minute, and a new login has the new roles', async () => {
    const grant = { role: 'operator' as const, scope: PREFECTURE_ID };
    const o = await anOfficial([grant]);
    const { token } = (await call(login, { body: { code: o.loginCode } })).body;
    expect((await call(windows, { token })).status).toBe(200);

    await changeGrant(o.userId, grant, 'remove', new Date().toISOString());
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 61_000);
    try {
      const after = await call(windows, { token });
      expect(after.status).toBe(401);
      expect(after.body.error.message).toMatch(/权限已变更/);
      const again = await call(login, { body: { code: o.loginCode } });
      expect(again.body.user.roles).toEqual([]);
      expect((await call(windows, { token: again.body.token })).status).toBe(403);
    } finally {
      clock.mockRestore();
    }
  });

  test('when one address logs in more than 60 times in a minute, then RATE_LIMITED before WeChat is asked', async () => {
    const sourceIp = `10.77.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const at = new Date(); // one clock for all tries: they fall in one window
    const results: string[] = [];
    for (let i = 0; i < 61; i++)
      results.push(
        await loginWithWechat('invalid-code', at, sourceIp).then(
          () => 'ok',
          (e: AppError) => e.code,
        ),
      );
    expect(results.slice(0, 60).every((s) => s === 'UNAUTHENTICATED')).toBe(true);
    expect(results[60]).toBe('RATE_LIMITED');
    expect((await call(login, { body: { code: uniq('citizen-') } })).status).toBe(200);
  });
});
