import { View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../../api/client';
import { RetryError } from '../../../components/RetryError';
import { enterpriseVisits, type VisitView } from '../../api';
import { VisitList } from '../../VisitList';

/** The enterprise's visit log (走访记录): who visited, from which department, when, why, and its rating. */
export default function VisitLog() {
  const { params } = useRouter();
  const enterpriseId = decodeURIComponent(params.enterpriseId ?? '');
  const [items, setItems] = useState<VisitView[] | null>(null);
  const [cursor, setCursor] = useState<string | undefined>();
  const [error, setError] = useState('');

  const load = (after?: string) => {
    setError('');
    enterpriseVisits(enterpriseId, { cursor: after })
      .then((r) => {
        setItems((xs) => [...(after ? (xs ?? []) : []), ...r.items]);
        setCursor(r.cursor);
      })
      .catch((e) => setError(errorMessage(e)));
  };
  // Once per enterprise: `load` only reads the id.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => load(), [enterpriseId]);

  return (
    <View className="page">
      <View className="card" data-testid="visit-log">
        <View className="section-title">走访记录</View>
        {error ? <RetryError message={error} onRetry={() => load(cursor)} /> : null}
        {!items && !error ? <View className="hint">正在加载…</View> : null}
        {items ? (
          <VisitList
            items={items}
            show="enterprise"
            empty="暂无干部走访记录。"
            onOpen={(v) => Taro.navigateTo({ url: `/visits/pages/rate/index?id=${encodeURIComponent(v.id)}` })}
            more={cursor ? () => load(cursor) : undefined}
          />
        ) : null}
      </View>
    </View>
  );
}
