import { Button, View } from '@tarojs/components';

/** A load that failed: the server's (or the network's) message in words, and a button to try again. */
export function RetryError({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <View>
      <View className="error-text">{message}</View>
      <Button className="btn btn-plain" onClick={onRetry}>
        重试
      </Button>
    </View>
  );
}

/** A page whose data has not arrived: the load's error with 重试 when it failed, else 正在加载…. */
export function PageLoading({ error, onRetry }: { error: string; onRetry: () => void }) {
  return (
    <View className="page">
      <View className="card">{error ? <RetryError message={error} onRetry={onRetry} /> : '正在加载…'}</View>
    </View>
  );
}
