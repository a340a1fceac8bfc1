import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Entry from '../../src/pages/index/index';
import { forgetCodes } from '../../src/api/endpoints';
import { WINDOW_CODE, WINDOW_INFO, apiError, fakeApi, openWith, stubNavigation } from '../support/fake-api';
import { shown, expectShown } from '../support/shown';

beforeEach(() => forgetCodes());

describe('entry page (where a scanned code arrives)', () => {
  it('when opened by an unlimited mini-program code, then the scene is decoded, verified and the rate page opens', async () => {
    const api = fakeApi({ 'GET /v1/codes/:code': () => ({ status: 200, body: WINDOW_INFO }) });
    const nav = stubNavigation();
    openWith('/pages/index/index', { scene: encodeURIComponent(WINDOW_CODE) });

    render(<Entry />);

    await waitFor(() => expect(nav.redirectTo).toHaveBeenCalled());
    expect(api.calls[0].path).toBe(`/v1/codes/${encodeURIComponent(WINDOW_CODE)}`);
    expect(nav.redirectTo.mock.calls[0][0]).toEqual({
      url: `/pages/rate/index?code=${encodeURIComponent(WINDOW_CODE)}`,
    });
  });

  it('when opened by an ordinary-link QR code, then the code is taken from the link in q', async () => {
    const api = fakeApi({ 'GET /v1/codes/:code': () => ({ status: 200, body: WINDOW_INFO }) });
    const nav = stubNavigation();
    openWith('/pages/index/index', { q: encodeURIComponent(`https://mashang.haibei.gov.cn/c/${WINDOW_CODE}`) });

    render(<Entry />);

    await waitFor(() => expect(nav.redirectTo).toHaveBeenCalled());
    expect(api.calls.filter((c) => c.method === 'GET').map((c) => c.path)).toEqual([
      `/v1/codes/${encodeURIComponent(WINDOW_CODE)}`,
    ]);
    // The login the rating will need went out beside the lookup, not after the rate page opened.
    expect(api.to('POST', '/v1/auth/wechat')).toHaveLength(1);
  });

  it('when the code has been revoked, then a page says so and offers a complaint instead of a blank screen', async () => {
    fakeApi({ 'GET /v1/codes/:code': () => apiError(410, 'CODE_REVOKED', '该监督码已停用') });
    const nav = stubNavigation();
    openWith('/pages/index/index', { code: WINDOW_CODE });

    render(<Entry />);

    await shown(screen.findByText('此监督码已停用'));
    expectShown(screen.getByText('投诉举报', { selector: 'taro-button-core' }));
    expect(nav.redirectTo).not.toHaveBeenCalled();
  });

  it('when the code is forged (unknown to the server), then the invalid-code page is shown', async () => {
    fakeApi({ 'GET /v1/codes/:code': () => apiError(404, 'CODE_INVALID', '监督码无效') });
    stubNavigation();
    openWith('/pages/index/index', { code: WINDOW_CODE });

    render(<Entry />);

    await shown(screen.findByText('无法识别此监督码'));
  });

  it('when the code is malformed, then the invalid-code page is shown without asking the server', async () => {
    const api = fakeApi({});
    stubNavigation();
    openWith('/pages/index/index', { code: 'not a code <script>' });

    render(<Entry />);

    await shown(screen.findByText('无法识别此监督码'));
    expect(api.calls).toHaveLength(0);
  });

  it('when opened without a code, then the home page offers scanning and the other services', async () => {
    fakeApi({});
    openWith('/pages/index/index', {});

    render(<Entry />);

    await shown(screen.findByText('扫码评价'));
    expectShown(screen.getByText('查询投诉进度'));
    expectShown(screen.getByText('政商交往明白卡'));
  });

  it('when 满意度公示 is tapped on the home page, then the public page (subpackage public, no login) opens', async () => {
    fakeApi({});
    const nav = stubNavigation();
    openWith('/pages/index/index', {});
    render(<Entry />);
    fireEvent.click(await screen.findByText('满意度公示'));
    expect(nav.navigateTo).toHaveBeenCalledWith({ url: '/public/pages/satisfaction/index' });
  });
});

describe('entry page when the server fails', () => {
  it('when a crashed function answers 200 with its error object, then a retry message is shown, not a page for a blank code', async () => {
    forgetCodes();
    fakeApi({
      'GET /v1/codes/:code': () => ({
        status: 200,
        body: { errorType: 'LambdaTimeoutError', errorMessage: 'timed out' },
      }),
    });
    stubNavigation();
    openWith('/pages/index/index', { code: WINDOW_CODE });

    render(<Entry />);

    await shown(screen.findByText('服务暂时不可用，请稍后重试'));
    expect(screen.queryByText('干部访企登记（工作人员）')).toBeNull();
  });
});
