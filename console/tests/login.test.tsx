import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App } from '../src/App';
import { browser } from '../src/navigate';
import { stubApi } from './fetch-stub';
import { expectShown, shown } from '../../miniapp/tests/support/shown';

const STATE = 'S7fQ2kLm9xYzA1b2C3d4E5f6';
const operator = { token: 't', user: { id: 'u1', roles: [{ role: 'operator', scope: 'haibei' }] } };

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  (globalThis as any).__MASHANG_CONFIG__ = {
    apiBase: 'http://127.0.0.1:3000',
    wechatWebAppId: 'wxd1f0c3b5a7e9240b',
    wechatQrBase: 'http://127.0.0.1:3900',
  };
  window.history.replaceState(null, '', '/');
});
afterEach(() => {
  delete (globalThis as any).__MASHANG_CONFIG__;
  jest.restoreAllMocks();
});

describe('console sign-in with WeChat QR login', () => {
  test('when 微信扫码登录 is clicked, then the API issues a state and the browser goes to the qrconnect page with the website appid, snsapi_login and that state', async () => {
    const calls = stubApi({ 'POST /auth/wechat-web/state': () => ({ status: 201, body: { state: STATE } }) });
    const assign = jest.spyOn(browser, 'assign').mockImplementation(() => undefined);
    render(<App />);

    fireEvent.click(await screen.findByRole('button', { name: '微信扫码登录' }));

    await waitFor(() => expect(assign).toHaveBeenCalledTimes(1));
    const to = new URL(assign.mock.calls[0][0]);
    expect(`${to.origin}${to.pathname}`).toBe('http://127.0.0.1:3900/connect/qrconnect');
    expect(Object.fromEntries(to.searchParams)).toEqual({
      appid: 'wxd1f0c3b5a7e9240b',
      redirect_uri: 'http://localhost/',
      response_type: 'code',
      scope: 'snsapi_login',
      state: STATE,
    });
    expect(to.hash).toBe('#wechat_redirect');
    expect(calls).toEqual([expect.objectContaining({ method: 'POST', path: '/auth/wechat-web/state' })]);
  });

  test('when WeChat sends the browser back with the code and the state this tab started, then the code and state are exchanged and the console opens', async () => {
    sessionStorage.setItem('mashang.console.qrState', STATE);
    window.history.replaceState(null, '', `/?code=wxcode123&state=${STATE}`);
    const calls = stubApi({
      'POST /auth/wechat-web': () => ({ body: operator }),
      'GET /windows': () => ({ body: { items: [] } }),
      'GET /departments': () => ({ body: { items: [] } }),
    });
    render(<App />);

    await shown(screen.findByText('运维 · 海北州（全州）', {}, { timeout: 8000 }));
    expect(calls[0]).toMatchObject({
      method: 'POST',
      path: '/auth/wechat-web',
      body: { code: 'wxcode123', state: STATE },
    });
    // The code leaves the address bar at once.
    expect(window.location.search).toBe('');
  });

  test('when a code arrives with a state this tab did not start (a planted link), then nothing is sent and the page says to scan again', async () => {
    sessionStorage.setItem('mashang.console.qrState', STATE);
    window.history.replaceState(null, '', '/?code=wxcode123&state=someoneElsesState0000');
    const calls = stubApi({});
    render(<App />);

    await shown(screen.findByText('登录状态校验失败，请重新扫码'));
    expect(calls).toEqual([]);
  });

  test('when the API refuses the WeChat account, then its Chinese message is shown on the sign-in page', async () => {
    sessionStorage.setItem('mashang.console.qrState', STATE);
    window.history.replaceState(null, '', `/?code=wxcode123&state=${STATE}`);
    stubApi({
      'POST /auth/wechat-web': () => ({
        status: 403,
        body: {
          error: {
            code: 'ACCOUNT_NOT_LINKED',
            message: '该微信账号尚未在“码上监督”小程序中登录或绑定，请先在小程序中用绑定码绑定账号后再扫码登录',
          },
        },
      }),
    });
    render(<App />);

    expectShown(await screen.findByText(/该微信账号尚未在“码上监督”小程序中登录或绑定/));
    expectShown(screen.getByRole('button', { name: '微信扫码登录' }));
  });
});
