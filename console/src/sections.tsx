import type { ReactNode } from 'react';
import { Menu } from 'tdesign-react';
import { Route } from 'react-router-dom';
import { Import } from './pages/Import';
import { People } from './pages/People';
import { PosterJobs } from './pages/PosterJobs';

/** Operator-only sections beyond the registry: their menu entries and routes. */
export function extraMenu(operator: boolean): ReactNode {
  if (!operator) return null;
  return [
    <Menu.MenuItem key="import" value="/import">
      批量导入
    </Menu.MenuItem>,
    <Menu.MenuItem key="posters" value="/posters">
      批量海报
    </Menu.MenuItem>,
    <Menu.MenuItem key="people" value="/people">
      人员与角色
    </Menu.MenuItem>,
  ];
}

export function extraRoutes(): ReactNode {
  return [
    <Route key="import" path="/import" element={<Import />} />,
    <Route key="posters" path="/posters" element={<PosterJobs />} />,
    <Route key="people" path="/people" element={<People />} />,
  ];
}
