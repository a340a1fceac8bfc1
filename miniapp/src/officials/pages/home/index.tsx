import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { ROLE_LABELS, isOfficial, type Role, type RoleGrant } from '@mashang/shared';
import { useState } from 'react';
import { errorMessage, storedUser } from '../../../api/client';
import { listCases, type CaseListItem } from '../../../api/endpoints';
import { formatTime, statusClass, statusLabel } from '../../../components/status';

type Filter = 'open' | 'overdue' | 'closed';
const FILTERS: { key: Filter; label: string }[] = [
  { key: 'open', label: '办理中' },
  { key: 'overdue', label: '已超期' },
  { key: 'closed', label: '已办结' },
];

/** Officials' home (subpackage): who I am, and the cases in my scope. */
export default function OfficialsHome() {
  const user = storedUser();
  const grants = (user?.roles ?? []) as RoleGrant[];
  const [filter, setFilter] = useState<Filter>('open');
  const [cases, setCases] = useState<CaseListItem[] | null>(null);
  const [error, setError] = useState('');

  const load = (f: Filter) => {
    setFilter(f);
    setCases(null);
    setError('');
    listCases(f)
      .then(setCases)
      .catch((e) => setError(errorMessage(e)));
  };
  useDidShow(() => {
    if (isOfficial(grants)) load(filter);
  });

  if (!user || !isOfficial(grants)) {
    return (
      <View className='page'>
        <View className='card'>
          <View className='section-title'>工作台仅供工作人员使用</View>
          <View className='hint'>请先用工作人员账号登录。</View>
          <Button className='btn btn-primary' onClick={() => Taro.redirectTo({ url: '/pages/login/index' })}>
            去登录
          </Button>
        </View>
      </View>
    );
  }

  return (
    <View className='page'>
      <View className='card'>
        <View className='section-title'>我的职责</View>
        {grants.map((g) => (
          <View key={`${g.role}:${g.scope}`} className='hint'>
            {ROLE_LABELS[g.role as Role] ?? g.role} · {g.scope}
          </View>
        ))}
      </View>
      <View className='card'>
        <View className='section-title'>督办件</View>
        <View className='chips'>
          {FILTERS.map((f) => (
            <View key={f.key} className={`chip ${filter === f.key ? 'chip-selected' : ''}`} onClick={() => load(f.key)}>
              {f.label}
            </View>
          ))}
        </View>
        {error ? <View className='error-text'>{error}</View> : null}
        {!cases && !error ? <View className='hint'>正在加载…</View> : null}
        {cases && cases.length === 0 ? <View className='hint'>没有此类督办件。</View> : null}
        {(cases ?? []).map((c) => (
          <View key={c.id} className='list-item'>
            <View className='row'>
              <Text>{c.title ?? c.id}</Text>
              <Text className={statusClass(c.status)}>{statusLabel(c.status)}</Text>
            </View>
            <View className='hint'>
              {formatTime(c.createdAt)}
              {c.dueAt ? ` · 期限 ${formatTime(c.dueAt)}` : ''}
            </View>
          </View>
        ))}
      </View>
    </View>
  );
}
