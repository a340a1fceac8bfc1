import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import type { CodeLookupResponse } from '@mashang/shared';
import { useRef, useState } from 'react';
import { ApiError, errorMessage, login, storedToken } from '../../../api/client';
import { lookupCode } from '../../../api/endpoints';
import { CodeProblem } from '../../../components/CodeProblem';
import { RetryError } from '../../../components/RetryError';
import {
  VISIT_NOTICE_TEMPLATE_ID,
  currentUser,
  enterpriseVisits,
  isContactOf,
  isVisitingOfficial,
  recordSubscription,
  type VisitView,
} from '../../api';
import { chinaTime } from '../../format';

type State =
  | { kind: 'loading' }
  | { kind: 'problem'; code: string; message: string }
  | { kind: 'contact'; info: CodeLookupResponse }
  | { kind: 'other'; info: CodeLookupResponse };

/**
 * Where an enterprise code leads (the main entry page hands it over): a bound contact gets the enterprise home, a
 * visiting official the 访企登记 form, anyone else 投诉举报 and 绑定企业.
 */
export default function EnterpriseEntry() {
  const { params } = useRouter();
  const code = decodeURIComponent(params.code ?? '');
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [pending, setPending] = useState<VisitView[] | null>(null);
  const [pendingError, setPendingError] = useState('');
  const [subscribed, setSubscribed] = useState<'idle' | 'on' | 'off'>('idle');
  const decided = useRef(false);

  const go = (url: string) => () => Taro.navigateTo({ url });

  const loadPending = (enterpriseId: string) => {
    setPendingError('');
    enterpriseVisits(enterpriseId, { pending: true })
      .then((r) => setPending(r.items))
      .catch((e) => setPendingError(errorMessage(e)));
  };

  const decide = async () => {
    if (!code) {
      setState({ kind: 'problem', code: 'CODE_INVALID', message: '' });
      return;
    }
    try {
      const [info] = await Promise.all([lookupCode(code), storedToken() ? Promise.resolve('') : login()]);
      const id = info.enterprise?.id ?? '';
      const user = currentUser();
      if (isContactOf(user, id)) {
        setState({ kind: 'contact', info });
        loadPending(id);
      } else if (isVisitingOfficial(user) && !decided.current) {
        decided.current = true;
        Taro.redirectTo({ url: `/visits/pages/register/index?code=${encodeURIComponent(code)}` });
      } else {
        setState({ kind: 'other', info });
      }
    } catch (e) {
      setState({ kind: 'problem', code: e instanceof ApiError ? e.code : 'UNKNOWN', message: errorMessage(e) });
    }
  };

  // Again on return from the binding page: the new role shows the enterprise home at once.
  useDidShow(() => {
    void decide();
  });

  const subscribe = async () => {
    let accepted = true;
    try {
      if (process.env.TARO_ENV === 'weapp') {
        const option = { tmplIds: [VISIT_NOTICE_TEMPLATE_ID] } as Taro.requestSubscribeMessage.Option;
        const res = (await Taro.requestSubscribeMessage(option)) as Taro.requestSubscribeMessage.SuccessCallbackResult;
        accepted = res[VISIT_NOTICE_TEMPLATE_ID] === 'accept';
      }
      await recordSubscription(accepted);
      setSubscribed(accepted ? 'on' : 'off');
    } catch {
      setSubscribed('off');
    }
  };

  if (state.kind === 'loading') {
    return (
      <View className="page">
        <View className="card">
          <View className="title">正在识别企业监督码…</View>
        </View>
      </View>
    );
  }
  if (state.kind === 'problem') {
    return (
      <View className="page">
        <CodeProblem
          code={state.code}
          message={state.message}
          onRetry={() => {
            setState({ kind: 'loading' });
            void decide();
          }}
        />
      </View>
    );
  }
  const e = state.info.enterprise!;
  const complaint = `/pages/complaint/index?code=${encodeURIComponent(code)}`;
  if (state.kind === 'other') {
    return (
      <View className="page">
        <View className="card">
          <View className="title">{e.name}</View>
          <View className="subtitle">企业监督码 · {e.county?.name}</View>
          <Button className="btn btn-primary" onClick={go(complaint)}>
            投诉举报
          </Button>
          <Button className="btn btn-plain" onClick={go(`/visits/pages/bind/index?code=${encodeURIComponent(code)}`)}>
            绑定企业（本企业联系人）
          </Button>
          <View className="hint">
            企业联系人绑定后，可以评价干部走访、查看走访记录，评价窗口服务时计为“企业评价”。干部访企登记请用访企干部账号扫码。
          </View>
        </View>
      </View>
    );
  }
  return (
    <View className="page">
      <View className="card">
        <View className="title">{e.name}</View>
        <View className="subtitle">本企业联系人 · {e.county?.name}</View>
      </View>
      <View className="card" data-testid="pending-visits">
        <View className="section-title">待评价的走访</View>
        {pendingError ? <RetryError message={pendingError} onRetry={() => loadPending(e.id)} /> : null}
        {!pending && !pendingError ? <View className="hint">正在加载…</View> : null}
        {pending && pending.length === 0 ? <View className="hint">暂无待评价的走访。</View> : null}
        {(pending ?? []).map((v) => (
          <View
            key={v.id}
            className="list-item"
            onClick={go(`/visits/pages/rate/index?id=${encodeURIComponent(v.id)}`)}
          >
            <View className="row">
              <Text>
                {v.department.name} · {v.official.name}
              </Text>
              <Text className="tag">去评价</Text>
            </View>
            <View className="hint">
              {chinaTime(v.visitedAt)} · {v.purpose} · 请于 {chinaTime(v.rateBy)} 前评价
            </View>
          </View>
        ))}
      </View>
      <View className="card">
        <View className="link-row" onClick={go(`/visits/pages/log/index?enterpriseId=${encodeURIComponent(e.id)}`)}>
          <Text>走访记录</Text>
          <Text>›</Text>
        </View>
        <View className="link-row" onClick={go(complaint)}>
          <Text>投诉举报</Text>
          <Text>›</Text>
        </View>
        <View className="link-row" onClick={go('/pages/lists/index')}>
          <Text>政商交往明白卡</Text>
          <Text>›</Text>
        </View>
      </View>
      <View className="card">
        <View className="section-title">走访评价提醒</View>
        <View className="hint">干部来访登记后，通过微信订阅消息提醒您评价；未订阅或发送失败时改发短信。</View>
        {subscribed === 'on' ? <View className="notice">已开启走访评价提醒。</View> : null}
        {subscribed === 'off' ? <View className="notice">未开启微信提醒，将以短信提醒。</View> : null}
        <Button className="btn btn-plain" onClick={subscribe}>
          接收走访评价提醒
        </Button>
      </View>
    </View>
  );
}
