import { useEffect, useState } from 'react';
import { Alert, Button, Card, Divider, Input, Space } from 'tdesign-react';
import { api, errorText } from '../api';
import { loginWithCode, useAuth, type ConsoleUser } from '../auth';
import { consoleConfig } from '../config';
import { browser } from '../navigate';

const STATE_KEY = 'mashang.console.qrState';

/**
 * Sign-in. Production: WeChat website QR login (网站应用, scope snsapi_login): the API issues a one-time state, the
 * browser goes to WeChat's qrconnect page, WeChat comes back with ?code=&state=, and the API uses the state once,
 * exchanges the code at /sns/oauth2/access_token and finds the person by unionid. The state is also kept in this
 * tab, so a code arriving in a tab that did not start the login is not even sent. Locally the same round trip runs
 * through the stand-in; the stand-in login codes (demo-operator …) are offered beside it.
 * https://developers.weixin.qq.com/doc/oplatform/Website_App/WeChat_Login/Wechat_Login.html
 */
export function Login() {
  const { signIn } = useAuth();
  const [code, setCode] = useState('demo-operator');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cfg = consoleConfig();

  const done = (r: { token: string; user: ConsoleUser }) => {
    const official = r.user.roles.some((g) => g.role !== 'enterprise');
    if (!official) {
      setError('该账号没有管理后台的权限，请联系运维人员授予角色');
      return;
    }
    signIn(r.token, r.user);
  };

  // Back from the QR login page with ?code=&state=.
  useEffect(() => {
    const q = new URLSearchParams(globalThis.location?.search ?? '');
    const wxCode = q.get('code');
    const state = q.get('state');
    if (!wxCode) return;
    const expected = globalThis.sessionStorage?.getItem(STATE_KEY);
    globalThis.history?.replaceState(null, '', globalThis.location.pathname + globalThis.location.hash);
    if (!state || state !== expected) {
      setError('登录状态校验失败，请重新扫码');
      return;
    }
    setBusy(true);
    globalThis.sessionStorage?.removeItem(STATE_KEY);
    api<{ token: string; user: ConsoleUser }>('/auth/wechat-web', { method: 'POST', body: { code: wxCode, state } })
      .then(done)
      .catch((e) => setError(errorText(e)))
      .finally(() => setBusy(false));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const qrLogin = async () => {
    setBusy(true);
    setError(null);
    let state: string;
    try {
      state = (await api<{ state: string }>('/auth/wechat-web/state', { method: 'POST' })).state;
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
      return;
    }
    globalThis.sessionStorage.setItem(STATE_KEY, state);
    const redirect = `${globalThis.location.origin}${globalThis.location.pathname}`;
    const u = new URL('/connect/qrconnect', cfg.wechatQrBase ?? 'https://open.weixin.qq.com');
    u.searchParams.set('appid', cfg.wechatWebAppId ?? '');
    u.searchParams.set('redirect_uri', redirect);
    u.searchParams.set('response_type', 'code');
    u.searchParams.set('scope', 'snsapi_login');
    u.searchParams.set('state', state);
    browser.assign(`${u.toString()}#wechat_redirect`);
  };

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      done(await loginWithCode(code.trim()));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        background: '#f3f5f8',
      }}
    >
      <Card style={{ width: 420 }} bordered>
        <h1 style={{ fontSize: 22, marginTop: 0 }}>码上监督 · 管理后台</h1>
        <p style={{ color: '#666' }}>运维与纪检监察人员登录</p>
        {error ? <Alert theme="error" message={error} style={{ marginBottom: 12 }} /> : null}
        {cfg.wechatWebAppId ? (
          <>
            <Button
              block
              size="large"
              theme="success"
              onClick={() => void qrLogin()}
              loading={busy}
              data-testid="qr-login"
            >
              微信扫码登录
            </Button>
            <Divider>或使用登录代码（本地测试）</Divider>
          </>
        ) : null}
        <Space direction="vertical" style={{ width: '100%' }}>
          <Input
            value={code}
            onChange={(v) => setCode(String(v))}
            placeholder="登录代码，例如 demo-operator"
            onEnter={() => void submit()}
            aria-label="登录代码"
          />
          <Button block onClick={() => void submit()} loading={busy} disabled={!code.trim()}>
            登录
          </Button>
        </Space>
      </Card>
    </div>
  );
}
