import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { CASE_LIST_BUCKETS, type CaseListBucket } from '@mashang/shared';
import { useRef, useState } from 'react';
import { errorMessage, listCases, type OfficialCase } from '../../api';
import { caseHeadline, caseStatusLabel, caseTagClass, caseWhere, formatTime, isPast } from '../../components/format';
import '../../officials.css';
import { RetryError } from '../../../components/RetryError';

const TABS: { key: CaseListBucket; label: string }[] = [
  { key: 'open', label: '待处理' },
  { key: 'overdue', label: '已逾期' },
  { key: 'closed', label: '已办结' },
];

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

function CaseRow({ c, overdue }: { c: OfficialCase; overdue: boolean }) {
  const due = dueText(c);
  return (
    <View
      className="case-item"
      data-testid="case-item"
      onClick={() => Taro.navigateTo({ url: `/officials/pages/case/index?id=${encodeURIComponent(c.id)}` })}
    >
      <View className="row">
        <Text className="case-title">{caseHeadline(c)}</Text>
        <Text className={caseTagClass(c, overdue || due.late)}>{caseStatusLabel(c)}</Text>
      </View>
      <View className="hint">{caseWhere(c)}</View>
      <View className="summary">{c.summary}</View>
      <View className="hint">
        {c.id} · {formatTime(c.createdAt)} · <Text className={due.late ? 'late' : ''}>{due.text}</Text>
        {c.overdueStrikes > 0 ? <Text className="late"> · 逾期 {c.overdueStrikes} 次</Text> : null}
      </View>
    </View>
  );
}

/** Cases in the caller's scope, by tab, 20 at a time. */
export default function CaseList() {
  const router = useRouter();
  const [status, setStatus] = useState<CaseListBucket>(() => parseStatus(router.params?.status));
  const [items, setItems] = useState<OfficialCase[] | null>(null);
  const [cursor, setCursor] = useState<string | undefined>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState('');
  // Answers to an earlier tab's request are dropped.
  const generation = useRef(0);

  const load = async (s: CaseListBucket, from?: string) => {
    const gen = from ? generation.current : ++generation.current;
    setLoading(true);
    setError('');
    if (!from) {
      setItems(null);
      setCursor(undefined);
    }
    try {
      const page = await listCases(s, from);
      if (gen !== generation.current) return;
      setItems((prev) => (from ? [...(prev ?? []), ...page.items] : page.items));
      setCursor(page.cursor);
    } catch (e) {
      if (gen === generation.current) setError(errorMessage(e));
    } finally {
      if (gen === generation.current) setLoading(false);
    }
  };

  useDidShow(() => {
    void load(status);
  });

  const choose = (s: CaseListBucket) => {
    setStatus(s);
    void load(s);
  };

  return (
    <View className="page off-page">
      <View className="tabs">
        {TABS.map((t) => (
          <View key={t.key} className={`tab ${status === t.key ? 'tab-selected' : ''}`} onClick={() => choose(t.key)}>
            {t.label}
          </View>
        ))}
      </View>
      <View className="card" data-testid="case-list">
        {items?.map((c) => (
          <CaseRow key={c.id} c={c} overdue={status === 'overdue'} />
        ))}
        {items && items.length === 0 ? (
          <View className="hint">没有{TABS.find((t) => t.key === status)?.label}的督办件。</View>
        ) : null}
        {loading ? <View className="hint">正在加载…</View> : null}
        {error ? <RetryError message={error} onRetry={() => load(status, items?.length ? cursor : undefined)} /> : null}
        {cursor && !loading && !error ? (
          <Button className="btn btn-plain more" onClick={() => load(status, cursor)}>
            加载更多
          </Button>
        ) : null}
      </View>
    </View>
  );
}
