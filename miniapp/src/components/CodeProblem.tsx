import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';

const TEXT: Record<string, { title: string; body: string }> = {
  CODE_REVOKED: {
    title: '此监督码已停用',
    body: '这张二维码已被作废（例如海报损坏后已重新制作）。请扫描窗口现在张贴的新监督码，或直接提交投诉。',
  },
  CODE_INVALID: {
    title: '无法识别此监督码',
    body: '这不是有效的码上监督二维码，可能已被涂改或伪造。请扫描窗口张贴的监督码；如发现伪造，可以直接投诉。',
  },
};

/**
 * The clear page a forged, unknown or revoked code gets instead of a blank screen. Anything else (the network, a
 * server failure) may pass on a second try: with `onRetry` it gets a 重试 button first.
 */
export function CodeProblem({ code, message, onRetry }: { code: string; message?: string; onRetry?: () => void }) {
  const known = TEXT[code];
  const text = known ?? { title: '暂时无法打开', body: message || '请稍后重试。' };
  return (
    <View className="card" data-testid="code-problem">
      <View className="title">{text.title}</View>
      <View className="subtitle">
        <Text>{text.body}</Text>
      </View>
      {!known && onRetry ? (
        <Button className="btn btn-primary" onClick={onRetry}>
          重试
        </Button>
      ) : null}
      <Button
        className={`btn ${!known && onRetry ? 'btn-plain' : 'btn-primary'}`}
        onClick={() => Taro.navigateTo({ url: '/pages/complaint/index' })}
      >
        投诉举报
      </Button>
      <Button className="btn btn-plain" onClick={() => Taro.reLaunch({ url: '/pages/index/index' })}>
        返回首页
      </Button>
    </View>
  );
}
