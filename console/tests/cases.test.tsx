import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { AuthProvider } from '../src/auth';
import { CaseDetail, Cases } from '../src/pages/Cases';
import { listing, MENYUAN_SCJG, signedIn, stubApi } from './fetch-stub';
import { expectShown, shown } from '../../miniapp/tests/support/shown';

const input = (el: HTMLElement) => (el.querySelector('input, textarea') as HTMLElement | null) ?? el;
const type = (label: string, value: string) =>
  fireEvent.change(input(screen.getByLabelText(label)), { target: { value } });

const COUNTY_INSPECTOR = [{ role: 'inspector', scope: 'haibei/menyuan' }];

const aCase = (id: string, patch: Record<string, unknown> = {}) => ({
  id,
  source: 'inspection',
  status: 'open',
  statusLabel: '待处理',
  bucket: 'open',
  path: 'haibei/menyuan/menyuan-scjg',
  county: { id: 'menyuan', name: '门源回族自治县' },
  department: { id: 'menyuan-scjg', name: '门源县市场监督管理局' },
  summary: '未执行一次性告知制度',
  hasContact: false,
  createdAt: '2026-11-26T02:00:00Z',
  updatedAt: '2026-11-26T02:00:00Z',
  callbackDueAt: '2026-12-03T15:59:59.000Z',
  rectifyDueAt: '2026-12-03T15:59:59.000Z',
  callbackDone: false,
  rectificationReported: false,
  overdueStrikes: 0,
  inspection: { deadlineWorkingDays: 5, openedBy: 'u1' },
  version: 1,
  ...patch,
});

function renderCases(path: string) {
  return render(
    <AuthProvider>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path="/cases" element={<Cases />} />
          <Route path="/cases/:id" element={<CaseDetail />} />
        </Routes>
      </MemoryRouter>
    </AuthProvider>,
  );
}

beforeEach(() => localStorage.clear());

test('when the case list is filtered by source 监督检查, then source=inspection goes to the API and each row names its source', async () => {
  signedIn(COUNTY_INSPECTOR);
  const calls = stubApi({
    'GET /cases': () => ({ body: { items: [aCase('20261126-AAAAAA')] } }),
  });
  renderCases('/cases?source=inspection&status=overdue');
  await shown(screen.findByText('20261126-AAAAAA'));
  expect(calls.find((c) => c.path === '/cases')!.query).toEqual({ status: 'overdue', source: 'inspection' });
  expectShown(screen.getByText('监督检查', { selector: 'td, td *' }));
  // The filter offers every source, 监督检查 among them.
  fireEvent.click(screen.getByPlaceholderText('全部来源'));
  expectShown(await screen.findByText('投诉举报'));
});

test('when an inspector registers a finding, then the API field errors show under the fields; the resend keeps its requestId and the new case opens', async () => {
  signedIn(COUNTY_INSPECTOR);
  let attempts = 0;
  const calls = stubApi({
    'GET /cases': () => ({ body: { items: [] } }),
    'GET /departments': listing(MENYUAN_SCJG),
    'POST /cases': () => {
      attempts += 1;
      return attempts === 1
        ? {
            status: 400,
            body: {
              error: {
                code: 'VALIDATION_FAILED',
                message: '发现的问题至少 5 个字',
                issues: [{ path: 'description', message: '发现的问题至少 5 个字' }],
              },
            },
          }
        : { status: 201, body: { caseId: '20261201-BBBBBB', rectifyDueAt: '2026-12-08T15:59:59.000Z' } };
    },
    'GET /cases/:id': () => ({ body: detail(aCase('20261201-BBBBBB')) }),
  });
  renderCases('/cases');
  fireEvent.click(await screen.findByRole('button', { name: '登记监督检查发现' }));
  // The inspector's one county is chosen; its departments are offered.
  await waitFor(() => expect(calls.some((c) => c.path === '/departments' && c.query.county === 'menyuan')).toBe(true));
  fireEvent.click(screen.getByPlaceholderText('请选择责任部门'));
  fireEvent.click(await screen.findByText('门源县市场监督管理局'));
  type('发现的问题', '太短');
  type('整改期限', '5');
  fireEvent.click(screen.getByRole('button', { name: '立案督办' }));
  expect((await screen.findByTestId('error-description')).textContent).toBe('发现的问题至少 5 个字');

  type('发现的问题', '窗口未执行一次性告知制度，群众反复跑腿');
  fireEvent.click(screen.getByRole('button', { name: '立案督办' }));
  await shown(screen.findByText('督办件 20261201-BBBBBB'));
  const posts = calls.filter((c) => c.method === 'POST' && c.path === '/cases');
  expect(posts).toHaveLength(2);
  expect(posts[1].body).toEqual({
    requestId: posts[0].body.requestId,
    departmentId: 'menyuan-scjg',
    description: '窗口未执行一次性告知制度，群众反复跑腿',
    deadlineWorkingDays: '5',
  });
});

function detail(c: ReturnType<typeof aCase>, timeline: unknown[] = []) {
  return {
    case: c,
    mayRevealContact: false,
    timeline: [
      {
        action: 'opened',
        label: '受理',
        at: c.createdAt,
        actor: { id: 'u1', role: 'inspector' },
        note: '监督检查发现问题，立案督办，限 5 个工作日内整改反馈',
      },
      ...timeline,
    ],
    alerts: [],
    letters: [],
    availableActions: ['assign', 'reminder_letter', 'rectification', 'close', 'interview'],
  };
}

test('when an inspector records a 约谈 on a case, then one interview action is sent and the record shows on the timeline', async () => {
  signedIn(COUNTY_INSPECTOR);
  let recorded = false;
  const record = {
    action: 'interview',
    label: '约谈',
    at: '2026-11-27T02:00:00Z',
    actor: { id: 'u1', role: 'inspector' },
    note: '约谈李明（政务服务科科长）：整改不力',
    data: { name: '李明', post: '政务服务科科长', date: '2026-11-27', reason: '整改不力' },
  };
  const calls = stubApi({
    'GET /cases/:id': () => ({ body: detail(aCase('20261126-CCCCCC'), recorded ? [record] : []) }),
    'POST /cases/:id/actions': () => {
      recorded = true;
      return { body: { case: { id: '20261126-CCCCCC', status: 'open', version: 2 }, entry: record } };
    },
  });
  renderCases('/cases/20261126-CCCCCC');
  await shown(screen.findByText('监督检查发现问题，立案督办，限 5 个工作日内整改反馈'));
  expectShown(screen.getByText('监督检查'));
  expect(screen.queryByTestId('interview-record')).toBeNull();

  fireEvent.click(screen.getByRole('button', { name: '记录约谈' }));
  type('被约谈人姓名', '李明');
  type('职务', '政务服务科科长');
  type('约谈日期', '2026-11-27');
  type('约谈事由', '整改不力');
  fireEvent.click(screen.getByRole('button', { name: '保存约谈记录' }));

  const shownRecord = await screen.findByTestId('interview-record');
  expect(shownRecord.textContent).toBe('被约谈人：李明（政务服务科科长） · 约谈日期：2026-11-27');
  const post = calls.find((c) => c.method === 'POST')!;
  expect(post.path).toBe('/cases/20261126-CCCCCC/actions');
  expect(post.body).toEqual({
    requestId: expect.stringMatching(/^interview-/),
    type: 'interview',
    name: '李明',
    post: '政务服务科科长',
    date: '2026-11-27',
    reason: '整改不力',
  });
});
