import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import type { RoleGrant } from '@mashang/shared';
import { useState } from 'react';
import { storedUser } from '../../../api/client';
import { RetryError } from '../../../components/RetryError';
import { PhotoThumbs } from '../../../components/PhotoThumbs';
import { errorMessage, windowRatings, type WindowRating, type WindowRatingsPage } from '../../api';
import { formatTime } from '../../components/format';
import '../../officials.css';

/**
 * 本窗口评价 (window staff): every rating of their window — level, reasons, comment and date, never who rated — and
 * for each 差评 its case and state; the case page offers 申诉 (appeal with a reason) when the rating is mistaken.
 */
export default function WindowRatings() {
  const { params } = useRouter();
  const grants = (storedUser()?.roles ?? []) as RoleGrant[];
  const ownWindow = grants
    .find((g) => g.role === 'window_staff')
    ?.scope.split('/')
    .pop();
  const windowId = params.id ? decodeURIComponent(params.id) : ownWindow;
  const [page, setPage] = useState<WindowRatingsPage | null>(null);
  const [items, setItems] = useState<WindowRating[]>([]);
  const [error, setError] = useState('');
  const [loadingMore, setLoadingMore] = useState(false);

  const load = () => {
    if (!windowId) return;
    setError('');
    windowRatings(windowId)
      .then((p) => {
        setPage(p);
        setItems(p.items);
      })
      .catch((e) => setError(errorMessage(e)));
  };
  useDidShow(load);

  const more = async () => {
    if (!windowId || !page?.cursor || loadingMore) return;
    setLoadingMore(true);
    try {
      const next = await windowRatings(windowId, page.cursor);
      setPage(next);
      setItems((xs) => [...xs, ...next.items]);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoadingMore(false);
    }
  };

  if (!windowId) {
    return (
      <View className="page off-page">
        <View className="card">
          <View className="hint">您的账号没有绑定窗口。</View>
        </View>
      </View>
    );
  }
  return (
    <View className="page off-page">
      <View className="card" data-testid="window-ratings">
        <View className="section-title">{page ? page.window.name : '本窗口评价'}</View>
        {page ? (
          <View className="hint">
            {page.window.department.name} · {page.window.county.name}
          </View>
        ) : null}
        <View className="hint">评价人的身份和电话不向窗口显示。对有误或恶意的差评，可在督办件中提出申诉。</View>
        {error ? <RetryError message={error} onRetry={load} /> : null}
        {!page && !error ? <View className="hint">正在加载…</View> : null}
        {page && items.length === 0 ? <View className="hint">本窗口还没有评价。</View> : null}
        {items.map((r) => (
          <View
            key={r.id}
            className="case-item"
            data-testid={`rating-${r.id}`}
            onClick={
              r.caseId
                ? () =>
                    Taro.navigateTo({ url: `/officials/pages/case/index?id=${encodeURIComponent(r.caseId as string)}` })
                : undefined
            }
          >
            <View className="row">
              <Text className={r.level <= 2 ? 'tag tag-bad' : 'tag'}>{r.levelLabel}</Text>
              <Text className="hint">{formatTime(r.createdAt)}</Text>
            </View>
            {r.reasons.length ? <View className="summary">原因：{r.reasons.join('、')}</View> : null}
            {r.comment ? <View className="summary">{r.comment}</View> : null}
            <PhotoThumbs photos={r.photos} />
            {r.excluded ? <View className="hint">申诉成立，已不计入统计</View> : null}
            {r.caseId ? (
              <View className="row">
                <Text className="hint">督办件 {r.caseId}</Text>
                <Text className="tag">{r.caseStatusLabel ?? '查看'} ›</Text>
              </View>
            ) : null}
          </View>
        ))}
        {page?.cursor ? (
          <Button className="btn btn-plain" disabled={loadingMore} loading={loadingMore} onClick={more}>
            加载更多
          </Button>
        ) : null}
      </View>
    </View>
  );
}
