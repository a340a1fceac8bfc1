import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { VISIT_PURPOSES, VISIT_RULES, type CodeLookupResponse, type VisitPurpose } from '@mashang/shared';
import { useEffect, useRef, useState } from 'react';
import { ApiError, errorMessage, loginInBackground, newRequestId } from '../../../api/client';
import { lookupCode } from '../../../api/endpoints';
import { CodeProblem } from '../../../components/CodeProblem';
import { LimitedTextarea, tooLong } from '../../../components/LimitedTextarea';
import { registerVisit, withdrawVisit, type VisitView } from '../../api';
import { chinaTime } from '../../format';
import { FormFooter } from '../../../components/FormFooter';

/** "2026-12-01 09:30" in China time → ISO with its offset; null when it is not such a time. */
export function parseChinaTime(text: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})\s+(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4].padStart(2, '0')}:${m[5]}:00+08:00`;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

/** 访企登记: what a visiting official sees after scanning an enterprise's code. */
export default function RegisterVisit() {
  const { params } = useRouter();
  const code = decodeURIComponent(params.code ?? '');
  const [info, setInfo] = useState<CodeLookupResponse | null>(null);
  const [problem, setProblem] = useState<{ code: string; message: string } | null>(null);
  const [purpose, setPurpose] = useState<VisitPurpose | ''>('');
  const [note, setNote] = useState('');
  const [companions, setCompanions] = useState('');
  const [earlier, setEarlier] = useState(false);
  const [time, setTime] = useState('');
  const [error, setError] = useState('');
  const [sending, setSending] = useState(false);
  const [visit, setVisit] = useState<VisitView | null>(null);
  const requestId = useRef(newRequestId());
  const inFlight = useRef(false);

  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (!code) {
      setProblem({ code: 'CODE_INVALID', message: '' });
      return;
    }
    setProblem(null);
    lookupCode(code)
      .then(setInfo)
      .catch((e) => setProblem({ code: e instanceof ApiError ? e.code : 'UNKNOWN', message: errorMessage(e) }));
    loginInBackground();
  }, [code, attempt]);

  const submit = async () => {
    if (inFlight.current) return;
    if (!purpose) return setError('请选择走访事由');
    if (purpose === '其他' && !note.trim()) return setError('事由为“其他”时请填写说明');
    if (note.trim().length > VISIT_RULES.noteMax) return setError(tooLong('事由说明', VISIT_RULES.noteMax));
    let visitedAt: string | undefined;
    if (earlier) {
      const iso = parseChinaTime(time);
      if (!iso) return setError('走访时间格式为 2026-12-01 09:30');
      if (Date.parse(iso) > Date.now()) return setError('走访时间不能晚于当前时间');
      if (Date.parse(iso) < Date.now() - VISIT_RULES.maxBackdateMs) return setError('只能登记 3 天以内的走访');
      visitedAt = iso;
    }
    const names = companions
      .split(/[，,、\s]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    inFlight.current = true;
    setSending(true);
    setError('');
    try {
      const res = await registerVisit({
        requestId: requestId.current,
        code,
        purpose,
        ...(note.trim() ? { note: note.trim() } : {}),
        ...(names.length ? { companions: names } : {}),
        ...(visitedAt ? { visitedAt } : {}),
      });
      setVisit(res.visit);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      inFlight.current = false;
      setSending(false);
    }
  };

  const withdraw = async () => {
    if (!visit || inFlight.current) return;
    inFlight.current = true;
    try {
      setVisit((await withdrawVisit(visit.id, '登记有误')).visit);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      inFlight.current = false;
    }
  };

  if (problem) {
    return (
      <View className="page">
        <CodeProblem code={problem.code} message={problem.message} onRetry={() => setAttempt((n) => n + 1)} />
      </View>
    );
  }
  if (!info) {
    return (
      <View className="page">
        <View className="card">
          <View className="title">正在识别企业监督码…</View>
        </View>
      </View>
    );
  }
  const e = info.enterprise!;
  if (visit) {
    return (
      <View className="page">
        <View className="card" data-testid="visit-registered">
          <View className="title">{visit.status === 'withdrawn' ? '已撤回本次登记' : '访企登记成功'}</View>
          <View className="hint">
            {e.name} · {visit.purpose} · {chinaTime(visit.visitedAt)}
          </View>
          {visit.status === 'active' ? (
            <View>
              <View className="notice">
                企业联系人将收到评价提醒，7 天内对本次走访作出评价。如系误登记，可在 1 小时内撤回。
              </View>
              <Button className="btn btn-plain" onClick={withdraw}>
                撤回本次登记
              </Button>
            </View>
          ) : null}
          {error ? <View className="error-text">{error}</View> : null}
          <Button className="btn btn-primary" onClick={() => Taro.redirectTo({ url: '/visits/pages/mine/index' })}>
            我的走访
          </Button>
        </View>
      </View>
    );
  }
  return (
    <View className="page">
      <View className="card">
        <View className="title">{e.name}</View>
        <View className="subtitle">访企登记 · {e.county?.name}</View>
      </View>
      <View className="card">
        <View className="section-title">走访事由</View>
        <View className="chips">
          {VISIT_PURPOSES.map((p) => (
            <View key={p} className={`chip ${purpose === p ? 'chip-selected' : ''}`} onClick={() => setPurpose(p)}>
              {p}
            </View>
          ))}
        </View>
        <View className="label">{purpose === '其他' ? '事由说明（必填）' : '事由说明（选填）'}</View>
        <LimitedTextarea value={note} max={VISIT_RULES.noteMax} placeholder="如：协调用电报装" onInput={setNote} />
        <View className="label">同行人员（选填，多人用顿号分隔）</View>
        <Input className="input" value={companions} onInput={(ev) => setCompanions(ev.detail.value)} />
        <View className="label">走访时间</View>
        <View className="chips">
          <View className={`chip ${!earlier ? 'chip-selected' : ''}`} onClick={() => setEarlier(false)}>
            现在
          </View>
          <View className={`chip ${earlier ? 'chip-selected' : ''}`} onClick={() => setEarlier(true)}>
            补登（3 天内）
          </View>
        </View>
        {earlier ? (
          <Input
            className="input"
            value={time}
            placeholder="2026-12-01 09:30"
            onInput={(ev) => setTime(ev.detail.value)}
          />
        ) : null}
        <FormFooter error={error} errorTestId="register-error" sending={sending} onSubmit={submit} label="提交登记" />
      </View>
      <View className="card">
        <View className="link-row" onClick={() => Taro.navigateTo({ url: '/visits/pages/mine/index' })}>
          <Text>我的走访</Text>
          <Text>›</Text>
        </View>
        <View
          className="link-row"
          onClick={() => Taro.navigateTo({ url: `/pages/complaint/index?code=${encodeURIComponent(code)}` })}
        >
          <Text>投诉举报</Text>
          <Text>›</Text>
        </View>
      </View>
    </View>
  );
}
