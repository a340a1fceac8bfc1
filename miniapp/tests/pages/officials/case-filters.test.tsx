import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import CaseList from '../../../src/officials/pages/cases/index';
import OfficialsHome from '../../../src/officials/pages/home/index';
import { fakeApi, openWith, stubNavigation } from '../../support/fake-api';
import { COUNTY_INSPECTOR, HANDLER, aCase, signInAs } from './builders';
import { expectShown, shown } from '../../support/shown';

const tap = (text: string) => fireEvent.click(screen.getByText(text));
const typeInto = (el: Element, value: string) => fireEvent.input(el, { target: { value } });
const inputs = (container: HTMLElement) =>
  waitFor(() => {
    const all = container.querySelectorAll('input');
    if (all.length < 3) throw new Error('inputs not rendered yet');
    return all;
  });
const DEPARTMENTS = {
  items: [
    { id: 'menyuan-scjg', name: '门源县市场监督管理局', path: 'haibei/menyuan/menyuan-scjg', level: '县' },
    { id: 'menyuan-zrzy', name: '门源县自然资源局', path: 'haibei/menyuan/menyuan-zrzy', level: '县' },
  ],
};

describe('officials case list: two-line items, filters, search (issue 15 item 5)', () => {
  it('when an item has a long summary, then it shows on two lines: number, window and level; a short summary and the deadline', async () => {
    signInAs(HANDLER);
    const c = aCase({
      summary: '非常不满意：推诿扯皮。材料齐全仍被要求补件，第三次来还是说缺一份证明，窗口说要找领导签字',
    });
    fakeApi({ 'GET /v1/cases': () => ({ status: 200, body: { items: [c] } }) });
    openWith('/officials/pages/cases/index');
    render(<CaseList />);
    const item = await screen.findByTestId('case-item');
    const [line1, line2] = Array.from(item.children);
    expect(line1.textContent).toBe(`${c.id}登记注册科 · 非常不满意待处理`);
    expect(line2.textContent).toBe('非常不满意：推诿扯皮。材料齐全仍被要求补件，第三…回访期限 2099-11-27 18:00');
    // No internal ids of places on the list.
    expect(item.textContent).not.toMatch(/haibei|menyuan-scjg|w1\b/);
  });

  it('when a county inspector narrows by source, department and dates, then each choice is asked of the API and the list follows', async () => {
    signInAs(COUNTY_INSPECTOR);
    const api = fakeApi({
      'GET /v1/cases': (call) => ({
        status: 200,
        body: { items: [aCase({ summary: `结果 ${JSON.stringify(call.query)}` })] },
      }),
      'GET /v1/departments': () => ({ status: 200, body: DEPARTMENTS }),
    });
    openWith('/officials/pages/cases/index');
    const view = render(<CaseList />);
    await shown(screen.findByText('门源县市场监督管理局'));
    expect(api.to('GET', '/v1/departments')[0].query).toMatchObject({ county: 'menyuan' });
    // A county inspector chooses among its departments, not among counties.
    expect(screen.queryByTestId('county-filter')).toBeNull();

    tap('投诉举报');
    await waitFor(() =>
      expect(api.to('GET', '/v1/cases').at(-1)!.query).toEqual({ status: 'open', source: 'complaint' }),
    );
    tap('门源县自然资源局');
    await waitFor(() =>
      expect(api.to('GET', '/v1/cases').at(-1)!.query).toEqual({
        status: 'open',
        source: 'complaint',
        scope: 'haibei/menyuan/menyuan-zrzy',
      }),
    );
    const [, from, to] = Array.from(await inputs(view.container));
    typeInto(from, '2026-11-01');
    typeInto(to, '2026-11-30');
    tap('按日期筛选');
    await waitFor(() =>
      expect(api.to('GET', '/v1/cases').at(-1)!.query).toEqual({
        status: 'open',
        source: 'complaint',
        scope: 'haibei/menyuan/menyuan-zrzy',
        from: '2026-11-01',
        to: '2026-11-30',
      }),
    );
    // The filters hold when the tab changes.
    tap('已办结');
    await waitFor(() =>
      expect(api.to('GET', '/v1/cases').at(-1)!.query).toMatchObject({ status: 'closed', from: '2026-11-01' }),
    );

    // Dates the wrong way round are refused before asking.
    const before = api.to('GET', '/v1/cases').length;
    typeInto(from, '2026-12-01');
    tap('按日期筛选');
    await shown(screen.findByText('开始日期不能晚于结束日期'));
    expect(api.to('GET', '/v1/cases')).toHaveLength(before);
  });

  it('when a prefecture inspector picks a county, then that county is the scope and its departments are offered', async () => {
    signInAs([{ role: 'inspector', scope: 'haibei' }]);
    const api = fakeApi({
      'GET /v1/cases': () => ({ status: 200, body: { items: [] } }),
      'GET /v1/departments': () => ({ status: 200, body: DEPARTMENTS }),
    });
    openWith('/officials/pages/cases/index');
    render(<CaseList />);
    await shown(screen.findByText('全部区县'));
    expect(screen.queryByTestId('department-filter')).toBeNull();
    tap('门源县');
    await waitFor(() =>
      expect(api.to('GET', '/v1/cases').at(-1)!.query).toEqual({ status: 'open', scope: 'haibei/menyuan' }),
    );
    await shown(screen.findByText('门源县市场监督管理局'));
  });

  it('when a case number is searched in lower case with spaces, then that case is asked for; a partial number is refused before asking', async () => {
    signInAs(HANDLER);
    const wanted = aCase({ summary: '要找的那一件' });
    const api = fakeApi({
      'GET /v1/cases': (call) => ({ status: 200, body: { items: call.query.q ? [wanted] : [] } }),
    });
    openWith('/officials/pages/cases/index');
    const view = render(<CaseList />);
    await shown(screen.findByText('没有待处理的督办件。'));
    const [search] = Array.from(await inputs(view.container));

    typeInto(search, '2026112');
    tap('查找');
    await shown(screen.findByText('请输入完整的督办件编号，如 20261126-AB12CD'));
    expect(api.to('GET', '/v1/cases').filter((c) => c.query.q)).toHaveLength(0);

    typeInto(search, `  ${wanted.id.toLowerCase()} `);
    tap('查找');
    await shown(screen.findByText('要找的那一件'));
    expect(api.to('GET', '/v1/cases').at(-1)!.query).toEqual({ status: 'open', q: wanted.id });
    expectShown(screen.getByTestId('search-active'));
    tap('清除');
    await shown(screen.findByText('没有待处理的督办件。'));
  });
});

describe('names instead of internal ids', () => {
  it('when an official with a department and a window role opens the home page, then the places read by name', async () => {
    signInAs(
      [
        { role: 'handler', scope: 'haibei/haiyan/haiyan-lcj' },
        { role: 'window_staff', scope: 'haibei/haiyan/haiyan-lcj/w7' },
      ],
      'u6b1f00',
      {
        'haibei/haiyan/haiyan-lcj': '海晏县林业和草原局',
        'haibei/haiyan/haiyan-lcj/w7': '海晏县林业和草原局 · 林草审批窗口',
      },
    );
    fakeApi({ 'GET /v1/stats/summary': () => ({ status: 500, body: {} }) });
    stubNavigation();
    render(<OfficialsHome />);
    const grants = screen.getByTestId('grants');
    expect(grants.textContent).toContain('海晏县林业和草原局');
    expect(grants.textContent).toContain('林草审批窗口');
    expect(grants.textContent).not.toMatch(/haiyan-lcj|haibei|w7|u6b1/);
  });

  it('when a session carries no names (signed in before), then no id shows either', async () => {
    signInAs([{ role: 'handler', scope: 'haibei/haiyan/haiyan-lcj' }]);
    fakeApi({ 'GET /v1/stats/summary': () => ({ status: 500, body: {} }) });
    stubNavigation();
    render(<OfficialsHome />);
    const grants = screen.getByTestId('grants');
    expect(grants.textContent).toContain('海晏县');
    expect(grants.textContent).not.toMatch(/haiyan-lcj|haibei/);
  });
});
