import { useState } from 'react';
import { Select } from 'tdesign-react';
import { PREFECTURE_ID, REGIONS } from '@mashang/shared';
import { useAuth } from '../auth';
import { useDepartments } from '../pages/Windows';

/**
 * The county → department scope an inspector or operator may choose (月度报告, 数据导出): the counties of their own
 * scopes (all of them with a prefecture scope), then a department of the chosen county. `scope` is the chosen
 * department's path, else the county's, else undefined (the caller's whole scope); `departmentPending` is true while
 * a chosen department's path is still loading.
 */
export function useScopeSelects() {
  const { user } = useAuth();
  const scopes = (user?.roles ?? []).filter((g) => g.role === 'inspector' || g.role === 'operator').map((g) => g.scope);
  const all = scopes.includes(PREFECTURE_ID);
  const regionOptions = REGIONS.filter((r) => all || scopes.some((s) => s.split('/')[1] === r.id)).map((r) => ({
    value: r.id,
    label: r.name,
  }));
  const [county, setCounty] = useState(all ? '' : (regionOptions[0]?.value ?? ''));
  const [departmentId, setDepartmentId] = useState('');
  const departments = useDepartments(county || undefined);
  const deptPath = departments.find((d) => d.id === departmentId)?.path;
  const scope = deptPath ?? (county ? `${PREFECTURE_ID}/${county}` : undefined);

  const selects = (
    <>
      <Select
        value={county}
        onChange={(v) => {
          setCounty(String(v ?? ''));
          setDepartmentId('');
        }}
        options={regionOptions}
        clearable={all}
        placeholder="全州"
        style={{ width: 180 }}
        aria-label="区县"
      />
      <Select
        value={departmentId}
        onChange={(v) => setDepartmentId(String(v ?? ''))}
        options={departments.map((d) => ({ value: d.id, label: d.name }))}
        clearable
        filterable
        disabled={!county}
        placeholder="全部部门"
        style={{ width: 240 }}
        aria-label="部门"
      />
    </>
  );
  return { scope, departmentPending: !!departmentId && !deptPath, selects };
}
