import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { Button, Descriptions, Loading, MessagePlugin, Radio, Select, Space, Tag, Timeline } from 'tdesign-react';
import {
  CASE_SOURCE_LABELS,
  CASE_SOURCES,
  FINDING_DEADLINE_RANGE,
  PREFECTURE_ID,
  REGIONS,
  type CaseDetailView,
  type CaseListBucket,
  type CaseSource,
  type CaseView,
  type DepartmentView,
  type OpenFindingResponse,
} from '@mashang/shared';
import { api, errorText } from '../api';
import { useAuth } from '../auth';
import { CursorTable, type CursorPage } from '../components/CursorTable';
import { FormDialog } from '../components/FieldForm';
import { PageHeader } from '../components/PageHeader';
import { RetryAlert } from '../components/RetryAlert';

const newRequestId = (what: string) => `${what}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
/** Today in China time (YYYY-MM-DD). */
const today = () => new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10);
const time = (iso?: string) =>
  iso ? new Date(Date.parse(iso) + 8 * 3600000).toISOString().slice(0, 16).replace('T', ' ') : '';

const BUCKET_LABELS: Record<CaseListBucket, string> = { open: '办理中', overdue: '已逾期', closed: '已办结' };

/** The counties an inspector may work in: all for a prefecture grant, else those of their inspector grants. */
function useInspectorCounties() {
  const { user } = useAuth();
  const scopes = (user?.roles ?? []).filter((g) => g.role === 'inspector').map((g) => g.scope);
  const all = scopes.includes(PREFECTURE_ID);
  const mine = new Set(scopes.map((s) => s.split('/')[1]).filter(Boolean));
  return REGIONS.filter((r) => all || mine.has(r.id)).map((r) => ({ value: r.id, label: r.name }));
}

/**
 * 登记监督检查发现的问题: county → department, the problem and the rectification deadline in working days. The
 * requestId is made when the dialog opens, so a resend after a lost answer opens one case, not two.
 */
function FindingDialog({ onClose, onOpened }: { onClose: () => void; onOpened: (caseId: string) => void }) {
  const counties = useInspectorCounties();
  const [county, setCounty] = useState(counties.length === 1 ? counties[0].value : '');
  const [departments, setDepartments] = useState<DepartmentView[]>([]);
  const requestId = useRef(newRequestId('finding'));
  useEffect(() => {
    if (!county) return setDepartments([]);
    api<{ items: DepartmentView[] }>('/departments', { query: { county, limit: 100 } })
      .then((r) => setDepartments(r.items.filter((d) => d.status !== 'retired')))
      .catch(() => setDepartments([]));
  }, [county]);
  return (
    <FormDialog
      header="登记监督检查发现的问题"
      visible
      submitText="立案督办"
      initial={{ county, deadlineWorkingDays: '15' }}
      onClose={onClose}
      onValuesChange={(v) => setCounty(v.county ?? '')}
      fields={[
        { name: 'county', label: '区县', kind: 'select', options: counties },
        {
          name: 'departmentId',
          label: '责任部门',
          kind: 'select',
          options: departments.map((d) => ({ value: d.id, label: d.name })),
          placeholder: county ? '请选择责任部门' : '请先选择区县',
        },
        {
          name: 'description',
          label: '发现的问题',
          kind: 'textarea',
          placeholder: '监督检查中发现的问题、依据及整改要求（5–2000 字）',
        },
        {
          name: 'deadlineWorkingDays',
          label: '整改期限',
          placeholder: `${FINDING_DEADLINE_RANGE.min}–${FINDING_DEADLINE_RANGE.max}`,
          help: '个工作日（按法定节假日和调休计算），逾期将自动起草工作提示函并提醒',
        },
      ]}
      onSubmit={async (v) => {
        const r = await api<OpenFindingResponse>('/cases', {
          method: 'POST',
          body: {
            requestId: requestId.current,
            departmentId: v.departmentId ?? '',
            description: v.description ?? '',
            deadlineWorkingDays: v.deadlineWorkingDays ?? '',
          },
        });
        void MessagePlugin.success(`已立案：${r.caseId}`);
        onOpened(r.caseId);
      }}
    />
  );
}

/**
 * 督办件 (SPEC §2.3): the cases of the caller's scope by list (办理中 / 已逾期 / 已办结), county and source —监督检查
 * among them — and, for inspectors, 登记监督检查发现 (a case of their own finding). Filters live in the URL.
 */
export function Cases() {
  const [params, setParams] = useSearchParams();
  const nav = useNavigate();
  const { has } = useAuth();
  const inspector = has('inspector');
  const status = (params.get('status') || 'open') as CaseListBucket;
  const source = (params.get('source') ?? '') as CaseSource | '';
  const county = params.get('county') ?? '';
  const counties = useInspectorCounties();
  const set = (patch: Record<string, string>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    setParams(p);
  };
  const [opening, setOpening] = useState(false);
  const scope = county ? `${PREFECTURE_ID}/${county}` : undefined;
  return (
    <div>
      <PageHeader
        title="督办件"
        extra={
          inspector ? (
            <Button theme="primary" onClick={() => setOpening(true)}>
              登记监督检查发现
            </Button>
          ) : null
        }
      >
        差评、投诉举报、干部访企差评和纪检监察监督检查发现的问题，按同一流程督办。
      </PageHeader>
      <Space style={{ marginBottom: 16 }} breakLine align="center">
        <Radio.Group value={status} onChange={(v) => set({ status: String(v) })} variant="default-filled">
          {Object.entries(BUCKET_LABELS).map(([v, l]) => (
            <Radio.Button key={v} value={v}>
              {l}
            </Radio.Button>
          ))}
        </Radio.Group>
        {counties.length > 1 ? (
          <Select
            value={county}
            onChange={(v) => set({ county: String(v ?? '') })}
            options={counties}
            clearable
            placeholder="全部区县"
            style={{ width: 170 }}
            aria-label="区县"
          />
        ) : null}
        <Select
          value={source}
          onChange={(v) => set({ source: String(v ?? '') })}
          options={CASE_SOURCES.map((s) => ({ value: s, label: CASE_SOURCE_LABELS[s] }))}
          clearable
          placeholder="全部来源"
          style={{ width: 170 }}
          aria-label="来源"
        />
      </Space>
      <CursorTable<CaseView>
        testId="case-table"
        rowKey="id"
        deps={[status, source, county]}
        load={(cursor) =>
          api<CursorPage<CaseView>>('/cases', { query: { status, source: source || undefined, scope, cursor } })
        }
        empty="没有符合条件的督办件"
        columns={[
          {
            colKey: 'id',
            title: '编号',
            width: 170,
            cell: ({ row }) => <Link to={`/cases/${row.id}`}>{row.id}</Link>,
          },
          {
            colKey: 'source',
            title: '来源',
            width: 120,
            cell: ({ row }) => CASE_SOURCE_LABELS[row.source] ?? row.source,
          },
          {
            colKey: 'department',
            title: '责任单位',
            cell: ({ row }) => [row.department?.name, row.window?.name].filter(Boolean).join(' · ') || row.county.name,
          },
          { colKey: 'summary', title: '摘要', ellipsis: true },
          { colKey: 'statusLabel', title: '状态', width: 110 },
          { colKey: 'createdAt', title: '受理时间', width: 150, cell: ({ row }) => time(row.createdAt) },
        ]}
      />
      {opening ? <FindingDialog onClose={() => setOpening(false)} onOpened={(id) => nav(`/cases/${id}`)} /> : null}
    </div>
  );
}

/** One timeline entry's details beyond its note: the people talked to (约谈) and the letters' text. */
function EntryDetails({ data }: { data?: Record<string, unknown> }) {
  if (!data) return null;
  if (typeof data.name === 'string' && typeof data.post === 'string') {
    return (
      <div data-testid="interview-record" style={{ color: '#555' }}>
        被约谈人：{data.name}（{data.post}） · 约谈日期：{String(data.date ?? '')}
      </div>
    );
  }
  return null;
}

/** 督办件详情: the case, its timeline (约谈 records among them) and, for inspectors, 记录约谈. */
export function CaseDetail() {
  const { id = '' } = useParams();
  const [detail, setDetail] = useState<CaseDetailView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [interviewing, setInterviewing] = useState(false);
  const requestId = useRef('');
  useEffect(() => {
    let live = true;
    setError(null);
    api<CaseDetailView>(`/cases/${encodeURIComponent(id)}`)
      .then((d) => live && setDetail(d))
      .catch((e) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [id, attempt]);

  if (error) return <RetryAlert message={error} onRetry={() => setAttempt((a) => a + 1)} />;
  if (!detail) return <Loading text="正在加载督办件…" />;
  const c = detail.case;
  const mayInterview = detail.availableActions.includes('interview');
  return (
    <div>
      <PageHeader
        title={`督办件 ${c.id}`}
        extra={
          <Space>
            {mayInterview ? (
              <Button
                theme="primary"
                onClick={() => {
                  requestId.current = newRequestId('interview');
                  setInterviewing(true);
                }}
              >
                记录约谈
              </Button>
            ) : null}
            <Link to="/cases">
              <Button variant="text">返回列表</Button>
            </Link>
          </Space>
        }
      />
      <Descriptions
        bordered
        column={2}
        items={[
          {
            label: '来源',
            content: (
              <Tag theme={c.source === 'inspection' ? 'warning' : 'primary'}>{CASE_SOURCE_LABELS[c.source]}</Tag>
            ),
          },
          { label: '状态', content: c.statusLabel },
          {
            label: '责任单位',
            content: [c.county.name, c.department?.name, c.window?.name].filter(Boolean).join(' · '),
          },
          { label: '受理时间', content: time(c.createdAt) },
          {
            label: '整改期限',
            content: `${time(c.rectifyDueAt)}${c.inspection ? `（${c.inspection.deadlineWorkingDays} 个工作日）` : ''}`,
          },
          { label: '逾期', content: c.overdueStrikes > 0 ? `${c.overdueStrikes} 次` : '未逾期' },
          { label: '摘要', content: c.summary, span: 2 },
        ]}
      />
      <h3>办理过程</h3>
      <div data-testid="case-timeline">
        <Timeline>
          {detail.timeline.map((t, i) => (
            <Timeline.Item key={`${t.at}:${i}`} label={time(t.at)}>
              <div style={{ fontWeight: 600 }}>{t.label}</div>
              {t.note ? <div>{t.note}</div> : null}
              <EntryDetails data={t.data} />
            </Timeline.Item>
          ))}
        </Timeline>
      </div>
      {interviewing ? (
        <FormDialog
          header="记录约谈（每名被约谈人记录一条）"
          visible
          submitText="保存约谈记录"
          initial={{ date: today() }}
          onClose={() => setInterviewing(false)}
          fields={[
            { name: 'name', label: '被约谈人姓名' },
            { name: 'post', label: '职务', placeholder: '如：政务服务科科长' },
            { name: 'date', label: '约谈日期', placeholder: 'YYYY-MM-DD' },
            { name: 'reason', label: '约谈事由', kind: 'textarea' },
          ]}
          onSubmit={async (v) => {
            await api(`/cases/${encodeURIComponent(c.id)}/actions`, {
              method: 'POST',
              body: {
                requestId: requestId.current,
                type: 'interview',
                name: v.name ?? '',
                post: v.post ?? '',
                date: v.date ?? '',
                reason: v.reason ?? '',
              },
            });
            void MessagePlugin.success('已记录约谈');
            setAttempt((a) => a + 1);
          }}
        />
      ) : null}
    </div>
  );
}
