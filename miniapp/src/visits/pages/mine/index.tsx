import { Button, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { errorMessage } from '../../../api/client';
import { RetryError } from '../../../components/RetryError';
import { myVisits, withdrawVisit, type VisitView } from '../../api';
import { VisitList } from '../../VisitList';

/** 我的走访: the official's own visits and how each was rated (never by whom); withdraw within the hour. */
export default function MyVisits() {
  const [items, setItems] = useState<VisitView[] | null>(null);
  const [cursor, setCursor] = useState<string | undefined>();
  const [error, setError] = useState('');

  const load = (after?: string) => {
    setError('');
    myVisits(after)
      .then((r) => {
        setItems((xs) => [...(after ? (xs ?? []) : []), ...r.items]);
        setCursor(r.cursor);
      })
      .catch((e) => setError(errorMessage(e)));
  };
  useDidShow(() => load());

  const withdrawable = (items ?? []).filter(
    (v) => v.status === 'active' && !v.rating && Date.parse(v.withdrawableUntil) > Date.now(),
  );
  const withdraw = async (v: VisitView) => {
    try {
      const r = await withdrawVisit(v.id, '登记有误');
      setItems((xs) => (xs ?? []).map((x) => (x.id === v.id ? r.visit : x)));
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const rated = (items ?? []).filter((v) => v.rating);
  const good = rated.filter((v) => v.rating!.level >= 4).length;
  return (
    <View className="page">
      <View className="card" data-testid="my-visits">
        <View className="section-title">我的走访</View>
        {items ? (
          <View className="hint">
            共 {items.filter((v) => v.status === 'active').length} 次，企业已评价 {rated.length} 次
            {rated.length ? `，满意 ${good} 次` : ''}
          </View>
        ) : null}
        {error ? <RetryError message={error} onRetry={() => load()} /> : null}
        {!items && !error ? <View className="hint">正在加载…</View> : null}
        {withdrawable.map((v) => (
          <Button key={v.id} className="btn btn-plain" onClick={() => withdraw(v)}>
            撤回 {v.enterprise.name} 的登记（1 小时内）
          </Button>
        ))}
        {items ? (
          <VisitList
            items={items}
            show="official"
            empty="您还没有登记过走访。"
            more={cursor ? () => load(cursor) : undefined}
          />
        ) : null}
      </View>
    </View>
  );
}
