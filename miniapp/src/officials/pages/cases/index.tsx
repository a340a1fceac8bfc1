import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import {
  CASE_LIST_BUCKETS,
  CASE_SOURCE_LABELS,
  CASE_SOURCES,
  PREFECTURE_ID,
  REGIONS,
  type CaseListBucket,
  type CaseSource,
  type RoleGrant,
} from '@mashang/shared';
import { useRef, useState } from 'react';
import { storedUser } from '../../../api/client';
import { countyDepartments, errorMessage, listCases, type CaseFilters, type OfficialCase } from '../../api';
import { caseHeadline, caseStatusLabel, caseTagClass, formatTime, isPast, shortSummary } from '../../components/format';
import '../../officials.css';
import { RetryError } from '../../../components/RetryError';

const TABS: { key: CaseListBucket; label: string }[] = [
  { key: 'open', label: '待处理' },
  { key: 'overdue', label: '已逾期' },
  { key: 'closed', label: '已办结' },
];

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function parseStatus(s: string | undefined): CaseListBucket {
  return (CASE_LIST_BUCKETS as readonly string[]).includes(s ?? '') ? (s as CaseListBucket) : 'open';
}

/** The deadline that matters now: the callback until it is done, then the rectification. */
function dueText(c: OfficialCase): { text: string; late: boolean } {
  if (c.status === 'closed')
    return {
      text: c.closedAt ? `办结于 ${formatTime(c.closedAt)}${c.outcome ? ` · ${c.outcome}` : ''}` : '已办结',
      late: false,
    };
  if (c.hasContact && !c.callbackDone)
    return { text: `回访期限 ${formatTime(c.callbackDueAt)}`, late: isPast(c.callbackDueAt) };
  return { text: `整改期限 ${formatTime(c.rectifyDueAt)}`, late: isPast(c.rectifyDueAt) };
}

/** Two lines a case: number, window and level (and its state); a short summary and the deadline that matters. */
function CaseRow({ c, overdue }: { c: OfficialCase; overdue: boolean }) {
  const due = dueText(c);
  return (
    <View
      className="case-item"
      data-testid="case-item"
      onClick={() => Taro.navigateTo({ url: `/officials/pages/case/index?id=${encodeURIComponent(c.id)}` })}
    >
      <View className="row">
        <Text className="case-no">{c.id}</Text>
        <Text className="case-title">{caseHeadline(c)}</Text>
        <Text className={caseTagClass(c, overdue || due.late)}>{caseStatusLabel(c)}</Text>
      </View>
      <View className="row case-line2">
        <Text className="case-summary">{shortSummary(c.summary)}</Text>
        <Text className={`case-due ${due.late ? 'late' : ''}`}>
          {due.text}
          {c.overdueStrikes > 0 ? ` · 逾期 ${c.overdueStrikes} 次` : ''}
        </Text>
      </View>
    </View>
  );
}

/** The widest place the caller reads cases in (inspectors, handlers, operators). */
function widestScope(): string {
  const grants = (storedUser()?.roles ?? []) as RoleGrant[];
  const readers = grants
    .filter((g) => g.role === 'inspector' || g.role === 'handler' || g.role === 'operator')
    .sort((a, b) => a.scope.length - b.scope.length);
  return readers[0]?.scope ?? PREFECTURE_ID;
}

function Chip<T extends string>(props: { value: T; chosen: T; label: string; onChoose: (v: T) => void }) {
  return (
    <View
      className={`chip ${props.value === props.chosen ? 'chip-selected' : ''}`}
      onClick={() => props.onChoose(props.value)}
    >
      {props.label}
    </View>
  );
}

/**
 * Cases in the caller's scope, by tab, 20 at a time: narrowed by county and department (as far as the caller's scope
 * reaches), by source and by creation days, or found by case number.
 */
export default function CaseList() {
  const router = useRouter();
  const widest = useRef(widestScope()).current;
  const depth = widest.split('/').length;
  const [status, setStatus] = useState<CaseListBucket>(() => parseStatus(router.params?.status));
  const [county, setCounty] = useState(depth >= 2 ? widest.split('/')[1] : '');
  const [department, setDepartment] = useState('');
  const [departments, setDepartments] = useState<{ id: string; name: string; path: string }[] | null>(null);
  const [departmentsError, setDepartmentsError] = useState('');
  const [source, setSource] = useState<CaseSource | ''>('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [search, setSearch] = useState('');
  const [searched, setSearched] = useState('');
  const [formError, setFormError] = useState('');
  const [items, setItems] = useState<OfficialCase[] | null>(null);
  const [cursor, setCursor] = useState<string | undefined>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState('');
  // Answers to an earlier tab's or filter's request are dropped.
  const generation = useRef(0);

  const filtersOf = (f: { county: string; department: string; source: CaseSource | ''; q: string }): CaseFilters => {
    const scope = f.department ? f.department : f.county && depth <= 2 ? `${PREFECTURE_ID}/${f.county}` : undefined;
    return {
      ...(scope && scope !== widest ? { scope } : {}),
      ...(f.source ? { source: f.source } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      ...(f.q ? { q: f.q } : {}),
    };
  };
  const current = () => filtersOf({ county, department, source, q: searched });

  const load = async (s: CaseListBucket, filters: CaseFilters, after?: string) => {
    const gen = after ? generation.current : ++generation.current;
    setLoading(true);
    setError('');
    if (!after) {
      setItems(null);
      setCursor(undefined);
    }
    try {
      const page = await listCases(s, after, filters);
      if (gen !== generation.current) return;
      setItems((prev) => (after ? [...(prev ?? []), ...page.items] : page.items));
      setCursor(page.cursor);
    } catch (e) {
      if (gen === generation.current) setError(errorMessage(e));
    } finally {
      if (gen === generation.current) setLoading(false);
    }
  };

  const loadDepartments = (c: string) => {
    setDepartments(null);
    setDepartmentsError('');
    countyDepartments(c)
      .then(setDepartments)
      .catch((e) => setDepartmentsError(errorMessage(e)));
  };

  useDidShow(() => {
    void load(status, current());
    if (depth === 2 && departments === null) loadDepartments(county);
  });

  const choose = (s: CaseListBucket) => {
    setStatus(s);
    void load(s, current());
  };
  const chooseCounty = (c: string) => {
    setCounty(c);
    setDepartment('');
    setDepartments(null);
    if (c) loadDepartments(c);
    void load(status, filtersOf({ county: c, department: '', source, q: searched }));
  };
  const chooseDepartment = (d: string) => {
    setDepartment(d);
    void load(status, filtersOf({ county, department: d, source, q: searched }));
  };
  const chooseSource = (v: CaseSource | '') => {
    setSource(v);
    void load(status, filtersOf({ county, department, source: v, q: searched }));
  };
  const applyDates = () => {
    if ((from && !DAY.test(from)) || (to && !DAY.test(to))) return setFormError('日期格式为 2026-11-01');
    if (from && to && from > to) return setFormError('开始日期不能晚于结束日期');
    setFormError('');
    void load(status, current());
  };
  const runSearch = () => {
    const q = search.trim().toUpperCase();
    if (!/^\d{8}-[0-9A-Z]{6}$/.test(q)) return setFormError('请输入完整的督办件编号，如 20261126-AB12CD');
    setFormError('');
    setSearched(q);
    void load(status, filtersOf({ county, department, source, q }));
  };
  const clearSearch = () => {
    setSearch('');
    setSearched('');
    void load(status, filtersOf({ county, department, source, q: '' }));
  };

  const countyChoices =
    depth === 1 ? [{ id: '', label: '全部区县' }, ...REGIONS.map((r) => ({ id: r.id, label: r.label }))] : [];
  const showDepartments = depth <= 2 && !!county;

  return (
    <View className="page off-page">
      <View className="tabs">
        {TABS.map((t) => (
          <View key={t.key} className={`tab ${status === t.key ? 'tab-selected' : ''}`} onClick={() => choose(t.key)}>
            {t.label}
          </View>
        ))}
      </View>
      <View className="card" data-testid="case-filters">
        <View className="row">
          <Input
            className="input search-input"
            value={search}
            placeholder="输入督办件编号查找"
            onInput={(e) => setSearch(e.detail.value)}
            onConfirm={runSearch}
          />
          <Button className="btn btn-plain btn-inline" onClick={runSearch}>
            查找
          </Button>
        </View>
        {searched ? (
          <View className="hint" data-testid="search-active">
            {`编号 ${searched} 的查找结果（不分状态）`}
            <Text className="link" onClick={clearSearch}>
              {' '}
              清除
            </Text>
          </View>
        ) : null}
        <View className="chips" data-testid="source-filter">
          <Chip value="" chosen={source} label="全部来源" onChoose={chooseSource} />
          {CASE_SOURCES.map((v) => (
            <Chip key={v} value={v} chosen={source} label={CASE_SOURCE_LABELS[v]} onChoose={chooseSource} />
          ))}
        </View>
        {countyChoices.length ? (
          <View className="chips" data-testid="county-filter">
            {countyChoices.map((c) => (
              <Chip key={c.id} value={c.id} chosen={county} label={c.label} onChoose={chooseCounty} />
            ))}
          </View>
        ) : null}
        {showDepartments ? (
          <View className="chips" data-testid="department-filter">
            {departmentsError ? (
              <RetryError message={departmentsError} onRetry={() => loadDepartments(county)} />
            ) : departments === null ? (
              <View className="hint">正在加载部门…</View>
            ) : (
              <>
                <Chip value="" chosen={department} label="全部部门" onChoose={chooseDepartment} />
                {departments.map((d) => (
                  <Chip key={d.id} value={d.path} chosen={department} label={d.name} onChoose={chooseDepartment} />
                ))}
              </>
            )}
          </View>
        ) : null}
        <View className="row date-row">
          <Input
            className="input date-input"
            value={from}
            placeholder="开始 2026-11-01"
            maxlength={10}
            onInput={(e) => setFrom(e.detail.value.trim())}
          />
          <Text className="hint">至</Text>
          <Input
            className="input date-input"
            value={to}
            placeholder="结束 2026-11-30"
            maxlength={10}
            onInput={(e) => setTo(e.detail.value.trim())}
          />
        </View>
        <Button className="btn btn-plain date-apply" onClick={applyDates}>
          按日期筛选
        </Button>
        {formError ? <View className="error-text">{formError}</View> : null}
      </View>
      <View className="card" data-testid="case-list">
        {items?.map((c) => (
          <CaseRow key={c.id} c={c} overdue={status === 'overdue'} />
        ))}
        {items && items.length === 0 ? (
          <View className="hint">
            {searched
              ? `没有找到编号为 ${searched} 的督办件。`
              : `没有${TABS.find((t) => t.key === status)?.label}的督办件。`}
          </View>
        ) : null}
        {loading ? <View className="hint">正在加载…</View> : null}
        {error ? (
          <RetryError message={error} onRetry={() => load(status, current(), items?.length ? cursor : undefined)} />
        ) : null}
        {cursor && !loading && !error ? (
          <Button className="btn btn-plain more" onClick={() => load(status, current(), cursor)}>
            加载更多
          </Button>
        ) : null}
      </View>
    </View>
  );
}
