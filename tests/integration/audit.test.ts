import { PREFECTURE_ID } from '@mashang/shared';
import { list } from '../../functions/src/handlers/audit';
import { reissueWindow, revoke } from '../../functions/src/handlers/codes';
import { recordAudit } from '../../functions/src/domain/audit';
import { call, loginAs, uniq } from '../support/api';
import { anOfficial, aWindow, partition } from '../support/builders';

async function tokenFor(role: 'operator' | 'inspector' | 'handler', scope: string) {
  const o = await anOfficial([{ role, scope }]);
  return { ...(await loginAs(o.loginCode)), userId: o.userId };
}

describe('audit trail', () => {
  test('when an operator revokes a code, then one entry with actor, role, target and before/after is written, and a second revoke writes none', async () => {
    const { code, window: w, department } = await aWindow();
    const op = await tokenFor('operator', PREFECTURE_ID);

    await call(revoke, { token: op.token, params: { code } });
    await call(revoke, { token: op.token, params: { code } });

    const entries = (await partition(`AUDIT#window#${w.id}`)).filter((e) => e.action === 'code.revoke');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor: { userId: op.userId, role: 'operator', scope: PREFECTURE_ID },
      target: { kind: 'window', id: w.id, name: w.name },
      scope: w.path,
      before: { code, status: 'active' },
      after: { code, status: 'revoked' },
    });
    const res = await call(list, { token: op.token, query: { scope: `${PREFECTURE_ID}/${department.regionId}` } });
    expect(res.status).toBe(200);
    expect(res.body.items.map((e: any) => e.action)).toEqual(['code.revoke']);
    expect(res.body.items[0].actionLabel).toBe('停用监督码');
  });

  test('when an operator reissues a code, then the entry holds the old and the new code', async () => {
    const { code, window: w } = await aWindow();
    const op = await tokenFor('operator', PREFECTURE_ID);
    const res = await call(reissueWindow, { token: op.token, params: { id: w.id } });
    expect(res.status).toBe(201);
    const [e] = await partition(`AUDIT#window#${w.id}`);
    expect(e).toMatchObject({ action: 'code.reissue', before: { code }, after: { code: res.body.code } });
  });

  test('when a county inspector lists the trail, then only entries of their county come back, newest first, paged', async () => {
    const a = await aWindow();
    const b = await aWindow();
    const actor = { userId: uniq('u'), role: 'operator', scope: PREFECTURE_ID };
    const t0 = Date.now();
    for (let i = 0; i < 3; i++) {
      await recordAudit(
        {
          actor,
          action: 'window.update',
          target: { kind: 'window', id: a.window.id },
          scope: a.window.path,
          after: { n: i },
        },
        new Date(t0 + i * 1000),
      );
    }
    await recordAudit(
      { actor, action: 'window.update', target: { kind: 'window', id: b.window.id }, scope: b.window.path },
      new Date(t0),
    );
    const countyA = `${PREFECTURE_ID}/${a.department.regionId}`;
    const insp = await tokenFor('inspector', countyA);

    const page1 = await call(list, { token: insp.token, query: { limit: '2' } });
    const page2 = await call(list, { token: insp.token, query: { limit: '2', cursor: page1.body.cursor } });
    const other = await call(list, {
      token: insp.token,
      query: { scope: `${PREFECTURE_ID}/${b.department.regionId}` },
    });

    expect(page1.status).toBe(200);
    expect(page1.body.items.map((e: any) => e.after.n)).toEqual([2, 1]);
    expect(page2.body.items.map((e: any) => e.after.n)).toEqual([0]);
    expect(page2.body.cursor).toBeUndefined();
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('FORBIDDEN');
  });

  test('when the trail is filtered by action, actor, target, department scope and time, then only matching entries come back', async () => {
    const a = await aWindow();
    const a2 = await aWindow({ department: undefined });
    const county = `${PREFECTURE_ID}/${a.department.regionId}`;
    const alice = { userId: uniq('u'), role: 'operator', scope: PREFECTURE_ID };
    const bob = { userId: uniq('u'), role: 'operator', scope: PREFECTURE_ID };
    await recordAudit(
      { actor: alice, action: 'window.update', target: { kind: 'window', id: a.window.id }, scope: a.window.path },
      new Date('2026-03-01T02:00:00Z'),
    );
    await recordAudit(
      { actor: bob, action: 'window.retire', target: { kind: 'window', id: a.window.id }, scope: a.window.path },
      new Date('2026-03-05T02:00:00Z'),
    );
    await recordAudit(
      { actor: bob, action: 'code.revoke', target: { kind: 'window', id: a2.window.id }, scope: a2.window.path },
      new Date('2026-03-05T03:00:00Z'),
    );
    const op = await tokenFor('operator', PREFECTURE_ID);

    const byAction = await call(list, { token: op.token, query: { scope: county, action: 'window.retire' } });
    const byActor = await call(list, { token: op.token, query: { actor: bob.userId } });
    const byTarget = await call(list, { token: op.token, query: { targetKind: 'window', targetId: a.window.id } });
    const byDept = await call(list, { token: op.token, query: { scope: a.department.path } });
    const byTime = await call(list, {
      token: op.token,
      query: { scope: county, from: '2026-03-01', to: '2026-03-01' },
    });

    expect(byAction.body.items.map((e: any) => e.action)).toEqual(['window.retire']);
    expect(byActor.body.items.map((e: any) => e.action)).toEqual(['code.revoke', 'window.retire']);
    expect(byTarget.body.items.map((e: any) => e.action)).toEqual(['window.retire', 'window.update']);
    expect(byDept.body.items).toHaveLength(2);
    expect(byTime.body.items.map((e: any) => e.action)).toEqual(['window.update']);
  });

  test.each([
    [{ action: 'window.explode' }, 'action'],
    [{ scope: 'elsewhere' }, 'scope'],
    [{ from: 'yesterday' }, 'from'],
    [{ from: '2026-03-05', to: '2026-03-01' }, 'from'],
    [{ targetKind: 'window' }, 'targetId'],
    [{ unknown: 'x' }, ''],
  ])('when the query is %j, then VALIDATION_FAILED names the field %s', async (query, field) => {
    const op = await tokenFor('operator', PREFECTURE_ID);
    const res = await call(list, { token: op.token, query: query as Record<string, string> });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.issues[0].path).toBe(field);
  });

  test('when a handler, a citizen or nobody asks for the trail, then 403 / 401', async () => {
    const { department } = await aWindow();
    const handler = await tokenFor('handler', department.path);
    const citizen = await loginAs(uniq('citizen-'));
    expect((await call(list, { token: handler.token })).status).toBe(403);
    expect((await call(list, { token: citizen.token })).status).toBe(403);
    expect((await call(list, {})).status).toBe(401);
  });
});
