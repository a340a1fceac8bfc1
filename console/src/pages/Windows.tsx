import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Button, Input, MessagePlugin, Select, Space, Tag } from 'tdesign-react';
import {
  REGISTRY_STATUS_LABELS,
  WINDOW_KINDS,
  type DepartmentView,
  type WindowDetailView,
  type WindowView,
} from '@mashang/shared';
import { api } from '../api';
import { useAuth } from '../auth';
import { CursorTable } from '../components/CursorTable';
import { FormDialog } from '../components/FieldForm';
import { PageHeader } from '../components/PageHeader';
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
  const [params, setParams] = useSearchParams();
  const county = params.get('county') ?? '';
  const departmentId = params.get('departmentId') ?? '';
  const q = params.get('q') ?? '';
  const [search, setSearch] = useState(q);
  const [creating, setCreating] = useState(false);
  const [version, setVersion] = useState(0);
  const { has } = useAuth();
  const departments = useDepartments(county || undefined);
  const set = (k: string, v: string) => {
    const p = new URLSearchParams(params);
    if (v) p.set(k, v);
    else p.delete(k);
    if (k === 'county') p.delete('departmentId');
    setParams(p);
  };

  return (
    <div>
      <PageHeader
        title="窗口与监督码"
        extra={has('operator') ? <Button onClick={() => setCreating(true)}>新建窗口</Button> : null}
      >
        按区县、部门筛选，按名称搜索；点击窗口查看监督码、停用或重新生成、打印海报。
      </PageHeader>
      <Space style={{ marginBottom: 16 }} breakLine>
        <Select
          value={county}
          onChange={(v) => set('county', String(v ?? ''))}
          options={REGION_OPTIONS}
          clearable
          placeholder="全部区县"
          style={{ width: 180 }}
          aria-label="区县"
        />
        <Select
          value={departmentId}
          onChange={(v) => set('departmentId', String(v ?? ''))}
          options={departments.map((d) => ({ value: d.id, label: d.name }))}
          clearable
          disabled={!county}
          placeholder={county ? '全部部门' : '先选择区县'}
          style={{ width: 240 }}
          aria-label="部门"
        />
        <Input
          value={search}
          onChange={(v) => setSearch(String(v))}
          onEnter={() => set('q', search.trim())}
          placeholder="窗口名称"
          style={{ width: 220 }}
          aria-label="搜索窗口"
        />
        <Button variant="outline" onClick={() => set('q', search.trim())}>
          搜索
        </Button>
      </Space>
      <CursorTable<WindowView & { status?: string }>
        testId="windows-table"
        rowKey="id"
        deps={[county, departmentId, q, version]}
        load={(cursor) => api('/windows', { query: { county, departmentId, q, cursor, limit: 20 } })}
        empty="没有符合条件的窗口"
        columns={[
          { colKey: 'name', title: '窗口名称', cell: ({ row }) => <Link to={`/windows/${row.id}`}>{row.name}</Link> },
          { colKey: 'department', title: '部门', cell: ({ row }) => row.department.name },
          { colKey: 'county', title: '区县', cell: ({ row }) => row.county.name },
          { colKey: 'kind', title: '类型', width: 100 },
          {
            colKey: 'status',
            title: '状态',
            width: 90,
            cell: ({ row }) => (
              <Tag theme={row.status === 'retired' ? 'default' : 'success'}>
                {REGISTRY_STATUS_LABELS[(row.status ?? 'active') as 'active']}
              </Tag>
            ),
          },
        ]}
      />
      {creating ? (
        <CreateWindowDialog
          onClose={() => setCreating(false)}
          onCreated={(w) => {
            void MessagePlugin.success(`已新建窗口：${w.name}`);
            setVersion((x) => x + 1);
          }}
        />
      ) : null}
    </div>
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
