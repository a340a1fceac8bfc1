import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Satisfaction from '../../src/public/pages/satisfaction/index';
import { fakeApi } from '../support/fake-api';
import { expectShown, shown } from '../support/shown';

const thisMonth = () => new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 7);
const answer = (month: string, departments: unknown[]) => ({
  status: 200,
  body: {
    month,
    minRatings: 10,
    generatedAt: '2026-12-01T02:00:00Z',
    prefecture: { ratings: departments.length ? 4512 : 0, goodRate: departments.length ? 95.3 : null },
    listed: departments.length,
    unlisted: 3,
    departments,
  },
});

describe('满意度公示 page (public)', () => {
  it('when opened without login, then it shows this month’s departments by 好评率 and the listing rule; 上个月 asks for the month before', async () => {
    const { calls } = fakeApi({
      'GET /v1/public/satisfaction': (c) =>
        c.query.month === thisMonth()
          ? answer(c.query.month, [
              {
                rank: 1,
                id: 'menyuan-scjg',
                name: '门源县市场监督管理局',
                county: '门源回族自治县',
                ratings: 120,
                goodRate: 98.3,
              },
              { rank: 2, id: 'zhou-sw', name: '海北州税务局', county: '州本级', ratings: 40, goodRate: 92.5 },
            ])
          : answer(c.query.month, []),
    });
    render(<Satisfaction />);
    await shown(screen.findByText('1. 门源县市场监督管理局（门源回族自治县）'));
    expectShown(screen.getByText('好评率 98.3% · 120 条'));
    expectShown(screen.getByText(/当月评价不少于 10 条的部门参与公示/));
    // No login: no token is sent and no login is asked for.
    expect(calls.some((c) => c.path === '/v1/auth/wechat')).toBe(false);
    const header = calls.find((c) => c.path === '/v1/public/satisfaction')!.header;
    expect(Object.keys(header).map((k) => k.toLowerCase())).not.toContain('authorization');

    fireEvent.click(screen.getByText('上个月'));
    await shown(screen.findByTestId('empty'));
    expectShown(screen.getByText('本月暂无评价数量达到公示条件的部门'));
    await waitFor(() => expect(calls.filter((c) => c.path === '/v1/public/satisfaction')).toHaveLength(2));
    expect(calls.filter((c) => c.path === '/v1/public/satisfaction')[1].query.month).not.toBe(thisMonth());
  });

  it('when the answer fails, then the error is shown with a retry', async () => {
    let fail = true;
    fakeApi({
      'GET /v1/public/satisfaction': (c) =>
        fail
          ? { status: 429, body: { error: { code: 'RATE_LIMITED', message: '操作过于频繁，请稍后再试' } } }
          : answer(c.query.month, []),
    });
    render(<Satisfaction />);
    await shown(screen.findByText('操作过于频繁，请稍后再试'));
    fail = false;
    fireEvent.click(screen.getByText('重试'));
    await shown(screen.findByTestId('empty'));
  });
});
