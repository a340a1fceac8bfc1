import { Button, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { levelLabel, parseInviteToken, type InvitationView } from '@mashang/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, errorMessage, loginInBackground } from '../../api/client';
import { getInvitation, optOutOfInvitations } from '../../api/endpoints';
import { RatingForm } from '../../components/RatingForm';

type Load =
  { kind: 'loading' } | { kind: 'ready'; view: InvitationView } | { kind: 'problem'; code: string; message: string };

/**
 * The token from the link: `t` in the query (URL Link and H5 link), or the `scene` of a mini-program code
 * (at most 32 characters, which the token fits).
 */
function tokenFrom(params: Record<string, string | undefined>): string {
  for (const raw of [params.t, params.scene]) {
    if (!raw) continue;
    try {
      const t = decodeURIComponent(raw);
      if (parseInviteToken(t)) return t;
    } catch {
      /* not a token */
    }
  }
  return '';
}

const go = (url: string) => Taro.navigateTo({ url });

/**
 * 一事一评 (SPEC §2.2): the page an SMS rating invitation opens. It names the window, the matter and the date,
 * and carries the usual rating form tied to that service; a rated invitation shows its rating; after 7 days the
 * link has expired, and the window can still be rated the ordinary way.
 */
export default function Invite() {
  const { params } = useRouter();
  const token = tokenFrom(params);
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [optOut, setOptOut] = useState<'idle' | 'sending' | 'done' | 'error'>('idle');
  const optingOut = useRef(false);

  const fetchView = useCallback(() => {
    if (!token) {
      setLoad({ kind: 'problem', code: 'INVITATION_INVALID', message: '' });
      return;
    }
    getInvitation(token)
      .then((view) => setLoad({ kind: 'ready', view }))
      .catch((e) =>
        setLoad({ kind: 'problem', code: e instanceof ApiError ? e.code : 'UNKNOWN', message: errorMessage(e) }),
      );
  }, [token]);

  useEffect(() => {
    fetchView();
    // Reading the invitation needs no login; rating it does: log in beside the read, not after it.
    loginInBackground();
  }, [fetchView]);

  const doOptOut = async () => {
    if (optingOut.current) return;
    optingOut.current = true;
    setOptOut('sending');
    try {
      await optOutOfInvitations(token);
      setOptOut('done');
    } catch {
      setOptOut('error');
      optingOut.current = false;
    }
  };

  if (load.kind === 'loading') {
    return (
      <View className="page">
        <View className="card">
          <View className="title">正在加载评价邀请…</View>
        </View>
      </View>
    );
  }
  if (load.kind === 'problem') {
    const invalid = load.code === 'INVITATION_INVALID';
    return (
      <View className="page">
        <View className="card" data-testid="invite-problem">
          <View className="title">{invalid ? '评价链接无效' : '暂时无法打开'}</View>
          <View className="subtitle">
            <Text>
              {invalid
                ? '该链接可能不完整或已被修改。请从短信中完整打开链接，或扫描窗口张贴的监督码进行评价。'
                : load.message}
            </Text>
          </View>
          {invalid ? null : (
            <Button className="btn btn-primary" onClick={fetchView}>
              重试
            </Button>
          )}
          <Button className="btn btn-plain" onClick={() => Taro.reLaunch({ url: '/pages/index/index' })}>
            返回首页
          </Button>
        </View>
      </View>
    );
  }

  const v = load.view;
  const code = v.window.code;
  const header = (
    <View className="card" data-testid="invite-service">
      <View className="title" data-testid="window-name">
        {v.window.name}
      </View>
      <View className="subtitle">{`${v.window.departmentName} · ${v.window.countyName}`}</View>
      <View className="hint" data-testid="invite-matter">{`办理事项：${v.matter}`}</View>
      <View className="hint">{`办结日期：${v.date}`}</View>
    </View>
  );
  const optOutCard = (
    <View className="card" data-testid="invite-opt-out">
      {v.optedOut || optOut === 'done' ? (
        <View className="hint">已退订：此手机号不再接收评价短信。</View>
      ) : (
        <View>
          <View className="hint">不想再收到评价短信？也可回复“退订”。</View>
          {optOut === 'error' ? <View className="error-text">退订未成功，请重试</View> : null}
          <Button className="btn btn-plain" disabled={optOut === 'sending'} onClick={doOptOut}>
            退订评价短信
          </Button>
        </View>
      )}
    </View>
  );

  if (v.rating) {
    return (
      <View className="page">
        {header}
        <View className="card" data-testid="invite-rated">
          <View className="section-title">您已评价本次办事</View>
          <View className="title">{levelLabel(v.rating.level)}</View>
          {v.rating.reasons.length ? <View className="hint">{`原因：${v.rating.reasons.join('、')}`}</View> : null}
          {v.rating.comment ? <View className="hint">{v.rating.comment}</View> : null}
          <View className="hint">每次办事只能通过短信邀请评价一次，感谢您的参与。</View>
          <Button className="btn btn-plain" onClick={() => go('/pages/mine/index')}>
            查看我的评价
          </Button>
        </View>
        {optOutCard}
      </View>
    );
  }

  if (v.expired) {
    return (
      <View className="page">
        {header}
        <View className="card" data-testid="invite-expired">
          <View className="title">评价邀请已过期</View>
          <View className="subtitle">
            <Text>短信评价链接自发送起 7 天内有效。您仍可以对该窗口进行评价（不再关联本次办件）。</Text>
          </View>
          {code ? (
            <Button
              className="btn btn-primary"
              onClick={() => go(`/pages/rate/index?code=${encodeURIComponent(code)}`)}
            >
              仍要评价该窗口
            </Button>
          ) : null}
        </View>
        {optOutCard}
      </View>
    );
  }

  return (
    <View className="page">
      {header}
      {code ? (
        <RatingForm code={code} invitation={token} onInvitationProblem={fetchView} />
      ) : (
        <View className="card">
          <View className="hint">该窗口的监督码已停用，暂无法评价。</View>
        </View>
      )}
      {optOutCard}
    </View>
  );
}
