import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { AuthProvider } from '../src/auth';
import { People } from '../src/pages/People';
import { expectShown } from '../../miniapp/tests/support/shown';
import { signedIn, stubApi } from './fetch-stub';

const person = (grants: { role: string; scope: string; roleLabel: string }[]) => ({
  id: 'p0123456789abcdef0123456789',
  name: '马建国',
  post: '副局长',
  phone: '139****5678',
  department: { id: 'menyuan-scjg', name: '门源县市场监督管理局' },
  county: { id: 'menyuan', name: '门源回族自治县' },
  path: 'haibei/menyuan/menyuan-scjg',
  grants,
  createdAt: '2026-12-01T02:00:00Z',
});

beforeEach(() => localStorage.clear());

test('when an operator revokes a role and issues a binding code, then the API is asked for exactly that and the code is shown', async () => {
  signedIn();
  const handler = { role: 'handler', scope: 'haibei/menyuan/menyuan-scjg', roleLabel: '部门负责人' };
  let revoked = false;
  const calls = stubApi({
    'GET /people': () => ({ body: { items: [person(revoked ? [] : [handler])] } }),
    'POST /people/:id/grants/revoke': () => {
      revoked = true;
      return { body: person([]) };
    },
    'POST /people/:id/binding-code': () => ({
      status: 201,
      body: { personId: 'p0123456789abcdef0123456789', code: '482913', validUntil: '2026-12-08T02:00:00Z' },
    }),
    'GET /departments': () => ({ body: { items: [] } }),
  });
  render(
    <AuthProvider>
      <MemoryRouter>
        <People />
      </MemoryRouter>
    </AuthProvider>,
  );
  expectShown(await screen.findByText('马建国', {}, { timeout: 8000 }));
  expectShown(screen.getByText('139****5678'));
  const tag = screen.getByText('部门负责人·menyuan-scjg').closest('.t-tag')!;
  fireEvent.click(tag.querySelector('.t-tag__icon-close, svg')!);
  await waitFor(() => expect(calls.some((c) => c.path.endsWith('/grants/revoke'))).toBe(true), { timeout: 8000 });
  expect(calls.find((c) => c.path.endsWith('/grants/revoke'))!.body).toEqual({
    requestId: expect.stringMatching(/^[A-Za-z0-9_-]{8,64}$/),
    role: 'handler',
    scope: 'haibei/menyuan/menyuan-scjg',
  });
  expectShown(await screen.findByText('无', {}, { timeout: 8000 }));

  fireEvent.click(screen.getByText('绑定码'));
  expect((await screen.findByTestId('binding-code', {}, { timeout: 8000 })).textContent).toBe('482913');
});
