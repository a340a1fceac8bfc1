import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Departments } from '../src/pages/Departments';
import { Enterprises } from '../src/pages/Enterprises';
import { signedIn, stubApi } from './fetch-stub';
import { renderAt } from './render';
import { expectShown, shown } from '../../miniapp/tests/support/shown';

// The departments and enterprises pages are one generic registry list (components/RegistryList) with their own
// columns and dialogs; the windows page is covered in pages.test.tsx.

const dept = (id: string, name: string, status: 'active' | 'retired') => ({
  id,
  name,
  level: '乡',
  county: { id: 'menyuan', name: '门源回族自治县' },
  path: `haibei/menyuan/${id}`,
  status,
});

/** The input of a labelled TDesign field (the label may sit on its wrapper). */
const input = (el: HTMLElement) => el.querySelector('input') ?? el;

beforeEach(() => localStorage.clear());

describe('registry list pages', () => {
  test('when an operator retires a department, then the filters from the URL reach the API, only the active row offers 停用, and the reason is sent', async () => {
    signedIn();
    let retired = false;
    const calls = stubApi({
      'GET /departments': () => ({
        body: {
          items: [
            dept('menyuan-hmz', '浩门镇便民服务中心', retired ? 'retired' : 'active'),
            dept('menyuan-old', '旧所', 'retired'),
          ],
        },
      }),
      'POST /departments/:id/retire': () => {
        retired = true;
        return { body: dept('menyuan-hmz', '浩门镇便民服务中心', 'retired') };
      },
    });
    renderAt('/departments?county=menyuan&q=浩门', <Departments />, '/departments');

    await shown(screen.findByText('浩门镇便民服务中心'));
    expect(calls[0]).toMatchObject({
      method: 'GET',
      path: '/departments',
      query: { county: 'menyuan', q: '浩门', limit: '20' },
    });
    expectShown(screen.getByText('旧所'));
    expect(screen.getAllByText('在用')).toHaveLength(1);
    expect(screen.getAllByText('已停用')).toHaveLength(1);
    expect(screen.getAllByRole('button', { name: '停用' })).toHaveLength(1);
    expectShown(screen.getByRole('button', { name: '新建部门' }));

    fireEvent.click(screen.getByRole('button', { name: '停用' }));
    await shown(screen.findByText('停用部门：浩门镇便民服务中心'));
    fireEvent.change(input(screen.getByLabelText('停用原因')), { target: { value: '机构改革合并' } });
    fireEvent.click(screen.getByRole('button', { name: '确定停用' }));

    await waitFor(() => expect(screen.getAllByText('已停用')).toHaveLength(2));
    expect(calls.filter((c) => c.method === 'POST')).toEqual([
      {
        method: 'POST',
        path: '/departments/menyuan-hmz/retire',
        query: {},
        body: { requestId: expect.stringMatching(/^[A-Za-z0-9_-]{8,64}$/), reason: '机构改革合并' },
      },
    ]);
    expect(screen.queryAllByRole('button', { name: '停用' })).toHaveLength(0);
  });

  test('when an inspector opens the enterprises, then there is no 新建 nor 停用, an empty search says so, and the search goes to the API', async () => {
    signedIn([{ role: 'inspector', scope: 'haibei' }]);
    const calls = stubApi({ 'GET /enterprises': () => ({ body: { items: [] } }) });
    renderAt('/enterprises', <Enterprises />, '/enterprises');

    await shown(screen.findByText('没有符合条件的企业'));
    expect(screen.queryByRole('button', { name: '新建企业' })).toBeNull();
    expect(screen.queryByText('操作')).toBeNull();

    fireEvent.change(input(screen.getByLabelText('搜索企业')), { target: { value: ' 鑫源 ' } });
    fireEvent.click(screen.getByRole('button', { name: '搜索' }));
    await waitFor(() => expect(calls.length).toBe(2));
    expect(calls[1]).toMatchObject({ path: '/enterprises', query: { q: '鑫源', limit: '20' } });
  });

  test('when an operator creates an enterprise, then the form is posted and the list is loaded again', async () => {
    signedIn();
    let created = false;
    const ent = {
      id: 'ent-menyuan-0130',
      name: '门源县鑫源商贸有限公司',
      creditCode: '91632221MA752XXXX1',
      code: 'eABCDEFG1.signature000',
      county: { id: 'menyuan', name: '门源回族自治县' },
      status: 'active',
    };
    const calls = stubApi({
      'GET /enterprises': () => ({ body: { items: created ? [ent] : [] } }),
      'POST /enterprises': (c) => {
        created = true;
        return { body: { ...ent, name: c.body.name } };
      },
    });
    renderAt('/enterprises', <Enterprises />, '/enterprises');
    await shown(screen.findByText('没有符合条件的企业'));

    fireEvent.click(screen.getByRole('button', { name: '新建企业' }));
    fireEvent.change(input(await screen.findByLabelText('企业名称')), { target: { value: ent.name } });
    fireEvent.click(screen.getByRole('button', { name: '保存' }));

    await shown(screen.findByText(ent.name, { selector: 'td, td *' }));
    expect(calls.filter((c) => c.method === 'POST')).toEqual([
      {
        method: 'POST',
        path: '/enterprises',
        query: {},
        body: { requestId: expect.stringMatching(/^[A-Za-z0-9_-]{8,64}$/), name: ent.name },
      },
    ]);
    expect(calls.filter((c) => c.path === '/enterprises' && c.method === 'GET')).toHaveLength(2);
  });
});
