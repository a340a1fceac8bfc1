import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { shanghaiDate } from '@mashang/shared';
import OfficialsStats from '../../../src/officials/pages/stats/index';
import { fakeApi, openWith, stubNavigation } from '../../support/fake-api';
import { signInAs } from './builders';
import { expectShown, shown } from '../../support/shown';

const PREFECTURE_INSPECTOR = [{ role: 'inspector', scope: 'haibei' }];

const summary = (q: Record<string, string>) => ({
  scope: q.scope ?? 'haibei',
  from: q.from,
  to: q.to,
  ratings: { total: q.scope ? 12 : 40, byLevel: {} },
  goodRate: 85,
  badCount: 3,
  cases: { opened: 4, complaints: 1, inspections: 1, replied: 3, rectified: 2, closed: 2, overdue: 0 },
  badReplyRate: 75,
  callbackRectifyRate: 50,
  followUpSatisfactionRate: null,
  callbacks: 3,
  reminderLetters: 1,
  talks: 0,
  interviews: 2,
  appealsUpheld: 0,
  open: 2,
  overdue: 1,
  invitations: { services: 0, sent: 0, delivered: 0, failed: 0, skipped: 0, rated: 0, expiredUnrated: 0 },
  unratedRate: null,
});
const trend = (q: Record<string, string>) => ({
  scope: q.scope ?? 'haibei',
  from: q.from,
  to: q.to,
  bucket: q.bucket,
  points: [
    // prettier-ignore
    { key: q.from, ratings: 10, citizen: 8, enterprise: 2, good: 8, bad: 2, goodRate: 80, cases: 2, closed: 1, overdue: 0, visits: 0 },
    // prettier-ignore
    { key: q.to, ratings: 5, citizen: 5, enterprise: 0, good: 5, bad: 0, goodRate: 100, cases: 0, closed: 0, overdue: 0, visits: 0 },
  ],
});

describe('officials statistics (subpackage officials)', () => {
  it('when a prefecture inspector picks a county, a department and a period, then the figures and the compact trend are asked for that scope and period', async () => {
    signInAs(PREFECTURE_INSPECTOR);
    const api = fakeApi({
      'GET /v1/stats/summary': (c) => ({ status: 200, body: summary(c.query) }),
      'GET /v1/stats/trend': (c) => ({ status: 200, body: trend(c.query) }),
      'GET /v1/departments': () => ({
        status: 200,
        body: { items: [{ id: 'menyuan-scjg', name: '门源县市场监督管理局', path: 'haibei/menyuan/menyuan-scjg' }] },
      }),
    });
    stubNavigation();
    openWith('/officials/pages/stats/index', {});
    render(<OfficialsStats />);

    // This month of the whole prefecture first.
    await shown(screen.findByText('40'));
    const today = shanghaiDate(new Date());
    expect(api.to('GET', '/v1/stats/summary')[0].query).toEqual({ from: `${today.slice(0, 8)}01`, to: today });
    expect(api.to('GET', '/v1/stats/trend')[0].query).toMatchObject({ bucket: 'day' });
    expectShown(screen.getByText('约谈'));
    expect(screen.getAllByTestId('trend-bar')).toHaveLength(2);

    fireEvent.click(screen.getByText('门源县'));
    await waitFor(() => expect(api.to('GET', '/v1/stats/summary').at(-1)!.query.scope).toBe('haibei/menyuan'));
    fireEvent.click(await screen.findByText('门源县市场监督管理局'));
    await waitFor(() =>
      expect(api.to('GET', '/v1/stats/summary').at(-1)!.query.scope).toBe('haibei/menyuan/menyuan-scjg'),
    );

    fireEvent.click(screen.getByText('近一年'));
    await waitFor(() => expect(api.to('GET', '/v1/stats/trend').at(-1)!.query.bucket).toBe('month'));
    const year = api.to('GET', '/v1/stats/trend').at(-1)!.query;
    expect(year).toMatchObject({ scope: 'haibei/menyuan/menyuan-scjg', to: today });
    expect(year.from.endsWith('-01')).toBe(true);
    expect(Date.parse(today) - Date.parse(year.from)).toBeLessThanOrEqual(366 * 86400000);

    fireEvent.click(screen.getByText('今日'));
    await waitFor(() =>
      expect(api.to('GET', '/v1/stats/summary').at(-1)!.query).toMatchObject({ from: today, to: today }),
    );
    await shown(screen.findByText(today, { selector: '.section-title' }));
  });
});
