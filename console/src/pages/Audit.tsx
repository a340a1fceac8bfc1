import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Button, DateRangePicker, Input, Select, Space } from 'tdesign-react';
import { AUDIT_ACTION_LABELS, AUDIT_ACTIONS, ROLE_LABELS, type AuditEntryView, type Role } from '@mashang/shared';
import { api } from '../api';
import { CursorTable } from '../components/CursorTable';
import { PageHeader } from '../components/PageHeader';
import { REGION_OPTIONS } from '../regions';

const show = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/** The audit trail (inspectors and operators, scoped): filters live in the URL. */
export function Audit() {
  const [params, setParams] = useSearchParams();
  const get = (k: string) => params.get(k) ?? '';
  const [actor, setActor] = useState(get('actor'));
  const set = (patch: Record<string, string>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    setParams(p);
  };
  const county = get('county');
  const query = {
    scope: county ? `haibei/${county}` : undefined,
    action: get('action') || undefined,
    actor: get('actor') || undefined,
    from: get('from') || undefined,
    to: get('to') || undefined,
  };
  return (
    <div>
      <PageHeader title="审计日志">
        每一次登记变更、导入、监督码停用与重发、角色变更、绑定、查看联系方式、下载与导出都记录在此，不可修改。
      </PageHeader>
      <Space style={{ marginBottom: 16 }} breakLine>
        <Select
          value={county}
          onChange={(v) => set({ county: String(v ?? '') })}
          options={REGION_OPTIONS}
          clearable
          placeholder="全部区县"
          style={{ width: 170 }}
          aria-label="区县"
        />
        <Select
          value={get('action')}
          onChange={(v) => set({ action: String(v ?? '') })}
          options={AUDIT_ACTIONS.map((a) => ({ value: a, label: AUDIT_ACTION_LABELS[a] }))}
          clearable
          filterable
          placeholder="全部操作"
          style={{ width: 180 }}
          aria-label="操作类型"
        />
        <DateRangePicker
          value={get('from') && get('to') ? [get('from'), get('to')] : []}
          onChange={(v) => set({ from: String((v as string[])[0] ?? ''), to: String((v as string[])[1] ?? '') })}
          clearable
          placeholder={['开始日期', '结束日期']}
        />
        <Input
          value={actor}
          onChange={(v) => setActor(String(v))}
          onEnter={() => set({ actor: actor.trim() })}
          placeholder="操作人编号"
          style={{ width: 200 }}
          aria-label="操作人"
        />
        <Button variant="outline" onClick={() => set({ actor: actor.trim() })}>
          筛选
        </Button>
      </Space>
      <CursorTable<AuditEntryView>
        testId="audit-table"
        rowKey="id"
        deps={[JSON.stringify(query)]}
        load={(cursor) => api('/audit', { query: { ...query, cursor, limit: 20 } })}
        empty="该范围内没有审计记录"
        columns={[
          {
            colKey: 'at',
            title: '时间',
            width: 170,
            cell: ({ row }) => new Date(row.at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }),
          },
          { colKey: 'actionLabel', title: '操作', width: 130 },
          { colKey: 'target', title: '对象', cell: ({ row }) => `${row.target.name ?? row.target.id}` },
          {
            colKey: 'actor',
            title: '操作人',
            cell: ({ row }) => `${row.actor.userId}（${ROLE_LABELS[row.actor.role as Role] ?? row.actor.role}）`,
          },
          {
            colKey: 'change',
            title: '变更',
            cell: ({ row }) => [show(row.before), show(row.after)].filter(Boolean).join(' → '),
          },
          { colKey: 'reason', title: '原因', width: 140, cell: ({ row }) => row.reason ?? '' },
        ]}
      />
    </div>
  );
}
