import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ReactElement } from 'react';
import Rate from '../../src/pages/rate/index';
import Complaint from '../../src/pages/complaint/index';
import Entry from '../../src/pages/index/index';
import RegisterVisit from '../../src/visits/pages/register/index';
import EnterpriseEntry from '../../src/visits/pages/enterprise/index';
import RateVisit from '../../src/visits/pages/rate/index';
import OfficialsHome from '../../src/officials/pages/home/index';
import StaffInvite from '../../src/officials/pages/invite/index';
import { forgetCodes } from '../../src/api/endpoints';
import {
  WINDOW_CODE,
  WINDOW_INFO,
  apiError,
  deferred,
  fakeApi,
  openWith,
  stubNavigation,
  type Handler,
  type Reply,
} from '../support/fake-api';
import { expectShown, shown } from '../support/shown';
import { signInAs } from './officials/builders';

const tap = (text: string) => fireEvent.click(screen.getByText(text));
const typeInto = (el: Element, value: string) => fireEvent.input(el, { target: { value } });
const textarea = (container: HTMLElement) =>
  waitFor(() => {
    const el = container.querySelector('textarea');
    if (!el) throw new Error('textarea not rendered yet');
    return el;
  });
const signedIn = () => localStorage.setItem('mashang.token', JSON.stringify({ data: 'token-1' }));

const RATED = {
  ...WINDOW_INFO,
  ratedToday: { id: 'r-today', level: 2, createdAt: '2026-11-26T01:30:00Z', caseId: '20261126-ABC123' },
};

beforeEach(() => forgetCodes());

describe('一次一评 known before the form', () => {
  it('when a signed-in citizen opens a window they rated today, then the page says so at once, offers the complaint form and links to their rating — no rating form', async () => {
    signedIn();
    const api = fakeApi({ 'GET /v1/codes/:code': () => ({ status: 200, body: RATED }) });
    const nav = stubNavigation();
    openWith('/pages/rate/index', { code: encodeURIComponent(WINDOW_CODE) });
    render(<Rate />);

    await shown(screen.findByText('您今天已评价过该窗口'));
    expectShown(screen.getByText(/您今天 09:30 的评价：不满意。每人每天对同一窗口只能评价一次/));
    expect(screen.queryByText('您对本次办事满意吗？')).toBeNull();
    expect(screen.queryByText('提交评价')).toBeNull();
    // The lookup went with the token: that is how the server knew.
    expect(api.calls[0].header.Authorization).toBe('Bearer token-1');

    tap('查看我的评价和办理结果');
    expect(nav.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/case/index?id=20261126-ABC123' });
    tap('投诉举报');
    expect(nav.navigateTo).toHaveBeenLastCalledWith({
      url: `/pages/complaint/index?code=${encodeURIComponent(WINDOW_CODE)}`,
    });
    expect(api.to('POST', '/v1/ratings')).toHaveLength(0);
  });

  it('when the page opened without a token, then it asks again once signed in and replaces the form by the notice', async () => {
    const signedLookup = deferred<Reply>();
    const api = fakeApi({
      'GET /v1/codes/:code': (c) =>
        c.header.Authorization ? signedLookup.promise : { status: 200, body: WINDOW_INFO },
    });
    stubNavigation();
    openWith('/pages/rate/index', { code: encodeURIComponent(WINDOW_CODE) });
    render(<Rate />);

    await shown(screen.findByText('您对本次办事满意吗？'));
    await waitFor(() => expect(api.calls.filter((c) => c.path.startsWith('/v1/codes/'))).toHaveLength(2));
    await act(async () => signedLookup.resolve({ status: 200, body: RATED }));
    await shown(screen.findByTestId('rated-today'));
    expect(screen.queryByText('您对本次办事满意吗？')).toBeNull();
  });

  it('when the window was not rated today, then the form stays', async () => {
    signedIn();
    fakeApi({ 'GET /v1/codes/:code': () => ({ status: 200, body: { ...WINDOW_INFO, ratedToday: null } }) });
    stubNavigation();
    openWith('/pages/rate/index', { code: encodeURIComponent(WINDOW_CODE) });
    render(<Rate />);
    await shown(screen.findByText('您对本次办事满意吗？'));
    expect(screen.queryByTestId('rated-today')).toBeNull();
  });
});

describe('text of a refused rating is carried into the complaint form', () => {
  it('when the rating is refused (already rated today), then 投诉举报 opens the complaint form holding the reasons and the comment', async () => {
    const api = fakeApi({
      'GET /v1/codes/:code': () => ({ status: 200, body: WINDOW_INFO }),
      'POST /v1/ratings': () => apiError(409, 'ALREADY_RATED_TODAY', '您今天已评价过该窗口（一次一评）'),
    });
    const nav = stubNavigation();
    openWith('/pages/rate/index', { code: encodeURIComponent(WINDOW_CODE) });
    const page = render(<Rate />);
    await screen.findByText('不动产登记窗口');
    tap('不满意');
    tap('态度生硬');
    typeInto(await textarea(page.container), '窗口人员让我第三次补交同一份材料');
    tap('提交评价');
    await shown(screen.findByText('您今天已评价过该窗口（一次一评）'));
    tap('投诉举报');
    expect(nav.navigateTo).toHaveBeenLastCalledWith({
      url: `/pages/complaint/index?code=${encodeURIComponent(WINDOW_CODE)}`,
    });
    page.unmount();

    // The complaint page that link opens.
    api.spy.mockRestore();
    const complaints = fakeApi({
      'GET /v1/codes/:code': () => ({ status: 200, body: WINDOW_INFO }),
      'POST /v1/complaints': () => ({
        status: 201,
        body: { trackingNo: 'TS20261126-0007', queryCode: 'K7P2-Q9', caseId: 'c9' },
      }),
    });
    openWith('/pages/complaint/index', { code: encodeURIComponent(WINDOW_CODE) });
    const form = render(<Complaint />);
    await shown(screen.findByTestId('carried-draft'));
    await waitFor(async () =>
      expect((await textarea(form.container)).value).toBe('态度生硬：窗口人员让我第三次补交同一份材料'),
    );
    tap('服务意识不强');
    tap('提交投诉');
    await waitFor(() => expect(complaints.to('POST', '/v1/complaints')).toHaveLength(1));
    expect(complaints.to('POST', '/v1/complaints')[0].data.content).toBe('态度生硬：窗口人员让我第三次补交同一份材料');
    // Taken once: a later complaint form starts empty.
    form.unmount();
    render(<Complaint />);
    await screen.findByText('投诉类别');
    expect(screen.queryByTestId('carried-draft')).toBeNull();
  });
});

describe('over-long text warns at the limit instead of being cut', () => {
  it('when a comment nears, reaches and passes 500 characters, then the page warns, keeps every character and refuses to send it', async () => {
    const api = fakeApi({
      'GET /v1/codes/:code': () => ({ status: 200, body: WINDOW_INFO }),
      'POST /v1/ratings': () => ({
        status: 201,
        body: { rating: { id: 'r', level: 3, createdAt: 'x' }, caseId: null },
      }),
    });
    stubNavigation();
    openWith('/pages/rate/index', { code: encodeURIComponent(WINDOW_CODE) });
    const page = render(<Rate />);
    await screen.findByText('不动产登记窗口');
    tap('基本满意');
    const box = await textarea(page.container);

    typeInto(box, '慢'.repeat(440));
    expect(screen.queryByTestId('length-warning')).toBeNull();
    typeInto(box, '慢'.repeat(460));
    await shown(screen.findByText('还可输入 40 字'));
    typeInto(box, '慢'.repeat(500));
    await shown(screen.findByText('已达 500 字上限'));
    typeInto(box, '慢'.repeat(520));
    await shown(screen.findByText('已超出 20 字，请删减后再提交'));
    // Nothing was cut: the box still holds all 520 characters and the counter says so.
    expect(box.getAttribute('maxlength')).not.toBe('500');
    expect(screen.getByTestId('comment-counter').textContent).toBe('520/500');
    tap('提交评价');
    await shown(screen.findByText('评价内容不能超过 500 字'));
    expect(api.to('POST', '/v1/ratings')).toHaveLength(0);
  });

  it('when a complaint passes 2000 characters, then it warns and is refused before sending', async () => {
    const api = fakeApi({ 'POST /v1/complaints': () => ({ status: 201, body: {} }) });
    stubNavigation();
    openWith('/pages/complaint/index');
    const page = render(<Complaint />);
    tap('服务意识不强');
    typeInto(await textarea(page.container), '长'.repeat(2010));
    await shown(screen.findByText('已超出 10 字，请删减后再提交'));
    tap('提交投诉');
    await shown(screen.findByText('投诉内容不能超过 2000 字'));
    expect(api.to('POST', '/v1/complaints')).toHaveLength(0);
  });
});

/**
 * The 重试 audit: every page that loads something shows the network failure in Chinese and a 重试 that works. (我的,
 * 办理结果, 明白卡, the officials' case list, case and window pages, the visit lists and the invitation page have theirs
 * in their own tests.)
 */
describe('every network-error screen has a 重试 that works', () => {
  const ENTERPRISE_INFO = {
    kind: 'enterprise',
    enterprise: { id: 'ent-001', name: '门源县鑫源商贸有限公司', county: { id: 'menyuan', name: '门源县' } },
  };
  const LISTS = {
    positive: { version: 'v1', items: [] },
    negative: { version: 'v1', items: [{ id: 'N1', text: '接受企业宴请' }] },
  };
  /** Fails the first call of `route` as a dropped connection, then answers `ok`. */
  const flaky = (ok: Reply): Handler => {
    let n = 0;
    return () => (++n === 1 ? 'network-error' : ok);
  };
  const cases: {
    page: string;
    open: () => ReactElement;
    routes: Record<string, Handler>;
    before?: () => void;
    then: (nav: ReturnType<typeof stubNavigation>) => Promise<unknown>;
  }[] = [
    {
      page: 'scan entry (监督码识别)',
      open: () => {
        openWith('/pages/index/index', { code: WINDOW_CODE });
        return <Entry />;
      },
      routes: { 'GET /v1/codes/:code': flaky({ status: 200, body: WINDOW_INFO }) },
      then: (nav) => waitFor(() => expect(nav.redirectTo).toHaveBeenCalled()),
    },
    {
      page: 'rate page (窗口评价)',
      open: () => {
        openWith('/pages/rate/index', { code: encodeURIComponent(WINDOW_CODE) });
        return <Rate />;
      },
      routes: { 'GET /v1/codes/:code': flaky({ status: 200, body: WINDOW_INFO }) },
      then: () => screen.findByText('您对本次办事满意吗？'),
    },
    {
      page: 'complaint negative list (负面清单)',
      open: () => {
        openWith('/pages/complaint/index');
        return <Complaint />;
      },
      routes: { 'GET /v1/lists': flaky({ status: 200, body: LISTS }) },
      before: () => tap('违反负面清单'),
      then: () => screen.findByText('接受企业宴请'),
    },
    {
      page: 'enterprise code entry (企业监督码)',
      open: () => {
        openWith('/visits/pages/enterprise/index', { code: 'eAbc123456.sig0123456789' });
        return <EnterpriseEntry />;
      },
      routes: { 'GET /v1/codes/:code': flaky({ status: 200, body: ENTERPRISE_INFO }) },
      then: () => screen.findByText('门源县鑫源商贸有限公司'),
    },
    {
      page: '访企登记',
      open: () => {
        openWith('/visits/pages/register/index', { code: 'eAbc123456.sig0123456789' });
        return <RegisterVisit />;
      },
      routes: { 'GET /v1/codes/:code': flaky({ status: 200, body: ENTERPRISE_INFO }) },
      then: () => screen.findByText('门源县鑫源商贸有限公司'),
    },
    {
      page: 'visit rating negative list',
      open: () => {
        signInAs([{ role: 'enterprise', scope: 'haibei/menyuan/ent-001' }]);
        openWith('/visits/pages/rate/index', { id: 'V01' });
        return <RateVisit />;
      },
      routes: {
        'GET /v1/visits/:id': () => ({
          status: 200,
          body: {
            visit: {
              id: 'V01',
              enterprise: { id: 'ent-001', name: '门源县鑫源商贸有限公司' },
              official: { name: '马建国' },
              department: { id: 'd', name: '门源县市场监督管理局' },
              purpose: '解难题',
              companions: [],
              visitedAt: '2026-11-30T02:00:00Z',
              createdAt: '2026-11-30T02:10:00Z',
              status: 'active',
              withdrawableUntil: '2099-11-30T03:10:00Z',
              rateBy: '2099-12-07T02:10:00Z',
            },
            canRate: true,
            canWithdraw: false,
          },
        }),
        'GET /v1/lists': flaky({ status: 200, body: LISTS }),
      },
      then: () => screen.findByText('N1 接受企业宴请'),
    },
    {
      page: 'officials home figures (工作台)',
      open: () => {
        signInAs([{ role: 'inspector', scope: 'haibei/menyuan' }]);
        openWith('/officials/pages/home/index');
        return <OfficialsHome />;
      },
      routes: {
        'GET /v1/stats/summary': flaky({
          status: 200,
          body: {
            scope: 'haibei/menyuan',
            goodRate: 85,
            badCount: 4,
            badReplyRate: 75,
            callbackRectifyRate: 50,
            callbacks: 3,
            reminderLetters: 1,
            open: 7,
            overdue: 1,
            invitations: { services: 0, sent: 0, rated: 0 },
            unratedRate: null,
          },
        }),
      },
      then: () => screen.findByText('待处理'),
    },
    {
      page: 'window staff invitations (评价邀请)',
      open: () => {
        signInAs([{ role: 'window_staff', scope: 'haibei/menyuan/d/w1' }]);
        openWith('/officials/pages/invite/index');
        return <StaffInvite />;
      },
      routes: { 'GET /v1/windows/:id/invitations': flaky({ status: 200, body: { items: [] } }) },
      then: () => screen.findByText('暂无'),
    },
  ];

  it.each(cases.map((c) => [c.page, c] as const))(
    'when %s loses the network, then it says so in Chinese and 重试 loads it',
    async (_name, c) => {
      const api = fakeApi(c.routes);
      const nav = stubNavigation();
      render(c.open());
      if (c.before) {
        await screen.findByText('违反负面清单');
        c.before();
      }
      await shown(screen.findByText(/网络不稳定，请重试/));
      const calls = api.calls.length;
      tap('重试');
      await c.then(nav);
      expect(api.calls.length).toBeGreaterThan(calls);
    },
  );
});
