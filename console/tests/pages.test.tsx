import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App } from '../src/App';
import { Windows } from '../src/pages/Windows';
import { WindowDetail } from '../src/pages/WindowDetail';
import { Audit } from '../src/pages/Audit';
import { listing, MENYUAN_SCJG, signedIn, stubApi } from './fetch-stub';
import { renderAt } from './render';
// One helper for both front ends' page tests: the element was found and is shown.
import { expectShown, shown } from '../../miniapp/tests/support/shown';

const aWindow = (i: number, extra: Record<string, unknown> = {}) => ({
  id: `menyuan-scjg-w${i}`,
  name: `登记注册科${i}`,
  code: `wABCDEFG${i}.signature000`,
  department: { id: 'menyuan-scjg', name: '门源县市场监督管理局' },
  county: { id: 'menyuan', name: '门源回族自治县' },
  kind: '审批科室',
  status: 'active',
  ...extra,
});

beforeEach(() => localStorage.clear());

describe('console pages', () => {
  test('when an operator signs in with a stand-in code, then the console opens on the windows page with their role', async () => {
    const calls = stubApi({
      'POST /auth/wechat': () => ({
        body: { token: 't', user: { id: 'u1', roles: [{ role: 'operator', scope: 'haibei' }] } },
      }),
      'GET /windows': () => ({ body: { items: [aWindow(1)] } }),
      'GET /departments': () => ({ body: { items: [] } }),
    });
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: '登录' }));
    await shown(screen.findByText('登记注册科1', {}, { timeout: 8000 }));
    expectShown(screen.getByText('运维 · 海北州（全州）'));
    expect(calls[0]).toMatchObject({ method: 'POST', path: '/auth/wechat', body: { code: 'demo-operator' } });
  });

  test('when a citizen code signs in, then the console refuses with a Chinese message', async () => {
    stubApi({ 'POST /auth/wechat': () => ({ body: { token: 't', user: { id: 'u2', roles: [] } } }) });
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: '登录' }));
    await shown(screen.findByText('该账号没有管理后台的权限，请联系运维人员授予角色'));
  });

  test('when the windows list has more pages, then 下一页 asks for the next cursor and 上一页 returns', async () => {
    signedIn();
    const calls = stubApi({
      'GET /windows': (c) => ({
        body: c.query.cursor ? { items: [aWindow(3)] } : { items: [aWindow(1), aWindow(2)], cursor: 'next-1' },
      }),
      'GET /departments': () => ({ body: { items: [] } }),
    });
    renderAt('/windows', <Windows />, '/windows');
    await shown(screen.findByText('登记注册科2'));
    fireEvent.click(screen.getByRole('button', { name: '下一页' }));
    await shown(screen.findByText('登记注册科3'));
    expect(calls.filter((c) => c.path === '/windows').pop()!.query.cursor).toBe('next-1');
    expectShown(screen.getByText('第 2 页'));
    fireEvent.click(screen.getByRole('button', { name: '上一页' }));
    await shown(screen.findByText('登记注册科1'));
  });

  test('when the list fails, then the error is shown with a retry, and an empty list says so', async () => {
    signedIn();
    let fail = true;
    stubApi({
      'GET /windows': () =>
        fail
          ? { status: 500, body: { error: { code: 'INTERNAL', message: '系统繁忙，请稍后重试' } } }
          : { body: { items: [] } },
      'GET /departments': () => ({ body: { items: [] } }),
    });
    renderAt('/windows', <Windows />, '/windows');
    await shown(screen.findByText('系统繁忙，请稍后重试'));
    fail = false;
    fireEvent.click(screen.getByText('重试'));
    await shown(screen.findByText('没有符合条件的窗口'));
  });

  test('when an operator creates a window with a name already used, then the API field error shows under the name', async () => {
    signedIn();
    stubApi({
      'GET /windows': () => ({ body: { items: [] } }),
      'GET /departments': listing(MENYUAN_SCJG),
      'POST /windows': () => ({
        status: 400,
        body: {
          error: {
            code: 'VALIDATION_FAILED',
            message: '该部门已有同名窗口',
            issues: [{ path: 'name', message: '该部门已有同名窗口' }],
          },
        },
      }),
    });
    renderAt('/windows', <Windows />, '/windows');
    fireEvent.click(await screen.findByRole('button', { name: '新建窗口' }));
    fireEvent.change(screen.getByLabelText('窗口名称').querySelector('input') ?? screen.getByLabelText('窗口名称'), {
      target: { value: '登记注册科' },
    });
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    expect((await screen.findByTestId('error-name')).textContent).toBe('该部门已有同名窗口');
  });

  test('when an operator revokes a code from the window page, then the confirmation says the old poster stops working and the revoke is sent', async () => {
    signedIn();
    let revoked = false;
    const calls = stubApi({
      'GET /windows/:id': () => ({
        body: {
          ...aWindow(1),
          path: 'haibei/menyuan/menyuan-scjg/menyuan-scjg-w1',
          link: 'https://mashang.haibei.gov.cn/c/x',
          codeStatus: revoked ? 'revoked' : 'active',
        },
      }),
      'POST /codes/:code/revoke': () => {
        revoked = true;
        return { body: { status: 'revoked' } };
      },
      'GET /audit': () => ({ body: { items: [] } }),
    });
    renderAt('/windows/menyuan-scjg-w1', <WindowDetail />, '/windows/:id');
    fireEvent.click(await screen.findByRole('button', { name: '停用监督码' }));
    expectShown(screen.getByText(/旧海报上的二维码停止使用（1 分钟内对所有扫码生效）/));
    fireEvent.click(screen.getByRole('button', { name: '确定停用' }));
    await waitFor(() => expect(screen.getByTestId('code-status').textContent).toBe('已停用'));
    expect(
      calls.some(
        (c) => c.method === 'POST' && c.path === `/codes/${encodeURIComponent('wABCDEFG1.signature000')}/revoke`,
      ),
    ).toBe(true);
  });

  test('when the audit trail is filtered by county, then the scope goes to the API and entries show action, target and change', async () => {
    signedIn([{ role: 'inspector', scope: 'haibei' }]);
    const calls = stubApi({
      'GET /audit': () => ({
        body: {
          items: [
            {
              id: 'a1',
              at: '2026-12-01T02:00:00Z',
              actor: { userId: 'u9', role: 'operator', scope: 'haibei' },
              action: 'code.revoke',
              actionLabel: '停用监督码',
              target: { kind: 'window', id: 'w1', name: '登记注册科1' },
              scope: 'haibei/menyuan',
              before: { status: 'active' },
              after: { status: 'revoked' },
            },
          ],
        },
      }),
    });
    renderAt('/audit?county=menyuan', <Audit />, '/audit');
    const table = await screen.findByTestId('audit-table');
    await shown(within(table).findByText('停用监督码'));
    expectShown(within(table).getByText('登记注册科1'));
    expectShown(within(table).getByText('u9（运维）'));
    expect(calls[0].query.scope).toBe('haibei/menyuan');
  });
});
