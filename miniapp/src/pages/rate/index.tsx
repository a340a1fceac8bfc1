import { Button, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { RATING_LEVELS, type CodeLookupResponse, type RatedToday } from '@mashang/shared';
import { useEffect, useRef, useState } from 'react';
import { ApiError, errorMessage, loginInBackground } from '../../api/client';
import { lookupCode, lookupCodeSignedIn } from '../../api/endpoints';
import { CodeProblem } from '../../components/CodeProblem';
import { saveComplaintDraft } from '../../components/complaintDraft';
import { RatingForm } from '../../components/RatingForm';

type Load =
  | { kind: 'loading' }
  | { kind: 'ready'; info: CodeLookupResponse }
  | { kind: 'problem'; code: string; message: string };

const chinaTime = (iso: string) =>
  new Date(iso).toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit' });

/** 一次一评, known before the form: today's rating of this window is taken, so say so and offer what is still open. */
function RatedTodayNotice({ code, rated, draft }: { code: string; rated: RatedToday; draft: string }) {
  const label = RATING_LEVELS.find((l) => l.level === rated.level)?.label ?? '';
  const toComplaint = () => {
    saveComplaintDraft(code, draft);
    Taro.navigateTo({ url: `/pages/complaint/index?code=${encodeURIComponent(code)}` });
  };
  const toRating = () =>
    Taro.navigateTo({
      url: rated.caseId ? `/pages/case/index?id=${encodeURIComponent(rated.caseId)}` : '/pages/mine/index',
    });
  return (
    <View className="card" data-testid="rated-today">
      <View className="section-title">您今天已评价过该窗口</View>
      <View className="hint">
        <Text>
          {`您今天 ${chinaTime(rated.createdAt)} 的评价：${label}。每人每天对同一窗口只能评价一次（一次一评）。如有新的问题，请投诉举报${
            rated.caseId ? '；对处理结果的意见可在办理结果中追评' : ''
          }。`}
        </Text>
      </View>
      <Button className="btn btn-primary" onClick={toComplaint}>
        投诉举报
      </Button>
      <Button className="btn btn-plain" onClick={toRating}>
        {rated.caseId ? '查看我的评价和办理结果' : '查看我的评价'}
      </Button>
    </View>
  );
}

export default function Rate() {
  const { params } = useRouter();
  const code = decodeURIComponent(params.code ?? '');
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  // Whether the caller rated this window today: from the lookup when it went with a token, else asked once signed in.
  const [ratedToday, setRatedToday] = useState<RatedToday | null>(null);
  const draft = useRef('');

  useEffect(() => {
    if (!code) {
      setLoad({ kind: 'problem', code: 'CODE_INVALID', message: '' });
      return;
    }
    setLoad({ kind: 'loading' });
    // The code lookup needs no login: the login (if any is needed) runs beside it, not after it.
    lookupCode(code)
      .then((info) => {
        setLoad({ kind: 'ready', info });
        if (info.ratedToday) setRatedToday(info.ratedToday);
        else if (info.ratedToday === undefined && info.kind === 'window') {
          // Looked up without a token: ask again signed in (the background login is shared, not repeated). A failure
          // here only means the form stays; the API still refuses a second rating of the day and says what to do.
          lookupCodeSignedIn(code)
            .then((signed) => signed.ratedToday && setRatedToday(signed.ratedToday))
            .catch(() => undefined);
        }
      })
      .catch((e) =>
        setLoad({ kind: 'problem', code: e instanceof ApiError ? e.code : 'UNKNOWN', message: errorMessage(e) }),
      );
    loginInBackground();
  }, [code, attempt]);

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
        <CodeProblem code={load.code} message={load.message} onRetry={() => setAttempt((n) => n + 1)} />
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
      {ratedToday ? (
        <RatedTodayNotice code={code} rated={ratedToday} draft={draft.current} />
      ) : (
        <RatingForm code={code} onDraft={(text) => (draft.current = text)} />
      )}
    </View>
  );
}
