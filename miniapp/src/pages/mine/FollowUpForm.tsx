import { Textarea, View } from '@tarojs/components';
import { COMMENT_MAX } from '@mashang/shared';
import { useRef, useState } from 'react';
import { errorMessage, newRequestId } from '../../api/client';
import { followUp } from '../../api/endpoints';
import { FormFooter } from '../../components/FormFooter';

/** 追评 of a closed case: appended to the case; 不满意 reopens it. */
export function FollowUpForm({ caseId, onDone }: { caseId: string; onDone: (satisfied: boolean) => void }) {
  const [satisfied, setSatisfied] = useState<boolean | null>(null);
  const [comment, setComment] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState('');
  const requestId = useRef(newRequestId());
  const inFlight = useRef(false);

  const submit = async () => {
    if (inFlight.current) return;
    if (satisfied === null) {
      setError('请选择对处理结果是否满意');
      return;
    }
    inFlight.current = true;
    setSending(true);
    setError('');
    try {
      await followUp(caseId, {
        requestId: requestId.current,
        satisfied,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      });
      onDone(satisfied);
    } catch (e) {
      setError(errorMessage(e));
      inFlight.current = false;
      setSending(false);
    }
  };

  return (
    <View data-testid="follow-up-form" style={{ marginTop: '16px' }}>
      <View className="label">您对处理结果满意吗？</View>
      <View className="chips">
        <View className={`chip ${satisfied === true ? 'chip-selected' : ''}`} onClick={() => setSatisfied(true)}>
          满意
        </View>
        <View className={`chip ${satisfied === false ? 'chip-selected' : ''}`} onClick={() => setSatisfied(false)}>
          不满意（重新办理）
        </View>
      </View>
      <Textarea
        className="textarea"
        value={comment}
        maxlength={COMMENT_MAX}
        placeholder="补充说明（选填）"
        onInput={(e) => setComment(e.detail.value)}
      />
      <View className="counter">
        {comment.length}/{COMMENT_MAX}
      </View>
      <FormFooter error={error} sending={sending} onSubmit={submit} label="提交追评" />
    </View>
  );
}
