import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Select } from 'tdesign-react';
import {
  WINDOW_KINDS,
  type DepartmentView,
  type RegistryStatus,
  type WindowDetailView,
  type WindowView,
} from '@mashang/shared';
import { api } from '../api';
import { FormDialog } from '../components/FieldForm';
import { RegistryList } from '../components/RegistryList';
import { REGION_OPTIONS } from '../regions';

/** The departments of a county, for filters and forms. */
export function useDepartments(county: string | undefined) {
  const [list, setList] = useState<DepartmentView[]>([]);
  useEffect(() => {
    if (!county) {
      setList([]);
      return;
    }
    let live = true;
    api<{ items: DepartmentView[] }>('/departments', { query: { county, limit: 100 } })
      .then((r) => live && setList(r.items))
      .catch(() => live && setList([]));
    return () => {
      live = false;
    };
  }, [county]);
  return list;
}

export function Windows() {
  return (
    <RegistryList<WindowView & { status?: RegistryStatus }>
      title="窗口与监督码"
      intro="按区县、部门筛选，按名称搜索；点击窗口查看监督码、停用或重新生成、打印海报。"
      noun="窗口"
      path="/windows"
      testId="windows-table"
      extraFilters={{ keys: ['departmentId'], render: (f) => <DepartmentFilter {...f} /> }}
      columns={[
        { colKey: 'name', title: '窗口名称', cell: ({ row }) => <Link to={`/windows/${row.id}`}>{row.name}</Link> },
        { colKey: 'department', title: '部门', cell: ({ row }) => row.department.name },
        { colKey: 'county', title: '区县', cell: ({ row }) => row.county.name },
        { colKey: 'kind', title: '类型', width: 100 },
      ]}
      createDialog={({ onClose, onCreated }) => (
        <CreateWindowDialog onClose={onClose} onCreated={(w) => onCreated(w.name)} />
      )}
    />
  );
}

/** The department filter: the chosen county's departments (cleared when the county changes). */
function DepartmentFilter({
  county,
  value,
  set,
}: {
  county: string;
  value: (key: string) => string;
  set: (key: string, v: string) => void;
}) {
  const departments = useDepartments(county || undefined);
  return (
    <Select
      value={value('departmentId')}
      onChange={(v) => set('departmentId', String(v ?? ''))}
      options={departments.map((d) => ({ value: d.id, label: d.name }))}
      clearable
      disabled={!county}
      placeholder={county ? '全部部门' : '先选择区县'}
      style={{ width: 240 }}
      aria-label="部门"
    />
  );
}

function CreateWindowDialog(props: { onClose: () => void; onCreated: (w: WindowDetailView) => void }) {
  const [county, setCounty] = useState('');
  const departments = useDepartments(county || undefined);
  return (
    <FormDialog
      header="新建窗口"
      visible
      onClose={props.onClose}
      onValuesChange={(v) => setCounty(v.regionId ?? '')}
      fields={[
        { name: 'regionId', label: '区县', kind: 'select', options: REGION_OPTIONS },
        {
          name: 'departmentId',
          label: '所属部门',
          kind: 'select',
          options: departments.map((d) => ({ value: d.id, label: d.name })),
          placeholder: '先选择区县',
        },
        {
          name: 'id',
          label: '窗口编号',
          placeholder: '例如 menyuan-scjg-w30',
          help: '小写字母、数字和短横线；导入时即“外部编号”',
        },
        { name: 'name', label: '窗口名称', placeholder: '例如 食品经营许可窗口2号' },
        { name: 'kind', label: '类型', kind: 'select', options: WINDOW_KINDS.map((k) => ({ value: k, label: k })) },
      ]}
      onSubmit={async (v) => {
        const { regionId: _region, ...body } = v;
        props.onCreated(await api<WindowDetailView>('/windows', { method: 'POST', body }));
      }}
    />
  );
}
