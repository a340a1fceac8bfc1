import { useEffect, useState } from 'react';
import { Alert, Button, Dialog, Input, MessagePlugin, Select, Space, Tag } from 'tdesign-react';
import {
  GRANTABLE_ROLES,
  PREFECTURE_ID,
  ROLE_LABELS,
  type DepartmentView,
  type PersonView,
  type RoleGrant,
  type WindowView,
} from '@mashang/shared';
import { api, errorText, newRequestId } from '../api';
import { CursorTable } from '../components/CursorTable';
import { FormDialog } from '../components/FieldForm';
import { PageHeader } from '../components/PageHeader';
import { REGION_OPTIONS } from '../regions';
import { useDepartments } from './Windows';

const ROLE_OPTIONS = GRANTABLE_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));

/** Where a role applies, in words: the last segment of the scope path is the unit's id. */
const scopeText = (scope: string) => {
  const parts = scope.split('/');
  if (parts.length === 1) return '全州';
  if (parts.length === 2) return REGION_OPTIONS.find((r) => r.value === parts[1])?.label ?? parts[1];
  return parts[parts.length - 1];
};

function useWindows(departmentId: string | undefined) {
  const [list, setList] = useState<WindowView[]>([]);
  useEffect(() => {
    if (!departmentId) return setList([]);
    let live = true;
    api<{ items: WindowView[] }>('/windows', { query: { departmentId, limit: 100 } })
      .then((r) => live && setList(r.items))
      .catch(() => live && setList([]));
    return () => {
      live = false;
    };
  }, [departmentId]);
  return list;
}

/** The scope a grant takes from the dialog's choice: the person's department, its county, the prefecture, a window. */
function scopeOf(dept: DepartmentView | undefined, where: string, windowPath?: string): string | undefined {
  if (!dept) return undefined;
  if (where === 'window') return windowPath;
  if (where === 'county') return dept.path.split('/').slice(0, 2).join('/');
  if (where === 'prefecture') return PREFECTURE_ID;
  return dept.path;
}

const WHERE_OPTIONS = [
  { value: 'department', label: '本部门' },
  { value: 'window', label: '本部门的一个窗口' },
  { value: 'county', label: '本区县' },
  { value: 'prefecture', label: '全州' },
];

/**
 * 人员与角色: officials and window staff of a department or county; register a person with a role, grant and revoke
 * roles within the operator's scope, and issue the one-time code that binds the person's WeChat account.
 */
export function People() {
  const [county, setCounty] = useState('');
  const [departmentId, setDepartmentId] = useState('');
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const departments = useDepartments(county || undefined);
  const [version, setVersion] = useState(0);
  const [creating, setCreating] = useState(false);
  const [granting, setGranting] = useState<PersonView | null>(null);
  const [code, setCode] = useState<{ person: PersonView; code: string; validUntil: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const revoke = async (p: PersonView, g: RoleGrant) => {
    try {
      await api(`/people/${p.id}/grants/revoke`, { method: 'POST', body: { role: g.role, scope: g.scope } });
      void MessagePlugin.success(`已撤销 ${p.name} 的“${ROLE_LABELS[g.role]}”角色（1 分钟内生效）`);
      setVersion((v) => v + 1);
    } catch (e) {
      setError(errorText(e));
    }
  };

  const issueCode = async (p: PersonView) => {
    try {
      const r = await api<{ code: string; validUntil: string }>(`/people/${p.id}/binding-code`, { method: 'POST' });
      setCode({ person: p, ...r });
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <div>
      <PageHeader
        title="人员与角色"
        extra={
          <Button theme="primary" onClick={() => setCreating(true)}>
            新建人员
          </Button>
        }
      >
        登记干部和窗口工作人员，在您的管理范围内授予或撤销角色；本人用微信登录后输入一次性绑定码即可绑定账号。
        企业联系人由企业自行扫码绑定（见“企业”）。
      </PageHeader>
      <Space style={{ marginBottom: 12 }} breakLine>
        <Select
          value={county}
          onChange={(v) => {
            setCounty(String(v ?? ''));
            setDepartmentId('');
          }}
          options={REGION_OPTIONS}
          placeholder="全部区县"
          clearable
          style={{ width: 180 }}
        />
        <Select
          value={departmentId}
          onChange={(v) => setDepartmentId(String(v ?? ''))}
          options={departments.map((d) => ({ value: d.id, label: d.name }))}
          placeholder={county ? '全部部门' : '先选择区县'}
          clearable
          filterable
          style={{ width: 260 }}
        />
        <Input
          value={search}
          onChange={(v) => setSearch(String(v))}
          onEnter={() => setQ(search.trim())}
          placeholder="按姓名搜索，回车确认"
          style={{ width: 220 }}
        />
      </Space>
      {error ? (
        <Alert theme="error" message={error} closeBtn onClose={() => setError(null)} style={{ marginBottom: 12 }} />
      ) : null}
      <CursorTable<PersonView>
        testId="people"
        rowKey="id"
        deps={[county, departmentId, q, version]}
        empty="暂无人员"
        load={(cursor) =>
          api('/people', {
            query: { county: county || undefined, departmentId: departmentId || undefined, q: q || undefined, cursor },
          })
        }
        columns={[
          { colKey: 'name', title: '姓名', width: 100 },
          { colKey: 'post', title: '职务', width: 120 },
          { colKey: 'department', title: '部门', width: 200, cell: ({ row }) => row.department.name },
          { colKey: 'phone', title: '手机', width: 130 },
          {
            colKey: 'grants',
            title: '角色（点 × 撤销）',
            cell: ({ row }) => (
              <Space breakLine size={4}>
                {row.grants.length === 0 ? <span style={{ color: '#999' }}>无</span> : null}
                {row.grants.map((g) => (
                  <Tag
                    key={`${g.role}${g.scope}`}
                    theme="primary"
                    variant="light"
                    closable
                    onClose={() => void revoke(row, g)}
                  >
                    {g.roleLabel}·{scopeText(g.scope)}
                  </Tag>
                ))}
              </Space>
            ),
          },
          {
            colKey: 'bound',
            title: '微信',
            width: 90,
            cell: ({ row }) => (row.userId ? <Tag theme="success">已绑定</Tag> : <Tag theme="default">未绑定</Tag>),
          },
          {
            colKey: 'op',
            title: '操作',
            width: 190,
            cell: ({ row }) => (
              <Space>
                <Button size="small" variant="outline" onClick={() => setGranting(row)}>
                  授予角色
                </Button>
                {!row.userId ? (
                  <Button size="small" variant="text" theme="primary" onClick={() => void issueCode(row)}>
                    绑定码
                  </Button>
                ) : null}
              </Space>
            ),
          },
        ]}
      />
      {creating ? (
        <PersonDialog
          onClose={() => setCreating(false)}
          onDone={(p) => {
            void MessagePlugin.success(`已登记：${p.name}`);
            setVersion((v) => v + 1);
          }}
        />
      ) : null}
      {granting ? (
        <GrantDialog
          person={granting}
          onClose={() => setGranting(null)}
          onDone={() => {
            void MessagePlugin.success('已授予角色');
            setVersion((v) => v + 1);
          }}
        />
      ) : null}
      {code ? (
        <Dialog
          header="微信绑定码"
          visible
          onClose={() => setCode(null)}
          cancelBtn={null}
          confirmBtn="知道了"
          onConfirm={() => setCode(null)}
        >
          <p>
            请将人员编号和绑定码交给 <strong>{code.person.name}</strong>，本人用微信登录后输入即可绑定账号并获得其角色。
          </p>
          <p>
            人员编号：<code>{code.person.id}</code>
          </p>
          <p style={{ fontSize: 28, letterSpacing: 6, fontWeight: 600 }} data-testid="binding-code">
            {code.code}
          </p>
          <p style={{ color: '#666' }}>
            一次有效，有效期至 {new Date(code.validUntil).toLocaleString('zh-CN', { hour12: false })}。
          </p>
        </Dialog>
      ) : null}
    </div>
  );
}

function PersonDialog(props: { onClose: () => void; onDone: (p: PersonView) => void }) {
  const [county, setCounty] = useState('');
  const [deptId, setDeptId] = useState('');
  const [where, setWhere] = useState('department');
  const departments = useDepartments(county || undefined);
  const windows = useWindows(where === 'window' ? deptId : undefined);
  return (
    <FormDialog
      header="新建人员"
      visible
      onClose={props.onClose}
      initial={{ where: 'department' }}
      onValuesChange={(v) => {
        setCounty(v.regionId ?? '');
        setDeptId(v.departmentId ?? '');
        setWhere(v.where ?? 'department');
      }}
      fields={[
        { name: 'name', label: '姓名' },
        { name: 'post', label: '职务', placeholder: '例如 副局长、窗口工作人员' },
        { name: 'phone', label: '手机号', placeholder: '11 位手机号，用于接收提醒' },
        { name: 'regionId', label: '区县', kind: 'select', options: REGION_OPTIONS },
        {
          name: 'departmentId',
          label: '所属部门',
          kind: 'select',
          options: departments.map((d) => ({ value: d.id, label: d.name })),
          placeholder: '先选择区县',
        },
        { name: 'role', label: '角色', kind: 'select', options: ROLE_OPTIONS, placeholder: '可稍后授予' },
        { name: 'where', label: '角色范围', kind: 'select', options: WHERE_OPTIONS },
        ...(where === 'window'
          ? [
              {
                name: 'windowId',
                label: '窗口',
                kind: 'select' as const,
                options: windows.map((w) => ({ value: w.id, label: w.name })),
              },
            ]
          : []),
      ]}
      onSubmit={async (v) => {
        const dept = departments.find((d) => d.id === v.departmentId);
        const win = windows.find((w) => w.id === v.windowId);
        const scope = scopeOf(dept, v.where ?? 'department', win ? `${dept?.path}/${win.id}` : undefined);
        const grants = v.role && scope ? [{ role: v.role, scope }] : [];
        props.onDone(
          await api<PersonView>('/people', {
            method: 'POST',
            body: {
              requestId: newRequestId(),
              name: v.name ?? '',
              post: v.post ?? '',
              phone: v.phone ?? '',
              departmentId: v.departmentId ?? '',
              grants,
            },
          }),
        );
      }}
    />
  );
}

function GrantDialog(props: { person: PersonView; onClose: () => void; onDone: () => void }) {
  const p = props.person;
  const [where, setWhere] = useState('department');
  const windows = useWindows(where === 'window' ? p.department.id : undefined);
  const dept = { path: p.path } as DepartmentView;
  return (
    <FormDialog
      header={`授予角色：${p.name}`}
      visible
      onClose={props.onClose}
      initial={{ where: 'department' }}
      onValuesChange={(v) => setWhere(v.where ?? 'department')}
      fields={[
        { name: 'role', label: '角色', kind: 'select', options: ROLE_OPTIONS },
        { name: 'where', label: '范围', kind: 'select', options: WHERE_OPTIONS },
        ...(where === 'window'
          ? [
              {
                name: 'windowId',
                label: '窗口',
                kind: 'select' as const,
                options: windows.map((w) => ({ value: w.id, label: w.name })),
              },
            ]
          : []),
      ]}
      onSubmit={async (v) => {
        const scope = scopeOf(dept, v.where ?? 'department', v.windowId ? `${p.path}/${v.windowId}` : undefined) ?? '';
        await api(`/people/${p.id}/grants`, { method: 'POST', body: { role: v.role ?? '', scope } });
        props.onDone();
      }}
    />
  );
}
