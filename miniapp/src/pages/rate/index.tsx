import { View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { type CodeLookupResponse } from '@mashang/shared';
import { useEffect, useState } from 'react';
import { ApiError, errorMessage, loginInBackground } from '../../api/client';
import { lookupCode } from '../../api/endpoints';
import { CodeProblem } from '../../components/CodeProblem';
import { RatingForm } from '../../components/RatingForm';

type Load =
  | { kind: 'loading' }
  | { kind: 'ready'; info: CodeLookupResponse }
  | { kind: 'problem'; code: string; message: string };

export default function Rate() {
  const { params } = useRouter();
  const code = decodeURIComponent(params.code ?? '');
  const [load, setLoad] = useState<Load>({ kind: 'loading' });

  useEffect(() => {
    if (!code) {
      setLoad({ kind: 'problem', code: 'CODE_INVALID', message: '' });
      return;
    }
    // The code lookup needs no login: the login (if any is needed) runs beside it, not after it.
    lookupCode(code)
      .then((info) => setLoad({ kind: 'ready', info }))
      .catch((e) =>
        setLoad({ kind: 'problem', code: e instanceof ApiError ? e.code : 'UNKNOWN', message: errorMessage(e) }),
      );
    loginInBackground();
  }, [code]);

  if (load.kind === 'loading') {
    return (
      <View className="page">
        <View className="card">
          <View className="title">正在加载窗口信息…</View>
        </View>
      </View>
    );
  }
  if (load.kind === 'problem') {
    return (
      <View className="page">
        <CodeProblem code={load.code} message={load.message} />
      </View>
    );
  }

  const w = load.info.window;
  return (
    <View className="page">
      <View className="card">
        <View className="title" data-testid="window-name">
          {w?.name ?? load.info.enterprise?.name}
        </View>
        <View className="subtitle">
          {w ? `${w.department.name} · ${w.county.name}` : load.info.enterprise?.county?.name}
        </View>
      </View>
      <RatingForm code={code} />
    </View>
  );
}
