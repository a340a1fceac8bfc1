import { Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { ALERT_STATUS_LABELS } from '@mashang/shared';
import { errorMessage, failedAlerts, type FailedAlert } from '../../api';
import { EVENT_LABELS, formatTime, roleLabel } from '../../components/format';
import '../../officials.css';
import { RetryError } from '../../../components/RetryError';

/** Inspectors: alerts that could not be delivered after every retry, so someone follows them up by hand. */
export default function FailedAlerts() {
  const [items, setItems] = useState<FailedAlert[] | null>(null);
  const [error, setError] = useState('');

  const load = () => {
    setError('');
    failedAlerts()
      .then((r) => setItems(r.items))
      .catch((e) => setError(errorMessage(e)));
  };
  useDidShow(load);

  return (
    <View className="page off-page">
      <View className="card" data-testid="failed-alerts">
        <View className="section-title">发送失败的提醒</View>
        <View className="hint">以下提醒经多次重试仍未送达，请电话通知相关人员。</View>
        {error ? <RetryError message={error} onRetry={load} /> : null}
        {!items && !error ? <View className="hint">正在加载…</View> : null}
        {items && items.length === 0 ? <View className="hint">没有发送失败的提醒。</View> : null}
        {(items ?? []).map((a, i) => (
          <View
            key={`${a.caseId}:${a.event}:${a.recipient}:${i}`}
            className="case-item"
            onClick={() => Taro.navigateTo({ url: `/officials/pages/case/index?id=${encodeURIComponent(a.caseId)}` })}
          >
            <View className="row">
              <Text className="case-title">
                {EVENT_LABELS[a.event] ?? a.event} → {roleLabel(a.recipientRole)} {a.recipient}
              </Text>
              <Text className="tag tag-bad">{ALERT_STATUS_LABELS.failed}</Text>
            </View>
            <View className="hint">
              督办件 {a.caseId} · 已尝试 {a.attempts} 次 · {formatTime(a.updatedAt)}
            </View>
            {a.lastError ? <View className="error-text">{a.lastError}</View> : null}
          </View>
        ))}
      </View>
    </View>
  );
}
