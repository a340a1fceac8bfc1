import { fireEvent, render, screen } from '@testing-library/react';
import Thanks from '../../src/pages/thanks/index';
import Lists from '../../src/pages/lists/index';
import Login from '../../src/pages/login/index';
import { fakeApi, openWith, stubNavigation } from '../support/fake-api';
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
    await shown(screen.findByText('纪检监察 · 海北州（全州）'));
    expectShown(screen.getByText('进入工作台'));
    expect(api.calls[0].data).toEqual({ code: 'demo-inspector' });
  });
});
