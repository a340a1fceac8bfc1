import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Statistics } from '../src/pages/Statistics';
import { renderAt } from './render';
import { listing, MENYUAN_SCJG, signedIn, stubApi, type Call } from './fetch-stub';
import { expectShown, shown } from '../../miniapp/tests/support/shown';
import { STAT_DEFINITIONS } from '@mashang/shared';

const summary = (patch: Record<string, unknown> = {}) => ({
  scope: 'haibei/menyuan',
  from: '2026-11-01',
  to: '2026-11-30',
  ratings: { total: 4512, byLevel: { 5: 4000, 4: 300, 3: 100, 2: 80, 1: 32 }, enterprise: 512, citizen: 4000 },
  enterpriseGoodRate: 90,
  visits: {
    total: 113,
    withdrawn: 0,
    rated: 90,
    byLevel: {},
    bad: 1,
    negativeList: 1,
    solved: 80,
    cases: 1,
    warnings: 0,
  },
  visitSatisfactionRate: 97.8,
  goodRate: 95.3,
  badCount: 112,
  cases: { opened: 115, complaints: 3, inspections: 30, replied: 100, rectified: 90, closed: 80, overdue: 6 },
  badRepliedInTime: 97,
  badReplyRate: 86.6,
  callbackRectifyRate: 78.3,
  followUpSatisfactionRate: null,
  callbacks: 2,
  reminderLetters: 2,
  talks: 0,
  interviews: 7,
  appealsUpheld: 0,
  open: 35,
  overdue: 3,
  invitations: { services: 400, sent: 342, delivered: 320, failed: 5, skipped: 17, rated: 150, expiredUnrated: 150 },
  unratedRate: 43.9,
  ...patch,
});
const trend = (q: Record<string, string>) => ({
  scope: q.scope ?? 'haibei/menyuan',
  from: q.from,
  to: q.to,
  bucket: q.bucket,
  points: [
    // prettier-ignore
    { key: '2026-10', ratings: 30, citizen: 25, enterprise: 5, good: 27, bad: 3, goodRate: 90, cases: 3, closed: 1, overdue: 0, visits: 2 },
    // prettier-ignore
    { key: '2026-11', ratings: 40, citizen: 38, enterprise: 2, good: 40, bad: 0, goodRate: 100, cases: 0, closed: 2, overdue: 1, visits: 0 },
  ],
});
const row = (id: string, rank: number | undefined, name: string) => ({
  rank,
  id,
  name,
  path: `haibei/menyuan/${id}`,
  parentName: '门源回族自治县',
  ratings: rank ? 20 : 3,
  good: rank ? 19 : 3,
  bad: 1,
  goodRate: rank ? 95 : 100,
  cases: 1,
  overdue: 0,
});

beforeEach(() => localStorage.clear());

test('when a county inspector opens 统计分析, then the county’s figures, their definitions, the trend chart and the ranking are shown; changing the month and the grouping asks again', async () => {
  signedIn([{ role: 'inspector', scope: 'haibei/menyuan' }]);
  const calls = stubApi({
    'GET /stats/summary': () => ({ body: summary() }),
    'GET /stats/trend': (c) => ({ body: trend(c.query) }),
    'GET /stats/ranking': (c) => ({
      body: {
        scope: 'haibei/menyuan',
        from: c.query.from,
        to: c.query.to,
        unit: c.query.unit,
        by: c.query.by,
        minRatings: 10,
        total: 2,
        unranked: 1,
        items: [row('menyuan-scjg', 1, '门源县市场监督管理局'), row('menyuan-sw', undefined, '门源县税务局')],
      },
    }),
    'GET /departments': () => ({ body: { items: [] } }),
  });
  renderAt('/stats?from=2026-11-01&to=2026-11-30', <Statistics />, '/stats');

  // The county inspector's own county is the scope; the prefecture is not offered.
  await shown(screen.findByText('95.3%'));
  const first = calls.find((c) => c.path === '/stats/summary')!;
  expect(first.query).toEqual({ scope: 'haibei/menyuan', from: '2026-11-01', to: '2026-11-30' });
  expectShown(screen.getByTestId('figure-goodRate'));
  expect(screen.getByTestId('figure-ratings').textContent).toContain('4512');
  expect(screen.getByTestId('figure-unratedRate').textContent).toContain('43.9%');
  expect(screen.getByTestId('figure-followUpSatisfactionRate').textContent).toContain('—');

  // Each figure says how it is computed.
  fireEvent.mouseEnter(screen.getByTestId('figure-badReplyRate'));
  await shown(screen.findByText(STAT_DEFINITIONS.badReplyRate.text));
  expect(STAT_DEFINITIONS.badReplyRate.text).toContain('回访时限（1 个工作日）内完成首次电话回访的条数 ÷ 差评数');
  // Overdue: turned overdue in the period, and overdue now.
  expect(screen.getByTestId('figure-overdue').textContent).toContain('6');
  expect(screen.getByTestId('figure-overdueNow').textContent).toContain('3');
  // The inspectors' own work: findings opened as cases and 约谈 per person.
  expect(screen.getByTestId('figure-inspectionCases').textContent).toContain('30');
  expect(screen.getByTestId('figure-interviews').textContent).toContain('7');
  expect(screen.getByTestId('figure-interviews').textContent).toContain('约谈');

  // 群众 / 企业 apart in the trend's legend.
  await waitFor(() => expect(screen.getByTestId('trend-chart').textContent).toContain('企业评价'));

  // The trend is drawn by ECharts (SVG): its axis shows the buckets.
  await waitFor(() => expect(screen.getByTestId('trend-chart').querySelector('svg')).not.toBeNull());
  await waitFor(() => expect(screen.getByTestId('trend-chart').textContent).toContain('2026-10'));

  // The ranking with its rule; a unit with too few ratings has no place.
  await shown(screen.findByText('门源县市场监督管理局'));
  expectShown(screen.getByTestId('ranking-rule'));
  expect(screen.getByTestId('ranking-rule').textContent).toContain('不少于 10 条');
  expectShown(screen.getByText('未排名'));

  fireEvent.click(screen.getByText('按月'));
  await waitFor(() => expect(lastOf(calls, '/stats/trend').query.bucket).toBe('month'));
  fireEvent.click(screen.getByText('按差评数'));
  await waitFor(() => expect(lastOf(calls, '/stats/ranking').query).toMatchObject({ by: 'bad', unit: 'department' }));
  fireEvent.click(screen.getByText('窗口'));
  await waitFor(() => expect(lastOf(calls, '/stats/ranking').query).toMatchObject({ by: 'bad', unit: 'window' }));
});

test('when the statistics cannot be loaded, then the error is shown with 重试, which asks again', async () => {
  signedIn([{ role: 'inspector', scope: 'haibei' }]);
  let fail = true;
  const calls = stubApi({
    'GET /stats/summary': () =>
      fail
        ? { status: 403, body: { error: { code: 'FORBIDDEN', message: '无权查看该范围' } } }
        : { body: summary({ goodRate: null }) },
    'GET /stats/trend': (c) => ({ body: trend(c.query) }),
    'GET /stats/ranking': () => ({
      body: {
        scope: 'haibei',
        from: '',
        to: '',
        unit: 'department',
        by: 'goodRate',
        minRatings: 10,
        total: 0,
        unranked: 0,
        items: [],
      },
    }),
  });
  renderAt('/stats', <Statistics />, '/stats');
  await shown(screen.findByText('无权查看该范围'));
  // A prefecture inspector asks for the whole prefecture (no scope: the server takes the caller's widest).
  expect(calls.find((c) => c.path === '/stats/summary')!.query.scope).toBeUndefined();
  fail = false;
  fireEvent.click(screen.getByText('重试'));
  await waitFor(() => expect(screen.getByTestId('figure-goodRate').textContent).toContain('—'));
  await shown(screen.findByText('该范围内没有可排名的单位'));
});

function lastOf(calls: Call[], path: string): Call {
  return calls.filter((c) => c.path === path).at(-1)!;
}

test('when the scope is narrowed to a window and the period set to a day, a week or a custom range, then each is what the API is asked for', async () => {
  signedIn([{ role: 'inspector', scope: 'haibei/menyuan' }]);
  const calls = stubApi({
    'GET /stats/summary': () => ({ body: summary() }),
    'GET /stats/trend': (c) => ({ body: trend(c.query) }),
    'GET /stats/ranking': () => ({
      body: {
        scope: '',
        from: '',
        to: '',
        unit: 'window',
        by: 'goodRate',
        minRatings: 10,
        total: 0,
        unranked: 0,
        items: [],
      },
    }),
    'GET /departments': listing(MENYUAN_SCJG),
    'GET /windows': () => ({
      body: {
        items: [
          {
            id: 'menyuan-scjg-w1',
            name: '登记注册窗口',
            code: 'x',
            department: { id: 'menyuan-scjg', name: '门源县市场监督管理局' },
            county: { id: 'menyuan', name: '门源' },
          },
        ],
      },
    }),
  });
  renderAt('/stats?county=menyuan&department=menyuan-scjg&from=2026-11-01&to=2026-11-30', <Statistics />, '/stats');
  await waitFor(() => expect(lastOf(calls, '/stats/summary').query.scope).toBe('haibei/menyuan/menyuan-scjg'));
  await waitFor(() =>
    expect(calls.some((c) => c.path === '/windows' && c.query.departmentId === 'menyuan-scjg')).toBe(true),
  );
  fireEvent.click(screen.getByPlaceholderText('全部窗口'));
  fireEvent.click(await screen.findByText('登记注册窗口'));
  await waitFor(() =>
    expect(lastOf(calls, '/stats/summary').query).toEqual({
      scope: 'haibei/menyuan/menyuan-scjg/menyuan-scjg-w1',
      from: '2026-11-01',
      to: '2026-11-30',
    }),
  );

  const today = new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10);
  fireEvent.click(screen.getByText('日'));
  await waitFor(() => expect(lastOf(calls, '/stats/summary').query).toMatchObject({ from: today, to: today }));
  expect(lastOf(calls, '/stats/summary').query.scope).toBe('haibei/menyuan/menyuan-scjg/menyuan-scjg-w1');

  fireEvent.click(screen.getByText('周'));
  // Monday to today (on a Monday the same as the day's).
  await waitFor(() => expect(lastOf(calls, '/stats/summary').query).toMatchObject({ from: monday(today), to: today }));

  fireEvent.click(screen.getByText('自定义'));
  expectShown(await screen.findByPlaceholderText('开始日期'));
});

/** The Monday of a day's week (YYYY-MM-DD). */
function monday(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  return new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * 86400000).toISOString().slice(0, 10);
}
