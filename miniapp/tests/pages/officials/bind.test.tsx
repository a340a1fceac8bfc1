import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import BindOfficial from '../../../src/officials/pages/bind/index';
import OfficialsHome from '../../../src/officials/pages/home/index';
import { apiError, fakeApi, openWith, stubNavigation } from '../../support/fake-api';
import { shown } from '../../support/shown';
import { signInAs } from './builders';

const PERSON_ID = 'p01jdxk4v8q2m3n5r7t9w0y1z2a';
const STAFF = [{ role: 'window_staff', scope: 'haibei/menyuan/menyuan-zrzy/menyuan-zrzy-w01' }];

const inputs = (c: HTMLElement) =>
  waitFor(() => {
    const els = c.querySelectorAll('input');
    if (els.length < 2) throw new Error('inputs not rendered yet');
    return els;
  });
const typeInto = (el: Element, value: string) => fireEvent.input(el, { target: { value } });
const tapButton = (text: string) => {
  const el = screen.getByText(text, { selector: 'taro-button-core' });
  fireEvent.touchStart(el);
  fireEvent.touchEnd(el);
  fireEvent.click(el);
};

describe('绑定微信 (official binding page)', () => {
  it('when the binding code is not 6 digits, then the page says so and sends nothing', async () => {
    signInAs([]);
    const api = fakeApi({});
    openWith('/officials/pages/bind/index', { personId: PERSON_ID });
    const { container } = render(<BindOfficial />);
    typeInto((await inputs(container))[1], '12345');
    tapButton('确认绑定');
    await shown(screen.findByTestId('bind-error'));
    expect(screen.getByTestId('bind-error').textContent).toBe('绑定码为 6 位数字');
    expect(api.to('POST', '/v1/people/bind')).toHaveLength(0);
  });

  it('when opened from a binding link, then the code is prefilled; on success the new session and roles are shown', async () => {
    signInAs([], 'u-new');
    const api = fakeApi({
      'POST /v1/people/bind': () => ({
        status: 200,
        body: { token: 'token-staff', user: { id: 'u-new', roles: STAFF } },
      }),
    });
    const nav = stubNavigation();
    openWith('/officials/pages/bind/index', { personId: PERSON_ID, code: '654321' });
    render(<BindOfficial />);
    tapButton('确认绑定');

    await shown(screen.findByText('绑定成功'));
    expect(screen.getByText('窗口工作人员 · 门源县 · 本窗口')).toBeTruthy();
    expect(api.to('POST', '/v1/people/bind')[0].data).toMatchObject({ personId: PERSON_ID, bindingCode: '654321' });
    expect(Taro.getStorageSync('mashang.token')).toBe('token-staff');
    tapButton('进入工作台');
    expect(nav.redirectTo).toHaveBeenCalledWith({ url: '/officials/pages/home/index' });
  });

  it('when the API refuses the code, then its Chinese message is shown (a rate limit says why)', async () => {
    signInAs([]);
    let answer = apiError(400, 'BINDING_CODE_INVALID', '绑定码不正确，请核对运维人员提供的人员编号和 6 位绑定码');
    fakeApi({ 'POST /v1/people/bind': () => answer });
    openWith('/officials/pages/bind/index');
    const { container } = render(<BindOfficial />);
    const fields = await inputs(container);
    typeInto(fields[0], PERSON_ID.toUpperCase());
    typeInto(fields[1], '111111');
    tapButton('确认绑定');
    await shown(screen.findByText('绑定码不正确，请核对运维人员提供的人员编号和 6 位绑定码'));

    answer = apiError(429, 'RATE_LIMITED', '尝试次数过多，请 1 小时后再试');
    tapButton('确认绑定');
    await shown(screen.findByText('尝试次数过多，请 1 小时后再试（为防止冒用，错误次数有限制）'));
  });

  it('when a signed-in user without a role opens the workbench, then it links to the binding page', async () => {
    signInAs([]);
    fakeApi({});
    const nav = stubNavigation();
    render(<OfficialsHome />);
    fireEvent.click(await screen.findByText('绑定微信（输入绑定码）'));
    expect(nav.navigateTo).toHaveBeenCalledWith({ url: '/officials/pages/bind/index' });
  });
});
