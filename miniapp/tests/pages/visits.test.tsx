import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import Entry from '../../src/pages/index/index';
import EnterpriseEntry from '../../src/visits/pages/enterprise/index';
import Bind from '../../src/visits/pages/bind/index';
import RegisterVisit from '../../src/visits/pages/register/index';
import RateVisit from '../../src/visits/pages/rate/index';
import VisitLog from '../../src/visits/pages/log/index';
import MyVisits from '../../src/visits/pages/mine/index';
import InspectorVisits from '../../src/officials/pages/visits/index';
import { forgetCodes } from '../../src/api/endpoints';
import { apiError, fakeApi, openWith, stubNavigation } from '../support/fake-api';
import { expectShown, shown } from '../support/shown';
import { signInAs } from './officials/builders';

const ENTERPRISE_CODE = 'eAbc123456.sig0123456789';
const ENTERPRISE_INFO = {
  kind: 'enterprise',
  enterprise: { id: 'ent-001', name: '门源县鑫源商贸有限公司', county: { id: 'menyuan', name: '门源回族自治县' } },
};
const CONTACT = [{ role: 'enterprise', scope: 'haibei/menyuan/ent-001' }];
const CADRE = [{ role: 'visiting_official', scope: 'haibei/menyuan/menyuan-scjg' }];
const INSPECTOR = [{ role: 'inspector', scope: 'haibei/menyuan' }];
const LISTS = {
  positive: { version: '2026.1', items: [] },
  negative: {
    version: '2026.1',
    items: [
      { id: 'N1', text: '对企业和群众反映的问题推诿扯皮、久拖不办、敷衍塞责' },
      { id: 'N2', text: '利用职权或影响力向企业索取、收受财物，或吃拿卡要' },
    ],
  },
};

function aVisit(overrides: Record<string, unknown> = {}) {
  return {
    id: 'V01',
    enterprise: { id: 'ent-001', name: '门源县鑫源商贸有限公司' },
    official: { name: '马建国' },
    department: { id: 'menyuan-scjg', name: '门源县市场监督管理局' },
    purpose: '解难题',
    note: '协调用电报装',
    companions: ['李明'],
    visitedAt: '2026-11-30T02:00:00Z',
    createdAt: '2026-11-30T02:10:00Z',
    status: 'active',
    withdrawableUntil: '2099-11-30T03:10:00Z',
    rateBy: '2099-12-07T02:10:00Z',
    ...overrides,
  };
}

const nativeField = (container: HTMLElement, selector: string, index = 0) =>
  waitFor(() => {
    const el = container.querySelectorAll(selector)[index];
    if (!el) throw new Error(`${selector} not rendered yet`);
    return el;
  });
const typeInto = (el: Element, value: string) => fireEvent.input(el, { target: { value } });

const tap = (text: string) => fireEvent.click(screen.getByText(text));
const tapButton = (text: string) => {
  const el = screen.getByText(text, { selector: 'taro-button-core' });
  fireEvent.touchStart(el);
  fireEvent.touchEnd(el);
  fireEvent.click(el);
};

beforeEach(() => {
  forgetCodes();
  localStorage.clear();
});

describe('the enterprise code adapts to who scans it', () => {
  it('when the entry page gets an enterprise code, then it hands over to the visits subpackage', async () => {
    fakeApi({ 'GET /v1/codes/:code': () => ({ status: 200, body: ENTERPRISE_INFO }) });
    const nav = stubNavigation();
    openWith('/pages/index/index', { code: ENTERPRISE_CODE });
    render(<Entry />);
    await waitFor(() => expect(nav.redirectTo).toHaveBeenCalled());
    expect(nav.redirectTo.mock.calls[0][0]).toEqual({
      url: `/visits/pages/enterprise/index?code=${encodeURIComponent(ENTERPRISE_CODE)}`,
    });
  });

  it('when a bound contact scans, then the enterprise home shows the visits waiting for a rating and the other services', async () => {
    signInAs(CONTACT);
    const api = fakeApi({
      'GET /v1/codes/:code': () => ({ status: 200, body: ENTERPRISE_INFO }),
      'GET /v1/enterprises/:id/visits': () => ({ status: 200, body: { items: [aVisit()] } }),
    });
    const nav = stubNavigation();
    openWith('/visits/pages/enterprise/index', { code: encodeURIComponent(ENTERPRISE_CODE) });
    render(<EnterpriseEntry />);

    await shown(screen.findByText('门源县市场监督管理局 · 马建国'));
    expect(api.to('GET', '/v1/enterprises/ent-001/visits')[0].query).toEqual({ pending: 'true' });
    expectShown(screen.getByText('走访记录'));
    expectShown(screen.getByText('投诉举报'));
    expectShown(screen.getByText('政商交往明白卡'));
    tap('门源县市场监督管理局 · 马建国');
    expect(nav.navigateTo).toHaveBeenCalledWith({ url: '/visits/pages/rate/index?id=V01' });
  });

  it('when a visiting official scans, then the 访企登记 form opens first', async () => {
    signInAs(CADRE);
    fakeApi({ 'GET /v1/codes/:code': () => ({ status: 200, body: ENTERPRISE_INFO }) });
    const nav = stubNavigation();
    openWith('/visits/pages/enterprise/index', { code: encodeURIComponent(ENTERPRISE_CODE) });
    render(<EnterpriseEntry />);
    await waitFor(() => expect(nav.redirectTo).toHaveBeenCalled());
    expect(nav.redirectTo.mock.calls[0][0]).toEqual({
      url: `/visits/pages/register/index?code=${encodeURIComponent(ENTERPRISE_CODE)}`,
    });
  });

  it('when anyone else scans, then 投诉举报 and 绑定企业 are offered', async () => {
    fakeApi({ 'GET /v1/codes/:code': () => ({ status: 200, body: ENTERPRISE_INFO }) });
    const nav = stubNavigation();
    openWith('/visits/pages/enterprise/index', { code: encodeURIComponent(ENTERPRISE_CODE) });
    render(<EnterpriseEntry />);
    await shown(screen.findByText('投诉举报', { selector: 'taro-button-core' }));
    tap('绑定企业（本企业联系人）');
    expect(nav.navigateTo).toHaveBeenCalledWith({
      url: `/visits/pages/bind/index?code=${encodeURIComponent(ENTERPRISE_CODE)}`,
    });
  });
});

describe('binding page', () => {
  it('when the credit code fails its check character, then the page says so and sends nothing', async () => {
    const api = fakeApi({});
    openWith('/visits/pages/bind/index', { code: ENTERPRISE_CODE });
    const { container } = render(<Bind />);
    typeInto(await nativeField(container, 'input', 0), '91632221MA7XXXXXX0');
    tapButton('确认绑定');
    await shown(screen.findByTestId('bind-error'));
    expect(screen.getByTestId('bind-error').textContent).toMatch(/统一社会信用代码不正确/);
    expect(api.to('POST', '/v1/enterprise-contacts')).toHaveLength(0);
  });

  it('when the server refuses the binding code, then its Chinese message is shown', async () => {
    fakeApi({
      'POST /v1/enterprise-contacts': () =>
        apiError(400, 'BINDING_CODE_INVALID', '绑定码不正确，请核对短信或通知书中的 6 位绑定码'),
    });
    openWith('/visits/pages/bind/index', { code: ENTERPRISE_CODE });
    const { container } = render(<Bind />);
    // A credit code with a valid check character: computed like the server does.
    const { creditCodeCheckChar } = await import('@mashang/shared');
    const first17 = '91632221MA7ABCDE1';
    typeInto(await nativeField(container, 'input', 0), first17 + creditCodeCheckChar(first17));
    typeInto(await nativeField(container, 'input', 1), '123456');
    tapButton('确认绑定');
    await shown(screen.findByText('绑定码不正确，请核对短信或通知书中的 6 位绑定码'));
  });

  it('when binding succeeds, then the new session (with the enterprise role) is kept and the enterprise home is offered', async () => {
    const { creditCodeCheckChar } = await import('@mashang/shared');
    const first17 = '91632221MA7ABCDE1';
    const api = fakeApi({
      'POST /v1/enterprise-contacts': () => ({
        status: 201,
        body: { enterprise: ENTERPRISE_INFO.enterprise, token: 'token-contact', user: { id: 'u-c', roles: CONTACT } },
      }),
    });
    const nav = stubNavigation();
    openWith('/visits/pages/bind/index', { code: ENTERPRISE_CODE });
    const { container } = render(<Bind />);
    typeInto(await nativeField(container, 'input', 0), (first17 + creditCodeCheckChar(first17)).toLowerCase());
    typeInto(await nativeField(container, 'input', 1), '654321');
    tapButton('确认绑定');

    await shown(screen.findByText('绑定成功'));
    expect(api.to('POST', '/v1/enterprise-contacts')[0].data).toMatchObject({
      code: ENTERPRISE_CODE,
      creditCode: first17 + creditCodeCheckChar(first17),
      bindingCode: '654321',
    });
    expect(Taro.getStorageSync('mashang.token')).toBe('token-contact');
    tapButton('进入企业首页');
    expect(nav.redirectTo).toHaveBeenCalledWith({
      url: `/visits/pages/enterprise/index?code=${encodeURIComponent(ENTERPRISE_CODE)}`,
    });
  });
});

describe('访企登记 page', () => {
  it('when no purpose is chosen, then nothing is sent; with 解难题 the visit is registered and can be withdrawn', async () => {
    signInAs(CADRE);
    const api = fakeApi({
      'GET /v1/codes/:code': () => ({ status: 200, body: ENTERPRISE_INFO }),
      'POST /v1/visits': () => ({ status: 201, body: { visit: aVisit() } }),
      'POST /v1/visits/:id/withdraw': () => ({
        status: 200,
        body: { visit: aVisit({ status: 'withdrawn', withdrawnAt: '2026-11-30T02:20:00Z' }) },
      }),
    });
    openWith('/visits/pages/register/index', { code: encodeURIComponent(ENTERPRISE_CODE) });
    render(<RegisterVisit />);
    await shown(screen.findByText('访企登记 · 门源回族自治县'));

    tapButton('提交登记');
    await shown(screen.findByTestId('register-error'));
    expect(api.to('POST', '/v1/visits')).toHaveLength(0);

    tap('解难题');
    tapButton('提交登记');
    await shown(screen.findByText('访企登记成功'));
    const body = api.to('POST', '/v1/visits')[0].data;
    expect(body).toMatchObject({ code: ENTERPRISE_CODE, purpose: '解难题' });
    expect(body.visitedAt).toBeUndefined();
    expect(body.requestId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);

    tapButton('撤回本次登记');
    await shown(screen.findByText('已撤回本次登记'));
    expect(api.to('POST', '/v1/visits/V01/withdraw')).toHaveLength(1);
  });

  it('when a backdated time is more than 3 days ago, then the page refuses it before sending', async () => {
    signInAs(CADRE);
    const api = fakeApi({ 'GET /v1/codes/:code': () => ({ status: 200, body: ENTERPRISE_INFO }) });
    openWith('/visits/pages/register/index', { code: ENTERPRISE_CODE });
    const { container } = render(<RegisterVisit />);
    await screen.findByText('访企登记 · 门源回族自治县');
    tap('调研');
    tap('补登（3 天内）');
    typeInto(await nativeField(container, 'input', 1), '2020-01-01 09:30');
    tapButton('提交登记');
    expect((await screen.findByTestId('register-error')).textContent).toBe('只能登记 3 天以内的走访');
    expect(api.to('POST', '/v1/visits')).toHaveLength(0);
  });
});

describe('visit rating page', () => {
  it('when the contact rates 不满意 with 吃拿卡要 and 未解决, then that is sent and the case number is shown', async () => {
    signInAs(CONTACT);
    const api = fakeApi({
      'GET /v1/visits/:id': () => ({ status: 200, body: { visit: aVisit(), canRate: true, canWithdraw: false } }),
      'GET /v1/lists': () => ({ status: 200, body: LISTS }),
      'POST /v1/visits/:id/rating': () => ({
        status: 201,
        body: { rating: { visitId: 'V01', level: 2 }, caseId: '20261130-ABCDEF' },
      }),
    });
    openWith('/visits/pages/rate/index', { id: 'V01' });
    render(<RateVisit />);
    await shown(screen.findByText('门源县市场监督管理局 · 马建国 · 解难题'));

    tap('不满意');
    tap('吃拿卡要');
    tap('未解决');
    tapButton('提交评价');

    await shown(screen.findByTestId('visit-rated'));
    expectShown(screen.getByText(/20261130-ABCDEF/));
    expect(api.to('POST', '/v1/visits/V01/rating')[0].data).toMatchObject({
      level: 2,
      negativeItemIds: ['N2'],
      solved: 'no',
    });
  });

  it('when the visit was withdrawn, then no rating is asked for', async () => {
    signInAs(CONTACT);
    fakeApi({
      'GET /v1/visits/:id': () => ({
        status: 200,
        body: { visit: aVisit({ status: 'withdrawn' }), canRate: false, canWithdraw: false },
      }),
      'GET /v1/lists': () => ({ status: 200, body: LISTS }),
    });
    openWith('/visits/pages/rate/index', { id: 'V01' });
    render(<RateVisit />);
    await shown(screen.findByText('该走访登记已被撤回，无需评价'));
    expect(screen.queryByText('提交评价')).toBeNull();
  });
});

describe('visit lists', () => {
  it('the enterprise log shows who visited, when, why and the rating', async () => {
    signInAs(CONTACT);
    fakeApi({
      'GET /v1/enterprises/:id/visits': () => ({
        status: 200,
        body: {
          items: [
            aVisit({ rating: { level: 5, negativeItemIds: [], solved: 'yes', createdAt: '2026-11-30T05:00:00Z' } }),
          ],
        },
      }),
    });
    openWith('/visits/pages/log/index', { enterpriseId: 'ent-001' });
    render(<VisitLog />);
    await shown(screen.findByText('门源县市场监督管理局 · 马建国'));
    expectShown(screen.getByText('非常满意 · 已解决'));
    expectShown(screen.getByText(/2026-11-30 10:00 · 解难题/));
  });

  it("the official's 我的走访 lists their visits with ratings", async () => {
    signInAs(CADRE);
    fakeApi({
      'GET /v1/me/visits': () => ({
        status: 200,
        body: {
          items: [
            aVisit({
              withdrawableUntil: '2020-01-01T00:00:00Z',
              rating: { level: 2, negativeItemIds: ['N2'], solved: 'no', createdAt: '2026-11-30T05:00:00Z' },
            }),
          ],
        },
      }),
    });
    openWith('/visits/pages/mine/index', {});
    render(<MyVisits />);
    await shown(screen.findByText('门源县鑫源商贸有限公司'));
    expectShown(screen.getByText('不满意 · 未解决 · 反映负面清单 N2'));
    expect(screen.queryByText(/撤回/)).toBeNull();
  });

  it("inspectors see their scope's visits and the frequency warnings", async () => {
    signInAs(INSPECTOR);
    fakeApi({
      'GET /v1/visits': () => ({ status: 200, body: { items: [aVisit()] } }),
      'GET /v1/visit-warnings': () => ({
        status: 200,
        body: {
          items: [
            {
              id: 'W1',
              enterprise: { id: 'ent-001', name: '门源县鑫源商贸有限公司' },
              rule: 'department',
              department: { id: 'menyuan-scjg', name: '门源县市场监督管理局' },
              count: 3,
              days: 30,
              threshold: 3,
              createdAt: '2026-11-30T02:10:00Z',
            },
          ],
          rule: { days: 30, perDepartment: 3, total: 6 },
        },
      }),
    });
    openWith('/officials/pages/visits/index', {});
    render(<InspectorVisits />);
    await shown(screen.findByText('门源县鑫源商贸有限公司 ← 门源县市场监督管理局 马建国'));
    tap('频次预警（1）');
    await shown(screen.findByText(/门源县市场监督管理局 30 天内走访 3 次（阈值 3）/));
    expectShown(screen.getByText('规则：30 天内同一部门走访同一企业 ≥ 3 次，或合计 ≥ 6 次'));
  });
});
