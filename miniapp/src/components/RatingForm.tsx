import { Button, Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import {
  CALLBACK_BY,
  CALLBACK_BY_LABELS,
  COMMENT_MAX,
  DEADLINE_TEXT,
  RATING_LEVELS,
  REASON_GROUPS,
  isBadRating,
  ratingFormProblems,
  type CallbackBy,
  type RatingLevel,
  type SubmitRatingRequest,
} from '@mashang/shared';
import { useRef, useState } from 'react';
import { ApiError, errorMessage, newRequestId } from '../api/client';
import { forgetCode, submitRating } from '../api/endpoints';
import { ratingDraftText, saveComplaintDraft } from './complaintDraft';
import { LimitedTextarea } from './LimitedTextarea';
import { askResultNotice, saveResultNotice } from './resultNotice';
import { usePrivacy } from './usePrivacy';
import { FormFooter } from './FormFooter';
import { PhotoPicker, type PickedPhoto } from './PhotoPicker';

/** Checks the form with the API's own rules (shared), so the user learns what is missing before sending. */
function validate(level: RatingLevel | 0, reasons: string[], comment: string, phone: string): string | null {
  return ratingFormProblems({ level, reasons, comment, phone })[0]?.message ?? null;
}

/**
 * The rating form (好差评), shared by the scan page and the SMS invitation page (一事一评): five levels, reasons
 * for a 差评, comment, optional phone. With `invitation` the rating answers that invitation (counted once).
 */
export function RatingForm({
  code,
  invitation,
  onInvitationProblem,
  onDraft,
}: {
  code: string;
  invitation?: string;
  onInvitationProblem?: () => void;
  /** What has been typed so far (reasons and comment), for a page that may have to carry it elsewhere. */
  onDraft?: (text: string) => void;
}) {
  const [level, setLevel] = useState<RatingLevel | 0>(0);
  const [reasons, setReasons] = useState<string[]>([]);
  const [comment, setComment] = useState('');
  const [phoneOpen, setPhoneOpen] = useState(false);
  const [phone, setPhone] = useState('');
  /** Who may call back (SPEC §2.2): the responsible department by default, or only the discipline inspectors. */
  const [callbackBy, setCallbackBy] = useState<CallbackBy>('department');
  const [photos, setPhotos] = useState<PickedPhoto[]>([]);
  const [photosBusy, setPhotosBusy] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<{ code?: string; message: string } | null>(null);
  // One requestId per form fill: a double tap or a retry after a network error repeats it,
  // and the API stores one rating for it.
  const requestId = useRef(newRequestId());
  const inFlight = useRef(false);
  const { requestConsent, popup } = usePrivacy();

  const bad = level !== 0 && isBadRating(level);

  const chooseLevel = (l: RatingLevel) => {
    setLevel(l);
    if (!isBadRating(l)) setReasons([]);
    setError(null);
  };

  const toggleReason = (r: string) => {
    const next = reasons.includes(r) ? reasons.filter((x) => x !== r) : [...reasons, r];
    setReasons(next);
    onDraft?.(ratingDraftText(next, comment));
    setError(null);
  };

  const typeComment = (text: string) => {
    setComment(text);
    onDraft?.(ratingDraftText(reasons, text));
    // A corrected field clears its error.
    if (error && !error.code && !validate(level, reasons, text, phone)) setError(null);
  };

  /** 投诉举报 after a refusal: what was typed here goes along, never lost. */
  const toComplaint = () => {
    saveComplaintDraft(code, ratingDraftText(reasons, comment));
    Taro.navigateTo({ url: `/pages/complaint/index?code=${encodeURIComponent(code)}` });
  };

  const openPhone = async () => {
    if (await requestConsent()) setPhoneOpen(true);
  };

  const submit = async () => {
    if (inFlight.current) return; // the second tap of a double tap
    const problem = validate(level, reasons, comment, phone);
    if (problem) {
      setError({ message: problem });
      return;
    }
    if (photosBusy) {
      setError({ message: '照片正在上传，请稍候再提交' });
      return;
    }
    // A 差评 opens a case: ask, on this very tap as WeChat requires, to be told of its result (处理结果通知).
    const notice = isBadRating(level as RatingLevel) ? askResultNotice() : Promise.resolve(null);
    inFlight.current = true;
    setSending(true);
    setError(null);
    const body: SubmitRatingRequest = {
      requestId: requestId.current,
      code,
      level: level as RatingLevel,
      ...(reasons.length ? { reasons } : {}),
      ...(comment.trim() ? { comment: comment.trim() } : {}),
      ...(phone ? { phone, callbackBy } : { anonymous: true }),
      ...(invitation ? { invitation } : {}),
      ...(photos.length ? { photos: photos.map((p) => p.key) } : {}),
    };
    try {
      const res = await submitRating(body);
      forgetCode(code); // its cached lookup said "not rated today"
      void saveResultNotice(res.caseId, notice);
      const caseId = res.caseId ? `&caseId=${encodeURIComponent(res.caseId)}` : '';
      Taro.redirectTo({ url: `/pages/thanks/index?level=${res.rating.level}${caseId}` });
    } catch (e) {
      const code = e instanceof ApiError ? e.code : undefined;
      setError({ code, message: errorMessage(e) });
      inFlight.current = false;
      setSending(false);
      if (code === 'INVITATION_USED' || code === 'INVITATION_EXPIRED') onInvitationProblem?.();
    }
  };

  return (
    <View>
      <View className="card">
        <View className="section-title">您对本次办事满意吗？</View>
        <View className="levels">
          {RATING_LEVELS.map((l) => (
            <View
              key={l.level}
              className={`level ${level === l.level ? 'level-selected' : ''}`}
              onClick={() => chooseLevel(l.level)}
            >
              <Text>{l.label}</Text>
            </View>
          ))}
        </View>
      </View>

      {bad ? (
        <View className="card" data-testid="reasons">
          <View className="section-title">哪里不满意？（必选，可多选）</View>
          {REASON_GROUPS.map((g) => (
            <View key={g.dimension} className="field">
              <View className="label">{g.dimension}</View>
              <View className="chips">
                {g.reasons.map((r) => (
                  <View
                    key={r}
                    className={`chip ${reasons.includes(r) ? 'chip-selected' : ''}`}
                    onClick={() => toggleReason(r)}
                  >
                    {r}
                  </View>
                ))}
              </View>
            </View>
          ))}
        </View>
      ) : null}

      {level ? (
        <View className="card">
          <View className="label">{reasons.includes('其他') ? '具体情况（必填）' : '想说的话（选填）'}</View>
          <LimitedTextarea
            value={comment}
            max={COMMENT_MAX}
            placeholder="请描述办事经过，便于核实和改进"
            onInput={typeComment}
            counterTestId="comment-counter"
          />

          <View className="label" style={{ marginTop: '16px' }}>
            照片（选填）
          </View>
          <PhotoPicker value={photos} onChange={setPhotos} onBusy={setPhotosBusy} />

          <View className="label" style={{ marginTop: '16px' }}>
            联系电话（选填）
          </View>
          <View className="notice">
            <Text>
              {bad
                ? `留下手机号，${DEADLINE_TEXT.callbackPromise}；不留手机号即为匿名评价，无法回访您，也无法告知处理结果。`
                : '不留手机号即为匿名评价，部门将无法回访您。'}
            </Text>
          </View>
          {phoneOpen ? (
            <>
              <Input
                className="input"
                type="number"
                maxlength={11}
                value={phone}
                placeholder="请输入11位手机号"
                onInput={(e) => setPhone(e.detail.value)}
              />
              <View className="label" style={{ marginTop: '12px' }}>
                谁可以回访您
              </View>
              <View className="chips" data-testid="callback-by">
                {CALLBACK_BY.map((v) => (
                  <View
                    key={v}
                    className={`chip ${callbackBy === v ? 'chip-selected' : ''}`}
                    onClick={() => setCallbackBy(v)}
                  >
                    {CALLBACK_BY_LABELS[v]}
                  </View>
                ))}
              </View>
              <View className="hint">
                {callbackBy === 'department'
                  ? '责任部门负责回访的人员和纪检监察可以查看号码回访您；每次查看都留痕备查。窗口工作人员看不到。'
                  : '只有纪检监察可以查看号码回访您；每次查看都留痕备查。责任部门和窗口工作人员看不到。'}
              </View>
            </>
          ) : (
            <Button className="btn btn-plain" onClick={openPhone}>
              填写手机号
            </Button>
          )}
        </View>
      ) : null}

      <FormFooter
        error={error?.message}
        errorTestId="rate-error"
        errorCard
        errorExtra={
          error?.code === 'ALREADY_RATED_TODAY' ? (
            <View>
              <View className="hint">
                每人每天对同一窗口只能评价一次。如对已提交评价的处理不满意，可以在“我的”中追评，或提交投诉；您刚才填写的内容会带入投诉。
              </View>
              <Button className="btn btn-plain" onClick={() => Taro.navigateTo({ url: '/pages/mine/index' })}>
                查看我的评价并追评
              </Button>
              <Button className="btn btn-plain" onClick={toComplaint}>
                投诉举报
              </Button>
            </View>
          ) : null
        }
        sending={sending}
        onSubmit={submit}
        label="提交评价"
        busyLabel="正在提交…"
      />
      {popup}
    </View>
  );
}
