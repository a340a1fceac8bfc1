import { render } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { AuthProvider } from '../src/auth';

/** Render one page at `path` under its route pattern, signed in as the stored session says. */
export function renderAt(path: string, element: JSX.Element, route: string) {
  return render(
    <AuthProvider>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path={route} element={element} />
        </Routes>
      </MemoryRouter>
    </AuthProvider>,
  );
}
