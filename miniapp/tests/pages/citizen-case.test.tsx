import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import Mine from '../../src/pages/mine/index';
import CitizenCase from '../../src/pages/case/index';
import Rate from '../../src/pages/rate/index';
import Complaint from '../../src/pages/complaint/index';
import { forgetCodes } from '../../src/api/endpoints';
import { WINDOW_CODE, WINDOW_INFO, apiError, fakeApi, openWith, stubNavigation } from '../support/fake-api';
import { expectShown, shown } from '../support/shown';

const RESULT_TEMPLATE = 'Kf3x-case-result-template-06';

const tap = (text: string) => fireEvent.click(screen.getByText(text));

const ratings = [
  {
    id: 'r1',
    level: 1,
    reasons: ['推诿扯皮'],
    createdAt: '2026-11-20T02:00:00Z',
    window: { id: 'w1', name: '社保窗口', departmentName: '门源县人社局', countyName: '门源县' },
    caseId: 'case-1',
    caseStatus: 'closed',
  },
  {
    id: 'r2',
    level: 5,
    reasons: [],
    createdAt: '2026-11-21T02:00:00Z',
    window: { id: 'w2', name: '税务窗口', departmentName: '门源县税务局', countyName: '门源县' },
    caseId: null,
  },
];
const complaints = [
  { trackingNo: 'TS1', category: '审批不规范', createdAt: '2026-11-22T02:00:00Z', caseId: 'c2', caseStatus: 'open' },
];

const closedCase = {
  id: 'case-1',
  source: 'rating',
  status: 'closed',
  statusLabel: '已办结',
  window: { name: '社保窗口' },
  department: { name: '门源县人社局' },
  county: { name: '门源回族自治县' },
  level: 1,
  reasons: ['推诿扯皮'],
  createdAt: '2026-11-20T02:00:00Z',
  closedAt: '2026-11-25T02:00:00Z',
  outcome: '已整改',
  rectificationSummary: '已开展一次性告知培训',
  closingNote: '感谢您的监督',
  timeline: [
    { at: '2026-11-20T02:00:00Z', label: '已受理，转交相关部门办理' },
    { at: '2026-11-21T02:00:00Z', label: '工作人员已电话回访' },
    { at: '2026-11-25T02:00:00Z', label: '已办结：已整改', text: '感谢您的监督' },
  ],
  followUp: { allowed: true, done: false },
};

describe('我的: each rating and complaint with its state', () => {
  it('lists my ratings and complaints with the citizen-facing state, and a case opens its result page', async () => {
    const nav = stubNavigation();
    fakeApi({
      'GET /v1/me/ratings': () => ({ status: 200, body: { items: ratings } }),
      'GET /v1/me/complaints': () => ({ status: 200, body: { items: complaints } }),
    });
    render(<Mine />);
    await shown(screen.findByText('社保窗口'));
    expectShown(screen.getByText('税务窗口'));
    expectShown(screen.getByText('已办结 · 查看结果并追评 ›'));
    expectShown(screen.getByText('已受理 ›'));
    expectShown(screen.getByText('投诉编号 TS1 · 2026-11-22 10:00'));
    expect(screen.queryByText('追评')).toBeNull(); // asked only on the result page, after the result

    fireEvent.click(screen.getByTestId('my-case-case-1'));
    fireEvent.click(screen.getByTestId('my-case-c2'));
    expect(nav.navigateTo.mock.calls.map((c) => (c[0] as { url: string }).url)).toEqual([
      '/pages/case/index?id=case-1',
      '/pages/case/index?id=c2',
    ]);
  });

  it('when loading fails, then it says so and 重试 loads again', async () => {
    let n = 0;
    fakeApi({
      'GET /v1/me/ratings': () => (++n === 1 ? 'network-error' : { status: 200, body: { items: ratings } }),
      'GET /v1/me/complaints': () => ({ status: 200, body: { items: [] } }),
    });
    render(<Mine />);
    await shown(screen.findByText('网络不稳定，请重试'));
    tap('重试');
    await shown(screen.findByText('社保窗口'));
  });
});

describe('办理结果: shown, then asked', () => {
  it('shows the outcome, the published summary and closing note and the timeline before the 追评 form', async () => {
    openWith('/pages/case/index', { id: 'case-1' });
    fakeApi({ 'GET /v1/me/cases/:id': () => ({ status: 200, body: closedCase }) });
    render(<CitizenCase />);
    await shown(screen.findByText(/^已整改/));
    expectShown(screen.getByText('已开展一次性告知培训'));
    expect(screen.getAllByText('感谢您的监督')).toHaveLength(2); // 办结说明 and the timeline entry
    expectShown(screen.getByText('工作人员已电话回访'));
    expectShown(screen.getByText('您的评价：非常不满意（推诿扯皮）'));
    const form = screen.getByTestId('follow-up-form');
    const result = screen.getByTestId('case-result');
    // the form comes after the result in the page
    expect(result.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING).toBe(
      Node.DOCUMENT_POSITION_FOLLOWING,
    );
  });

  it('when 不满意 is sent without a reason, then it asks for one (one message) and sends nothing; with a reason it is sent as a follow_up', async () => {
    openWith('/pages/case/index', { id: 'case-1' });
    const api = fakeApi({
      'GET /v1/me/cases/:id': () => ({ status: 200, body: closedCase }),
      'POST /v1/cases/:id/actions': () => ({ status: 200, body: {} }),
    });
    render(<CitizenCase />);
    await waitFor(() => expect(screen.getByTestId('follow-up-form').querySelector('textarea')).not.toBeNull());
    tap('提交追评');
    await shown(screen.findByText('请选择对处理结果是否满意'));
    tap('不满意（重新办理）');
    expect(screen.queryByText('请选择对处理结果是否满意')).toBeNull(); // a corrected field clears its error
    tap('提交追评');
    expect(await screen.findAllByText('请说明不满意的原因')).toHaveLength(1);
    expect(api.to('POST', '/v1/cases/case-1/actions')).toHaveLength(0);

    const textarea = screen.getByTestId('follow-up-form').querySelector('textarea');
    // Taro's textarea is a web component: its inner placeholder follows the prop on the component's next render.
    await waitFor(() => expect(textarea?.getAttribute('placeholder')).toBe('请说明不满意的原因（必填）'));
    fireEvent.input(textarea!, { target: { value: '还是没有一次性告知' } });
    expect(screen.queryByText('请说明不满意的原因')).toBeNull(); // the corrected field clears its error
    tap('提交追评');
    await shown(screen.findByTestId('follow-up-done'));
    expectShown(screen.getByText('追评已提交，督办件将重新办理，办结后将再次通知您。'));
    const [action] = api.to('POST', '/v1/cases/case-1/actions');
    expect(action.data).toEqual({
      requestId: expect.any(String),
      type: 'follow_up',
      satisfied: false,
      comment: '还是没有一次性告知',
    });
  });

  it('when the case is still being handled, then no 追评 is offered; when the 追评 is refused, the server message is shown', async () => {
    openWith('/pages/case/index', { id: 'case-1' });
    fakeApi({
      'GET /v1/me/cases/:id': () => ({
        status: 200,
        body: {
          ...closedCase,
          status: 'in_progress',
          statusLabel: '办理中',
          outcome: undefined,
          closingNote: undefined,
          followUp: { allowed: false, done: false },
        },
      }),
    });
    const { unmount } = render(<CitizenCase />);
    await shown(screen.findByText('办理中'));
    expect(screen.queryByTestId('follow-up-form')).toBeNull();
    unmount();

    fakeApi({
      'GET /v1/me/cases/:id': () => ({ status: 200, body: closedCase }),
      'POST /v1/cases/:id/actions': () => apiError(409, 'ILLEGAL_TRANSITION', '您已对本次办结作出追评'),
    });
    render(<CitizenCase />);
    await screen.findByTestId('follow-up-form');
    tap('满意');
    tap('提交追评');
    await shown(screen.findByText('您已对本次办结作出追评'));
  });

  it('when the case cannot be loaded, then the message and 重试 are shown', async () => {
    openWith('/pages/case/index', { id: 'case-x' });
    let n = 0;
    fakeApi({
      'GET /v1/me/cases/:id': () =>
        ++n === 1 ? apiError(404, 'NOT_FOUND', '督办件不存在') : { status: 200, body: closedCase },
    });
    render(<CitizenCase />);
    await shown(screen.findByText('督办件不存在'));
    tap('重试');
    await waitFor(() => expectShown(screen.getByTestId('case-result')));
  });
});

describe('处理结果通知: asked for on the submit tap (weapp)', () => {
  // The pages render as in H5 (their privacy hooks need the WeChat runtime); the submit tap runs as on weapp.
  const env = process.env.TARO_ENV;
  const tapAsWeapp = (text: string) => {
    process.env.TARO_ENV = 'weapp';
    try {
      tap(text); // the dialog is asked for synchronously, in the tap itself
    } finally {
      process.env.TARO_ENV = env;
    }
  };
  beforeEach(() => forgetCodes());
  afterEach(() => {
    process.env.TARO_ENV = env;
    jest.restoreAllMocks();
  });
  const askWith = (answer: string) =>
    jest
      .spyOn(Taro, 'requestSubscribeMessage')
      .mockResolvedValue({ errMsg: 'requestSubscribeMessage:ok', [RESULT_TEMPLATE]: answer } as never);

  it('when a 差评 is submitted and the dialog is accepted, then the answer is recorded for the case it opened', async () => {
    const ask = askWith('accept');
    const api = fakeApi({
      'GET /v1/codes/:code': () => ({ status: 200, body: WINDOW_INFO }),
      'POST /v1/ratings': (c) => ({
        status: 201,
        body: { rating: { id: 'r1', level: c.data.level, createdAt: '2026-11-26T08:00:00Z' }, caseId: 'case-7' },
      }),
      'POST /v1/me/subscriptions': (c) => ({
        status: 200,
        body: { subscribed: c.data.accepted, caseId: c.data.caseId },
      }),
    });
    stubNavigation();
    openWith('/pages/rate/index', { code: encodeURIComponent(WINDOW_CODE) });
    render(<Rate />);
    await screen.findByText('不动产登记窗口');
    tap('非常不满意');
    tap('推诿扯皮');
    tapAsWeapp('提交评价');

    await waitFor(() => expect(api.to('POST', '/v1/me/subscriptions')).toHaveLength(1));
    expect(ask).toHaveBeenCalledWith({ tmplIds: [RESULT_TEMPLATE] });
    expect(api.to('POST', '/v1/me/subscriptions')[0].data).toEqual({
      requestId: expect.stringMatching(/^[A-Za-z0-9_-]{8,64}$/),
      accepted: true,
      caseId: 'case-7',
    });
  });

  it('when a good rating is submitted, then nothing is asked', async () => {
    const ask = askWith('accept');
    const api = fakeApi({
      'GET /v1/codes/:code': () => ({ status: 200, body: WINDOW_INFO }),
      'POST /v1/ratings': (c) => ({
        status: 201,
        body: { rating: { id: 'r1', level: c.data.level, createdAt: '2026-11-26T08:00:00Z' }, caseId: null },
      }),
    });
    stubNavigation();
    openWith('/pages/rate/index', { code: encodeURIComponent(WINDOW_CODE) });
    render(<Rate />);
    await screen.findByText('不动产登记窗口');
    tap('非常满意');
    tapAsWeapp('提交评价');
    await waitFor(() => expect(api.to('POST', '/v1/ratings')).toHaveLength(1));
    expect(ask).not.toHaveBeenCalled();
  });

  it('when a complaint is submitted and the dialog is declined, then accepted=false is recorded for its case', async () => {
    askWith('reject');
    // Signed in already (on weapp the sign-in would call wx.login, which jsdom has not).
    Taro.setStorageSync('mashang.token', 'token-citizen');
    Taro.setStorageSync('mashang.user', { id: 'u1', roles: [] });
    const api = fakeApi({
      'GET /v1/lists': () => ({
        status: 200,
        body: { positive: { version: 'v1', items: [] }, negative: { version: 'v1', items: [] } },
      }),
      'POST /v1/complaints': () => ({
        status: 201,
        body: { trackingNo: 'TS1', queryCode: 'K7P2-Q9', caseId: 'case-9' },
      }),
      'POST /v1/me/subscriptions': () => ({ status: 200, body: {} }),
    });
    stubNavigation();
    openWith('/pages/complaint/index');
    const view = render(<Complaint />);
    tap('其他');
    await waitFor(() => expect(view.container.querySelector('textarea')).not.toBeNull());
    fireEvent.input(view.container.querySelector('textarea')!, { target: { value: '大厅空调损坏一周无人修' } });
    tapAsWeapp('提交投诉');

    await waitFor(() => expect(api.to('POST', '/v1/me/subscriptions')).toHaveLength(1));
    expect(api.to('POST', '/v1/me/subscriptions')[0].data).toEqual({
      requestId: expect.stringMatching(/^[A-Za-z0-9_-]{8,64}$/),
      accepted: false,
      caseId: 'case-9',
    });
  });
});

describe('no dead ends', () => {
  it('when a complaint is filed from a window code, then the page names that window', async () => {
    fakeApi({ 'GET /v1/codes/:code': () => ({ status: 200, body: WINDOW_INFO }) });
    stubNavigation();
    forgetCodes();
    openWith('/pages/complaint/index', { code: encodeURIComponent(WINDOW_CODE) });
    render(<Complaint />);
    const card = await screen.findByTestId('complaint-window');
    expect(card.textContent).toContain('投诉对象');
    expect(card.textContent).toContain('不动产登记窗口');
    expect(card.textContent).toContain('门源县自然资源局');
  });
});
