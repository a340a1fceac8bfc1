import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Button, Input, MessagePlugin, Select, Space, Tag } from 'tdesign-react';
import { DEPARTMENT_LEVELS, REGISTRY_STATUS_LABELS, type DepartmentView } from '@mashang/shared';
import { api } from '../api';
import { useAuth } from '../auth';
import { CursorTable } from '../components/CursorTable';
import { FormDialog } from '../components/FieldForm';
import { PageHeader } from '../components/PageHeader';
import { REGION_OPTIONS } from '../regions';

export function Departments() {
  const [params, setParams] = useSearchParams();
  const county = params.get('county') ?? '';
  const q = params.get('q') ?? '';
  const [search, setSearch] = useState(q);
  const [creating, setCreating] = useState(false);
  const [retiring, setRetiring] = useState<DepartmentView | null>(null);
  const [version, setVersion] = useState(0);
  const { has } = useAuth();
  const operator = has('operator');
  const set = (k: string, v: string) => {
    const p = new URLSearchParams(params);
    if (v) p.set(k, v);
    else p.delete(k);
    setParams(p);
  };
  return (
    <div>
      <PageHeader title="部门" extra={operator ? <Button onClick={() => setCreating(true)}>新建部门</Button> : null}>
        部门属于区县（或海北州本级），层级为州、县、乡、村。
      </PageHeader>
      <Space style={{ marginBottom: 16 }}>
        <Select
          value={county}
          onChange={(v) => set('county', String(v ?? ''))}
          options={REGION_OPTIONS}
          clearable
          placeholder="全部区县"
          style={{ width: 180 }}
          aria-label="区县"
        />
        <Input
          value={search}
          onChange={(v) => setSearch(String(v))}
          onEnter={() => set('q', search.trim())}
          placeholder="部门名称"
          style={{ width: 220 }}
          aria-label="搜索部门"
        />
        <Button variant="outline" onClick={() => set('q', search.trim())}>
          搜索
        </Button>
      </Space>
      <CursorTable<DepartmentView>
        rowKey="id"
        deps={[county, q, version]}
        load={(cursor) => api('/departments', { query: { county, q, cursor, limit: 20 } })}
        empty="没有符合条件的部门"
        columns={[
          { colKey: 'name', title: '部门名称' },
          { colKey: 'id', title: '编号', width: 200 },
          { colKey: 'level', title: '层级', width: 80 },
          { colKey: 'county', title: '区县', cell: ({ row }) => row.county.name },
          {
            colKey: 'status',
            title: '状态',
            width: 90,
            cell: ({ row }) => (
              <Tag theme={row.status === 'retired' ? 'default' : 'success'}>{REGISTRY_STATUS_LABELS[row.status]}</Tag>
            ),
          },
          ...(operator
            ? [
                {
                  colKey: 'op',
                  title: '操作',
                  width: 100,
                  cell: ({ row }: { row: DepartmentView }) =>
                    row.status === 'active' ? (
                      <Button variant="text" theme="danger" onClick={() => setRetiring(row)}>
                        停用
                      </Button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      {creating ? (
        <FormDialog
          header="新建部门"
          visible
          onClose={() => setCreating(false)}
          fields={[
            { name: 'regionId', label: '区县', kind: 'select', options: REGION_OPTIONS },
            { name: 'id', label: '部门编号', placeholder: '例如 menyuan-hmz', help: '小写字母、数字和短横线' },
            { name: 'name', label: '部门名称', placeholder: '例如 浩门镇便民服务中心' },
            {
              name: 'level',
              label: '层级',
              kind: 'select',
              options: DEPARTMENT_LEVELS.map((l) => ({ value: l, label: l })),
            },
          ]}
          onSubmit={async (v) => {
            const d = await api<DepartmentView>('/departments', { method: 'POST', body: v });
            void MessagePlugin.success(`已新建部门：${d.name}`);
            setVersion((x) => x + 1);
          }}
        />
      ) : null}
      {retiring ? (
        <FormDialog
          header={`停用部门：${retiring.name}`}
          visible
          submitText="确定停用"
          onClose={() => setRetiring(null)}
          fields={[
            {
              name: 'reason',
              label: '停用原因',
              placeholder: '例如 机构改革合并',
              help: '部门下还有在用窗口时不能停用',
            },
          ]}
          onSubmit={async (v) => {
            await api(`/departments/${encodeURIComponent(retiring.id)}/retire`, { method: 'POST', body: v });
            void MessagePlugin.success('部门已停用');
            setVersion((x) => x + 1);
          }}
        />
      ) : null}
    </div>
  );
}
