import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import WindowRatings from '../../../src/officials/pages/window/index';
import CaseDetailPage from '../../../src/officials/pages/case/index';
import { apiError, fakeApi, openWith, stubNavigation, type Reply } from '../../support/fake-api';
import { aDetail, signInAs } from './builders';
import { expectShown, shown } from '../../support/shown';

// Issue 15 part 4: the window staff's pages — 本窗口评价, the cases of their window, 申诉.
const STAFF = [{ role: 'window_staff', scope: 'haibei/menyuan/menyuan-scjg/w1' }];
const tap = (text: string) => fireEvent.click(screen.getByText(text));

const WINDOW = {
  id: 'w1',
  name: '登记注册科',
  department: { id: 'menyuan-scjg', name: '门源县市场监督管理局' },
  county: { id: 'menyuan', name: '门源回族自治县' },
};
const rating = (n: number, extra: object = {}) => ({
  id: `r${n}`,
  level: 5,
  levelLabel: '非常满意',
  reasons: [],
  createdAt: `2026-11-2${n}T02:00:00Z`,
  caseId: null,
  excluded: false,
  ...extra,
});
const BAD = rating(1, {
  level: 1,
  levelLabel: '非常不满意',
  reasons: ['推诿扯皮'],
  comment: '材料齐全仍被要求补件',
  caseId: '20261121-ABCDEF',
  caseStatus: 'open',
  caseStatusLabel: '待处理',
});

describe('本窗口评价 (window staff)', () => {
  it('lists the ratings with level, reasons, comment, date and case state; a 差评 opens its case; more pages load', async () => {
    signInAs(STAFF);
    const nav = stubNavigation();
    const api = fakeApi({
      'GET /v1/windows/:id/ratings': (c) =>
        ({
          status: 200,
          body: c.query.cursor
            ? { window: WINDOW, items: [rating(3)] }
            : { window: WINDOW, items: [BAD, rating(2)], cursor: 'next-1' },
        }) as Reply,
    });
    openWith('/officials/pages/window/index', { id: 'w1' });
    render(<WindowRatings />);
    await shown(screen.findByText('登记注册科'));
    expectShown(screen.getByText('门源县市场监督管理局 · 门源回族自治县'));
    expectShown(screen.getByText('非常不满意'));
    expectShown(screen.getByText('原因：推诿扯皮'));
    expectShown(screen.getByText('材料齐全仍被要求补件'));
    expectShown(screen.getByText('督办件 20261121-ABCDEF'));
    expectShown(screen.getByText('待处理 ›'));
    expectShown(screen.getByText('2026-11-21 10:00'));

    fireEvent.click(screen.getByTestId('rating-r1'));
    expect((nav.navigateTo.mock.calls[0][0] as { url: string }).url).toBe(
      '/officials/pages/case/index?id=20261121-ABCDEF',
    );

    tap('加载更多');
    await shown(screen.findByText('2026-11-23 10:00'));
    expect(screen.queryByText('加载更多')).toBeNull();
    expect(api.calls.map((c) => [c.path, c.query.cursor])).toEqual([
      ['/v1/windows/w1/ratings', undefined],
      ['/v1/windows/w1/ratings', 'next-1'],
    ]);
  });

  it('without an id it reads the staff member’s own window; a failed load says so and 重试 loads again', async () => {
    signInAs(STAFF);
    let n = 0;
    const api = fakeApi({
      'GET /v1/windows/:id/ratings': () =>
        ++n === 1 ? apiError(404, 'NOT_FOUND', '窗口不存在') : { status: 200, body: { window: WINDOW, items: [] } },
    });
    openWith('/officials/pages/window/index');
    render(<WindowRatings />);
    await shown(screen.findByText('窗口不存在'));
    tap('重试');
    await shown(screen.findByText('本窗口还没有评价。'));
    expect(api.calls[0].path).toBe('/v1/windows/w1/ratings');
  });

  it('on the case of a 差评, staff file 申诉 with a reason (and cannot without one)', async () => {
    signInAs(STAFF);
    const api = fakeApi({
      'GET /v1/cases/:id': () => ({ status: 200, body: aDetail({ availableActions: ['appeal'] }) }),
      'POST /v1/cases/:id/actions': () => ({
        status: 200,
        body: {
          case: { id: 'x', status: 'appealed', version: 2 },
          entry: { action: 'appeal', at: '2026-11-26T05:00:00Z' },
        },
      }),
    });
    stubNavigation();
    openWith('/officials/pages/case/index', { id: '20261121-ABCDEF' });
    const view = render(<CaseDetailPage />);
    await screen.findByText('登记注册科 · 非常不满意');
    fireEvent.click(screen.getByText('申诉', { selector: '.action-btn' }));
    const reason = await waitFor(() => {
      const el = view.container.querySelector('textarea[placeholder="说明评价有误或恶意的理由及依据"]');
      if (!el) throw new Error('not yet');
      return el;
    });
    fireEvent.click(screen.getByText(/^提交/, { selector: 'taro-button-core' }));
    await waitFor(() => expect(view.container.querySelector('.error-text')).not.toBeNull());
    expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(0);

    fireEvent.input(reason, { target: { value: '评价人当日未到本窗口办理业务，监控可查' } });
    fireEvent.click(screen.getByText(/^提交/, { selector: 'taro-button-core' }));
    await waitFor(() => expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(1));
    expect(api.calls.find((c) => c.method === 'POST')?.data).toMatchObject({
      type: 'appeal',
      stage: 'file',
      reason: '评价人当日未到本窗口办理业务，监控可查',
    });
  });
});
