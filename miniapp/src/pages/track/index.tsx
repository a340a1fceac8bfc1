import { Input, Text, View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { useState } from 'react';
import { errorMessage } from '../../api/client';
import { trackComplaint, type ComplaintProgress } from '../../api/endpoints';
import { formatTime, statusClass, statusLabel } from '../../components/status';
import { FormFooter } from '../../components/FormFooter';

export default function Track() {
  const { params } = useRouter();
  const [trackingNo, setTrackingNo] = useState(params.trackingNo ? decodeURIComponent(params.trackingNo) : '');
  const [queryCode, setQueryCode] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState('');
  const [progress, setProgress] = useState<ComplaintProgress | null>(null);

  const query = async () => {
    if (!trackingNo.trim() || !queryCode.trim()) {
      setError('请填写投诉编号和查询码');
      return;
    }
    setSending(true);
    setError('');
    setProgress(null);
    try {
      setProgress(await trackComplaint(trackingNo.trim(), queryCode.trim()));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSending(false);
    }
  };

  return (
    <View className="page">
      <View className="card">
        <View className="field">
          <View className="label">投诉编号</View>
          <Input
            className="input"
            value={trackingNo}
            placeholder="提交投诉后显示的投诉编号"
            onInput={(e) => setTrackingNo(e.detail.value)}
          />
        </View>
        <View className="field">
          <View className="label">查询码</View>
          <Input
            className="input"
            value={queryCode}
            placeholder="与投诉编号一同显示的查询码"
            onInput={(e) => setQueryCode(e.detail.value)}
          />
        </View>
        <FormFooter error={error} errorTestId="track-error" sending={sending} onSubmit={query} label="查询" />
      </View>

      {progress ? (
        <View className="card" data-testid="track-result">
          <View className="row">
            <View className="section-title">{progress.category}</View>
            <Text className={statusClass(progress.status)}>{statusLabel(progress.status)}</Text>
          </View>
          <View className="hint">
            投诉编号 {progress.trackingNo} · 提交于 {formatTime(progress.createdAt)}
          </View>
          {progress.outcome ? <View className="notice">办理结果：{progress.outcome}</View> : null}
          {progress.timeline.map((t, i) => (
            <View key={i} className="list-item">
              <View>{t.label}</View>
              {t.note ? <View className="hint">{t.note}</View> : null}
              <View className="hint">{formatTime(t.at)}</View>
            </View>
          ))}
        </View>
      ) : null}
    </View>
  );
}
