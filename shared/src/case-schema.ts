import * as z from 'zod';
import { CLOSE_OUTCOMES } from './cases';
import { RequestId } from './rating-schema';

const text = (max: number, what: string) =>
  z.string().trim().min(1, `请填写${what}`).max(max, `${what}不能超过 ${max} 字`);

export const CaseActionRequest = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ requestId: RequestId, type: z.literal('forward'), text: text(2000, '转办内容') }),
    z.strictObject({
      requestId: RequestId,
      type: z.literal('assign'),
      assignee: text(40, '承办人'),
      note: text(500, '说明').optional(),
    }),
    z.strictObject({
      requestId: RequestId,
      type: z.literal('callback'),
      reached: z.boolean({ error: '请选择是否接通' }),
      note: text(1000, '回访记录'),
    }),
    z.strictObject({
      requestId: RequestId,
      type: z.literal('reminder_letter'),
      recipient: text(60, '受文单位'),
      text: text(3000, '提示函正文'),
    }),
    z.strictObject({
      requestId: RequestId,
      type: z.literal('rectification'),
      report: text(3000, '整改情况'),
      /** What the rater or complainant may read of it (their case view); absent = they see only that it was reported. */
      publicSummary: text(500, '向评价人公开的整改情况').optional(),
    }),
    z.strictObject({
      requestId: RequestId,
      type: z.literal('close'),
      outcome: z.enum(CLOSE_OUTCOMES, { error: '办结结果须为：已整改、情况不属实、不属本单位职责' }),
      note: text(1000, '办结说明'),
      /** The closing note the rater or complainant may read; absent = they see the outcome alone. */
      publicNote: text(500, '向评价人公开的办结说明').optional(),
    }),
    z.strictObject({
      requestId: RequestId,
      type: z.literal('follow_up'),
      satisfied: z.boolean({ error: '请选择是否满意' }),
      comment: text(500, '追评内容').optional(),
    }),
    z.strictObject({ requestId: RequestId, type: z.literal('reopen'), reason: text(500, '重新办理原因') }),
    z.strictObject({
      requestId: RequestId,
      type: z.literal('appeal'),
      stage: z.enum(['file', 'decide'], { error: '申诉阶段须为 file 或 decide' }),
      reason: text(1000, '申诉理由').optional(),
      upheld: z.boolean().optional(),
      note: text(1000, '复核意见').optional(),
    }),
  ],
  {
    error:
      '操作类型须为 forward、assign、callback、reminder_letter、rectification、close、follow_up、reopen、appeal 之一',
  },
);
export type CaseActionRequest = z.infer<typeof CaseActionRequest>;

/** The citizen's 追评 body. */
export type FollowUpRequest = Extract<CaseActionRequest, { type: 'follow_up' }>;

/** POST /v1/cases/{id}/contact */
export const RevealContactRequest = z.strictObject({ reason: text(200, '查看原因') });
export type RevealContactRequest = z.infer<typeof RevealContactRequest>;
