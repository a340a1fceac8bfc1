import { Button, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { codeFromScan } from '@mashang/shared';
import { useEffect, useRef, useState } from 'react';
import { ApiError, errorMessage, loginInBackground } from '../../api/client';
import { lookupCode } from '../../api/endpoints';
import { CodeProblem } from '../../components/CodeProblem';

/**
 * Where a scanned code arrives. An unlimited mini-program code brings it in `scene`, an ordinary-link QR
 * code brings the whole link in `q` (both URL-encoded:
 * https://developers.weixin.qq.com/miniprogram/introduction/qrcode.html), H5 brings it as `?code=`.
 */
function rawCodeFrom(params: Record<string, string | undefined>): string | null {
  const fromParams = params.scene || params.q || params.code;
  if (fromParams) return fromParams;
  if (process.env.TARO_ENV === 'h5' && typeof window !== 'undefined') {
    const search = new URLSearchParams(window.location.search).get('code');
    if (search) return search;
    if (/\/c\/[^/?#]+/.test(window.location.pathname)) return window.location.pathname;
  }
  return null;
}

type State = { kind: 'home' } | { kind: 'checking' } | { kind: 'problem'; code: string; message?: string };

export default function Entry() {
  const { params } = useRouter();
  const [state, setState] = useState<State>(() => (rawCodeFrom(params) ? { kind: 'checking' } : { kind: 'home' }));

  const lastRaw = useRef('');

  const open = async (raw: string) => {
    lastRaw.current = raw;
    const code = codeFromScan(raw);
    if (!code) {
      setState({ kind: 'problem', code: 'CODE_INVALID' });
      return;
    }
    setState({ kind: 'checking' });
    try {
      // The lookup needs no login; the login the rating will need runs beside it, not after it.
      const lookup = lookupCode(code);
      loginInBackground();
      const info = await lookup;
      if (info.kind === 'window') {
        Taro.redirectTo({ url: `/pages/rate/index?code=${encodeURIComponent(code)}` });
      } else if (info.kind === 'enterprise') {
        // Who scanned decides what comes next (contact, visiting official, anyone else): the visits subpackage.
        Taro.redirectTo({ url: `/visits/pages/enterprise/index?code=${encodeURIComponent(code)}` });
      } else {
        setState({ kind: 'problem', code: 'UNKNOWN', message: '服务暂时不可用，请稍后重试' });
      }
    } catch (e) {
      setState({ kind: 'problem', code: e instanceof ApiError ? e.code : 'UNKNOWN', message: errorMessage(e) });
    }
  };

  useEffect(() => {
    const raw = rawCodeFrom(params);
    if (raw) void open(raw);
    // Run once per page load: the code is what opened the page.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const scan = async () => {
    try {
      const res = await Taro.scanCode({
        onlyFromCamera: true, // wxCode (mini-program codes) is valid on WeChat but missing from Taro's types.
        scanType: ['qrCode', 'wxCode'] as unknown as (keyof Taro.scanCode.ScanType)[],
      });
      // A mini-program code yields its path (…?scene=…), an ordinary QR code its link.
      const raw = res.path ? new URLSearchParams(res.path.split('?')[1] ?? '').get('scene') : res.result;
      if (raw) void open(raw);
      else setState({ kind: 'problem', code: 'CODE_INVALID' });
    } catch {
      // The user closed the camera: stay on the home page.
    }
  };

  const go = (url: string) => () => Taro.navigateTo({ url });

  if (state.kind === 'checking') {
    return (
      <View className="page">
        <View className="card">
          <View className="title">正在识别监督码…</View>
        </View>
      </View>
    );
  }

  return (
    <View className="page">
      {state.kind === 'problem' ? (
        <CodeProblem code={state.code} message={state.message} onRetry={() => void open(lastRaw.current)} />
      ) : null}
      {state.kind === 'home' ? (
        <View className="card">
          <View className="title">码上监督</View>
          <View className="subtitle">
            <Text>扫一扫窗口的监督码，评价办事体验；不满意的评价会直接送达纪委监委和责任部门，跟踪到底。</Text>
          </View>
          <Button className="btn btn-primary" onClick={scan}>
            扫码评价
          </Button>
        </View>
      ) : null}
      <View className="card">
        <View className="link-row" onClick={go('/pages/complaint/index')}>
          <Text>投诉举报</Text>
          <Text>›</Text>
        </View>
        <View className="link-row" onClick={go('/pages/track/index')}>
          <Text>查询投诉进度</Text>
          <Text>›</Text>
        </View>
        <View className="link-row" onClick={go('/pages/mine/index')}>
          <Text>我的评价与投诉</Text>
          <Text>›</Text>
        </View>
        <View className="link-row" onClick={go('/pages/lists/index')}>
          <Text>政商交往明白卡</Text>
          <Text>›</Text>
        </View>
        {/* 公示 (no login): its own subpackage, downloaded only when opened. */}
        <View className="link-row" onClick={go('/public/pages/satisfaction/index')}>
          <Text>满意度公示</Text>
          <Text>›</Text>
        </View>
        <View className="link-row" onClick={go('/pages/privacy/index')}>
          <Text>隐私保护指引</Text>
          <Text>›</Text>
        </View>
        <View className="link-row" onClick={go('/pages/login/index')}>
          <Text>{process.env.TARO_ENV === 'weapp' ? '账号与身份' : '登录 / 切换身份'}</Text>
          <Text>›</Text>
        </View>
      </View>
    </View>
  );
}
