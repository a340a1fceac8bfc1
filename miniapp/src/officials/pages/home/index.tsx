import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { isOfficial, type RoleGrant } from '@mashang/shared';
import { useRef, useState } from 'react';
import { storedUser } from '../../../api/client';
import { RetryError } from '../../../components/RetryError';
import { CASE_ALERT_TEMPLATE_ID, errorMessage, recordSubscription, statsSummary, type StatsSummary } from '../../api';
import { grantLabel, percent } from '../../components/format';
import { FormFooter } from '../../../components/FormFooter';
import '../../officials.css';

const LINKS = [
  { status: 'open', label: '待处理督办件' },
  { status: 'overdue', label: '已逾期督办件' },
  { status: 'closed', label: '已办结督办件' },
] as const;

const go = (url: string) => Taro.navigateTo({ url });

/**
 * Subscribe-message opt-in. WeChat asks the user in a dialog that must follow a tap
 * (https://developers.weixin.qq.com/miniprogram/dev/api/open-api/subscribe-message/wx.requestSubscribeMessage.html);
 * the answer is recorded so the backend knows whether to send a subscribe message or an SMS.
 * H5 has no subscribe messages: alerts come by SMS there, and the official can still record consent.
 */
function SubscribeCard() {
  const [state, setState] = useState<'idle' | 'sending' | 'on' | 'off'>('idle');
  const [error, setError] = useState('');
  const inFlight = useRef(false);
  const weapp = process.env.TARO_ENV === 'weapp';

  const record = async (ask: boolean) => {
    if (inFlight.current) return;
    inFlight.current = true;
    setState('sending');
    setError('');
    try {
      let accepted = ask;
      if (ask && weapp) {
        // entityIds is Alipay's field; WeChat takes tmplIds only.
        const option = { tmplIds: [CASE_ALERT_TEMPLATE_ID] } as Taro.requestSubscribeMessage.Option;
        const res = (await Taro.requestSubscribeMessage(option)) as Taro.requestSubscribeMessage.SuccessCallbackResult;
        accepted = res[CASE_ALERT_TEMPLATE_ID] === 'accept';
      }
      await recordSubscription(accepted);
      setState(accepted ? 'on' : 'off');
    } catch (e) {
      setError(errorMessage(e));
      setState('idle');
    } finally {
      inFlight.current = false;
    }
  };

  return (
    <View className="card" data-testid="subscribe">
      <View className="section-title">督办提醒</View>
      {weapp ? (
        <View className="hint">新督办件、逾期和办结时通过微信订阅消息提醒您；未订阅或发送失败时改发短信。</View>
      ) : (
        <View className="hint">
          网页版无法接收微信订阅消息，督办提醒将以短信发送到您登记的手机。您仍可在此登记是否同意接收提醒。
        </View>
      )}
      {state === 'on' ? <View className="notice">已开启督办提醒。</View> : null}
      {state === 'off' ? <View className="notice">已登记不接收微信提醒，督办提醒将以短信发送。</View> : null}
      <FormFooter
        error={error}
        sending={state === 'sending'}
        onSubmit={() => record(true)}
        label={weapp ? '订阅督办提醒' : '同意接收督办提醒'}
      />
      <Button className="btn btn-plain" disabled={state === 'sending'} onClick={() => record(false)}>
        暂不接收
      </Button>
    </View>
  );
}

/** Officials' home (subpackage): who I am, the figures of my scope this month, and the way to the cases. */
export default function OfficialsHome() {
  const user = storedUser();
  const grants = (user?.roles ?? []) as RoleGrant[];
  const official = !!user && isOfficial(grants);
  const inspector = grants.some((g) => g.role === 'inspector');
  const cadre = grants.some((g) => g.role === 'visiting_official');
  const staff = grants.some((g) => g.role === 'window_staff');
  const readsStats = grants.some((g) => g.role === 'inspector' || g.role === 'handler' || g.role === 'operator');
  const [stats, setStats] = useState<StatsSummary | null>(null);
  const [statsError, setStatsError] = useState('');

  const loadStats = () => {
    if (!official || !readsStats) return;
    setStatsError('');
    statsSummary()
      .then(setStats)
      .catch((e) => setStatsError(errorMessage(e)));
  };
  useDidShow(loadStats);

  if (!official) {
    return (
      <View className="page off-page">
        <View className="card">
          <View className="section-title">工作台仅供工作人员使用</View>
          {user ? (
            <>
              <View className="hint">
                当前微信账号尚未绑定工作人员身份。请使用运维人员提供的人员编号和绑定码完成绑定。
              </View>
              <View className="link-row" onClick={() => go('/officials/pages/bind/index')}>
                <Text>绑定微信（输入绑定码）</Text>
                <Text className="hint">›</Text>
              </View>
            </>
          ) : (
            <View className="hint">请先用工作人员账号登录。</View>
          )}
          <Button className="btn btn-primary" onClick={() => Taro.redirectTo({ url: '/pages/login/index' })}>
            去登录
          </Button>
        </View>
      </View>
    );
  }

  const figures: { label: string; value: string; bad?: boolean; status?: string }[] = stats
    ? [
        { label: '待处理', value: String(stats.open), status: 'open' },
        { label: '已逾期', value: String(stats.overdue), bad: stats.overdue > 0, status: 'overdue' },
        { label: '本月差评', value: String(stats.badCount) },
        { label: '本月好评率', value: percent(stats.goodRate) },
        { label: '差评回复率', value: percent(stats.badReplyRate) },
        { label: '回访整改率', value: percent(stats.callbackRectifyRate) },
        { label: '电话回访', value: String(stats.callbacks) },
        { label: '工作提示函', value: String(stats.reminderLetters) },
        { label: '干部访企', value: String(stats.visits?.total ?? 0) },
        { label: '访企满意率', value: percent(stats.visitSatisfactionRate ?? null) },
        // 一事一评: SMS invitations and the 未评率 (expired unrated / sent).
        { label: '报送办件', value: String(stats.invitations.services) },
        { label: '评价短信', value: String(stats.invitations.sent) },
        { label: '短信评价', value: String(stats.invitations.rated) },
        { label: '未评率', value: percent(stats.unratedRate) },
      ]
    : [];

  return (
    <View className="page off-page">
      <View className="card" data-testid="grants">
        <View className="section-title">我的职责</View>
        {grants.map((g) => (
          <View key={`${g.role}:${g.scope}`} className="hint">
            {grantLabel(g, user?.scopeNames)}
          </View>
        ))}
      </View>

      {staff ? (
        <View className="card" data-testid="staff-invite">
          <View className="section-title">本窗口</View>
          {grants
            .filter((g) => g.role === 'window_staff')
            .map((g) => (
              <View
                key={g.scope}
                className="link-row"
                onClick={() =>
                  go(`/officials/pages/window/index?id=${encodeURIComponent(g.scope.split('/').pop() as string)}`)
                }
              >
                <Text>本窗口评价与督办件</Text>
                <Text className="hint">›</Text>
              </View>
            ))}
          <View className="link-row" onClick={() => go('/officials/pages/invite/index')}>
            <Text>发送评价邀请（一事一评）</Text>
            <Text className="hint">›</Text>
          </View>
        </View>
      ) : null}

      {readsStats ? (
        <View className="card" data-testid="stats">
          <View className="section-title">本月概况{stats ? `（${stats.from} 至 ${stats.to}）` : ''}</View>
          {statsError ? <RetryError message={statsError} onRetry={loadStats} /> : null}
          {!stats && !statsError ? <View className="hint">正在加载…</View> : null}
          <View className="stats">
            {figures.map((f) => (
              <View
                key={f.label}
                className="stat"
                onClick={f.status ? () => go(`/officials/pages/cases/index?status=${f.status}`) : undefined}
              >
                <View className="stat-box">
                  <View className={`stat-value ${f.bad ? 'stat-value-bad' : ''}`}>{f.value}</View>
                  <View className="stat-label">{f.label}</View>
                </View>
              </View>
            ))}
          </View>
          <View className="link-row" onClick={() => go('/officials/pages/stats/index')}>
            <Text>按范围和时段查看统计与趋势</Text>
            <Text className="hint">›</Text>
          </View>
        </View>
      ) : null}

      <View className="card">
        <View className="section-title">督办件</View>
        {LINKS.map((l) => (
          <View
            key={l.status}
            className="link-row"
            onClick={() => go(`/officials/pages/cases/index?status=${l.status}`)}
          >
            <Text>{l.label}</Text>
            <Text className="hint">›</Text>
          </View>
        ))}
        {inspector ? (
          <View className="link-row" onClick={() => go('/officials/pages/alerts/index')}>
            <Text>发送失败的提醒</Text>
            <Text className="hint">›</Text>
          </View>
        ) : null}
      </View>

      {inspector || cadre ? (
        <View className="card">
          <View className="section-title">干部访企</View>
          {inspector ? (
            <View className="link-row" onClick={() => go('/officials/pages/visits/index')}>
              <Text>辖区走访登记与频次预警</Text>
              <Text className="hint">›</Text>
            </View>
          ) : null}
          {cadre ? (
            <View className="link-row" onClick={() => go('/visits/pages/mine/index')}>
              <Text>我的走访</Text>
              <Text className="hint">›</Text>
            </View>
          ) : null}
          {cadre ? <View className="hint">到企业走访时，扫描企业监督码即可登记。</View> : null}
        </View>
      ) : null}

      <SubscribeCard />
    </View>
  );
}
