import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { CITIZEN_STATUS_LABELS, isBadRating, levelLabel, type CaseStatus, type MyRatingItem } from '@mashang/shared';
import { useState } from 'react';
import { errorMessage } from '../../api/client';
import { myComplaints, myRatings, type MyComplaintItem } from '../../api/endpoints';
import { formatTime, statusClass } from '../../components/status';
import { PageLoading } from '../../components/RetryError';
import { PhotoThumbs } from '../../components/PhotoThumbs';

/** The state of a case as the citizen reads it, with a hint of what to do next. */
function caseState(status: string | undefined): string {
  if (!status) return '待受理';
  const label = CITIZEN_STATUS_LABELS[status as CaseStatus] ?? status;
  return status === 'closed' ? `${label} · 查看结果并追评` : label;
}

const openCase = (caseId: string) => Taro.navigateTo({ url: `/pages/case/index?id=${encodeURIComponent(caseId)}` });

export default function Mine() {
  const [ratings, setRatings] = useState<MyRatingItem[] | null>(null);
  const [complaints, setComplaints] = useState<MyComplaintItem[] | null>(null);
  const [error, setError] = useState('');

  const load = () => {
    setError('');
    Promise.all([myRatings(), myComplaints()])
      .then(([r, c]) => {
        setRatings(r);
        setComplaints(c);
      })
      .catch((e) => setError(errorMessage(e)));
  };
  useDidShow(load);

  if (error || !ratings || !complaints) return <PageLoading error={error} onRetry={load} />;

  return (
    <View className="page">
      <View className="card" data-testid="my-ratings">
        <View className="title">我的评价</View>
        {ratings.length === 0 ? <View className="hint">还没有评价。扫描窗口的监督码即可评价。</View> : null}
        {ratings.map((r) => (
          <View
            key={r.id}
            className="list-item"
            data-testid={r.caseId ? `my-case-${r.caseId}` : undefined}
            onClick={r.caseId ? () => openCase(r.caseId as string) : undefined}
          >
            <View className="row">
              <Text>{r.window?.name}</Text>
              <Text className={isBadRating(r.level) ? 'tag tag-bad' : 'tag'}>{levelLabel(r.level)}</Text>
            </View>
            <View className="hint">
              {r.window?.departmentName} · {formatTime(r.createdAt)}
            </View>
            {r.reasons?.length ? <View className="hint">原因：{r.reasons.join('、')}</View> : null}
            <PhotoThumbs photos={r.photos} />
            {r.caseId ? (
              <View className="row" style={{ marginTop: '8px' }}>
                <Text className="hint">督办件 {r.caseId}</Text>
                <Text className={statusClass(r.caseStatus)}>{caseState(r.caseStatus)} ›</Text>
              </View>
            ) : null}
          </View>
        ))}
      </View>

      <View className="card" data-testid="my-complaints">
        <View className="title">我的投诉</View>
        {complaints.length === 0 ? (
          <View className="hint">还没有实名投诉。匿名投诉请凭投诉编号和查询码查询。</View>
        ) : null}
        {complaints.map((c) => (
          <View
            key={c.trackingNo}
            className="list-item"
            data-testid={`my-case-${c.caseId}`}
            onClick={() => openCase(c.caseId)}
          >
            <View className="row">
              <Text>{c.category}</Text>
              <Text className={statusClass(c.caseStatus)}>{caseState(c.caseStatus)} ›</Text>
            </View>
            <View className="hint">
              投诉编号 {c.trackingNo} · {formatTime(c.createdAt)}
            </View>
          </View>
        ))}
      </View>
    </View>
  );
}
