import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Invite from '../../src/pages/invite/index';
import { apiError, fakeApi, openWith, stubNavigation, WINDOW_CODE, type Reply } from '../support/fake-api';
import { expectShown, shown } from '../support/shown';

const TOKEN = 'iAbCdEfGhIj.0123456789ab';
const VIEW = {
  token: TOKEN,
  window: {
    id: 'win-1',
    name: '不动产登记窗口',
    departmentName: '门源县自然资源局',
    countyName: '门源县',
    code: WINDOW_CODE,
  },
  matter: '不动产登记',
  date: '2026-11-28',
  expired: false,
  expiresAt: '2026-12-05T02:00:00.000Z',
  optedOut: false,
  rating: null,
};
const tap = (text: string) => fireEvent.click(screen.getByText(text));

function setup(
  view: () => Reply,
  more: Record<string, (c: any) => Reply> = {},
  params: Record<string, string> = { t: TOKEN },
) {
  const api = fakeApi({ 'GET /v1/invitations/:token': view, ...more });
  const nav = stubNavigation();
  openWith('/pages/invite/index', params);
  render(<Invite />);
  return { api, nav };
}

describe('invitation page (一事一评)', () => {
  it('when opened from the SMS link, then it shows the window, the matter and the date, and the rating it sends is tied to the invitation', async () => {
    const { api, nav } = setup(() => ({ status: 200, body: VIEW }), {
      'POST /v1/ratings': (c) => ({
        status: 201,
        body: { rating: { id: 'r1', level: c.data.level, createdAt: '2026-11-28T08:00:00Z' }, caseId: null },
      }),
    });

    await shown(screen.findByText('不动产登记窗口'));
    expectShown(screen.getByText('门源县自然资源局 · 门源县'));
    expectShown(screen.getByText('办理事项：不动产登记'));
    expectShown(screen.getByText('办结日期：2026-11-28'));
    expect(api.to('GET', `/v1/invitations/${TOKEN}`)).toHaveLength(1);

    tap('非常满意');
    tap('提交评价');

    await waitFor(() => expect(nav.redirectTo).toHaveBeenCalledWith({ url: '/pages/thanks/index?level=5' }));
    const [post] = api.to('POST', '/v1/ratings');
    expect(post.data).toMatchObject({ code: WINDOW_CODE, level: 5, invitation: TOKEN, anonymous: true });
  });

  it('when the invitation was already rated, then the stored rating is shown and there is no form', async () => {
    setup(() => ({
      status: 200,
      body: {
        ...VIEW,
        rating: {
          id: 'r1',
          level: 2,
          reasons: ['排队时间长'],
          comment: '等了两个小时',
          createdAt: '2026-11-28T08:00:00Z',
        },
      },
    }));
    await shown(screen.findByText('您已评价本次办事'));
    expectShown(screen.getByText('不满意'));
    expectShown(screen.getByText('原因：排队时间长'));
    expectShown(screen.getByText('等了两个小时'));
    expect(screen.queryByText('提交评价')).toBeNull();
  });

  it('when the 7 days have passed, then it says 评价邀请已过期 and offers to rate the window anyway', async () => {
    const { nav } = setup(() => ({ status: 200, body: { ...VIEW, expired: true } }));
    await shown(screen.findByText('评价邀请已过期'));
    expect(screen.queryByText('提交评价')).toBeNull();
    tap('仍要评价该窗口');
    expect(nav.navigateTo).toHaveBeenCalledWith({ url: `/pages/rate/index?code=${encodeURIComponent(WINDOW_CODE)}` });
  });

  it('when the link was tampered with, then the page says the link is invalid', async () => {
    setup(
      () => apiError(404, 'INVITATION_INVALID', '评价链接无效，请核对短信中的链接'),
      {},
      { t: 'iAbCdEfGhIj.0123456789ac' },
    );
    await shown(screen.findByText('评价链接无效'));
    expect(screen.queryByText('提交评价')).toBeNull();
  });

  it('when the link carries no well-formed token, then nothing is asked of the API', async () => {
    const { api } = setup(() => ({ status: 200, body: VIEW }), {}, { t: 'not-a-token' });
    await shown(screen.findByText('评价链接无效'));
    expect(api.to('GET', '/v1/invitations/not-a-token')).toHaveLength(0);
  });

  it('when opened from a mini-program code, then the token comes from the scene', async () => {
    const { api } = setup(() => ({ status: 200, body: VIEW }), {}, { scene: encodeURIComponent(TOKEN) });
    await shown(screen.findByText('不动产登记窗口'));
    expect(api.to('GET', `/v1/invitations/${TOKEN}`)).toHaveLength(1);
  });

  it('when someone else rated it meanwhile, then the submit answer reloads the page and shows that rating', async () => {
    let rated = false;
    setup(
      () => ({
        status: 200,
        body: rated
          ? { ...VIEW, rating: { id: 'r9', level: 4, reasons: [], createdAt: '2026-11-28T09:00:00Z' } }
          : VIEW,
      }),
      {
        'POST /v1/ratings': () => {
          rated = true;
          return apiError(409, 'INVITATION_USED', '您已通过该邀请评价过本次办事，感谢参与');
        },
      },
    );
    await screen.findByText('不动产登记窗口');
    tap('满意');
    tap('提交评价');
    await shown(screen.findByText('您已评价本次办事'));
  });

  it('when the citizen opts out, then the opt-out is sent once and confirmed', async () => {
    const { api } = setup(() => ({ status: 200, body: VIEW }), {
      'POST /v1/invitations/:token/opt-out': () => ({ status: 200, body: { optedOut: true } }),
    });
    await screen.findByText('不动产登记窗口');
    tap('退订评价短信');
    await shown(screen.findByText('已退订：此手机号不再接收评价短信。'));
    expect(api.to('POST', `/v1/invitations/${TOKEN}/opt-out`)).toHaveLength(1);
  });
});
