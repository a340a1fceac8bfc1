import { Text, View } from '@tarojs/components';
import { useDidShow, useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { errorMessage } from '../../api';
import { visitWarnings, visitsInScope, type VisitView, type VisitWarningView } from '../../../visits/api';
import { chinaTime } from '../../../visits/format';
import { VisitList } from '../../../visits/VisitList';
import { RetryError } from '../../../components/RetryError';
import '../../officials.css';

/** Inspectors: officials' visits to enterprises in their scope, and the frequency warnings (频次预警). */
export default function InspectorVisits() {
  const { params } = useRouter();
  const [tab, setTab] = useState<'visits' | 'warnings'>(params.tab === 'warnings' ? 'warnings' : 'visits');
  const [visits, setVisits] = useState<VisitView[] | null>(null);
  const [cursor, setCursor] = useState<string | undefined>();
  const [warnings, setWarnings] = useState<VisitWarningView[] | null>(null);
  const [rule, setRule] = useState<{ days: number; perDepartment: number; total: number } | null>(null);
  const [error, setError] = useState('');

  const load = (after?: string) => {
    setError('');
    visitsInScope(after)
      .then((r) => {
        setVisits((xs) => [...(after ? (xs ?? []) : []), ...r.items]);
        setCursor(r.cursor);
      })
      .catch((e) => setError(errorMessage(e)));
    if (!after) {
      visitWarnings()
        .then((r) => {
          setWarnings(r.items);
          setRule(r.rule);
        })
        .catch((e) => setError(errorMessage(e)));
    }
  };
  useDidShow(() => load());

  return (
    <View className="page off-page">
      <View className="card">
        <View className="chips">
          <View className={`chip ${tab === 'visits' ? 'chip-selected' : ''}`} onClick={() => setTab('visits')}>
            干部走访
          </View>
          <View className={`chip ${tab === 'warnings' ? 'chip-selected' : ''}`} onClick={() => setTab('warnings')}>
            频次预警{warnings && warnings.length ? `（${warnings.length}）` : ''}
          </View>
        </View>
        {error ? <RetryError message={error} onRetry={() => load()} /> : null}
      </View>
      {tab === 'visits' ? (
        <View className="card" data-testid="scope-visits">
          <View className="section-title">辖区内干部访企登记</View>
          {!visits && !error ? <View className="hint">正在加载…</View> : null}
          {visits ? (
            <VisitList
              items={visits}
              show="both"
              empty="辖区内暂无走访登记。"
              more={cursor ? () => load(cursor) : undefined}
            />
          ) : null}
        </View>
      ) : (
        <View className="card" data-testid="visit-warnings">
          <View className="section-title">走访频次预警</View>
          {rule ? (
            <View className="hint">
              规则：{rule.days} 天内同一部门走访同一企业 ≥ {rule.perDepartment} 次，或合计 ≥ {rule.total} 次
            </View>
          ) : null}
          {warnings && warnings.length === 0 ? <View className="hint">暂无预警。</View> : null}
          {(warnings ?? []).map((w) => (
            <View key={w.id} className="case-item">
              <View className="row">
                <Text className="case-title">{w.enterprise.name}</Text>
                <Text className="tag tag-bad">频次预警</Text>
              </View>
              <View className="hint">
                {w.rule === 'department' ? `${w.department?.name ?? ''}` : '各部门合计'} {w.days} 天内走访 {w.count}{' '}
                次（阈值 {w.threshold}）· {chinaTime(w.createdAt)}
              </View>
            </View>
          ))}
        </View>
      )}
    </View>
  );
}
