import { PREFECTURE_ID } from '@mashang/shared';
import { enterprises, windows } from '../../functions/src/handlers/registry';
import { call, loginAs, uniq } from '../support/api';
import { aDepartment, anEnterprise, anOfficial, aWindow } from '../support/builders';

describe('GET /v1/windows and /v1/enterprises', () => {
  test('when an operator pages through a county, then every window comes exactly once, with its code', async () => {
    const dept = await aDepartment();
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await aWindow({ department: dept }));
    const { token } = await loginAs((await anOfficial([{ role: 'operator', scope: PREFECTURE_ID }])).loginCode);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await call(windows, {
        token,
        query: { county: dept.regionId, limit: '2', ...(cursor ? { cursor } : {}) },
      });
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((i: { id: string; code: string }) => i.id));
      cursor = res.body.cursor;
      pages++;
    } while (cursor && pages < 10);

    expect(seen.sort()).toEqual(made.map((m) => m.window.id).sort());
    expect(pages).toBeGreaterThanOrEqual(3);
  });

  test('when filtered by department and name, then only matching windows come back', async () => {
    const dept = await aDepartment();
    const a = await aWindow({ department: dept });
    await aWindow({ department: dept });
    const { token } = await loginAs((await anOfficial([{ role: 'operator', scope: PREFECTURE_ID }])).loginCode);

    const res = await call(windows, { token, query: { departmentId: dept.id, q: a.window.name } });

    expect(res.body.items).toEqual([
      {
        id: a.window.id,
        name: a.window.name,
        code: a.code,
        department: a.window.department,
        county: a.window.county,
        kind: a.window.kind,
        status: 'active',
      },
    ]);
  });

  test('when a handler lists windows, then they see only their department even when asking for the county', async () => {
    const dept = await aDepartment();
    const other = await aDepartment({ regionId: dept.regionId });
    const mine = await aWindow({ department: dept });
    await aWindow({ department: other });
    const h = await anOfficial([{ role: 'handler', scope: dept.path }]);
    const { token } = await loginAs(h.loginCode);

    const res = await call(windows, { token, query: { county: dept.regionId } });
    const forbidden = await call(windows, { token, query: { departmentId: other.id } });

    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([mine.window.id]);
    expect(forbidden.status).toBe(403);
  });

  test('when a citizen asks for the registry, then 403; without a token, 401', async () => {
    const { token } = await loginAs(uniq('citizen-'));
    expect((await call(windows, { token })).status).toBe(403);
    expect((await call(enterprises, { token })).status).toBe(403);
    expect((await call(windows, {})).status).toBe(401);
  });

  test('when a cursor is tampered with or a filter is malformed, then 400', async () => {
    const { token } = await loginAs((await anOfficial([{ role: 'operator', scope: PREFECTURE_ID }])).loginCode);
    const foreign = Buffer.from(JSON.stringify({ pk: 'CASE#x', sk: 'META', gsi1pk: 'CASES', gsi1sk: 'x' })).toString(
      'base64url',
    );
    expect((await call(windows, { token, query: { cursor: foreign } })).status).toBe(400);
    expect((await call(windows, { token, query: { cursor: '%%%' } })).status).toBe(400);
    expect((await call(windows, { token, query: { county: 'Menyuan County!' } })).status).toBe(400);
    expect((await call(windows, { token, query: { limit: '1000' } })).status).toBe(400);
  });

  test('when an inspector lists enterprises of their county, then they come back with credit codes and codes', async () => {
    const regionId = uniq('r');
    const e = await anEnterprise(regionId);
    const { token } = await loginAs(
      (await anOfficial([{ role: 'inspector', scope: `${PREFECTURE_ID}/${regionId}` }])).loginCode,
    );

    const res = await call(enterprises, { token });

    expect(res.body.items).toEqual([
      {
        id: e.enterprise.id,
        name: e.enterprise.name,
        creditCode: e.enterprise.creditCode,
        code: e.code,
        county: e.enterprise.county,
        status: 'active',
      },
    ]);
  });
});

describe('GET /v1/windows/{id}/ratings', () => {
  test("when window staff read their window's ratings, then they see levels, reasons and comments but never who rated; others in no scope get 404", async () => {
    const { aScene, aBadRating } = await import('../support/flows');
    const { ratingsOfWindow } = await import('../../functions/src/handlers/registry');
    const s = await aScene();
    const other = await aScene();
    const caseId = await aBadRating(s, { phone: '13911112222' });

    const res = await call(ratingsOfWindow, { token: s.staff.token, params: { id: s.window.id } });
    const foreign = await call(ratingsOfWindow, { token: other.staff.token, params: { id: s.window.id } });
    const citizen = await call(ratingsOfWindow, { token: s.citizen.token, params: { id: s.window.id } });

    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({
      level: 1,
      levelLabel: '非常不满意',
      reasons: ['推诿扯皮'],
      caseId,
      excluded: false,
    });
    expect(JSON.stringify(res.body)).not.toMatch(new RegExp(`${s.citizen.userId}|13911112222|1391111`));
    expect(foreign.status).toBe(404);
    expect(citizen.status).toBe(404);
    expect((await call(ratingsOfWindow, { token: s.handler.token, params: { id: s.window.id } })).status).toBe(200);
  });
});
