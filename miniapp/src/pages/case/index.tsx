import { Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { levelLabel, type CitizenCaseView } from '@mashang/shared';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../api/client';
import { getMyCase } from '../../api/endpoints';
import { PageLoading } from '../../components/RetryError';
import { PhotoThumbs } from '../../components/PhotoThumbs';
import { formatTime } from '../../components/status';
import { FollowUpForm } from '../mine/FollowUpForm';

/**
 * The citizen's own case (opened from 我的 or from the 处理结果通知 message): first what was done — the state, the
 * outcome, what the officials published and a timeline without their names — and only then the 追评.
 */
export default function CitizenCase() {
  const { params } = useRouter();
  const id = decodeURIComponent(params.id ?? '');
  const [view, setView] = useState<CitizenCaseView | null>(null);
  const [error, setError] = useState('');
  const [followed, setFollowed] = useState<boolean | null>(null);

  const load = () => {
    setError('');
    getMyCase(id)
      .then(setView)
      .catch((e) => setError(errorMessage(e)));
  };
  useEffect(load, [id]);

  if (error || !view) return <PageLoading error={error} onRetry={load} />;
  const closed = view.status === 'closed';
  return (
    <View className="page">
      <View className="card" data-testid="case-summary">
        <View className="row">
          <View className="section-title">
            {view.source === 'complaint' ? `投诉：${view.category ?? ''}` : (view.window?.name ?? '服务评价')}
          </View>
          <Text className={closed ? 'tag tag-done' : 'tag'}>{view.statusLabel}</Text>
        </View>
        <View className="hint">
          督办件编号 {view.id}
          {view.trackingNo ? ` · 投诉编号 ${view.trackingNo}` : ''}
        </View>
        {view.department ? <View className="hint">{view.department.name}</View> : null}
        {view.level ? (
          <View className="hint">
            您的评价：{levelLabel(view.level)}
            {view.reasons?.length ? `（${view.reasons.join('、')}）` : ''}
          </View>
        ) : null}
        <View className="hint">提交于 {formatTime(view.createdAt)}</View>
        {view.photos?.length ? <View className="hint">您提供的照片</View> : null}
        <PhotoThumbs photos={view.photos} />
      </View>

      <View className="card" data-testid="case-result">
        <View className="section-title">办理结果</View>
        {view.outcome ? (
          <View className="notice" data-testid="case-outcome">
            {view.outcome}
            {view.closedAt ? `（${formatTime(view.closedAt)} 办结）` : ''}
          </View>
        ) : (
          <View className="hint">尚未办结。办结后，订阅了通知或留有电话的将收到通知，也可随时在“我的”中查看。</View>
        )}
        {view.rectificationSummary ? (
          <View className="field">
            <View className="label">整改情况</View>
            <View>{view.rectificationSummary}</View>
          </View>
        ) : null}
        {view.closingNote ? (
          <View className="field">
            <View className="label">办结说明</View>
            <View>{view.closingNote}</View>
          </View>
        ) : null}
      </View>

      <View className="card" data-testid="case-timeline">
        <View className="section-title">办理过程</View>
        {view.timeline.map((t, i) => (
          <View key={i} className="list-item">
            <View>{t.label}</View>
            {t.text ? <View className="hint">{t.text}</View> : null}
            <View className="hint">{formatTime(t.at)}</View>
          </View>
        ))}
      </View>

      {view.followUp.allowed && followed === null ? (
        <View className="card">
          <View className="section-title">追评</View>
          <FollowUpForm caseId={view.id} onDone={(satisfied) => setFollowed(satisfied)} />
        </View>
      ) : null}
      {followed !== null ? (
        <View className="card">
          <View className="notice" data-testid="follow-up-done">
            {followed ? '追评已提交，感谢您的监督。' : '追评已提交，督办件将重新办理，办结后将再次通知您。'}
          </View>
        </View>
      ) : null}
    </View>
  );
}
