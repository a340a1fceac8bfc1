import { list } from '../../functions/src/handlers/cases';
import { submit as submitComplaint } from '../../functions/src/handlers/complaints';
import { login } from '../../functions/src/handlers/auth';
import { call, loginAs, requestId, uniq } from '../support/api';
import { aBadRating, aScene } from '../support/flows';

const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((c) => c.id);

/** Issue 15 item 5: the officials' case list filters by source, date range and department, and finds a case number. */
describe('officials case lists that scale', () => {
  test('when the list is filtered by source, creation dates, department or searched by case number, then only those cases come back', async () => {
    const s = await aScene();
    const other = await aScene();
    // A 差评 on 2 November (China time), another today, a complaint about the same window today.
    const early = await aBadRating(s, { at: new Date('2026-11-02T03:00:00Z') });
    const today = await aBadRating({ ...s, citizen: await loginAs(uniq('citizen-')) });
    const complaint = await call(submitComplaint, {
      token: (await loginAs(uniq('citizen-'))).token,
      body: {
        requestId: requestId(),
        code: s.code,
        category: '服务意识不强',
        content: '窗口人员午休提前半小时离岗',
        anonymous: true,
      },
    });
    expect(complaint.status).toBe(201);
    const complaintCase = complaint.body.caseId as string;
    const theirs = await aBadRating(other);
    const inspector = s.countyInspector.token;
    const q = (query: Record<string, string>) => call(list, { token: inspector, query: { status: 'open', ...query } });

    expect(ids(await q({}))).toEqual(expect.arrayContaining([early, today, complaintCase]));
    expect(ids(await q({ source: 'rating' })).sort()).toEqual([early, today].sort());
    expect(ids(await q({ source: 'complaint' }))).toEqual([complaintCase]);
    expect(ids(await q({ source: 'visit' }))).toEqual([]);

    // Dates are China days, both ends included; the range is part of the key condition.
    expect(ids(await q({ from: '2026-11-01', to: '2026-11-02' }))).toEqual([early]);
    expect(ids(await q({ to: '2026-11-01' }))).toEqual([]);
    expect(ids(await q({ from: '2026-11-03' }))).not.toContain(early);

    // Department (and county) filters are the scope the list is read for.
    expect(ids(await q({ scope: s.department.path, source: 'rating' })).sort()).toEqual([early, today].sort());
    expect((await q({ scope: other.department.path })).status).toBe(403);

    // Search: lower case and spaces accepted, any tab; another county's case is not found; a partial number is refused.
    const found = await q({ q: `  ${early.toLowerCase()} `, status: 'closed' });
    expect(found.status).toBe(200);
    expect(ids(found)).toEqual([early]);
    expect(found.body.items[0]).toMatchObject({
      window: { name: s.window.name },
      department: { name: s.department.name },
    });
    expect(ids(await q({ q: theirs }))).toEqual([]);
    const partial = await q({ q: early.slice(0, 8) });
    expect(partial.status).toBe(400);
    expect(partial.body.error.message).toContain('请输入完整的督办件编号');

    // Bad filters: 400 with a Chinese message.
    expect((await q({ source: 'rumour' })).status).toBe(400);
    expect((await q({ from: '2026-11-05', to: '2026-11-01' })).body.error.message).toBe('开始日期不能晚于结束日期');
    expect((await q({ from: '11/01/2026' })).status).toBe(400);
  });

  test('when an official signs in, then the answer names the places of their roles (no internal ids on screen)', async () => {
    const s = await aScene();
    const res = await call(login, { body: { code: s.handler.loginCode } });
    expect(res.status).toBe(200);
    expect(res.body.user.scopeNames).toEqual({ [s.department.path]: s.department.name });
    const staff = await call(login, { body: { code: s.staff.loginCode } });
    expect(staff.body.user.scopeNames).toEqual({ [s.window.path]: `${s.department.name} · ${s.window.name}` });
    // A citizen has no roles and no names (and costs no reads).
    const citizen = await call(login, { body: { code: uniq('citizen-') } });
    expect(citizen.body.user).not.toHaveProperty('scopeNames');
  });
});
