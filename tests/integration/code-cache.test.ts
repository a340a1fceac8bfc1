import { PREFECTURE_ID } from '@mashang/shared';
import { revoke } from '../../functions/src/handlers/codes';
import { CODE_CACHE_TTL_SECONDS, forgetResolvedCodes, lookupCode, resolveCode } from '../../functions/src/domain/codes';
import { K } from '../../functions/src/data/keys';
import { call, loginAs } from '../support/api';
import { anOfficial, aWindow, getItem, put } from '../support/builders';

/**
 * Code lookups are cached in the function instance's memory (README "Revocation delay"). These tests move the
 * clock given to the use case instead of waiting.
 */
describe('the code cache and its revocation delay', () => {
  beforeEach(() => forgetResolvedCodes());

  test('when a code is revoked through another function instance, then this instance keeps accepting it for at most the TTL, and refuses it after', async () => {
    const { code, window: w } = await aWindow();
    const t0 = new Date('2026-12-01T02:00:00Z');
    expect((await resolveCode(code, t0)).kind).toBe('window');

    // Another instance revokes: the store changes, this instance's memory does not hear of it.
    const stored = await getItem(K.code(w.codeId));
    await put({ ...stored, status: 'revoked', revokedAt: t0.toISOString(), revokedBy: 'someone-else' });

    const justBefore = new Date(t0.getTime() + CODE_CACHE_TTL_SECONDS * 1000 - 1);
    const atTtl = new Date(t0.getTime() + CODE_CACHE_TTL_SECONDS * 1000);
    expect(await lookupCode(code, justBefore)).toMatchObject({ kind: 'window', window: { id: w.id } });
    await expect(resolveCode(code, atTtl)).rejects.toMatchObject({ code: 'CODE_REVOKED' });
    // And it stays refused: a refusal is never cached.
    await expect(resolveCode(code, new Date(atTtl.getTime() + 1))).rejects.toMatchObject({ code: 'CODE_REVOKED' });
  });

  test('when the code is revoked through this instance, then it is refused at once and the answer states the delay for other instances', async () => {
    const { code } = await aWindow();
    const op = await anOfficial([{ role: 'operator', scope: PREFECTURE_ID }]);
    const now = new Date();
    await resolveCode(code, now);

    const res = await call(revoke, { token: (await loginAs(op.loginCode)).token, params: { code } });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ code, status: 'revoked', takesEffectWithinSeconds: CODE_CACHE_TTL_SECONDS });
    await expect(resolveCode(code, now)).rejects.toMatchObject({ code: 'CODE_REVOKED' });
  });

  test('when a code is looked up twice within the TTL, then the store is read once', async () => {
    const { code } = await aWindow();
    const { db } = await import('../../functions/src/data/client');
    const seen: string[] = [];
    db().middlewareStack.add((next, ctx) => async (args) => (seen.push(String(ctx.commandName)), next(args)), {
      step: 'initialize',
      name: 'countReads',
    });
    try {
      const now = new Date();
      await resolveCode(code, now);
      const first = seen.length;
      await resolveCode(code, new Date(now.getTime() + 1000));
      expect(first).toBeGreaterThan(0);
      expect(seen.length).toBe(first);
    } finally {
      db().middlewareStack.remove('countReads');
    }
  });
});
