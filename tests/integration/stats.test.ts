import { counterWrites, type DayCounts } from '../../functions/src/data/stats';
import { transact } from '../../functions/src/data/table';
import { ranking, summary, trend } from '../../functions/src/handlers/stats';
import { call, loginAs, uniq } from '../support/api';
import { aDepartment, aWindow, anOfficial } from '../support/builders';

/** Seed day counters of a path (and, as the stream aggregation does, of every scope above it). */
async function seed(path: string, date: string, add: DayCounts) {
  const outcome = await transact(counterWrites([{ path, date, add }]));
  if (outcome !== 'stored') throw new Error(`seed failed: ${JSON.stringify(outcome)}`);
}
const ratings = (good: number, bad: number, extra: DayCounts = {}): DayCounts => ({
  ratings: good + bad,
  good,
  bad,
  l5: good,
  l1: bad,
  ...extra,
});

async function official(role: 'inspector' | 'handler' | 'operator', scope: string) {
  const { loginCode } = await anOfficial([{ role, scope }]);
  return (await loginAs(loginCode)).token;
}

/** A county of its own with three departments: a (2 windows), b (1 window), c (1 window). */
async function county() {
  const a = await aDepartment();
  const regionId = a.regionId;
  const b = await aDepartment({ regionId });
  const c = await aDepartment({ regionId });
  const [wa1, wa2, wb, wc] = [
    await aWindow({ department: a }),
    await aWindow({ department: a }),
    await aWindow({ department: b }),
    await aWindow({ department: c }),
  ];
  return { regionId, region: `haibei/${regionId}`, a, b, c, wa1, wa2, wb, wc };
}

describe('statistics: trend and ranking from the day counters', () => {
  test('when days are seeded, then the trend by day, week (Monday) and month sums them, with empty buckets and null rates', async () => {
    const k = await county();
    await seed(k.wa1.window.path, '2026-10-30', ratings(3, 1, { cases: 1, entRatings: 1, entGood: 1 })); // Friday
    await seed(k.wb.window.path, '2026-11-02', ratings(4, 0, { closed: 1, overdue: 1 })); // Monday
    await seed(k.wa2.window.path, '2026-11-03', ratings(1, 1, { cases: 1, visits: 2 }));
    const token = await official('inspector', k.region);
    const q = { scope: k.region, from: '2026-10-29', to: '2026-11-03' };

    const day = await call(trend, { token, query: { ...q, bucket: 'day' } });
    expect(day.status).toBe(200);
    expect(day.body.points.map((p: { key: string }) => p.key)).toEqual([
      '2026-10-29',
      '2026-10-30',
      '2026-10-31',
      '2026-11-01',
      '2026-11-02',
      '2026-11-03',
    ]);
    expect(day.body.points[0]).toEqual({
      key: '2026-10-29',
      ratings: 0,
      citizen: 0,
      enterprise: 0,
      good: 0,
      bad: 0,
      goodRate: null,
      cases: 0,
      closed: 0,
      overdue: 0,
      visits: 0,
    });
    // 群众 / 企业 apart: one of the four was a bound enterprise contact's.
    expect(day.body.points[1]).toMatchObject({ ratings: 4, citizen: 3, enterprise: 1, good: 3, bad: 1, goodRate: 75 });

    const week = await call(trend, { token, query: { ...q, bucket: 'week' } });
    expect(week.body.points).toEqual([
      {
        key: '2026-10-26',
        ratings: 4,
        citizen: 3,
        enterprise: 1,
        good: 3,
        bad: 1,
        goodRate: 75,
        cases: 1,
        closed: 0,
        overdue: 0,
        visits: 0,
      },
      {
        key: '2026-11-02',
        ratings: 6,
        citizen: 6,
        enterprise: 0,
        good: 5,
        bad: 1,
        goodRate: 83.3,
        cases: 1,
        closed: 1,
        overdue: 1,
        visits: 2,
      },
    ]);
    const month = await call(trend, { token, query: { ...q, bucket: 'month' } });
    expect(month.body.points.map((p: { key: string; ratings: number }) => [p.key, p.ratings])).toEqual([
      ['2026-10', 4],
      ['2026-11', 6],
    ]);
    // A department's own trend holds only its windows.
    const dept = await call(trend, { token, query: { ...q, scope: k.a.path, bucket: 'month' } });
    expect(dept.body.points.map((p: { ratings: number }) => p.ratings)).toEqual([4, 2]);
  });

  test('when departments have more and fewer ratings than the minimum, then only those with enough get a place by 好评率', async () => {
    const k = await county();
    await seed(k.wa1.window.path, '2026-11-10', ratings(6, 0));
    await seed(k.wa2.window.path, '2026-11-11', ratings(5, 1, { cases: 1, overdue: 1 })); // a: 11 of 12 → 91.7
    await seed(k.wb.window.path, '2026-11-12', ratings(5, 0)); // b: 5 ratings, too few
    await seed(k.wc.window.path, '2026-11-12', ratings(10, 0)); // c: 10 of 10 → 100
    const token = await official('inspector', k.region);
    const q = { scope: k.region, from: '2026-11-01', to: '2026-11-30' };

    const r = await call(ranking, { token, query: { ...q, unit: 'department', by: 'goodRate' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ unit: 'department', by: 'goodRate', minRatings: 10, total: 3, unranked: 1 });
    expect(
      r.body.items.map((i: { id: string; rank?: number; goodRate: number }) => [i.id, i.rank, i.goodRate]),
    ).toEqual([
      [k.c.id, 1, 100],
      [k.a.id, 2, 91.7],
      [k.b.id, undefined, 100],
    ]);
    expect(r.body.items[1]).toMatchObject({ name: k.a.name, parentName: k.a.regionName, ratings: 12, bad: 1 });

    // With a lower minimum every department is ranked; b and c share the first place.
    const low = await call(ranking, { token, query: { ...q, minRatings: '5' } });
    expect(low.body.items.map((i: { id: string; rank: number }) => [i.id, i.rank])).toEqual([
      [k.c.id, 1],
      [k.b.id, 1],
      [k.a.id, 3],
    ]);

    const bad = await call(ranking, { token, query: { ...q, by: 'bad' } });
    expect(bad.body.items.map((i: { id: string; rank: number; bad: number }) => [i.id, i.rank, i.bad])).toEqual([
      [k.a.id, 1, 1],
      [k.c.id, 2, 0],
      [k.b.id, 2, 0],
    ]);

    // Windows, paged one at a time by overdue cases.
    const first = await call(ranking, { token, query: { ...q, unit: 'window', by: 'overdue', limit: '1' } });
    expect(first.body.total).toBe(4);
    expect(first.body.items).toEqual([expect.objectContaining({ id: k.wa2.window.id, rank: 1, overdue: 1 })]);
    expect(first.body.items[0].parentName).toBe(k.a.name);
    const seen = [first.body.items[0].id];
    let cursor = first.body.cursor;
    while (cursor) {
      const page = await call(ranking, { token, query: { ...q, unit: 'window', by: 'overdue', limit: '1', cursor } });
      seen.push(...page.body.items.map((i: { id: string }) => i.id));
      cursor = page.body.cursor;
    }
    expect(seen.sort()).toEqual([k.wa1, k.wa2, k.wb, k.wc].map((w) => w.window.id).sort());
  });

  test('when nothing was rated, then rates are null and nobody is ranked by 好评率', async () => {
    const k = await county();
    const token = await official('operator', k.region);
    const r = await call(ranking, { token, query: { scope: k.region, from: '2026-11-01', to: '2026-11-30' } });
    expect(r.body).toMatchObject({ total: 3, unranked: 3 });
    expect(
      r.body.items.every((i: { rank?: number; goodRate: null }) => i.rank === undefined && i.goodRate === null),
    ).toBe(true);
    const s = await call(summary, { token, query: { scope: k.region, from: '2026-11-01', to: '2026-11-30' } });
    expect(s.body).toMatchObject({
      goodRate: null,
      badReplyRate: null,
      unratedRate: null,
      visitSatisfactionRate: null,
    });
  });

  test('when a caller asks outside their scope, then trend and ranking answer 403; their own scope is the default', async () => {
    const k = await county();
    const other = await aDepartment();
    await seed(k.wa1.window.path, '2026-11-05', ratings(2, 0));
    const q = { from: '2026-11-01', to: '2026-11-30' };
    const otherInspector = await official('inspector', `haibei/${other.regionId}`);
    const handler = await official('handler', k.a.path);
    const citizen = (await loginAs(uniq('citizen-'))).token;
    for (const h of [trend, ranking]) {
      expect((await call(h, { token: otherInspector, query: { ...q, scope: k.region } })).status).toBe(403);
      expect((await call(h, { token: handler, query: { ...q, scope: k.region } })).status).toBe(403);
      expect((await call(h, { token: citizen, query: q })).status).toBe(403);
      expect((await call(h, { query: q })).status).toBe(401);
    }
    const own = await call(trend, { token: handler, query: { ...q, bucket: 'month' } });
    expect(own.body).toMatchObject({ scope: k.a.path, points: [{ key: '2026-11', ratings: 2 }] });
    const windows = await call(ranking, { token: handler, query: { ...q, unit: 'window' } });
    expect(windows.body.items.map((i: { id: string }) => i.id).sort()).toEqual(
      [k.wa1.window.id, k.wa2.window.id].sort(),
    );
  });

  test('when the input is wrong, then a Chinese message says what', async () => {
    const k = await county();
    const token = await official('inspector', k.region);
    const cases: [typeof trend, Record<string, string>, RegExp][] = [
      [trend, { bucket: 'year' }, /分组/],
      [trend, { from: '2026-11-05', to: '2026-11-01' }, /开始日期不能晚于结束日期/],
      [trend, { from: '2025-01-01', to: '2026-11-01' }, /不能超过一年/],
      [trend, { from: '2026-13-45', to: '2026-11-01' }, /日期/],
      [ranking, { by: 'name' }, /排名依据/],
      [ranking, { unit: 'county' }, /排名对象/],
      [ranking, { minRatings: '0' }, /最少评价数/],
      [ranking, { limit: '500' }, /每页最多/],
      [ranking, { cursor: 'abc' }, /翻页/],
    ];
    for (const [h, query, message] of cases) {
      const r = await call(h, { token, query: { scope: k.region, ...query } });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(r.body.error)).toMatch(message);
    }
  });
});
