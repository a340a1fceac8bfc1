import { Input, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import {
  CASE_RULES,
  CLOSE_OUTCOMES,
  CaseActionRequest,
  letterAddressee,
  letterIssuerName,
  letterTemplate,
  scopeContains,
  shanghaiDate,
  type CaseActionType,
  type CloseOutcome,
  type RoleGrant,
} from '@mashang/shared';
import { useRef, useState, type ReactNode } from 'react';
import { newRequestId, storedUser } from '../../api/client';
import { actOnCase, errorMessage, openLetterPdf, type ActionResult, type CaseDetail } from '../api';
import { FormFooter } from '../../components/FormFooter';
import { LimitedTextarea } from '../../components/LimitedTextarea';
import { PhotoPicker, type PickedPhoto } from '../../components/PhotoPicker';

type Fields = Record<string, string | boolean | undefined>;

interface FormProps {
  detail: CaseDetail;
  type: CaseActionType;
  onDone: (result: ActionResult) => void;
}

/** The latest overdue entry's draft letter (the escalation writes one), offered as the letter to issue. */
function draftLetter(detail: CaseDetail): { recipient: string; text: string } | undefined {
  const entry = [...detail.timeline].reverse().find((t) => t.action === 'overdue' && t.data?.draftLetter);
  return entry?.data?.draftLetter;
}

/** Which appeal stage this caller can take: a pending appeal is decided by an inspector; otherwise the window or department files one. */
function appealStage(detail: CaseDetail, grants: RoleGrant[]): 'file' | 'decide' | null {
  const roles = grants.filter((g) => scopeContains(g.scope, detail.case.path)).map((g) => g.role);
  if (detail.case.status === 'appealed') return roles.includes('inspector') ? 'decide' : null;
  return roles.includes('handler') || roles.includes('window_staff') ? 'file' : null;
}

function Choice<T>({
  options,
  value,
  onChange,
}: {
  options: { value: T; label: string }[];
  value: T | undefined;
  onChange: (v: T) => void;
}) {
  return (
    <View className="chips">
      {options.map((o) => (
        <View
          key={o.label}
          className={`chip ${value === o.value ? 'chip-selected' : ''}`}
          onClick={() => onChange(o.value)}
        >
          {o.label}
        </View>
      ))}
    </View>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <View className="field">
      <View className="label">{label}</View>
      {children}
    </View>
  );
}

function LongText({
  value,
  placeholder,
  onChange,
  max,
}: {
  value: string;
  placeholder: string;
  onChange: (v: string) => void;
  max: number;
}) {
  return <LimitedTextarea value={value} max={max} placeholder={placeholder} onInput={onChange} />;
}

/**
 * One action's form. The requestId is made when the form opens and kept for every retry of this fill, so a
 * double tap or a resend after a dropped answer records the action once (the API replays the first answer).
 */
function ActionForm({ detail, type, onDone }: FormProps) {
  const grants = (storedUser()?.roles ?? []) as RoleGrant[];
  const stage = type === 'appeal' ? appealStage(detail, grants) : null;
  const draft = type === 'reminder_letter' ? draftLetter(detail) : undefined;
  // A letter starts filled from the case (the scheduler's overdue draft if there is one), for the inspector to edit.
  const issuerScope = grants.find((g) => g.role === 'inspector' && scopeContains(g.scope, detail.case.path))?.scope;
  const [f, setF] = useState<Fields>(() =>
    type === 'reminder_letter'
      ? {
          recipient: draft?.recipient ?? letterAddressee(detail.case),
          text: draft?.text ?? letterTemplate(detail.case, issuerScope ?? detail.case.path),
        }
      : type === 'interview'
        ? { date: shanghaiDate(new Date()) }
        : {},
  );
  const [photos, setPhotos] = useState<PickedPhoto[]>([]);
  const [photosBusy, setPhotosBusy] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState('');
  const requestId = useRef(newRequestId());
  const inFlight = useRef(false);
  const set = (k: string) => (v: string | boolean) => setF((prev) => ({ ...prev, [k]: v }));
  const str = (k: string) => (typeof f[k] === 'string' ? (f[k] as string) : '');
  const opt = (k: string) => (str(k).trim() ? str(k) : undefined);

  const body = (): unknown => {
    const base = { requestId: requestId.current, type };
    switch (type) {
      case 'forward':
        return { ...base, text: str('text') };
      case 'assign':
        return { ...base, assignee: str('assignee'), note: opt('note') };
      case 'callback':
        return { ...base, reached: f.reached, note: str('note') };
      case 'reminder_letter':
        return { ...base, recipient: str('recipient'), text: str('text') };
      case 'rectification':
        return {
          ...base,
          report: str('report'),
          publicSummary: opt('publicSummary'),
          ...(photos.length ? { photos: photos.map((p) => p.key) } : {}),
        };
      case 'close':
        return { ...base, outcome: f.outcome, note: str('note'), publicNote: opt('publicNote') };
      case 'follow_up':
        return { ...base, satisfied: f.satisfied, comment: opt('comment') };
      case 'reopen':
        return { ...base, reason: str('reason') };
      case 'interview':
        return { ...base, name: str('name'), post: str('post'), date: str('date'), reason: str('reason') };
      case 'appeal':
        return stage === 'decide'
          ? { ...base, stage, upheld: f.upheld, note: str('note') }
          : { ...base, stage: 'file', reason: str('reason') };
    }
  };

  const submit = async () => {
    if (inFlight.current) return;
    // The same zod schema the API validates with: its Chinese messages, before a round trip.
    const parsed = CaseActionRequest.safeParse(body());
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? '请检查填写的内容');
      return;
    }
    if (type === 'appeal' && stage === 'decide' && f.upheld === undefined) {
      setError('请选择复核结论');
      return;
    }
    if (photosBusy) {
      setError('照片正在上传，请稍候再提交');
      return;
    }
    inFlight.current = true;
    setSending(true);
    setError('');
    try {
      const result = await actOnCase(detail.case.id, parsed.data);
      onDone(result);
    } catch (e) {
      setError(errorMessage(e));
      inFlight.current = false;
      setSending(false);
    }
  };

  let fields: ReactNode = null;
  switch (type) {
    case 'forward':
      fields = (
        <>
          <View className="hint">
            转办后，{detail.case.department?.name ?? '责任部门'}
            只能看到投诉类别和您在此填写的内容，看不到投诉原文、投诉人身份、是否实名和受理编号。
          </View>
          <Field label="转办内容">
            <LongText
              value={str('text')}
              placeholder="需要部门核查整改的问题（请勿写入投诉人信息）"
              max={2000}
              onChange={set('text')}
            />
          </Field>
        </>
      );
      break;
    case 'assign':
      fields = (
        <>
          <Field label="承办人">
            <Input
              className="input"
              value={str('assignee')}
              placeholder="承办人姓名或科室"
              maxlength={40}
              onInput={(e) => set('assignee')(e.detail.value)}
            />
          </Field>
          <Field label="说明（选填）">
            <LongText value={str('note')} placeholder="分派说明" max={500} onChange={set('note')} />
          </Field>
        </>
      );
      break;
    case 'callback':
      fields = (
        <>
          {detail.mayRevealContact ? (
            <View className="hint">请先在“联系方式”中查看并拨打电话，再记录回访结果。</View>
          ) : null}
          <Field label="是否接通">
            <Choice
              options={[
                { value: true, label: '已接通' },
                { value: false, label: '未接通' },
              ]}
              value={f.reached as boolean | undefined}
              onChange={set('reached')}
            />
          </Field>
          <Field label="回访记录">
            <LongText
              value={str('note')}
              placeholder="回访情况：对方诉求、答复内容等"
              max={1000}
              onChange={set('note')}
            />
          </Field>
        </>
      );
      break;
    case 'reminder_letter':
      fields = (
        <>
          {draft ? <View className="hint">已按逾期情况预填提示函草稿，可修改后制发。</View> : null}
          <Field label="受文单位">
            <Input
              className="input"
              value={str('recipient')}
              placeholder="受文单位"
              maxlength={60}
              onInput={(e) => set('recipient')(e.detail.value)}
            />
          </Field>
          <View className="hint" data-testid="letter-issuer">
            {`以${letterIssuerName(issuerScope ?? detail.case.path)}名义制发；提示函另列受文单位、督办件编号和事实摘要，并留盖章处。`}
          </View>
          <Field label="提示函正文">
            <LongText value={str('text')} placeholder="提示函正文" max={3000} onChange={set('text')} />
          </Field>
        </>
      );
      break;
    case 'rectification':
      fields = (
        <>
          <Field label="整改情况">
            <LongText
              value={str('report')}
              placeholder="问题原因、整改措施及结果"
              max={3000}
              onChange={set('report')}
            />
          </Field>
          <Field label="向评价人公开的整改情况（选填）">
            <LongText
              value={str('publicSummary')}
              placeholder="评价人或投诉人可以看到这段文字；不填则只告知已反馈整改"
              max={500}
              onChange={set('publicSummary')}
            />
          </Field>
          <Field label="整改照片（选填）">
            <PhotoPicker
              value={photos}
              onChange={setPhotos}
              onBusy={setPhotosBusy}
              hint="整改前后对比、公示材料等，最多 3 张；办理本件的干部和纪检监察可以看到。"
            />
          </Field>
        </>
      );
      break;
    case 'close':
      fields = (
        <>
          <Field label="办结结果">
            <Choice
              options={CLOSE_OUTCOMES.map((o) => ({ value: o as CloseOutcome, label: o }))}
              value={f.outcome as CloseOutcome | undefined}
              onChange={set('outcome')}
            />
          </Field>
          {f.outcome === '已整改' && !detail.case.rectificationReported ? (
            <View className="hint">尚未收到整改反馈，不能以“已整改”办结。</View>
          ) : null}
          <Field label="办结说明">
            <LongText value={str('note')} placeholder="办结说明" max={1000} onChange={set('note')} />
          </Field>
          <Field label="向评价人公开的办结说明（选填）">
            <LongText
              value={str('publicNote')}
              placeholder="评价人或投诉人可以看到这段文字；不填则只告知办结结果"
              max={500}
              onChange={set('publicNote')}
            />
          </Field>
        </>
      );
      break;
    case 'follow_up':
      fields = (
        <>
          <Field label="是否满意">
            <Choice
              options={[
                { value: true, label: '满意' },
                { value: false, label: '不满意' },
              ]}
              value={f.satisfied as boolean | undefined}
              onChange={set('satisfied')}
            />
          </Field>
          <Field label="追评（选填）">
            <LongText value={str('comment')} placeholder="追评内容" max={500} onChange={set('comment')} />
          </Field>
        </>
      );
      break;
    case 'interview':
      // One record per person talked to: a 约谈 of two people is recorded twice.
      fields = (
        <>
          <View className="hint">每名被约谈人单独记录一条。</View>
          <Field label="被约谈人姓名">
            <Input
              className="input"
              value={str('name')}
              placeholder="姓名"
              maxlength={20}
              onInput={(e) => set('name')(e.detail.value)}
            />
          </Field>
          <Field label="职务">
            <Input
              className="input"
              value={str('post')}
              placeholder="如：政务服务科科长"
              maxlength={40}
              onInput={(e) => set('post')(e.detail.value)}
            />
          </Field>
          <Field label="约谈日期">
            <Input
              className="input"
              value={str('date')}
              placeholder="YYYY-MM-DD"
              maxlength={10}
              onInput={(e) => set('date')(e.detail.value)}
            />
          </Field>
          <Field label="约谈事由">
            <LongText value={str('reason')} placeholder="约谈事由及要求" max={1000} onChange={set('reason')} />
          </Field>
        </>
      );
      break;
    case 'reopen':
      fields = (
        <Field label="重新办理原因">
          <LongText value={str('reason')} placeholder="重新办理原因" max={500} onChange={set('reason')} />
        </Field>
      );
      break;
    case 'appeal':
      fields =
        stage === 'decide' ? (
          <>
            <Field label="复核结论">
              <Choice
                options={[
                  { value: true, label: '申诉成立' },
                  { value: false, label: '申诉不成立' },
                ]}
                value={f.upheld as boolean | undefined}
                onChange={set('upheld')}
              />
            </Field>
            <View className="hint">申诉成立的差评不计入统计，但评价记录保留。</View>
            <Field label="复核意见">
              <LongText value={str('note')} placeholder="复核意见" max={1000} onChange={set('note')} />
            </Field>
          </>
        ) : (
          <Field label="申诉理由">
            <LongText
              value={str('reason')}
              placeholder="说明评价有误或恶意的理由及依据"
              max={1000}
              onChange={set('reason')}
            />
          </Field>
        );
      break;
  }

  return (
    <View className="form" data-testid={`form-${type}`}>
      {fields}
      <FormFooter
        error={error}
        sending={sending}
        onSubmit={submit}
        label={`提交${actionLabel(type, stage)}`}
        busyLabel="正在提交…"
      />
    </View>
  );
}

function actionLabel(type: CaseActionType, stage?: 'file' | 'decide' | null): string {
  if (type === 'appeal') return stage === 'decide' ? '申诉复核' : '申诉';
  return CASE_RULES[type].label;
}

/** The actions the API says this caller may take now, each with its form; one form open at a time. */
export function ActionForms({
  detail,
  onDone,
}: {
  detail: CaseDetail;
  onDone: (result: ActionResult, type: CaseActionType) => void;
}) {
  const [open, setOpen] = useState<CaseActionType | null>(null);
  const [issued, setIssued] = useState<{ no: string; pdf: string } | null>(null);
  const [pdfError, setPdfError] = useState('');
  const grants = (storedUser()?.roles ?? []) as RoleGrant[];
  const actions = detail.availableActions.filter((t) => t !== 'appeal' || appealStage(detail, grants) !== null);

  if (actions.length === 0 && !issued) return <View className="hint">当前没有您可以进行的操作。</View>;

  return (
    <View data-testid="actions">
      {issued ? (
        <View className="notice">
          已制发工作提示函 {issued.no}。
          <View
            className="link-row"
            onClick={() => {
              setPdfError('');
              openLetterPdf(issued.pdf).catch((e) => setPdfError(errorMessage(e)));
            }}
          >
            查看 PDF ›
          </View>
          {pdfError ? <View className="error-text">{pdfError}</View> : null}
        </View>
      ) : null}
      <View className="actions">
        {actions.map((t) => (
          <View
            key={t}
            className={`action-btn ${open === t ? 'action-btn-selected' : ''}`}
            onClick={() => setOpen(open === t ? null : t)}
          >
            {actionLabel(t, t === 'appeal' ? appealStage(detail, grants) : null)}
          </View>
        ))}
      </View>
      {open ? (
        <ActionForm
          key={`${open}:${detail.case.version}`}
          detail={detail}
          type={open}
          onDone={(result) => {
            setOpen(null);
            setIssued(result.letter ?? null);
            void Taro.showToast({ title: '已提交', icon: 'success' });
            onDone(result, open);
          }}
        />
      ) : null}
    </View>
  );
}
