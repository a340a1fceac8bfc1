import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Rate from '../../src/pages/rate/index';
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
import { shown, expectShown } from '../support/shown';

const RATINGS = '/v1/ratings';
const created = (level: number, caseId: string | null): Reply => ({
  status: 201,
  body: { rating: { id: 'r1', level, createdAt: '2026-11-26T08:00:00Z' }, caseId },
});

function setup(onRating: Handler = (c) => created(c.data.level, null)) {
  const api = fakeApi({
    'GET /v1/codes/:code': () => ({ status: 200, body: WINDOW_INFO }),
    'POST /v1/ratings': onRating,
  });
  const nav = stubNavigation();
  openWith('/pages/rate/index', { code: encodeURIComponent(WINDOW_CODE) });
  const view = render(<Rate />);
  return { api, nav, view };
}

const tap = (text: string) => fireEvent.click(screen.getByText(text));
const submitButton = () => screen.getByText(/提交评价|正在提交/, { selector: 'taro-button-core' });
const typeInto = (el: Element, value: string) => fireEvent.input(el, { target: { value } });
/** The native textarea inside taro-textarea-core, once the web component has rendered it. */
const commentBox = (container: HTMLElement) =>
  waitFor(() => {
    const el = container.querySelector('textarea');
    if (!el) throw new Error('textarea not rendered yet');
    return el;
  });

beforeEach(() => forgetCodes());

describe('rate page', () => {
  it('when opened with a window code, then it shows the window, its department and county and the five levels', async () => {
    setup();
    await shown(screen.findByText('不动产登记窗口'));
    expectShown(screen.getByText('门源县自然资源局 · 门源县'));
    for (const label of ['非常满意', '满意', '基本满意', '不满意', '非常不满意']) expectShown(screen.getByText(label));
  });

  it('when 满意 is submitted, then one anonymous rating is sent and the thank-you page opens', async () => {
    const { api, nav } = setup();
    await screen.findByText('不动产登记窗口');

    tap('满意');
    tap('提交评价');

    await waitFor(() => expect(nav.redirectTo).toHaveBeenCalledWith({ url: '/pages/thanks/index?level=4' }));
    const [post] = api.to('POST', RATINGS);
    expect(post.data).toEqual({
      requestId: expect.stringMatching(/^[A-Za-z0-9_-]{8,64}$/),
      code: WINDOW_CODE,
      level: 4,
      anonymous: true,
    });
    expect(post.header.Authorization).toBe('Bearer token-1');
  });

  it('when a 差评 has no reason, then submitting is blocked with a message and nothing is sent', async () => {
    const { api } = setup();
    await screen.findByText('不动产登记窗口');

    tap('非常不满意');
    expectShown(screen.getByText('服务态度'));
    tap('提交评价');

    await shown(screen.findByText('请至少选择一项不满意的原因'));
    expect(api.to('POST', RATINGS)).toHaveLength(0);
  });

  it('when a 差评 has a reason, then it is sent with it and the thank-you page gets the case number', async () => {
    const { api, nav } = setup((c) => created(c.data.level, 'case-20261126-0001'));
    await screen.findByText('不动产登记窗口');

    tap('不满意');
    tap('推诿扯皮');
    tap('排队时间长');
    tap('提交评价');

    await waitFor(() =>
      expect(nav.redirectTo).toHaveBeenCalledWith({ url: '/pages/thanks/index?level=2&caseId=case-20261126-0001' }),
    );
    expect(api.to('POST', RATINGS)[0].data).toMatchObject({ level: 2, reasons: ['推诿扯皮', '排队时间长'] });
  });

  it('when 其他 is chosen without a comment, then the comment is required', async () => {
    const { api, view } = setup((c) => created(c.data.level, 'case-1'));
    await screen.findByText('不动产登记窗口');

    tap('非常不满意');
    fireEvent.click(screen.getByText('其他', { selector: '.chip' }));
    tap('提交评价');
    await shown(screen.findByText('选择“其他”时，请在下方写明具体情况'));
    expect(api.to('POST', RATINGS)).toHaveLength(0);

    typeInto(await commentBox(view.container), '材料清单与窗口要求不一致');
    tap('提交评价');
    await waitFor(() => expect(api.to('POST', RATINGS)).toHaveLength(1));
    expect(api.to('POST', RATINGS)[0].data).toMatchObject({ reasons: ['其他'], comment: '材料清单与窗口要求不一致' });
  });

  it('when a comment is typed, then the counter shows its length out of 500', async () => {
    const { view } = setup();
    await screen.findByText('不动产登记窗口');
    tap('基本满意');

    expect(screen.getByTestId('comment-counter').textContent).toBe('0/500');
    typeInto(await commentBox(view.container), '办事很快，但指引牌不清楚');
    await waitFor(() => expect(screen.getByTestId('comment-counter').textContent).toBe('12/500'));
  });

  it('when the submit button is tapped twice while sending, then it is disabled and one request is sent', async () => {
    const answer = deferred<Reply>();
    const { api, nav } = setup(() => answer.promise);
    await screen.findByText('不动产登记窗口');

    tap('非常满意');
    tap('提交评价');
    await waitFor(() => expect(submitButton().textContent).toContain('正在提交'));
    expect(submitButton().hasAttribute('disabled') || (submitButton() as any).disabled).toBe(true);
    fireEvent.click(submitButton());
    fireEvent.click(submitButton());

    await act(async () => answer.resolve(created(5, null)));
    await waitFor(() => expect(nav.redirectTo).toHaveBeenCalledTimes(1));
    expect(api.to('POST', RATINGS)).toHaveLength(1);
  });

  it('when the network drops, then it says so in Chinese and the retry reuses the same requestId', async () => {
    let attempt = 0;
    const { api, nav } = setup((c) => (++attempt === 1 ? 'network-error' : created(c.data.level, null)));
    await screen.findByText('不动产登记窗口');

    tap('满意');
    tap('提交评价');
    await shown(screen.findByText('网络不稳定，请重试'));
    tap('提交评价');

    await waitFor(() => expect(nav.redirectTo).toHaveBeenCalled());
    const posts = api.to('POST', RATINGS);
    expect(posts).toHaveLength(2);
    expect(posts[1].data.requestId).toBe(posts[0].data.requestId);
  });

  it('when the window was already rated today, then the server message is shown with the offer of a follow-up', async () => {
    setup(() => apiError(409, 'ALREADY_RATED_TODAY', '您今天已经评价过这个窗口了'));
    await screen.findByText('不动产登记窗口');

    tap('满意');
    tap('提交评价');

    await shown(screen.findByText('您今天已经评价过这个窗口了'));
    expectShown(screen.getByText('查看我的评价并追评'));
  });

  it('when the server rejects the input, then its Chinese message is shown', async () => {
    setup(() => apiError(400, 'VALIDATION_FAILED', '评价内容包含不当信息，请修改后再提交'));
    await screen.findByText('不动产登记窗口');

    tap('满意');
    tap('提交评价');

    await shown(screen.findByText('评价内容包含不当信息，请修改后再提交'));
  });

  it('when a phone is offered, then privacy consent comes first, and the phone is sent instead of anonymity', async () => {
    const { api, view } = setup((c) => created(c.data.level, 'case-2'));
    await screen.findByText('不动产登记窗口');

    tap('不满意');
    tap('态度生硬');
    expectShown(screen.getByText(/不留手机号即为匿名评价，无法回访您/));
    tap('填写手机号');
    await shown(screen.findByTestId('privacy-popup'));
    tap('同意并继续');

    const phone = await waitFor(() => {
      const el = view.container.querySelector('input');
      expect(el).not.toBeNull();
      return el as HTMLInputElement;
    });
    typeInto(phone, '1380013');
    tap('提交评价');
    await shown(screen.findByText('手机号格式不正确，请填写 11 位手机号'));

    typeInto(phone, '13800138000');
    tap('提交评价');
    await waitFor(() => expect(api.to('POST', RATINGS)).toHaveLength(1));
    expect(api.to('POST', RATINGS)[0].data).toMatchObject({ phone: '13800138000', callbackBy: 'department' });
    expect(api.to('POST', RATINGS)[0].data.anonymous).toBeUndefined();
  });

  it('when the rater chooses 仅纪检监察, then only the inspectors may call back and the request says so', async () => {
    const { api, view } = setup((c) => created(c.data.level, 'case-3'));
    await screen.findByText('不动产登记窗口');
    tap('不满意');
    tap('态度生硬');
    tap('填写手机号');
    tap(await screen.findByText('同意并继续').then(() => '同意并继续'));
    const phone = await waitFor(() => {
      const el = view.container.querySelector('input');
      expect(el).toBeTruthy();
      return el as HTMLInputElement;
    });
    typeInto(phone, '13800138000');
    expect(screen.getByTestId('callback-by').textContent).toContain('责任部门');
    tap('仅纪检监察');
    expectShown(screen.getByText(/只有纪检监察可以查看号码回访您/));
    tap('提交评价');
    await waitFor(() => expect(api.to('POST', RATINGS)).toHaveLength(1));
    expect(api.to('POST', RATINGS)[0].data).toMatchObject({ phone: '13800138000', callbackBy: 'inspectors' });
  });

  it('when the token has expired, then it logs in again and retries once without the user noticing', async () => {
    localStorage.setItem('mashang.token', JSON.stringify({ data: 'old-token' }));
    let seen = 0;
    const { api, nav } = setup((c) =>
      c.header.Authorization === 'Bearer old-token' && ++seen
        ? apiError(401, 'UNAUTHENTICATED', '请先登录')
        : created(4, null),
    );
    await screen.findByText('不动产登记窗口');

    tap('满意');
    tap('提交评价');

    await waitFor(() => expect(nav.redirectTo).toHaveBeenCalled());
    const posts = api.to('POST', RATINGS);
    expect(posts.map((p) => p.header.Authorization)).toEqual(['Bearer old-token', 'Bearer token-1']);
    expect(posts[1].data.requestId).toBe(posts[0].data.requestId);
    expect(api.to('POST', '/v1/auth/wechat')).toHaveLength(1);
  });

  it('when opened without a token, then the login runs beside the code lookup, and the rating needs no login after it', async () => {
    const lookup = deferred<Reply>();
    const api = fakeApi({
      'GET /v1/codes/:code': () => lookup.promise,
      'POST /v1/ratings': (c) => created(c.data.level, null),
    });
    const nav = stubNavigation();
    openWith('/pages/rate/index', { code: encodeURIComponent(WINDOW_CODE) });
    render(<Rate />);

    // Both requests are out before the code lookup has answered: one round trip in sequence, not two.
    await waitFor(() => expect(api.to('POST', '/v1/auth/wechat')).toHaveLength(1));
    expect(api.to('GET', `/v1/codes/${encodeURIComponent(WINDOW_CODE)}`)).toHaveLength(1);
    await act(async () => lookup.resolve({ status: 200, body: WINDOW_INFO }));
    await screen.findByText('不动产登记窗口');

    tap('满意');
    tap('提交评价');

    await waitFor(() => expect(nav.redirectTo).toHaveBeenCalled());
    expect(api.calls.map((c) => `${c.method} ${c.path}`).slice(-1)).toEqual(['POST /v1/ratings']);
    expect(api.to('POST', '/v1/auth/wechat')).toHaveLength(1);
    expect(api.to('POST', RATINGS)[0].header.Authorization).toBe('Bearer token-1');
  });
});
