import { Button, Image, Input, Text, View } from '@tarojs/components';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { levelLabel, PHOTO_FLAG_LABELS } from '@mashang/shared';
import { useState, type ReactNode } from 'react';
import { errorMessage, getCase, openLetterPdf, revealContact, type CaseDetail } from '../../api';
import { ActionForms } from '../../components/ActionForms';
import {
  ALERT_STATUS_LABELS,
  CHANNEL_LABELS,
  EVENT_LABELS,
  alertTagClass,
  caseHeadline,
  caseStatusLabel,
  caseTagClass,
  caseWhere,
  formatTime,
  isPast,
  roleLabel,
} from '../../components/format';
import '../../officials.css';
import { RetryError } from '../../../components/RetryError';

function KV({ k, children }: { k: string; children: ReactNode }) {
  return (
    <View className="kv">
      <Text className="kv-key">{k}</Text>
      <View className="kv-value">{children}</View>
    </View>
  );
}

function actorText(actor: CaseDetail['timeline'][number]['actor']): string {
  const role = roleLabel(actor.role);
  return actor.name && actor.name !== role ? `${actor.name}（${role}）` : role;
}

/** A deadline with its state: done, still open, or late. */
function Deadline({ due, done, doneText }: { due: string; done: boolean; doneText: string }) {
  if (done) return <Text className="ok">{doneText}</Text>;
  const late = isPast(due);
  return <Text className={late ? 'late' : ''}>{`${formatTime(due)}${late ? '（已超期）' : ''}`}</Text>;
}

const CONTENT_FLAG_LABELS: Record<string, string> = {
  risky: '微信内容安全检测提示可能含敏感内容（已照常受理）',
  review: '微信内容安全检测建议人工复核（已照常受理）',
  unchecked: '提交时内容安全检测不可用（已照常受理）',
};

/**
 * The filer's phone is never in the case: those allowed to call reveal it here, with a reason, and the server
 * writes who saw it, when and why to the audit trail. It stays on this screen only.
 */
function RevealContact({ detail }: { detail: CaseDetail }) {
  const [reason, setReason] = useState('电话回访');
  const [contact, setContact] = useState<{ phone: string; name?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const who = detail.case.source === 'complaint' ? '投诉人' : '评价人';
  const reveal = async () => {
    if (busy) return;
    if (!reason.trim()) {
      setError('请填写查看原因');
      return;
    }
    setBusy(true);
    setError('');
    try {
      setContact(await revealContact(detail.case.id, reason.trim()));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="card" data-testid="contact">
      <View className="section-title">{who}联系方式</View>
      {contact ? (
        <>
          {contact.name ? <KV k="姓名">{contact.name}</KV> : null}
          <View style={{ marginTop: '12px' }}>
            <Phone phone={contact.phone} />
          </View>
        </>
      ) : (
        <>
          <View className="hint">号码不在督办件中显示。查看时须填写原因，查看记录（人员、时间、原因）存档备查。</View>
          <Input
            className="input"
            value={reason}
            maxlength={200}
            placeholder="查看原因"
            onInput={(e) => setReason(e.detail.value)}
          />
          {error ? <View className="error-text">{error}</View> : null}
          <Button className="btn btn-primary" disabled={busy} loading={busy} onClick={reveal} data-testid="reveal">
            查看并拨打
          </Button>
        </>
      )}
    </View>
  );
}

/** The rater's or complainant's phone: a tel: link in the browser, WeChat's call sheet in the mini-program. */
function Phone({ phone }: { phone: string }) {
  if (process.env.TARO_ENV !== 'weapp' && !phone.includes('*')) {
    return (
      <a className="tel" href={`tel:${phone}`} data-testid="tel">
        拨打 {phone}
      </a>
    );
  }
  if (phone.includes('*')) return <Text>{phone}</Text>;
  return (
    <View className="tel" onClick={() => Taro.makePhoneCall({ phoneNumber: phone })}>
      拨打 {phone}
    </View>
  );
}

/**
 * The case's photos as expiring links: the filer's evidence and the rectification reports'. A photo WeChat's image
 * check flagged keeps its place with the mark (the evidence is never removed for it); tapping opens the viewer.
 */
function Photos({ photos, filer }: { photos: CaseDetail['photos']; filer: string }) {
  const groups = [
    { title: `${filer}提供的照片`, items: photos.filter((p) => p.by === 'filer') },
    { title: '整改照片', items: photos.filter((p) => p.by === 'rectification') },
  ].filter((g) => g.items.length > 0);
  if (groups.length === 0) return null;
  const urls = photos.map((p) => p.url);
  return (
    <View className="card" data-testid="photos">
      <View className="section-title">照片</View>
      {groups.map((g) => (
        <View key={g.title}>
          <View className="hint">{g.title}</View>
          <View className="photo-row">
            {g.items.map((p) => (
              <View
                key={p.id}
                className="photo-thumb"
                data-testid={p.flag ? 'photo-flagged' : 'photo'}
                onClick={() => Taro.previewImage({ current: p.url, urls })}
              >
                <Image className="photo-img" src={p.url} mode="aspectFill" />
                {p.flag ? (
                  <Text className="photo-flag">{PHOTO_FLAG_LABELS[p.flag]}</Text>
                ) : p.checking ? (
                  <Text className="photo-flag photo-checking">安全检测中</Text>
                ) : null}
              </View>
            ))}
          </View>
        </View>
      ))}
      {photos.some((p) => p.flag) ? (
        <View className="hint">标记的照片经微信图片安全检测提示需注意，仍作为证据保留，请人工核看。</View>
      ) : null}
    </View>
  );
}

function LetterRow({ no, recipient, issuedAt, pdf }: CaseDetail['letters'][number]) {
  const [error, setError] = useState('');
  return (
    <View className="case-item">
      <View className="row">
        <Text className="case-title">{no}</Text>
        <View
          className="action-btn"
          onClick={() => {
            setError('');
            openLetterPdf(pdf).catch((e) => setError(errorMessage(e)));
          }}
        >
          查看 PDF
        </View>
      </View>
      <View className="hint">
        致 {recipient} · {formatTime(issuedAt)}
      </View>
      {error ? <View className="error-text">{error}</View> : null}
    </View>
  );
}

/** One case: what, where, deadlines, contact, the actions the caller may take, the timeline, alert delivery and letters. */
export default function CaseDetailPage() {
  const router = useRouter();
  const id = decodeURIComponent(router.params?.id ?? '');
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [error, setError] = useState('');

  const load = () => {
    setError('');
    getCase(id)
      .then(setDetail)
      .catch((e) => setError(errorMessage(e)));
  };
  useDidShow(() => {
    if (id) load();
    else setError('缺少督办件编号');
  });

  if (!detail) {
    return (
      <View className="page off-page">
        <View className="card">
          {error ? <RetryError message={error} onRetry={load} /> : <View className="hint">正在加载…</View>}
        </View>
      </View>
    );
  }

  const c = detail.case;
  const closed = c.status === 'closed';
  return (
    <View className="page off-page">
      <View className="card" data-testid="case-summary">
        <View className="row">
          <Text className="case-title">{caseHeadline(c)}</Text>
          <Text className={caseTagClass(c, c.overdueStrikes > 0)}>{caseStatusLabel(c)}</Text>
        </View>
        <View className="hint">{caseWhere(c)}</View>
        <View className="summary">{c.summary}</View>
        <KV k="编号">{c.id}</KV>
        <KV k="来源">
          {c.source === 'complaint'
            ? `投诉举报${c.forwarded ? '（已转办）' : ''}`
            : c.source === 'visit'
              ? '干部访企评价'
              : c.source === 'inspection'
                ? `监督检查发现问题（限 ${c.inspection?.deadlineWorkingDays ?? ''} 个工作日整改）`
                : '好差评'}
        </KV>
        {c.contentFlag ? (
          <KV k="内容提示">
            <Text className="late" data-testid="content-flag">
              {CONTENT_FLAG_LABELS[c.contentFlag]}
            </Text>
          </KV>
        ) : null}
        {detail.originalText ? (
          <KV k="投诉原文">
            <Text data-testid="original-text">{detail.originalText}</Text>
          </KV>
        ) : null}
        {c.level ? <KV k="评价">{levelLabel(c.level)}</KV> : null}
        {c.reasons?.length ? <KV k="原因">{c.reasons.join('、')}</KV> : null}
        {c.category ? <KV k="类别">{c.category}</KV> : null}
        <KV k="受理时间">{formatTime(c.createdAt)}</KV>
        {c.assignee ? <KV k="承办人">{c.assignee}</KV> : null}
      </View>

      <View className="card" data-testid="deadlines">
        <View className="section-title">办理期限</View>
        <KV k="电话回访">
          {c.hasContact ? (
            <Deadline due={c.callbackDueAt} done={c.callbackDone} doneText="已回访" />
          ) : (
            <Text className="hint">
              {c.source === 'inspection' ? '监督检查发现的问题，无需回访' : '评价人未留电话，无需回访'}
            </Text>
          )}
        </KV>
        <KV k="整改反馈">
          <Deadline
            due={c.rectifyDueAt}
            done={c.rectificationReported || closed}
            doneText={c.rectificationReported ? '已反馈整改' : '—'}
          />
        </KV>
        {c.overdueStrikes > 0 ? (
          <KV k="逾期">
            <Text className="late">{c.overdueStrikes} 次</Text>
          </KV>
        ) : null}
        {closed ? (
          <KV k="办结">
            {c.outcome ?? ''} {c.closedAt ? `· ${formatTime(c.closedAt)}` : ''}
          </KV>
        ) : null}
      </View>

      {detail.photos?.length ? (
        <Photos photos={detail.photos} filer={c.source === 'complaint' ? '投诉人' : '评价人'} />
      ) : null}

      {detail.mayRevealContact ? <RevealContact detail={detail} /> : null}

      <View className="card">
        <View className="section-title">办理</View>
        <ActionForms detail={detail} onDone={load} />
      </View>

      <View className="card" data-testid="timeline">
        <View className="section-title">办理过程</View>
        {detail.timeline.map((t, i) => (
          <View key={`${t.at}:${i}`} className="timeline-item">
            <View className="timeline-label">{t.label}</View>
            <View className="hint">
              {formatTime(t.at)} · {actorText(t.actor)}
            </View>
            {t.note ? <View className="summary">{t.note}</View> : null}
            {t.data?.publicSummary || t.data?.publicNote ? (
              <View className="hint">向评价人公开：{t.data.publicSummary ?? t.data.publicNote}</View>
            ) : null}
            {t.action === 'interview' && typeof t.data?.name === 'string' ? (
              <View className="hint" data-testid="interview-on-timeline">
                被约谈人：{t.data.name}（{String(t.data.post ?? '')}） · 约谈日期：{String(t.data.date ?? '')}
              </View>
            ) : null}
            {t.action === 'reminder_letter' && typeof t.data?.text === 'string' ? (
              <View className="letter-text" data-testid="letter-on-timeline">
                {`致 ${String(t.data.recipient ?? '')}：\n${t.data.text}`}
              </View>
            ) : null}
            {t.data?.draftLetter ? (
              <View className="letter-text">
                提示函草稿（致 {t.data.draftLetter.recipient}）：{t.data.draftLetter.text}
              </View>
            ) : null}
          </View>
        ))}
      </View>

      <View className="card" data-testid="alerts">
        <View className="section-title">提醒送达</View>
        {detail.alerts.length === 0 ? <View className="hint">暂无提醒记录。</View> : null}
        {detail.alerts.map((a, i) => (
          <View key={`${a.event}:${a.recipientRole}:${a.recipient}:${i}`} className="case-item">
            <View className="row">
              <Text>
                {EVENT_LABELS[a.event] ?? a.event} → {roleLabel(a.recipientRole)}
              </Text>
              <Text className={alertTagClass(a.status)}>{ALERT_STATUS_LABELS[a.status] ?? a.status}</Text>
            </View>
            <View className="hint">
              {a.channel ? CHANNEL_LABELS[a.channel] : '尚未选定渠道'} · {a.recipient} · 第 {a.attempts} 次 ·{' '}
              {formatTime(a.updatedAt)}
            </View>
            {a.lastError && a.status !== 'sent' ? <View className="error-text">{a.lastError}</View> : null}
          </View>
        ))}
      </View>

      <View className="card" data-testid="letters">
        <View className="section-title">工作提示函</View>
        {detail.letters.length === 0 ? <View className="hint">尚未制发工作提示函。</View> : null}
        {detail.letters.map((l) => (
          <LetterRow key={l.no} {...l} />
        ))}
      </View>
    </View>
  );
}
