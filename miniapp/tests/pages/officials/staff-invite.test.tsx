import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import StaffInvite from '../../../src/officials/pages/invite/index';
import { apiError, fakeApi, stubNavigation, type Reply } from '../../support/fake-api';
import { signInAs } from './builders';
import { shown } from '../../support/shown';

const STAFF = [{ role: 'window_staff', scope: 'haibei/menyuan/menyuan-zrzy/menyuan-zrzy-w01' }];
const tap = (text: string) => fireEvent.click(screen.getByText(text));
const send = () => fireEvent.click(screen.getByText(/发送评价邀请|正在发送/, { selector: 'taro-button-core' }));
const inputs = (c: HTMLElement) =>
  waitFor(() => {
    const els = c.querySelectorAll('input');
    if (els.length < 2) throw new Error('inputs not rendered yet');
    return els;
  });

function setup(onPost: (c: any) => Reply) {
  signInAs(STAFF);
  const api = fakeApi({
    'GET /v1/windows/:id/invitations': () => ({ status: 200, body: { items: [] } }),
    'POST /v1/windows/:id/invitations': onPost,
  });
  stubNavigation();
  const view = render(<StaffInvite />);
  return { api, view };
}

describe('发送评价邀请 (window staff)', () => {
  it('when the staff enter a phone and pick a matter, then one invitation is asked for their window', async () => {
    const { api, view } = setup(() => ({
      status: 201,
      body: { invitationId: 'iAbCdEfGhIj', duplicate: false, sendAfter: new Date().toISOString() },
    }));
    const phone = (await inputs(view.container))[0];
    fireEvent.input(phone, { target: { value: '13912345678' } });
    tap('社保卡补办');
    send();

    await shown(screen.findByText('已登记，评价短信即将发出'));
    const [post] = api.to('POST', '/v1/windows/menyuan-zrzy-w01/invitations');
    expect(post.data).toEqual({
      requestId: expect.stringMatching(/^[A-Za-z0-9_-]{8,64}$/),
      phone: '13912345678',
      matter: '社保卡补办',
    });
  });

  it('when the phone is not a mainland mobile, then nothing is sent and the staff are told', async () => {
    const { api, view } = setup(() => ({ status: 201, body: {} }));
    const phone = (await inputs(view.container))[0];
    fireEvent.input(phone, { target: { value: '12345' } });
    tap('医保报销');
    send();
    await shown(screen.findByText('请填写办事群众的 11 位手机号'));
    expect(api.to('POST', '/v1/windows/menyuan-zrzy-w01/invitations')).toHaveLength(0);
  });

  it('when the API refuses, then its message is shown', async () => {
    const { view } = setup(() => apiError(403, 'FORBIDDEN', '您没有权限进行此操作'));
    const phone = (await inputs(view.container))[0];
    fireEvent.input(phone, { target: { value: '13912345678' } });
    tap('不动产登记');
    send();
    await shown(screen.findByText('您没有权限进行此操作'));
  });
});
