import { View } from '@tarojs/components';
import { COMMENT_MAX, FOLLOW_UP_REASON_REQUIRED } from '@mashang/shared';
import { useRef, useState } from 'react';
import { errorMessage, newRequestId } from '../../api/client';
import { followUp } from '../../api/endpoints';
import { askResultNotice, saveResultNotice } from '../../components/resultNotice';
import { FormFooter } from '../../components/FormFooter';
import { LimitedTextarea, tooLong } from '../../components/LimitedTextarea';

/** 追评 of a closed case, shown under its result: appended to the case; 不满意 needs a reason and reopens it. */
export function FollowUpForm({ caseId, onDone }: { caseId: string; onDone: (satisfied: boolean) => void }) {
  const [satisfied, setSatisfied] = useState<boolean | null>(null);
  const [comment, setComment] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState('');
  const requestId = useRef(newRequestId());
  const inFlight = useRef(false);

  const choose = (value: boolean) => {
    setSatisfied(value);
    setError('');
  };

  const submit = async () => {
    if (inFlight.current) return;
    if (satisfied === null) {
      setError('请选择对处理结果是否满意');
      return;
    }
    if (!satisfied && !comment.trim()) {
      setError(FOLLOW_UP_REASON_REQUIRED);
      return;
    }
    if (comment.trim().length > COMMENT_MAX) {
      setError(tooLong('追评内容', COMMENT_MAX));
      return;
    }
    // 不满意 reopens the case: ask (on this tap, as WeChat requires) to be told of the new result too.
    const notice = satisfied ? Promise.resolve(null) : askResultNotice();
    inFlight.current = true;
    setSending(true);
    setError('');
    try {
      await followUp(caseId, {
        requestId: requestId.current,
        satisfied,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      });
      void saveResultNotice(caseId, notice);
      onDone(satisfied);
    } catch (e) {
      setError(errorMessage(e));
      inFlight.current = false;
      setSending(false);
    }
  };

  return (
    <View data-testid="follow-up-form">
      <View className="label">您对处理结果满意吗？</View>
      <View className="chips">
        <View className={`chip ${satisfied === true ? 'chip-selected' : ''}`} onClick={() => choose(true)}>
          满意
        </View>
        <View className={`chip ${satisfied === false ? 'chip-selected' : ''}`} onClick={() => choose(false)}>
          不满意（重新办理）
        </View>
      </View>
      <LimitedTextarea
        value={comment}
        max={COMMENT_MAX}
        placeholder={satisfied === false ? '请说明不满意的原因（必填）' : '补充说明（选填）'}
        onInput={(v) => {
          setComment(v);
          if (v.trim() && v.trim().length <= COMMENT_MAX) setError('');
        }}
      />
      <FormFooter error={error} sending={sending} onSubmit={submit} label="提交追评" />
    </View>
  );
}
