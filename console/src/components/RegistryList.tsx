import { useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Button, Input, MessagePlugin, Select, Space, Tag, type PrimaryTableCol } from 'tdesign-react';
import { REGISTRY_STATUS_LABELS, type RegistryStatus } from '@mashang/shared';
import { api } from '../api';
import { useAuth } from '../auth';
import { CursorTable } from './CursorTable';
import { FormDialog, type FieldSpec } from './FieldForm';
import { PageHeader } from './PageHeader';
import { REGION_OPTIONS } from '../regions';

/** A row of a registry list (departments, windows, enterprises). */
export interface RegistryRow {
  id: string;
  name: string;
  status?: RegistryStatus;
}

/** The filters other than county and the search box: they read and write the URL through `value` and `set`. */
export interface ExtraFilters {
  /** Their URL keys, in the order the API query lists them (between county and q). */
  keys: string[];
  render: (f: { county: string; value: (key: string) => string; set: (key: string, v: string) => void }) => ReactNode;
}

/**
 * One registry list page: a header with 新建 for operators, county / extra filters / name search held in the URL,
 * the cursor-paged table with a 状态 column, and (when `retire` is given) 停用 per active row with a reason dialog.
 * `noun` (部门, 企业, 窗口) writes the messages: 没有符合条件的…, 已新建…：name, 停用…：name.
 */
export function RegistryList<T extends RegistryRow>(props: {
  title: string;
  intro: ReactNode;
  noun: string;
  /** The API list (and create/retire) path, e.g. `/departments`. */
  path: string;
  columns: PrimaryTableCol<T>[];
  countyOptions?: { value: string; label: string }[];
  extraFilters?: ExtraFilters;
  testId?: string;
  /** The 新建 dialog; it calls `onCreated(name)` once the API accepted it. */
  createDialog?: (p: { onClose: () => void; onCreated: (name: string) => void }) => ReactNode;
  retire?: { fields: FieldSpec[]; done: string };
}) {
  const [params, setParams] = useSearchParams();
  const county = params.get('county') ?? '';
  const q = params.get('q') ?? '';
  const extraKeys = props.extraFilters?.keys ?? [];
  const extra = Object.fromEntries(extraKeys.map((k) => [k, params.get(k) ?? '']));
  const [search, setSearch] = useState(q);
  const [creating, setCreating] = useState(false);
  const [retiring, setRetiring] = useState<T | null>(null);
  const [version, setVersion] = useState(0);
  const { has } = useAuth();
  const operator = has('operator');
  const set = (k: string, v: string) => {
    const p = new URLSearchParams(params);
    if (v) p.set(k, v);
    else p.delete(k);
    // The extra filters (a department) belong to the county chosen before.
    if (k === 'county') for (const e of extraKeys) p.delete(e);
    setParams(p);
  };
  const reload = () => setVersion((x) => x + 1);
  const countyOptions = props.countyOptions ?? REGION_OPTIONS;

  const columns: PrimaryTableCol<T>[] = [
    ...props.columns,
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
    ...(operator && props.retire
      ? [
          {
            colKey: 'op',
            title: '操作',
            width: 100,
            cell: ({ row }: { row: T }) =>
              row.status !== 'retired' ? (
                <Button variant="text" theme="danger" onClick={() => setRetiring(row)}>
                  停用
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <div>
      <PageHeader
        title={props.title}
        extra={
          operator && props.createDialog ? <Button onClick={() => setCreating(true)}>新建{props.noun}</Button> : null
        }
      >
        {props.intro}
      </PageHeader>
      <Space style={{ marginBottom: 16 }} breakLine>
        <Select
          value={county}
          onChange={(v) => set('county', String(v ?? ''))}
          options={countyOptions}
          clearable
          placeholder="全部区县"
          style={{ width: 180 }}
          aria-label="区县"
        />
        {props.extraFilters?.render({ county, value: (k) => extra[k] ?? '', set })}
        <Input
          value={search}
          onChange={(v) => setSearch(String(v))}
          onEnter={() => set('q', search.trim())}
          placeholder={`${props.noun}名称`}
          style={{ width: 220 }}
          aria-label={`搜索${props.noun}`}
        />
        <Button variant="outline" onClick={() => set('q', search.trim())}>
          搜索
        </Button>
      </Space>
      <CursorTable<T>
        testId={props.testId}
        rowKey="id"
        deps={[county, ...extraKeys.map((k) => extra[k]), q, version]}
        load={(cursor) => api(props.path, { query: { county, ...extra, q, cursor, limit: 20 } })}
        empty={`没有符合条件的${props.noun}`}
        columns={columns}
      />
      {creating && props.createDialog
        ? props.createDialog({
            onClose: () => setCreating(false),
            onCreated: (name) => {
              void MessagePlugin.success(`已新建${props.noun}：${name}`);
              reload();
            },
          })
        : null}
      {retiring && props.retire ? (
        <FormDialog
          header={`停用${props.noun}：${retiring.name}`}
          visible
          submitText="确定停用"
          onClose={() => setRetiring(null)}
          fields={props.retire.fields}
          onSubmit={async (v) => {
            await api(`${props.path}/${encodeURIComponent(retiring.id)}/retire`, { method: 'POST', body: v });
            void MessagePlugin.success(props.retire!.done);
            reload();
          }}
        />
      ) : null}
    </div>
  );
}
