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
