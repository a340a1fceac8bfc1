import { fireEvent, render, screen } from '@testing-library/react';
import Thanks from '../../src/pages/thanks/index';
import Lists from '../../src/pages/lists/index';
import Mine from '../../src/pages/mine/index';
import Login from '../../src/pages/login/index';
import { apiError, fakeApi, openWith, stubNavigation } from '../support/fake-api';
import { shown, expectShown } from '../support/shown';

const tap = (text: string) => fireEvent.click(screen.getByText(text));

describe('thank-you page', () => {
  it('when the rating was a 差评, then it shows the case number and the 1-working-day callback promise', async () => {
    openWith('/pages/thanks/index', { level: '1', caseId: 'case-20261126-0001' });
    render(<Thanks />);
    await shown(screen.findByText('case-20261126-0001'));
    expectShown(screen.getByText(/1个工作日内回访/));
    expectShown(screen.getByText('您的评价：非常不满意'));
  });

  it('when the rating was good, then no case is mentioned', async () => {
    openWith('/pages/thanks/index', { level: '5' });
    render(<Thanks />);
    await shown(screen.findByText('您的评价：非常满意'));
    expect(screen.queryByTestId('case-info')).toBeNull();
  });
});

describe('明白卡 page', () => {
  it('shows both lists with their versions', async () => {
    fakeApi({
      'GET /v1/lists': () => ({
        status: 200,
        body: {
          positive: { version: '2026版', items: [{ id: 'P1', text: '主动靠前服务企业' }] },
          negative: { version: '2026版', items: [{ id: 'N1', text: '不得接受企业宴请' }] },
        },
      }),
    });
    render(<Lists />);
    await shown(screen.findByText('1. 主动靠前服务企业'));
    expectShown(screen.getByText('1. 不得接受企业宴请'));
    expect(screen.getAllByText(/版本 2026版/)).toHaveLength(2);
  });

  it('when the network fails, then it says so and retries on request', async () => {
    let n = 0;
    fakeApi({
      'GET /v1/lists': () =>
        ++n === 1
          ? 'network-error'
          : {
              status: 200,
              body: {
                positive: { version: 'v1', items: [] },
                negative: { version: 'v1', items: [{ id: 'N1', text: '不得吃拿卡要' }] },
              },
            },
    });
    render(<Lists />);
    await shown(screen.findByText('网络不稳定，请重试'));
    tap('重试');
    await shown(screen.findByText('1. 不得吃拿卡要'));
  });
});

describe('mine page', () => {
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

  it('lists my ratings and complaints with the state of each case', async () => {
    fakeApi({
      'GET /v1/me/ratings': () => ({ status: 200, body: { items: ratings } }),
      'GET /v1/me/complaints': () => ({ status: 200, body: { items: complaints } }),
    });
    render(<Mine />);
    await shown(screen.findByText('社保窗口'));
    expectShown(screen.getByText('税务窗口'));
    expectShown(screen.getByText('已办结'));
    expectShown(screen.getByText('待处理'));
    expectShown(screen.getByText('审批不规范'));
  });

  it('when a case is closed, then 追评 is offered and sent as a follow_up action with its own requestId', async () => {
    const api = fakeApi({
      'GET /v1/me/ratings': () => ({ status: 200, body: { items: ratings } }),
      'GET /v1/me/complaints': () => ({ status: 200, body: { items: [] } }),
      'POST /v1/cases/:id/actions': () => ({ status: 201, body: {} }),
    });
    render(<Mine />);
    await screen.findByText('社保窗口');
    expect(screen.getAllByText('追评')).toHaveLength(1); // only the closed case

    tap('追评');
    tap('提交追评');
    await shown(screen.findByText('请选择对处理结果是否满意'));
    tap('不满意（重新办理）');
    tap('提交追评');

    await shown(screen.findByText('追评已提交，督办件将重新办理。'));
    const [action] = api.to('POST', '/v1/cases/case-1/actions');
    expect(action.data).toEqual({ requestId: expect.any(String), type: 'follow_up', satisfied: false });
  });

  it('when the follow-up is refused, then the server message is shown', async () => {
    fakeApi({
      'GET /v1/me/ratings': () => ({ status: 200, body: { items: ratings } }),
      'GET /v1/me/complaints': () => ({ status: 200, body: { items: [] } }),
      'POST /v1/cases/:id/actions': () => apiError(409, 'ILLEGAL_TRANSITION', '该督办件已追评过'),
    });
    render(<Mine />);
    await screen.findByText('社保窗口');
    tap('追评');
    tap('满意');
    tap('提交追评');
    await shown(screen.findByText('该督办件已追评过'));
  });
});

describe('sign-in page (H5)', () => {
  it('when a demo code is chosen, then it signs in with it and shows the roles and the way to the officials pages', async () => {
    const api = fakeApi({
      'POST /v1/auth/wechat': (c) => ({
        status: 200,
        body: { token: `t-${c.data.code}`, user: { id: 'u-insp', roles: [{ role: 'inspector', scope: 'haibei' }] } },
      }),
    });
    stubNavigation();
    render(<Login />);
    tap('demo-inspector');
    await shown(screen.findByText('纪检监察（haibei）'));
    expectShown(screen.getByText('进入工作台'));
    expect(api.calls[0].data).toEqual({ code: 'demo-inspector' });
  });
});
