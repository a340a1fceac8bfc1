import type { ReactNode } from 'react';
import { Menu } from 'tdesign-react';
import { Route } from 'react-router-dom';
import { Import } from './pages/Import';

/** Operator-only sections beyond the registry: their menu entries and routes. */
export function extraMenu(operator: boolean): ReactNode {
  if (!operator) return null;
  return <Menu.MenuItem value="/import">批量导入</Menu.MenuItem>;
}

export function extraRoutes(): ReactNode {
  return <Route path="/import" element={<Import />} />;
}
