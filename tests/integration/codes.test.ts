import { PREFECTURE_ID } from '@mashang/shared';
import { reissueEnterprise, reissueWindow, revoke } from '../../functions/src/handlers/codes';
import { lookup } from '../../functions/src/handlers/scan';
import { submit } from '../../functions/src/handlers/scan';
import { call, loginAs, requestId, uniq } from '../support/api';
import { anEnterprise, anOfficial, aWindow, getItem } from '../support/builders';
import { K } from '../../functions/src/data/keys';

async function operator(scope = PREFECTURE_ID) {
  const o = await anOfficial([{ role: 'operator', scope }]);
  return (await loginAs(o.loginCode)).token;
}

describe('supervision codes', () => {
  test('when a genuine window code is looked up, then its window, department and county come back', async () => {
    const { code, window: w } = await aWindow();
    const res = await call(lookup, { params: { code } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      kind: 'window',
      window: { id: w.id, name: w.name, department: w.department, county: w.county },
    });
    expect(code.length).toBeLessThanOrEqual(32);
    expect(code).toMatch(/^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]+$/);
  });

  test('when a signed-in citizen looks up a window they rated today, then the answer says so (一次一评 before the form)', async () => {
    const { code, window: w } = await aWindow();
    const { code: otherCode } = await aWindow();
    const { token } = await loginAs(uniq('citizen'));
    const { token: stranger } = await loginAs(uniq('citizen'));

    const before = await call(lookup, { token, params: { code } });
    expect(before.body).toEqual({
      kind: 'window',
      window: { id: w.id, name: w.name, department: w.department, county: w.county },
      ratedToday: null,
    });
    const rated = await call(submit, {
      token,
      body: { requestId: requestId(), code, level: 2, reasons: ['态度生硬'], anonymous: true },
    });
    expect(rated.status).toBe(201);

    const after = await call(lookup, { token, params: { code } });
    expect(after.body.ratedToday).toEqual({
      id: rated.body.rating.id,
      level: 2,
      createdAt: rated.body.rating.createdAt,
      caseId: rated.body.caseId,
    });
    // Someone else, and nobody (no token): not rated / not known; another window of the same person: not rated.
    expect((await call(lookup, { token: stranger, params: { code } })).body.ratedToday).toBeNull();
    expect((await call(lookup, { params: { code } })).body).not.toHaveProperty('ratedToday');
    expect((await call(lookup, { token, params: { code: otherCode } })).body.ratedToday).toBeNull();
  });

  test('when an enterprise code is looked up, then the enterprise comes back', async () => {
    const { code, enterprise } = await anEnterprise(uniq('r'));
    const res = await call(lookup, { params: { code } });
    expect(res.body).toEqual({
      kind: 'enterprise',
      enterprise: { id: enterprise.id, name: enterprise.name, county: enterprise.county },
    });
  });

  test.each([
    // Each replacement must differ from what it replaces, or the 'altered' code is the real one.
    ['an altered signature', (c: string) => c.slice(0, -2) + (c.endsWith('zz') ? 'yy' : 'zz')],
    ['an altered id with the old signature', (c: string) => c[0] + (c[1] === 'X' ? 'Y' : 'X') + c.slice(2)],
    ['garbage', () => 'hello-world'],
    ['a code longer than 32 characters', (c: string) => c + 'x'.repeat(20)],
  ])('when %s is looked up, then CODE_INVALID', async (_n, alter) => {
    const { code } = await aWindow();
    const res = await call(lookup, { params: { code: alter(code) } });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('CODE_INVALID');
  });

  test('when an operator revokes a code, then it answers CODE_REVOKED, and revoking again changes nothing', async () => {
    const { code, window: w } = await aWindow();
    const token = await operator();

    const first = await call(revoke, { token, params: { code } });
    const revokedAt = (await getItem(K.code(w.codeId)))!.revokedAt;
    const second = await call(revoke, { token, params: { code } });
    const after = await call(lookup, { params: { code } });

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect((await getItem(K.code(w.codeId)))!.revokedAt).toBe(revokedAt);
    expect(after.status).toBe(410);
    expect(after.body.error).toMatchObject({ code: 'CODE_REVOKED' });
    expect(after.body.error.message).toMatch(/停用/);
  });

  test('when an operator reissues a window code, then the new code works and the old one is revoked', async () => {
    const { code, window: w } = await aWindow();
    const token = await operator();

    const res = await call(reissueWindow, { token, params: { id: w.id } });

    expect(res.status).toBe(201);
    expect(res.body.code).not.toBe(code);
    expect((await call(lookup, { params: { code: res.body.code } })).body.window.id).toBe(w.id);
    expect((await call(lookup, { params: { code } })).body.error.code).toBe('CODE_REVOKED');
    expect((await getItem(K.window(w.id)))!.code).toBe(res.body.code);
  });

  test('when an operator reissues an enterprise code, then the old one is revoked', async () => {
    const { code, enterprise } = await anEnterprise(uniq('r'));
    const res = await call(reissueEnterprise, { token: await operator(), params: { id: enterprise.id } });
    expect(res.status).toBe(201);
    expect((await call(lookup, { params: { code } })).status).toBe(410);
  });

  test('when a non-operator or an operator of another county revokes or reissues, then 403 and the code still works', async () => {
    const { code, window: w } = await aWindow();
    const inspector = await anOfficial([{ role: 'inspector', scope: PREFECTURE_ID }]);
    const citizen = await loginAs(uniq('citizen-'));
    const otherCounty = await operator(`${PREFECTURE_ID}/${uniq('r')}`);

    const results = [
      await call(revoke, { token: (await loginAs(inspector.loginCode)).token, params: { code } }),
      await call(revoke, { token: citizen.token, params: { code } }),
      await call(revoke, { token: otherCounty, params: { code } }),
      await call(reissueWindow, { token: otherCounty, params: { id: w.id } }),
    ];

    expect(results.map((r) => r.status)).toEqual([403, 403, 403, 403]);
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((r) => r.body.error.code === 'FORBIDDEN')).toBe(true);
    expect((await call(lookup, { params: { code } })).status).toBe(200);
    expect((await call(revoke, { params: { code } })).status).toBe(401);
  });

  test('when an unknown window is reissued, then 404 NOT_FOUND', async () => {
    const res = await call(reissueWindow, { token: await operator(), params: { id: 'no-such-window' } });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});
