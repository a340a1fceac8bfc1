import { Input, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { PHONE_PATTERN, type RoleGrant } from '@mashang/shared';
import { useRef, useState } from 'react';
import { newRequestId, storedUser } from '../../../api/client';
import { RetryError } from '../../../components/RetryError';
import { errorMessage, sendWindowInvitation, windowInvitations, type WindowInvitation } from '../../api';
import { formatTime } from '../../components/format';
import { SubmitButton } from '../../../components/FormFooter';
import '../../officials.css';

/** Matters a hall handles most (一网通办 事项名称), offered as one-tap choices. */
const COMMON_MATTERS = [
  '营业执照办理',
  '社保卡补办',
  '不动产登记',
  '医保报销',
  '户口迁移',
  '身份证办理',
  '食品经营许可',
  '公积金提取',
];

/**
 * 发送评价邀请 (一事一评 for halls without integration): the window's staff send the citizen in front of them an
 * SMS invitation to rate this very service. The SMS leaves asynchronously (never 21:00–08:00, at most one a day per
 * phone); the list shows what happened to each.
 */
export default function StaffInvite() {
  const grants = (storedUser()?.roles ?? []) as RoleGrant[];
  const windows = grants.filter((g) => g.role === 'window_staff').map((g) => g.scope.split('/').pop() as string);
  const windowId = windows[0];
  const [phone, setPhone] = useState('');
  const [matter, setMatter] = useState('');
  const [sending, setSending] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [items, setItems] = useState<WindowInvitation[]>([]);
  const [listError, setListError] = useState('');
  const requestId = useRef(newRequestId());
  const inFlight = useRef(false);

  const refresh = () => {
    if (!windowId) return;
    setListError('');
    windowInvitations(windowId)
      .then((r) => setItems(r.items))
      .catch((e) => setListError(errorMessage(e)));
  };
  useDidShow(refresh);

  const submit = async () => {
    if (inFlight.current || !windowId) return;
    if (!PHONE_PATTERN.test(phone)) return setMessage({ ok: false, text: '请填写办事群众的 11 位手机号' });
    if (!matter.trim()) return setMessage({ ok: false, text: '请填写或选择办理事项' });
    inFlight.current = true;
    setSending(true);
    setMessage(null);
    try {
      const r = await sendWindowInvitation(windowId, { requestId: requestId.current, phone, matter: matter.trim() });
      const later = Date.parse(r.sendAfter) > Date.now() + 60000;
      setMessage({
        ok: true,
        text: later ? `已登记，夜间不发短信，将于 ${formatTime(r.sendAfter)} 发送` : '已登记，评价短信即将发出',
      });
      setPhone('');
      setMatter('');
      requestId.current = newRequestId();
      refresh();
    } catch (e) {
      setMessage({ ok: false, text: errorMessage(e) });
    } finally {
      inFlight.current = false;
      setSending(false);
    }
  };

  if (!windowId) {
    return (
      <View className="page off-page">
        <View className="card">
          <View className="hint">只有窗口工作人员可以发送评价邀请。</View>
        </View>
      </View>
    );
  }

  return (
    <View className="page off-page">
      <View className="card" data-testid="invite-form">
        <View className="section-title">发送评价邀请</View>
        <View className="hint">
          办结后请群众留下手机号，系统将发送一条评价短信，群众可对本次办事单独评价（一事一评）。
        </View>
        <View className="label">群众手机号</View>
        <Input
          className="input"
          type="number"
          maxlength={11}
          value={phone}
          placeholder="11位手机号"
          onInput={(e) => setPhone(e.detail.value)}
        />
        <View className="label">办理事项</View>
        <Input
          className="input"
          maxlength={50}
          value={matter}
          placeholder="如：营业执照办理"
          onInput={(e) => setMatter(e.detail.value)}
        />
        <View className="chips">
          {COMMON_MATTERS.map((m) => (
            <View key={m} className={`chip ${matter === m ? 'chip-selected' : ''}`} onClick={() => setMatter(m)}>
              {m}
            </View>
          ))}
        </View>
        {message ? (
          <View className={message.ok ? 'notice' : 'error-text'} data-testid="invite-message">
            {message.text}
          </View>
        ) : null}
        <SubmitButton sending={sending} onClick={submit} label="发送评价邀请" busyLabel="正在发送…" />
      </View>
      <View className="card" data-testid="invite-list">
        <View className="section-title">最近的评价邀请</View>
        {listError ? <RetryError message={listError} onRetry={refresh} /> : null}
        {items.length === 0 && !listError ? <View className="hint">暂无</View> : null}
        {items.map((i) => (
          <View key={i.id} className="link-row">
            <View>
              <View>{`${i.matter} · ${i.phone}`}</View>
              <View className="hint">
                {formatTime(i.createdAt)}
                {i.skipReason ? ` · ${i.skipReason}` : ''}
              </View>
            </View>
            <View className="hint">{i.rated ? '已评价' : i.statusLabel}</View>
          </View>
        ))}
      </View>
    </View>
  );
}
