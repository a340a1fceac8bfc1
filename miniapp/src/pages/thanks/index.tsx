import { Button, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { DEADLINE_TEXT, isBadRating, levelLabel } from '@mashang/shared';

export default function Thanks() {
  const { params } = useRouter();
  const level = Number(params.level);
  const caseId = params.caseId ? decodeURIComponent(params.caseId) : '';
  const bad = isBadRating(level);
  return (
    <View className="page">
      <View className="card">
        <View className="title">感谢您的评价</View>
        <View className="subtitle">您的评价：{levelLabel(level)}</View>
      </View>
      {bad ? (
        <View className="card" data-testid="case-info">
          <View className="section-title">接下来会怎样</View>
          <View>
            <Text>您的不满意评价已转为督办件，同时送达纪委监委和责任部门。</Text>
          </View>
          {caseId ? (
            <View className="field" style={{ marginTop: '16px' }}>
              <View className="label">督办件编号</View>
              <View className="mono">{caseId}</View>
            </View>
          ) : null}
          <View className="notice">
            <Text>{DEADLINE_TEXT.afterBadRating}</Text>
          </View>
          <Button className="btn btn-plain" onClick={() => Taro.redirectTo({ url: '/pages/mine/index' })}>
            查看处理进度
          </Button>
        </View>
      ) : (
        <View className="card">
          <Text>您的评价将用于改进政务服务。如遇到违规违纪问题，也可以直接投诉举报。</Text>
        </View>
      )}
      <Button className="btn btn-primary" onClick={() => Taro.reLaunch({ url: '/pages/index/index' })}>
        完成
      </Button>
    </View>
  );
}
