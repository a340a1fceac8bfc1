import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { isBadRating, levelLabel, type MyRatingItem } from '@mashang/shared';
import { useState } from 'react';
import { errorMessage } from '../../api/client';
import { myComplaints, myRatings, type MyComplaintItem } from '../../api/endpoints';
import { formatTime, statusClass, statusLabel } from '../../components/status';
import { FollowUpForm } from './FollowUpForm';
import { RetryError } from '../../components/RetryError';

export default function Mine() {
  const [ratings, setRatings] = useState<MyRatingItem[] | null>(null);
  const [complaints, setComplaints] = useState<MyComplaintItem[] | null>(null);
  const [error, setError] = useState('');
  const [openForm, setOpenForm] = useState<string | null>(null);
  const [followed, setFollowed] = useState<Record<string, boolean>>({});

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

  if (error) {
    return (
      <View className="page">
        <View className="card">
          <RetryError message={error} onRetry={load} />
        </View>
      </View>
    );
  }
  if (!ratings || !complaints) {
    return (
      <View className="page">
        <View className="card">正在加载…</View>
      </View>
    );
  }

  return (
    <View className="page">
      <View className="card" data-testid="my-ratings">
        <View className="title">我的评价</View>
        {ratings.length === 0 ? <View className="hint">还没有评价。扫描窗口的监督码即可评价。</View> : null}
        {ratings.map((r) => (
          <View key={r.id} className="list-item">
            <View className="row">
              <Text>{r.window?.name}</Text>
              <Text className={isBadRating(r.level) ? 'tag tag-bad' : 'tag'}>{levelLabel(r.level)}</Text>
            </View>
            <View className="hint">
              {r.window?.departmentName} · {formatTime(r.createdAt)}
            </View>
            {r.reasons?.length ? <View className="hint">原因：{r.reasons.join('、')}</View> : null}
            {r.caseId ? (
              <View className="row" style={{ marginTop: '8px' }}>
                <Text className="hint">督办件 {r.caseId}</Text>
                <Text className={statusClass(r.caseStatus)}>{statusLabel(r.caseStatus)}</Text>
              </View>
            ) : null}
            {r.caseId && r.caseStatus === 'closed' && followed[r.caseId] === undefined ? (
              openForm === r.caseId ? (
                <FollowUpForm
                  caseId={r.caseId}
                  onDone={(satisfied) => {
                    setFollowed((f) => ({ ...f, [r.caseId as string]: satisfied }));
                    setOpenForm(null);
                  }}
                />
              ) : (
                <Button className="btn btn-plain" onClick={() => setOpenForm(r.caseId)}>
                  追评
                </Button>
              )
            ) : null}
            {r.caseId && followed[r.caseId] !== undefined ? (
              <View className="notice">
                {followed[r.caseId] ? '追评已提交，感谢您的监督。' : '追评已提交，督办件将重新办理。'}
              </View>
            ) : null}
          </View>
        ))}
      </View>

      <View className="card" data-testid="my-complaints">
        <View className="title">我的投诉</View>
        {complaints.length === 0 ? <View className="hint">还没有实名投诉。匿名投诉请凭编号和查询码查询。</View> : null}
        {complaints.map((c) => (
          <View
            key={c.trackingNo}
            className="list-item"
            onClick={() =>
              Taro.navigateTo({ url: `/pages/track/index?trackingNo=${encodeURIComponent(c.trackingNo)}` })
            }
          >
            <View className="row">
              <Text>{c.category}</Text>
              <Text className={statusClass(c.caseStatus)}>{statusLabel(c.caseStatus)}</Text>
            </View>
            <View className="hint">
              编号 {c.trackingNo} · {formatTime(c.createdAt)}
            </View>
          </View>
        ))}
      </View>
    </View>
  );
}
