import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { AuthProvider } from '../src/auth';
import { PosterJobs } from '../src/pages/PosterJobs';
import { signedIn, stubApi } from './fetch-stub';
import { expectShown, shown } from '../../miniapp/tests/support/shown';

const job = (patch: Record<string, unknown>) => ({
  id: '0123456789abcdef0123456789',
  scopeName: '门源回族自治县',
  state: 'running',
  stateLabel: '正在生成',
  progress: { done: 3, total: 12 },
  createdAt: '2026-12-01T02:00:00Z',
  createdBy: 'u1',
  ...patch,
});

beforeEach(() => localStorage.clear());

test('when an operator starts a county’s posters, then the job shows its progress and, once done, a download link', async () => {
  signedIn();
  let lists = 0;
  const calls = stubApi({
    'POST /poster-jobs': () => ({ status: 202, body: job({}) }),
    'GET /poster-jobs': () => {
      lists++;
      if (lists === 1) return { body: { items: [] } };
      if (lists === 2) return { body: { items: [job({})] } };
      return {
        body: {
          items: [
            job({
              state: 'done',
              stateLabel: '已完成',
              progress: { done: 12, total: 12 },
              windows: 311,
              bytes: 3 * 1024 * 1024,
              url: 'http://127.0.0.1:4569/files/posters.zip?X-Amz-Signature=x',
            }),
          ],
        },
      };
    },
    'GET /departments': () => ({ body: { items: [] } }),
  });
  render(
    <AuthProvider>
      <MemoryRouter>
        <PosterJobs />
      </MemoryRouter>
    </AuthProvider>,
  );
  await shown(screen.findByText('还没有海报任务'));
  const start = () => screen.getByText('开始生成').closest('.t-button')!;
  expect(start().classList.contains('t-is-disabled')).toBe(true);
  fireEvent.click(screen.getByText('全州'));
  await waitFor(() => expect(start().classList.contains('t-is-disabled')).toBe(false));
  fireEvent.click(start());
  await shown(screen.findByText('3/12'));
  expect(calls.find((c) => c.method === 'POST')).toMatchObject({ path: '/poster-jobs', body: {} });
  expect(calls.find((c) => c.method === 'POST')!.body.requestId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  expect(calls.find((c) => c.method === 'POST')!.body.countyId).toBeUndefined();
  const link = await screen.findByText('下载（3.0 MB）', {}, { timeout: 6000 });
  expect(link.closest('a')!.getAttribute('href')).toContain('X-Amz-Signature=');
  expectShown(screen.getByText('311'));
});
