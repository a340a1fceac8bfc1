import { fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import CaseList from '../../../src/officials/pages/cases/index';
import OfficialsHome from '../../../src/officials/pages/home/index';
import FailedAlerts from '../../../src/officials/pages/alerts/index';
import { apiError, fakeApi, openWith, stubNavigation } from '../../support/fake-api';
import { COUNTY_INSPECTOR, HANDLER, aCase, signInAs } from './builders';
import { shown, expectShown } from '../../support/shown';

const tap = (text: string) => fireEvent.click(screen.getByText(text));

const STATS = {
  scope: 'haibei/menyuan',
  from: '2026-11-01',
  to: '2026-11-26',
  ratings: { total: 40, byLevel: { 5: 30, 4: 4, 3: 2, 2: 3, 1: 1 } },
  goodRate: 85,
  badCount: 4,
  cases: { opened: 4, complaints: 1, replied: 3, rectified: 2, closed: 2 },
  badReplyRate: 75,
  callbackRectifyRate: 50,
  followUpSatisfactionRate: null,
  callbacks: 3,
  reminderLetters: 1,
  talks: 0,
  appealsUpheld: 0,
  open: 2,
  overdue: 1,
  invitations: { services: 48, sent: 40, delivered: 37, failed: 2, skipped: 6, rated: 21, expiredUnrated: 12 },
  unratedRate: 30,
};

describe('officials case list', () => {
  it('when opened on the 已逾期 tab, then it asks for overdue cases and shows each with its place, summary and late deadline', async () => {
    signInAs(COUNTY_INSPECTOR);
    const late = aCase({ callbackDueAt: '2026-11-20T10:00:00Z', overdueStrikes: 1 });
    const api = fakeApi({ 'GET /v1/cases': () => ({ status: 200, body: { items: [late] } }) });
    const nav = stubNavigation();
    openWith('/officials/pages/cases/index', { status: 'overdue' });
    render(<CaseList />);

    await shown(screen.findByText('登记注册科 · 非常不满意'));
    // Two lines: number, window and level; the short summary and the deadline.
    expectShown(screen.getByText(late.id));
    expectShown(screen.getByText('非常不满意：推诿扯皮。材料齐全仍被要求补件'));
    expect(screen.getByText(/^回访期限 2026-11-20/).className).toContain('late');
    expectShown(screen.getByText(/逾期 1 次/));
    expect(api.to('GET', '/v1/cases')[0].query).toEqual({ status: 'overdue' });

    tap('登记注册科 · 非常不满意');
    expect(nav.navigateTo).toHaveBeenCalledWith({ url: `/officials/pages/case/index?id=${late.id}` });
  });

  it('when another tab is chosen, then that status is loaded; 加载更多 sends the cursor and appends the next page', async () => {
    signInAs(HANDLER);
    const first = aCase({ summary: '第一页的督办件' });
    const second = aCase({ summary: '第二页的督办件' });
    const closed = aCase({
      status: 'closed',
      statusLabel: '已办结',
      summary: '已办结的督办件',
      outcome: '已整改',
      closedAt: '2026-11-26T08:00:00Z',
    });
    const api = fakeApi({
      'GET /v1/cases': (c) => {
        if (c.query.status === 'closed') return { status: 200, body: { items: [closed] } };
        return c.query.cursor === 'next-1'
          ? { status: 200, body: { items: [second] } }
          : { status: 200, body: { items: [first], cursor: 'next-1' } };
      },
    });
    openWith('/officials/pages/cases/index');
    render(<CaseList />);

    await shown(screen.findByText('第一页的督办件'));
    tap('加载更多');
    await shown(screen.findByText('第二页的督办件'));
    expectShown(screen.getByText('第一页的督办件'));
    expect(api.to('GET', '/v1/cases')[1].query).toEqual({ status: 'open', cursor: 'next-1' });
    expect(screen.queryByText('加载更多')).toBeNull();

    tap('已办结');
    await shown(screen.findByText('已办结的督办件'));
    expect(screen.queryByText('第一页的督办件')).toBeNull();
    expectShown(screen.getByText(/办结于 .* · 已整改/));
    expect(api.to('GET', '/v1/cases')[2].query).toEqual({ status: 'closed' });
  });

  it('when a tab has no cases, then it says so', async () => {
    signInAs(HANDLER);
    fakeApi({ 'GET /v1/cases': () => ({ status: 200, body: { items: [] } }) });
    openWith('/officials/pages/cases/index', { status: 'closed' });
    render(<CaseList />);
    await shown(screen.findByText('没有已办结的督办件。'));
  });

  it('when the server refuses, then its Chinese message is shown with a retry', async () => {
    signInAs(HANDLER);
    let calls = 0;
    fakeApi({
      'GET /v1/cases': () =>
        ++calls === 1
          ? apiError(403, 'FORBIDDEN', '您无权查看该范围的督办件')
          : { status: 200, body: { items: [aCase({ summary: '重试后看到的' })] } },
    });
    openWith('/officials/pages/cases/index');
    render(<CaseList />);
    await shown(screen.findByText('您无权查看该范围的督办件'));
    tap('重试');
    await shown(screen.findByText('重试后看到的'));
  });
});

describe('officials home', () => {
  it('when signed in as a county inspector, then it shows the role and scope, the month figures and the way to failed alerts', async () => {
    signInAs(COUNTY_INSPECTOR);
    const api = fakeApi({ 'GET /v1/stats/summary': () => ({ status: 200, body: STATS }) });
    const nav = stubNavigation();
    render(<OfficialsHome />);

    expectShown(screen.getByText('纪检监察 · 门源县'));
    await shown(screen.findByText('85%'));
    const stats = screen.getByTestId('stats');
    expect(stats.textContent).toContain('待处理');
    expect(stats.textContent).toContain('本月差评');
    expect(stats.textContent).toContain('2026-11-01 至 2026-11-26');
    // 一事一评: invitations sent and the 未评率 (expired unrated / sent).
    expect(stats.textContent).toContain('40评价短信');
    expect(stats.textContent).toContain('30%未评率');
    expect(api.to('GET', '/v1/stats/summary')).toHaveLength(1);

    tap('已逾期督办件');
    expect(nav.navigateTo).toHaveBeenCalledWith({ url: '/officials/pages/cases/index?status=overdue' });
    tap('发送失败的提醒');
    expect(nav.navigateTo).toHaveBeenCalledWith({ url: '/officials/pages/alerts/index' });
  });

  it('when signed in as a department handler, then there is no failed-alerts link (inspectors only)', async () => {
    signInAs(HANDLER);
    fakeApi({ 'GET /v1/stats/summary': () => ({ status: 200, body: STATS }) });
    render(<OfficialsHome />);
    expectShown(screen.getByText('部门负责人 · 门源县 · 本单位'));
    await screen.findByText('85%');
    expect(screen.queryByText('发送失败的提醒')).toBeNull();
  });

  it('when not signed in as an official, then it sends the user to sign in', async () => {
    fakeApi({});
    const nav = stubNavigation();
    render(<OfficialsHome />);
    await shown(screen.findByText('工作台仅供工作人员使用'));
    tap('去登录');
    expect(nav.redirectTo).toHaveBeenCalledWith({ url: '/pages/login/index' });
  });

  it('in H5, when the official agrees to alerts, then it says they come by SMS and records the consent', async () => {
    signInAs(HANDLER);
    const api = fakeApi({
      'GET /v1/stats/summary': () => ({ status: 200, body: STATS }),
      'POST /v1/me/subscriptions': (c) => ({ status: 200, body: { subscribed: c.data.accepted } }),
    });
    render(<OfficialsHome />);
    expectShown(screen.getByText(/网页版无法接收微信订阅消息，督办提醒将以短信发送/));

    tap('同意接收督办提醒');
    await shown(screen.findByText('已开启督办提醒。'));
    expect(api.to('POST', '/v1/me/subscriptions')[0].data).toEqual({
      requestId: expect.stringMatching(/^[A-Za-z0-9_-]{8,64}$/),
      accepted: true,
    });

    tap('暂不接收');
    await shown(screen.findByText('已登记不接收微信提醒，督办提醒将以短信发送。'));
    expect(api.to('POST', '/v1/me/subscriptions')[1].data).toEqual({
      requestId: expect.stringMatching(/^[A-Za-z0-9_-]{8,64}$/),
      accepted: false,
    });
  });
});

describe('officials home in WeChat', () => {
  const env = process.env.TARO_ENV;
  beforeEach(() => {
    process.env.TARO_ENV = 'weapp';
  });
  afterEach(() => {
    process.env.TARO_ENV = env;
  });

  it.each([
    ['accept', true, '已开启督办提醒。'],
    ['reject', false, '已登记不接收微信提醒，督办提醒将以短信发送。'],
  ])(
    'when the subscribe dialog answers %s, then the case-alert template was asked for and accepted=%s is recorded',
    async (answer, accepted, notice) => {
      signInAs(HANDLER);
      const api = fakeApi({
        'GET /v1/stats/summary': () => ({ status: 200, body: STATS }),
        'POST /v1/me/subscriptions': (c) => ({ status: 200, body: { subscribed: c.data.accepted } }),
      });
      const ask = jest
        .spyOn(Taro, 'requestSubscribeMessage')
        .mockResolvedValue({ errMsg: 'requestSubscribeMessage:ok', 'Kf3x-case-alert-template-0001': answer } as never);
      render(<OfficialsHome />);
      expectShown(screen.getByText(/通过微信订阅消息提醒您/));

      tap('订阅督办提醒');
      await shown(screen.findByText(notice));
      expect(ask).toHaveBeenCalledWith({ tmplIds: ['Kf3x-case-alert-template-0001'] });
      expect(api.to('POST', '/v1/me/subscriptions')[0].data).toEqual({
        requestId: expect.stringMatching(/^[A-Za-z0-9_-]{8,64}$/),
        accepted,
      });
    },
  );
});

describe('failed alerts (inspectors)', () => {
  it('lists each undelivered alert with its case, attempts and last error, and opens the case on tap', async () => {
    signInAs(COUNTY_INSPECTOR);
    fakeApi({
      'GET /v1/alerts/failed': () => ({
        status: 200,
        body: {
          items: [
            {
              caseId: '20261126-ABC123',
              event: 'opened',
              recipientRole: 'handler',
              recipient: '138****8000',
              attempts: 5,
              lastError: '短信通道超时',
              updatedAt: '2026-11-26T03:00:00Z',
            },
          ],
        },
      }),
    });
    const nav = stubNavigation();
    render(<FailedAlerts />);
    await shown(screen.findByText('新督办件 → 部门负责人 138****8000'));
    expectShown(screen.getByText(/督办件 20261126-ABC123 · 已尝试 5 次/));
    expectShown(screen.getByText('短信通道超时'));
    tap('新督办件 → 部门负责人 138****8000');
    expect(nav.navigateTo).toHaveBeenCalledWith({ url: '/officials/pages/case/index?id=20261126-ABC123' });
  });

  it('when there are none, then it says so', async () => {
    signInAs(COUNTY_INSPECTOR);
    fakeApi({ 'GET /v1/alerts/failed': () => ({ status: 200, body: { items: [] } }) });
    render(<FailedAlerts />);
    await shown(screen.findByText('没有发送失败的提醒。'));
  });
});
