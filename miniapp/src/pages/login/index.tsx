import { Button, Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { grantLabel, isOfficial, type RoleGrant } from '@mashang/shared';
import { useState } from 'react';
import { clearSession, errorMessage, login, signInWithStandInCode, storedUser, type User } from '../../api/client';
import { SubmitButton } from '../../components/FormFooter';

// The local WeChat stand-in's demo accounts (README). A production web console signs officials in
// through WeChat's website QR login instead; this page is for local use and browser tests.
const DEMO_CODES = [
  'demo-operator',
  'demo-inspector',
  'demo-inspector-menyuan',
  'demo-staff-menyuan-scjg-w01',
  'citizen-zhang',
];

function roleText(grants: RoleGrant[], names?: Record<string, string>): string {
  if (!grants.length) return '群众';
  return grants.map((g) => grantLabel(g, names)).join('、');
}

export default function Login() {
  const [user, setUser] = useState<User | null>(() => storedUser());
  const [code, setCode] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState('');

  const run = async (action: () => Promise<User | null>) => {
    setSending(true);
    setError('');
    try {
      setUser(await action());
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSending(false);
    }
  };

  const signIn = (c: string) => {
    if (!c.trim()) {
      setError('请输入登录码');
      return;
    }
    void run(() => signInWithStandInCode(c.trim()));
  };

  const relogin = () =>
    run(async () => {
      clearSession();
      await login();
      return storedUser();
    });

  const grants = (user?.roles ?? []) as RoleGrant[];
  return (
    <View className="page">
      <View className="card" data-testid="current-user">
        <View className="section-title">当前身份</View>
        {user ? (
          <View>
            <View>{roleText(grants, user.scopeNames)}</View>
            <View className="hint">用户编号 {user.id}</View>
          </View>
        ) : (
          <View className="hint">尚未登录</View>
        )}
        {user && isOfficial(grants) ? (
          <Button className="btn btn-primary" onClick={() => Taro.navigateTo({ url: '/officials/pages/home/index' })}>
            进入工作台
          </Button>
        ) : null}
      </View>

      {process.env.TARO_ENV === 'weapp' ? (
        <View className="card">
          <Text>在微信中使用时自动登录。</Text>
          <Button className="btn btn-plain" disabled={sending} onClick={relogin}>
            重新登录
          </Button>
        </View>
      ) : (
        <View className="card">
          <View className="section-title">使用登录码登录</View>
          <View className="hint">网页版没有微信登录，请输入登录码（本地演示环境的账号见下方）。</View>
          <Input
            className="input"
            value={code}
            placeholder="例如 demo-inspector"
            onInput={(e) => setCode(e.detail.value)}
            style={{ marginTop: '16px' }}
          />
          <SubmitButton sending={sending} onClick={() => signIn(code)} label="登录" />
          <View className="label" style={{ marginTop: '24px' }}>
            演示账号
          </View>
          <View className="chips">
            {DEMO_CODES.map((c) => (
              <View key={c} className="chip" onClick={() => signIn(c)}>
                {c}
              </View>
            ))}
          </View>
          <View className="hint">
            区县纪检：demo-inspector-&lt;区县编号&gt;；部门负责人：demo-handler-&lt;部门编号&gt;；窗口工作人员：demo-staff-&lt;窗口编号&gt;
          </View>
        </View>
      )}
      {error ? (
        <View className="card">
          <View className="error-text">{error}</View>
        </View>
      ) : null}
    </View>
  );
}
