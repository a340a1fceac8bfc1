import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Alert, DatePicker, DateRangePicker, Loading, Radio, Select, Space, Tooltip } from 'tdesign-react';
import {
  PREFECTURE_ID,
  RANKING_MIN_RATINGS,
  RANKING_ORDER_LABELS,
  RANKING_UNIT_LABELS,
  REGIONS,
  STAT_DEFINITIONS,
  type DepartmentView,
  type RankingOrder,
  type RankingRow,
  type RankingUnit,
  type StatDefinitionKey,
  type StatsRanking,
  type StatsSummary,
  type StatsTrend,
  type TrendBucket,
  type WindowView,
} from '@mashang/shared';
import { api, errorText } from '../api';
import { useAuth } from '../auth';
import { CursorTable } from '../components/CursorTable';
import { EChart } from '../components/EChart';
import { PageHeader } from '../components/PageHeader';
import { RetryAlert } from '../components/RetryAlert';

const pad = (n: number) => String(n).padStart(2, '0');
/** Today in China time (YYYY-MM-DD). */
const today = () => new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10);
const lastDayOf = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${pad(new Date(Date.UTC(y, m, 0)).getUTCDate())}`;
};
const rate = (v: number | null) => (v === null ? '—' : `${v}%`);

type PeriodKind = 'day' | 'week' | 'month' | 'custom';
const PERIOD_LABELS: Record<PeriodKind, string> = { day: '日', week: '周', month: '月', custom: '自定义' };
const addDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);
/** The Monday-to-Sunday week of a day (up to today for the current week). */
function weekOf(date: string): { from: string; to: string } {
  const monday = addDays(date, -((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7));
  const sunday = addDays(monday, 6);
  return { from: monday, to: sunday > today() ? today() : sunday };
}

/** The regions the caller may read: all for a prefecture grant, else those of their grants. */
function useRegionOptions() {
  const { user } = useAuth();
  const scopes = (user?.roles ?? []).filter((g) => g.role !== 'enterprise').map((g) => g.scope);
  const all = scopes.includes(PREFECTURE_ID);
  const mine = new Set(scopes.map((s) => s.split('/')[1]).filter(Boolean));
  return {
    all,
    options: REGIONS.filter((r) => all || mine.has(r.id)).map((r) => ({ value: r.id, label: r.name })),
  };
}

function Figure({ k, value }: { k: StatDefinitionKey; value: string | number }) {
  const d = STAT_DEFINITIONS[k];
  return (
    <Tooltip content={d.text} placement="bottom">
      <div
        data-testid={`figure-${k}`}
        style={{ border: '1px solid #e7e7e7', borderRadius: 6, padding: '12px 16px', minWidth: 130, cursor: 'help' }}
      >
        <div style={{ color: '#666', fontSize: 13 }}>{d.label} ⓘ</div>
        <div style={{ fontSize: 22, fontWeight: 600, marginTop: 4 }}>{value}</div>
      </div>
    </Tooltip>
  );
}

/**
 * 统计分析 (SPEC §2.6): the figures of a scope and period with their definitions as tooltips, a trend chart by day,
 * week or month, and the ranking of departments or windows. Filters live in the URL.
 */
export function Statistics() {
  const [params, setParams] = useSearchParams();
  const get = (k: string) => params.get(k) ?? '';
  const set = (patch: Record<string, string>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    setParams(p);
  };
  const regions = useRegionOptions();
  const county = get('county') || (regions.all ? '' : (regions.options[0]?.value ?? ''));
  const department = get('department');
  const windowId = get('window');
  const periodKind = (get('period') || 'month') as PeriodKind;
  const thisMonth = today().slice(0, 7);
  const from = get('from') || `${thisMonth}-01`;
  const to = get('to') || today();
  const bucket = (get('bucket') || 'day') as TrendBucket;
  const unit = (get('unit') || 'department') as RankingUnit;
  const by = (get('by') || 'goodRate') as RankingOrder;
  const scope = department ? undefined : county ? `${PREFECTURE_ID}/${county}` : undefined;
  const [departments, setDepartments] = useState<DepartmentView[]>([]);
  const deptPath = departments.find((d) => d.id === department)?.path;
  const [windows, setWindows] = useState<WindowView[]>([]);
  // A window's path is its department's path and its id (the registry's scope tree).
  const windowPath = deptPath && windows.some((w) => w.id === windowId) ? `${deptPath}/${windowId}` : undefined;
  const period = { scope: windowPath ?? deptPath ?? scope, from, to };
  const key = JSON.stringify(period);

  useEffect(() => {
    if (!county) return setDepartments([]);
    api<{ items: DepartmentView[] }>('/departments', { query: { county, limit: 100 } })
      .then((r) => setDepartments(r.items))
      .catch(() => setDepartments([]));
  }, [county]);

  useEffect(() => {
    if (!county || !department) return setWindows([]);
    api<{ items: WindowView[] }>('/windows', { query: { county, departmentId: department, limit: 100 } })
      .then((r) => setWindows(r.items.filter((w) => w.status !== 'retired')))
      .catch(() => setWindows([]));
  }, [county, department]);

  const [rangeError, setRangeError] = useState<string | null>(null);
  /** Switching the kind of period starts from the current one: today, this week, this month. */
  const choosePeriod = (k: PeriodKind) => {
    setRangeError(null);
    const t = today();
    if (k === 'day') set({ period: k, from: t, to: t });
    else if (k === 'week') set({ period: k, ...weekOf(t) });
    else if (k === 'month') set({ period: '', from: `${thisMonth}-01`, to: t });
    else set({ period: k });
  };
  const [summary, setSummary] = useState<StatsSummary | null>(null);
  const [trend, setTrend] = useState<StatsTrend | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const waitingForDept = (!!department && !deptPath) || (!!windowId && !windowPath);
  useEffect(() => {
    if (waitingForDept) return;
    let live = true;
    setError(null);
    setSummary(null);
    setTrend(null);
    Promise.all([
      api<StatsSummary>('/stats/summary', { query: period }),
      api<StatsTrend>('/stats/trend', { query: { ...period, bucket } }),
    ])
      .then(([s, t]) => {
        if (!live) return;
        setSummary(s);
        setTrend(t);
      })
      .catch((e) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, bucket, attempt, waitingForDept]);

  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { data: ['群众评价', '企业评价', '差评数', '好评率'] },
      grid: { left: 48, right: 56, top: 40, bottom: 32 },
      xAxis: { type: 'category', data: trend?.points.map((p) => p.key) ?? [] },
      yAxis: [
        { type: 'value', name: '件数', minInterval: 1 },
        { type: 'value', name: '好评率（%）', min: 0, max: 100 },
      ],
      series: [
        // 群众 / 企业 stacked: the bar's height is the number of ratings.
        { name: '群众评价', type: 'bar', stack: 'ratings', data: trend?.points.map((p) => p.citizen) ?? [] },
        { name: '企业评价', type: 'bar', stack: 'ratings', data: trend?.points.map((p) => p.enterprise) ?? [] },
        { name: '差评数', type: 'bar', data: trend?.points.map((p) => p.bad) ?? [] },
        {
          name: '好评率',
          type: 'line',
          yAxisIndex: 1,
          connectNulls: true,
          data: trend?.points.map((p) => p.goodRate) ?? [],
        },
      ],
    }),
    [trend],
  );

  return (
    <div>
      <PageHeader title="统计分析">
        所有数字来自按日累计的计数器，与评价条数多少无关；悬停在每项数字上可查看口径。
      </PageHeader>
      <Space style={{ marginBottom: 16 }} breakLine align="center">
        <Select
          value={county}
          onChange={(v) => set({ county: String(v ?? ''), department: '', window: '' })}
          options={regions.options}
          clearable={regions.all}
          placeholder="全州"
          style={{ width: 170 }}
          aria-label="区县"
        />
        <Select
          value={department}
          onChange={(v) => set({ department: String(v ?? ''), window: '' })}
          options={departments.map((d) => ({ value: d.id, label: d.name }))}
          clearable
          filterable
          disabled={!county}
          placeholder="全部部门"
          style={{ width: 220 }}
          aria-label="部门"
        />
        <Select
          value={windowId}
          onChange={(v) => set({ window: String(v ?? '') })}
          options={windows.map((w) => ({ value: w.id, label: w.name }))}
          clearable
          filterable
          disabled={!department}
          placeholder="全部窗口"
          style={{ width: 220 }}
          aria-label="窗口"
        />
        <Radio.Group
          value={periodKind}
          onChange={(v) => choosePeriod(v as PeriodKind)}
          variant="default-filled"
          data-testid="period-kind"
        >
          {Object.entries(PERIOD_LABELS).map(([v, l]) => (
            <Radio.Button key={v} value={v}>
              {l}
            </Radio.Button>
          ))}
        </Radio.Group>
        {periodKind === 'month' ? (
          <DatePicker
            mode="month"
            value={from.slice(0, 7) === to.slice(0, 7) && from.endsWith('-01') ? from.slice(0, 7) : ''}
            onChange={(v) => {
              const m = String(v ?? '').slice(0, 7);
              if (m) set({ from: `${m}-01`, to: m === thisMonth ? today() : lastDayOf(m) });
            }}
            placeholder="选择月份"
            style={{ width: 150 }}
          />
        ) : periodKind === 'day' || periodKind === 'week' ? (
          <DatePicker
            value={from}
            onChange={(v) => {
              const d = String(v ?? '').slice(0, 10);
              if (d) set(periodKind === 'day' ? { from: d, to: d } : weekOf(d));
            }}
            placeholder={periodKind === 'day' ? '选择日期' : '选择该周任一天'}
            style={{ width: 160 }}
          />
        ) : (
          <DateRangePicker
            value={[from, to]}
            onChange={(v) => {
              const [f, t] = [String((v as string[])[0] ?? ''), String((v as string[])[1] ?? '')];
              // The API refuses more than a year: say so here rather than after a round trip.
              if (f && t && Date.parse(t) - Date.parse(f) > 366 * 86400000) setRangeError('自定义区间不能超过一年');
              else {
                setRangeError(null);
                set({ from: f, to: t });
              }
            }}
            placeholder={['开始日期', '结束日期']}
          />
        )}
        <span style={{ color: '#666' }} data-testid="period-text">
          {from === to ? from : `${from} 至 ${to}`}
        </span>
      </Space>
      {rangeError ? <Alert theme="warning" message={rangeError} style={{ marginBottom: 12 }} /> : null}
      <RetryAlert message={error} onRetry={() => setAttempt((a) => a + 1)} />
      {!summary && !error ? <Loading text="正在加载统计…" /> : null}
      {summary ? (
        <Space breakLine style={{ marginBottom: 16 }}>
          <Figure k="ratings" value={summary.ratings.total} />
          <Figure k="citizenRatings" value={summary.ratings.citizen} />
          <Figure k="enterpriseRatings" value={summary.ratings.enterprise} />
          <Figure k="goodRate" value={rate(summary.goodRate)} />
          <Figure k="badCount" value={summary.badCount} />
          <Figure k="badReplyRate" value={rate(summary.badReplyRate)} />
          <Figure k="callbackRectifyRate" value={rate(summary.callbackRectifyRate)} />
          <Figure k="followUpSatisfactionRate" value={rate(summary.followUpSatisfactionRate)} />
          <Figure k="unratedRate" value={rate(summary.unratedRate)} />
          <Figure k="casesOpened" value={summary.cases.opened} />
          <Figure k="inspectionCases" value={summary.cases.inspections} />
          <Figure k="casesClosed" value={summary.cases.closed} />
          <Figure k="overdue" value={summary.cases.overdue} />
          <Figure k="open" value={summary.open} />
          <Figure k="overdueNow" value={summary.overdue} />
          <Figure k="reminderLetters" value={summary.reminderLetters} />
          <Figure k="callbacks" value={summary.callbacks} />
          <Figure k="interviews" value={summary.interviews} />
          <Figure k="talks" value={summary.talks} />
          <Figure k="visits" value={summary.visits.total} />
          <Figure k="visitSatisfactionRate" value={rate(summary.visitSatisfactionRate)} />
          <Figure k="invitationsSent" value={summary.invitations.sent} />
        </Space>
      ) : null}
      <Space align="center" style={{ margin: '8px 0' }}>
        <h3 style={{ margin: 0 }}>趋势</h3>
        <Radio.Group value={bucket} onChange={(v) => set({ bucket: String(v) })} variant="default-filled">
          <Radio.Button value="day">按日</Radio.Button>
          <Radio.Button value="week">按周</Radio.Button>
          <Radio.Button value="month">按月</Radio.Button>
        </Radio.Group>
      </Space>
      {trend ? <EChart option={option} testId="trend-chart" /> : null}
      <Space align="center" style={{ margin: '16px 0 8px' }} breakLine>
        <h3 style={{ margin: 0 }}>排名</h3>
        <Radio.Group value={unit} onChange={(v) => set({ unit: String(v) })} variant="default-filled">
          {Object.entries(RANKING_UNIT_LABELS).map(([v, l]) => (
            <Radio.Button key={v} value={v}>
              {l}
            </Radio.Button>
          ))}
        </Radio.Group>
        <Radio.Group value={by} onChange={(v) => set({ by: String(v) })} variant="default-filled">
          {Object.entries(RANKING_ORDER_LABELS).map(([v, l]) => (
            <Radio.Button key={v} value={v}>
              按{l}
            </Radio.Button>
          ))}
        </Radio.Group>
        {by === 'goodRate' ? (
          <span style={{ color: '#666' }} data-testid="ranking-rule">
            统计期内评价不少于 {RANKING_MIN_RATINGS} 条的单位才参与好评率排名，其余列在最后、不排名次。
          </span>
        ) : null}
      </Space>
      {waitingForDept ? null : (
        <CursorTable<RankingRow>
          testId="ranking-table"
          rowKey="id"
          deps={[key, unit, by]}
          load={(cursor) => api<StatsRanking>('/stats/ranking', { query: { ...period, unit, by, cursor, limit: 20 } })}
          empty="该范围内没有可排名的单位"
          columns={[
            { colKey: 'rank', title: '名次', width: 70, cell: ({ row }) => row.rank ?? '未排名' },
            { colKey: 'name', title: RANKING_UNIT_LABELS[unit] },
            { colKey: 'parentName', title: unit === 'window' ? '所属部门' : '所属区县' },
            { colKey: 'ratings', title: '评价数', width: 90 },
            { colKey: 'goodRate', title: '好评率', width: 90, cell: ({ row }) => rate(row.goodRate) },
            { colKey: 'bad', title: '差评数', width: 90 },
            { colKey: 'overdue', title: '逾期件数', width: 90 },
          ]}
        />
      )}
    </div>
  );
}
