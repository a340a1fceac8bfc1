import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { AuthProvider } from '../src/auth';
import { Exports } from '../src/pages/Exports';
import { signedIn, stubApi } from './fetch-stub';
import { expectShown, shown } from '../../miniapp/tests/support/shown';

const job = (patch: Record<string, unknown>) => ({
  id: '0123456789abcdef0123456789',
  kind: 'ratings',
  kindLabel: '评价明细',
  format: 'xlsx',
  scope: 'haibei/menyuan',
  scopeName: '门源回族自治县',
  from: '2026-11-01',
  to: '2026-11-30',
  state: 'running',
  stateLabel: '正在导出',
  rows: 2000,
  createdAt: '2026-12-01T02:00:00Z',
  createdBy: 'u1',
  ...patch,
});

beforeEach(() => localStorage.clear());

const page = () =>
  render(
    <AuthProvider>
      <MemoryRouter>
        <Exports />
      </MemoryRouter>
    </AuthProvider>,
  );

test('when a county inspector exports cases as xlsx, then the job is asked for with their county, shows its progress and then a download link', async () => {
  signedIn([{ role: 'inspector', scope: 'haibei/menyuan' }]);
  let lists = 0;
  const calls = stubApi({
    'POST /exports': () => ({ status: 202, body: job({ kind: 'cases', kindLabel: '督办件' }) }),
    'GET /exports': () => {
      lists++;
      if (lists === 1) return { body: { items: [] } };
      if (lists === 2) return { body: { items: [job({ kind: 'cases', kindLabel: '督办件' })] } };
      return {
        body: {
          items: [
            job({
              kind: 'cases',
              kindLabel: '督办件',
              state: 'done',
              stateLabel: '已完成',
              rows: 4321,
              bytes: 2.5 * 1048576,
              url: 'http://127.0.0.1:4569/files/export.xlsx?X-Amz-Signature=x',
            }),
          ],
        },
      };
    },
    'GET /departments': () => ({ body: { items: [] } }),
  });
  page();
  await shown(screen.findByText('还没有导出任务'));
  expectShown(screen.getByText(/导出文件不含任何人的姓名、电话或受理编号/));
  fireEvent.click(screen.getByText('督办件'));
  fireEvent.click(screen.getByText('开始导出'));
  await waitFor(() => expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1));
  const post = calls.find((c) => c.method === 'POST')!;
  expect(post.body).toMatchObject({ kind: 'cases', format: 'xlsx', scope: 'haibei/menyuan' });
  expect(post.body.requestId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  expect(post.body.from).toMatch(/^\d{4}-\d{2}-01$/);
  await shown(screen.findByText('正在导出'));
  // The list is polled while a job runs; when done it links the file.
  const link = await screen.findByText('下载（2.5 MB）', undefined, { timeout: 8000 });
  expectShown(link);
  expect(link.closest('a')!.getAttribute('href')).toContain('X-Amz-Signature=');
  expectShown(screen.getByText('4321'));
});

test('when the export is refused, then the message is shown and the next click is a new request; a lost answer is asked again with the same request id', async () => {
  signedIn([{ role: 'operator', scope: 'haibei' }]);
  let answer: 'refuse' | 'network' | 'ok' = 'refuse';
  const calls = stubApi({
    'POST /exports': () => {
      if (answer === 'refuse')
        return { status: 400, body: { error: { code: 'VALIDATION_FAILED', message: '导出区间不能超过一年' } } };
      if (answer === 'network') throw new TypeError('Failed to fetch');
      return { status: 202, body: job({}) };
    },
    'GET /exports': () => ({ body: { items: [] } }),
  });
  page();
  await shown(screen.findByText('还没有导出任务'));
  fireEvent.click(screen.getByText('开始导出'));
  await shown(screen.findByText('导出区间不能超过一年'));
  answer = 'network';
  fireEvent.click(screen.getByText('开始导出'));
  await shown(screen.findByText('无法连接服务器，请检查网络后重试'));
  answer = 'ok';
  fireEvent.click(screen.getByText('开始导出'));
  await waitFor(() => expect(calls.filter((c) => c.method === 'POST')).toHaveLength(3));
  const [first, second, third] = calls.filter((c) => c.method === 'POST').map((c) => c.body.requestId);
  expect(second).not.toBe(first);
  expect(third).toBe(second);
  // The prefecture operator exports the whole prefecture unless a county is chosen.
  expect(calls.find((c) => c.method === 'POST')!.body.scope).toBeUndefined();
});
