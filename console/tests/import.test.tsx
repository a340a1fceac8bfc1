import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { AuthProvider } from '../src/auth';
import { Import } from '../src/pages/Import';
import { signedIn, stubApi } from './fetch-stub';
import { expectShown, shown } from '../../miniapp/tests/support/shown';

const view = (patch: Record<string, unknown>) => ({
  id: '01jimport0000000000000000a',
  fileName: 'haibei.xlsx',
  state: 'validated',
  stateLabel: '预检通过，待提交',
  counts: { departments: 1, windows: 3, enterprises: 0 },
  errorCount: 0,
  errors: [],
  progress: { done: 0, total: 0 },
  createdAt: '2026-12-01T02:00:00Z',
  createdBy: 'u1',
  ...patch,
});

beforeEach(() => localStorage.clear());

test('when a file with a bad row is uploaded, then the row errors show; after a fixed file the commit runs to done with progress', async () => {
  signedIn();
  let uploads = 0;
  let polls = 0;
  const calls = stubApi({
    'POST /imports': () => {
      uploads++;
      return uploads === 1
        ? {
            status: 201,
            body: view({
              state: 'invalid',
              stateLabel: '预检未通过',
              errorCount: 1,
              errors: [
                {
                  sheet: '窗口',
                  row: 3,
                  externalId: 'w-2',
                  field: 'kind',
                  message: '类型：类型须为 审批科室 或 服务窗口',
                },
              ],
            }),
          }
        : { status: 201, body: view({}) };
    },
    'POST /imports/:id/commit': () => ({
      status: 202,
      body: view({ state: 'committing', stateLabel: '正在提交', progress: { done: 2, total: 8 } }),
    }),
    'GET /imports/:id': () => {
      polls++;
      return { body: view({ state: 'done', stateLabel: '已完成', progress: { done: 8, total: 8 } }) };
    },
  });
  render(
    <AuthProvider>
      <MemoryRouter>
        <Import />
      </MemoryRouter>
    </AuthProvider>,
  );
  const file = new File(['x'], 'haibei.xlsx');
  (file as any).arrayBuffer = async () => new TextEncoder().encode('xlsx-bytes').buffer;
  fireEvent.change(screen.getByTestId('import-file'), { target: { files: [file] } });
  await shown(screen.findByText('类型：类型须为 审批科室 或 服务窗口'));
  expect(screen.getByTestId('import-state').textContent).toBe('预检未通过');
  expect(screen.queryByRole('button', { name: '提交导入' })).toBeNull();
  expect(calls[0].body).toMatchObject({ fileName: 'haibei.xlsx', contentBase64: btoa('xlsx-bytes') });

  fireEvent.change(screen.getByTestId('import-file'), { target: { files: [file] } });
  fireEvent.click(await screen.findByRole('button', { name: '提交导入' }));
  await waitFor(() => expect(screen.getByTestId('import-state').textContent).toBe('已完成'), { timeout: 5000 });
  expectShown(screen.getByText('导入完成，全部数据已生效。'));
  expect(polls).toBeGreaterThan(0);
});
