import { Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { PREFECTURE_ID, REGIONS, shanghaiDate, type RoleGrant, type TrendBucket } from '@mashang/shared';
import { useRef, useState } from 'react';
import { storedUser } from '../../../api/client';
import {
  countyDepartments,
  errorMessage,
  statsSummary,
  statsTrend,
  type StatsSummary,
  type StatsTrend,
} from '../../api';
import { RetryError } from '../../../components/RetryError';
import '../../officials.css';

type PeriodKey = 'day' | 'week' | 'month' | 'lastMonth' | 'year';
const PERIODS: { key: PeriodKey; label: string }[] = [
  { key: 'day', label: '今日' },
  { key: 'week', label: '本周' },
  { key: 'month', label: '本月' },
  { key: 'lastMonth', label: '上月' },
  { key: 'year', label: '近一年' },
];

const DAY_MS = 86400000;
const addDays = (d: string, n: number) =>
  new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** The dates of a period (China time) and how its trend is grouped. */
function periodOf(key: PeriodKey, now = new Date()): { from: string; to: string; bucket: TrendBucket } {
  const today = shanghaiDate(now);
  switch (key) {
    case 'day':
      return { from: today, to: today, bucket: 'day' };
    case 'week':
      return {
        from: addDays(today, -((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7)),
        to: today,
        bucket: 'day',
      };
    case 'month':
      return { from: `${today.slice(0, 8)}01`, to: today, bucket: 'day' };
    case 'lastMonth': {
      const last = addDays(`${today.slice(0, 8)}01`, -1);
      return { from: `${last.slice(0, 8)}01`, to: last, bucket: 'day' };
    }
    case 'year': {
      // This month and the eleven before it, from their first day: within the API's 366 days whatever today is.
      // (335 days back from the 1st landed in the 13th month in a common year: 367 days from the 3rd on, refused.)
      const [y, m] = today.split('-').map(Number);
      return { from: new Date(Date.UTC(y, m - 12, 1)).toISOString().slice(0, 10), to: today, bucket: 'month' };
    }
  }
}

const pct = (v: number | null) => (v === null ? '—' : `${v}%`);

function widestScope(): string {
  const grants = (storedUser()?.roles ?? []) as RoleGrant[];
  const readers = grants
    .filter((g) => g.role === 'inspector' || g.role === 'handler' || g.role === 'operator')
    .sort((a, b) => a.scope.length - b.scope.length);
  return readers[0]?.scope ?? PREFECTURE_ID;
}

function Chip(props: { chosen: boolean; label: string; onChoose: () => void }) {
  return (
    <View className={`chip ${props.chosen ? 'chip-selected' : ''}`} onClick={props.onChoose}>
      {props.label}
    </View>
  );
}

/**
 * A compact trend for the phone: one bar per day or month (height = ratings, the red part = 差评), drawn with plain
 * views — no chart library in the officials' subpackage.
 */
function TrendBars({ trend }: { trend: StatsTrend }) {
  const max = Math.max(1, ...trend.points.map((p) => p.ratings));
  const first = trend.points[0]?.key ?? '';
  const last = trend.points[trend.points.length - 1]?.key ?? '';
  return (
    <View data-testid="trend-bars">
      <View style={{ display: 'flex', alignItems: 'flex-end', height: '80px', gap: '1px' }}>
        {trend.points.map((p) => (
          <View
            key={p.key}
            data-testid="trend-bar"
            data-key={p.key}
            style={{ flex: 1, display: 'flex', flexDirection: 'column', justifyContent: 'flex-end', height: '100%' }}
          >
            <View style={{ background: '#90caf9', height: `${((p.ratings - p.bad) / max) * 100}%` }} />
            <View style={{ background: '#e53935', height: `${(p.bad / max) * 100}%` }} />
          </View>
        ))}
      </View>
      <View className="row hint">
        <Text>{first}</Text>
        <Text>{last}</Text>
      </View>
      <View className="hint">
        蓝色为好评及一般评价，红色为差评；共 {trend.points.reduce((n, p) => n + p.ratings, 0)} 条评价。
      </View>
    </View>
  );
}

/**
 * 统计与趋势 (officials' subpackage): the figures of a scope (prefecture → county → department, as far as the caller
 * may read) for a period (today, this week, this month, last month, the last year) and a compact trend.
 */
export default function OfficialsStats() {
  const widest = useRef(widestScope()).current;
  const depth = widest.split('/').length;
  const [county, setCounty] = useState(depth >= 2 ? widest.split('/')[1] : '');
  const [department, setDepartment] = useState('');
  const [departments, setDepartments] = useState<{ id: string; name: string; path: string }[] | null>(null);
  const [period, setPeriod] = useState<PeriodKey>('month');
  const [summary, setSummary] = useState<StatsSummary | null>(null);
  const [trend, setTrend] = useState<StatsTrend | null>(null);
  const [error, setError] = useState('');
  const generation = useRef(0);

  const scopeOf = (c: string, d: string) =>
    d || (depth <= 2 && c ? `${PREFECTURE_ID}/${c}` : depth > 2 ? widest : undefined);

  const load = (c: string, d: string, p: PeriodKey) => {
    const mine = ++generation.current;
    const range = periodOf(p);
    const scope = scopeOf(c, d);
    setError('');
    setSummary(null);
    setTrend(null);
    Promise.all([statsSummary(scope, { from: range.from, to: range.to }), statsTrend(scope, range)])
      .then(([s, t]) => {
        if (mine !== generation.current) return;
        setSummary(s);
        setTrend(t);
      })
      .catch((e) => mine === generation.current && setError(errorMessage(e)));
  };
  const loadDepartments = (c: string) => {
    setDepartments(null);
    if (!c || depth > 2) return;
    countyDepartments(c)
      .then(setDepartments)
      .catch(() => setDepartments([]));
  };

  useDidShow(() => {
    load(county, department, period);
    if (departments === null) loadDepartments(county);
  });

  const chooseCounty = (c: string) => {
    setCounty(c);
    setDepartment('');
    loadDepartments(c);
    load(c, '', period);
  };
  const chooseDepartment = (d: string) => {
    setDepartment(d);
    load(county, d, period);
  };
  const choosePeriod = (p: PeriodKey) => {
    setPeriod(p);
    load(county, department, p);
  };

  const figures = summary
    ? [
        { label: '评价数', value: String(summary.ratings.total) },
        { label: '好评率', value: pct(summary.goodRate) },
        { label: '差评数', value: String(summary.badCount), bad: summary.badCount > 0 },
        { label: '差评回复率', value: pct(summary.badReplyRate) },
        { label: '新开督办件', value: String(summary.cases.opened) },
        { label: '办结', value: String(summary.cases.closed) },
        { label: '工作提示函', value: String(summary.reminderLetters) },
        { label: '约谈', value: String(summary.interviews ?? 0) },
      ]
    : [];

  return (
    <View className="page off-page">
      <View className="card" data-testid="stats-filters">
        {depth === 1 ? (
          <View className="chips" data-testid="stats-county">
            <Chip chosen={county === ''} label="全州" onChoose={() => chooseCounty('')} />
            {REGIONS.map((r) => (
              <Chip key={r.id} chosen={county === r.id} label={r.label} onChoose={() => chooseCounty(r.id)} />
            ))}
          </View>
        ) : null}
        {depth <= 2 && county && departments?.length ? (
          <View className="chips" data-testid="stats-department">
            <Chip chosen={department === ''} label="全部部门" onChoose={() => chooseDepartment('')} />
            {departments.map((d) => (
              <Chip
                key={d.id}
                chosen={department === d.path}
                label={d.name}
                onChoose={() => chooseDepartment(d.path)}
              />
            ))}
          </View>
        ) : null}
        <View className="chips" data-testid="stats-period">
          {PERIODS.map((p) => (
            <Chip key={p.key} chosen={period === p.key} label={p.label} onChoose={() => choosePeriod(p.key)} />
          ))}
        </View>
      </View>
      <View className="card" data-testid="stats-figures">
        <View className="section-title">
          {summary ? (summary.from === summary.to ? summary.from : `${summary.from} 至 ${summary.to}`) : '概况'}
        </View>
        {error ? <RetryError message={error} onRetry={() => load(county, department, period)} /> : null}
        {!summary && !error ? <View className="hint">正在加载…</View> : null}
        <View className="stats">
          {figures.map((f) => (
            <View key={f.label} className="stat">
              <View className="stat-box">
                <View className={`stat-value ${f.bad ? 'stat-value-bad' : ''}`}>{f.value}</View>
                <View className="stat-label">{f.label}</View>
              </View>
            </View>
          ))}
        </View>
      </View>
      {trend ? (
        <View className="card">
          <View className="section-title">趋势（{trend.bucket === 'month' ? '按月' : '按日'}）</View>
          <TrendBars trend={trend} />
        </View>
      ) : null}
    </View>
  );
}
