import { counterWrites, type DayCounts } from '../../functions/src/data/stats';
import { transact } from '../../functions/src/data/table';
import { publicSatisfaction } from '../../functions/src/domain/public-stats';
import { satisfaction } from '../../functions/src/handlers/public';
import { submit as submitRating } from '../../functions/src/handlers/scan';
import { call, loginAs, requestId, uniq } from '../support/api';
import { aDepartment, aWindow } from '../support/builders';

async function seed(path: string, date: string, add: DayCounts) {
  expect(await transact(counterWrites([{ path, date, add }]))).toBe('stored');
}

describe('公示: GET /v1/public/satisfaction (no login)', () => {
  test('when departments were rated in a month, then only those with enough ratings are listed with 好评率, no identity and no comment, cacheable', async () => {
    const a = await aDepartment();
    const b = await aDepartment({ regionId: a.regionId });
    const wa = await aWindow({ department: a });
    const wb = await aWindow({ department: b });
    // Past month: a with 12 ratings (9 good), b with 3 (too few to be listed).
    await seed(wa.window.path, '2025-03-10', { ratings: 12, good: 9, bad: 3 });
    await seed(wb.window.path, '2025-03-11', { ratings: 3, good: 3 });
    // A real rating with a comment and a phone this month shows nowhere in the answer.
    const { token } = await loginAs(uniq('citizen-'));
    await call(submitRating, {
      token,
      body: {
        requestId: requestId(),
        code: wa.code,
        level: 1,
        reasons: ['态度生硬'],
        phone: '13912345678',
        comment: '秘密评论内容',
      },
    });

    const r = await call(satisfaction, { query: { month: '2025-03' } });
    expect(r.status).toBe(200);
    expect(r.headers['cache-control']).toBe('public, max-age=3600, s-maxage=86400');
    expect(r.body).toMatchObject({ month: '2025-03', minRatings: 10 });
    const mine = r.body.departments.filter((d: { id: string }) => [a.id, b.id].includes(d.id));
    expect(mine).toEqual([
      { rank: expect.any(Number), id: a.id, name: a.name, county: a.regionName, ratings: 12, goodRate: 75 },
    ]);
    expect(r.body.unlisted).toBeGreaterThanOrEqual(1);
    expect(r.body.prefecture.ratings).toBeGreaterThanOrEqual(15);

    const current = await call(satisfaction, {});
    expect(current.status).toBe(200);
    expect(current.headers['cache-control']).toBe('public, max-age=300, s-maxage=300');
    const text = JSON.stringify(current.body);
    expect(text).not.toContain('13912345678');
    expect(text).not.toContain('秘密评论内容');
    expect(text).not.toMatch(/userId|phone|comment/);
  });

  test('when nothing was rated in the month, then the answer is empty and correct, not an error', async () => {
    const r = await call(satisfaction, { query: { month: '2019-02' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      month: '2019-02',
      prefecture: { ratings: 0, goodRate: null },
      listed: 0,
      departments: [],
    });
  });

  test('when the figures change within five minutes, then the cached answer is given; after five minutes the new one', async () => {
    const d = await aDepartment();
    const w = await aWindow({ department: d });
    await seed(w.window.path, '2025-05-02', { ratings: 10, good: 10 });
    const t0 = new Date('2026-12-01T02:00:00Z');
    const first = await publicSatisfaction({ month: '2025-05' }, uniq('ip-'), t0);
    expect(first.body.departments.find((x) => x.id === d.id)).toMatchObject({ ratings: 10, goodRate: 100 });
    await seed(w.window.path, '2025-05-03', { ratings: 10, good: 0, bad: 10 });
    const cached = await publicSatisfaction({ month: '2025-05' }, uniq('ip-'), new Date(t0.getTime() + 299000));
    expect(cached.body.departments.find((x) => x.id === d.id)).toMatchObject({ ratings: 10 });
    const fresh = await publicSatisfaction({ month: '2025-05' }, uniq('ip-'), new Date(t0.getTime() + 301000));
    expect(fresh.body.departments.find((x) => x.id === d.id)).toMatchObject({ ratings: 20, goodRate: 50 });
  });

  test('when one address asks too often or the month is wrong, then a Chinese error says so', async () => {
    const ip = uniq('ip-');
    const now = new Date('2026-12-01T03:00:00Z');
    for (let i = 0; i < 60; i++) await publicSatisfaction({ month: '2019-03' }, ip, now);
    await expect(publicSatisfaction({ month: '2019-03' }, ip, now)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      message: '操作过于频繁，请稍后再试',
    });
    for (const [month, message] of [
      ['2026-13', /月份格式/],
      ['2099-01', /尚未开始/],
      ['abc', /月份格式/],
    ] as const) {
      const r = await call(satisfaction, { query: { month } });
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(message);
    }
  });
});
