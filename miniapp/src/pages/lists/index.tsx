import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { ConductLists } from '@mashang/shared';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../api/client';
import { getLists } from '../../api/endpoints';
import { PageLoading } from '../../components/RetryError';

export default function Lists() {
  const [lists, setLists] = useState<ConductLists | null>(null);
  const [error, setError] = useState('');

  const load = () => {
    setError('');
    getLists()
      .then(setLists)
      .catch((e) => setError(errorMessage(e)));
  };
  useEffect(load, []);

  if (error || !lists) return <PageLoading error={error} onRetry={load} />;
  return (
    <View className="page">
      <View className="card" data-testid="positive-list">
        <View className="title">正面清单</View>
        <View className="hint">版本 {lists.positive.version} · 干部可以这样做</View>
        {lists.positive.items.map((item, i) => (
          <View key={item.id} className="list-item">
            <Text>
              {i + 1}. {item.text}
            </Text>
          </View>
        ))}
      </View>
      <View className="card" data-testid="negative-list">
        <View className="title">负面清单</View>
        <View className="hint">版本 {lists.negative.version} · 干部不得这样做</View>
        {lists.negative.items.map((item, i) => (
          <View key={item.id} className="list-item">
            <Text>
              {i + 1}. {item.text}
            </Text>
          </View>
        ))}
      </View>
      <Button className="btn btn-primary" onClick={() => Taro.navigateTo({ url: '/pages/complaint/index' })}>
        发现违反负面清单？去投诉
      </Button>
    </View>
  );
}
