import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Button, Input, MessagePlugin, Select, Space, Tag } from 'tdesign-react';
import { REGISTRY_STATUS_LABELS, type EnterpriseDetailView, type EnterpriseView } from '@mashang/shared';
import { api } from '../api';
import { useAuth } from '../auth';
import { CursorTable } from '../components/CursorTable';
import { FormDialog } from '../components/FieldForm';
import { PageHeader } from '../components/PageHeader';
import { REGION_OPTIONS } from '../regions';

export function Enterprises() {
  const [params, setParams] = useSearchParams();
  const county = params.get('county') ?? '';
  const q = params.get('q') ?? '';
  const [search, setSearch] = useState(q);
  const [creating, setCreating] = useState(false);
  const [retiring, setRetiring] = useState<EnterpriseView | null>(null);
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
      <PageHeader title="企业" extra={operator ? <Button onClick={() => setCreating(true)}>新建企业</Button> : null}>
        统一社会信用代码按 GB 32100-2015 校验，每个代码只能登记一家企业。
      </PageHeader>
      <Space style={{ marginBottom: 16 }}>
        <Select
          value={county}
          onChange={(v) => set('county', String(v ?? ''))}
          options={REGION_OPTIONS.filter((r) => r.value !== 'zhou')}
          clearable
          placeholder="全部区县"
          style={{ width: 180 }}
          aria-label="区县"
        />
        <Input
          value={search}
          onChange={(v) => setSearch(String(v))}
          onEnter={() => set('q', search.trim())}
          placeholder="企业名称"
          style={{ width: 220 }}
          aria-label="搜索企业"
        />
        <Button variant="outline" onClick={() => set('q', search.trim())}>
          搜索
        </Button>
      </Space>
      <CursorTable<EnterpriseView>
        rowKey="id"
        deps={[county, q, version]}
        load={(cursor) => api('/enterprises', { query: { county, q, cursor, limit: 20 } })}
        empty="没有符合条件的企业"
        columns={[
          { colKey: 'name', title: '企业名称' },
          { colKey: 'creditCode', title: '统一社会信用代码', width: 200 },
          { colKey: 'county', title: '区县', cell: ({ row }) => row.county.name },
          { colKey: 'code', title: '监督码', cell: ({ row }) => <code>{row.code}</code> },
          {
            colKey: 'status',
            title: '状态',
            width: 90,
            cell: ({ row }) => (
              <Tag theme={row.status === 'retired' ? 'default' : 'success'}>
                {REGISTRY_STATUS_LABELS[row.status ?? 'active']}
              </Tag>
            ),
          },
          ...(operator
            ? [
                {
                  colKey: 'op',
                  title: '操作',
                  width: 100,
                  cell: ({ row }: { row: EnterpriseView }) =>
                    row.status !== 'retired' ? (
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
          header="新建企业"
          visible
          onClose={() => setCreating(false)}
          fields={[
            {
              name: 'regionId',
              label: '区县',
              kind: 'select',
              options: REGION_OPTIONS.filter((r) => r.value !== 'zhou'),
            },
            { name: 'id', label: '企业编号', placeholder: '例如 ent-menyuan-0130', help: '小写字母、数字和短横线' },
            { name: 'name', label: '企业名称' },
            { name: 'creditCode', label: '统一社会信用代码', placeholder: '18 位' },
            { name: 'contactName', label: '联系人' },
            { name: 'contactPhone', label: '联系电话', placeholder: '11 位手机号' },
          ]}
          onSubmit={async (v) => {
            const e = await api<EnterpriseDetailView>('/enterprises', { method: 'POST', body: v });
            void MessagePlugin.success(`已新建企业：${e.name}`);
            setVersion((x) => x + 1);
          }}
        />
      ) : null}
      {retiring ? (
        <FormDialog
          header={`停用企业：${retiring.name}`}
          visible
          submitText="确定停用"
          onClose={() => setRetiring(null)}
          fields={[{ name: 'reason', label: '停用原因', placeholder: '例如 企业注销' }]}
          onSubmit={async (v) => {
            await api(`/enterprises/${encodeURIComponent(retiring.id)}/retire`, { method: 'POST', body: v });
            void MessagePlugin.success('企业已停用，监督码同时停止使用');
            setVersion((x) => x + 1);
          }}
        />
      ) : null}
    </div>
  );
}
