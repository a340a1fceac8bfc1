import { Button, Text, View } from '@tarojs/components';
import type { PublicSatisfaction } from '@mashang/shared';
import { useEffect, useState } from 'react';
import { errorMessage, request } from '../../../api/client';
import { PageLoading } from '../../../components/RetryError';

/** This month in China time (YYYY-MM). */
const thisMonth = () => new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 7);
const shift = (month: string, by: number) => {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};
const monthText = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5))}月`;

/**
 * 满意度公示 (public, no login): each department's 好评率 for a month, from GET /v1/public/satisfaction. Only
 * departments with enough ratings are listed; no person and no comment is ever shown.
 */
export default function Satisfaction() {
  const [month, setMonth] = useState(thisMonth());
  const [data, setData] = useState<PublicSatisfaction | null>(null);
  const [error, setError] = useState('');

  const load = () => {
    setError('');
    setData(null);
    request<PublicSatisfaction>('GET', `/v1/public/satisfaction?month=${month}`, undefined, 'none')
      .then(setData)
      .catch((e) => setError(errorMessage(e)));
  };
  useEffect(load, [month]);

  return (
    <View className="page">
      <View className="card">
        <View className="title">政务服务满意度公示</View>
        <View style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', marginTop: '8px' }}>
          <Button size="mini" onClick={() => setMonth(shift(month, -1))}>
            上个月
          </Button>
          <Text data-testid="month">{monthText(month)}</Text>
          <Button size="mini" disabled={month >= thisMonth()} onClick={() => setMonth(shift(month, 1))}>
            下个月
          </Button>
        </View>
      </View>
      {error || !data ? (
        <PageLoading error={error} onRetry={load} />
      ) : (
        <View className="card" data-testid="satisfaction">
          <View className="hint">
            全州本月共收到评价 {data.prefecture.ratings} 条，好评率
            {data.prefecture.goodRate === null ? ' —' : ` ${data.prefecture.goodRate}%`}。 当月评价不少于{' '}
            {data.minRatings} 条的部门参与公示，按好评率排列。
          </View>
          {data.departments.length === 0 ? (
            <View className="hint" data-testid="empty">
              本月暂无评价数量达到公示条件的部门
            </View>
          ) : (
            data.departments.map((d) => (
              <View key={d.id} className="list-item">
                <Text>
                  {d.rank}. {d.name}（{d.county}）
                </Text>
                <Text style={{ float: 'right' }}>
                  好评率 {d.goodRate}% · {d.ratings} 条
                </Text>
              </View>
            ))
          )}
        </View>
      )}
    </View>
  );
}
