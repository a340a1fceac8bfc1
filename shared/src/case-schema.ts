import * as z from 'zod/mini';
import { CLOSE_OUTCOMES } from './cases';
import { PhotoKeys, RequestId } from './rating-schema';

const text = (max: number, what: string) =>
  z.string().check(z.trim(), z.minLength(1, `请填写${what}`), z.maxLength(max, `${what}不能超过 ${max} 字`));

/** A calendar date (YYYY-MM-DD) that exists. */
const IsoDate = (what: string) =>
  z.string({ error: `请填写${what}` }).check(
    z.regex(/^\d{4}-\d{2}-\d{2}$/, `${what}格式须为 YYYY-MM-DD`),
    z.refine((v) => {
      const t = Date.parse(`${v}T00:00:00Z`);
      return !Number.isNaN(t) && new Date(t).toISOString().startsWith(v);
    }, `${what}不存在`),
  );

export const CaseActionRequest = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ requestId: RequestId, type: z.literal('forward'), text: text(2000, '转办内容') }),
    z.strictObject({
      requestId: RequestId,
      type: z.literal('assign'),
      assignee: text(40, '承办人'),
      note: z.optional(text(500, '说明')),
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
      publicSummary: z.optional(text(500, '向评价人公开的整改情况')),
      /** Photos of the rectification (uploaded by the reporting official), up to 3. */
      photos: z.optional(PhotoKeys),
    }),
    z.strictObject({
      requestId: RequestId,
      type: z.literal('close'),
      outcome: z.enum(CLOSE_OUTCOMES, { error: '办结结果须为：已整改、情况不属实、不属本单位职责' }),
      note: text(1000, '办结说明'),
      /** The closing note the rater or complainant may read; absent = they see the outcome alone. */
      publicNote: z.optional(text(500, '向评价人公开的办结说明')),
    }),
    z.strictObject({
      requestId: RequestId,
      type: z.literal('follow_up'),
      satisfied: z.boolean({ error: '请选择是否满意' }),
      comment: z.optional(text(500, '追评内容')),
    }),
    z.strictObject({ requestId: RequestId, type: z.literal('reopen'), reason: text(500, '重新办理原因') }),
    z.strictObject({
      requestId: RequestId,
      type: z.literal('appeal'),
      stage: z.enum(['file', 'decide'], { error: '申诉阶段须为 file 或 decide' }),
      reason: z.optional(text(1000, '申诉理由')),
      upheld: z.optional(z.boolean()),
      note: z.optional(text(1000, '复核意见')),
    }),
    z.strictObject({
      requestId: RequestId,
      type: z.literal('interview'),
      name: text(20, '被约谈人姓名'),
      post: text(40, '被约谈人职务'),
      date: IsoDate('约谈日期'),
      reason: text(1000, '约谈事由'),
    }),
  ],
  {
    error:
      '操作类型须为 forward、assign、callback、reminder_letter、rectification、close、follow_up、reopen、appeal、interview 之一',
  },
);
export type CaseActionRequest = z.infer<typeof CaseActionRequest>;

/** The citizen's 追评 body. */
export type FollowUpRequest = Extract<CaseActionRequest, { type: 'follow_up' }>;

/** POST /v1/cases/{id}/contact */
export const RevealContactRequest = z.strictObject({ reason: text(200, '查看原因') });
export type RevealContactRequest = z.infer<typeof RevealContactRequest>;

/** Working days an inspectors' finding may be given to rectify (监督检查发现问题的整改期限). */
export const FINDING_DEADLINE_RANGE = { min: 1, max: 60 } as const;

/**
 * POST /v1/cases: an inspector opens a case from their own supervision finding (source `inspection`), against a
 * department (and, optionally, one of its windows), with a rectification deadline in working days.
 */
export const OpenFindingRequest = z.strictObject({
  requestId: RequestId,
  departmentId: z
    .string({ error: '请选择责任部门' })
    .check(z.trim(), z.minLength(1, '请选择责任部门'), z.maxLength(64, '部门编号不正确')),
  windowId: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(64, '窗口编号不正确'))),
  description: z
    .string({ error: '请填写发现的问题' })
    .check(z.trim(), z.minLength(5, '发现的问题至少 5 个字'), z.maxLength(2000, '发现的问题不能超过 2000 字')),
  deadlineWorkingDays: z.coerce
    .number({ error: '整改期限须为数字' })
    .check(
      z.int('整改期限须为整数个工作日'),
      z.gte(FINDING_DEADLINE_RANGE.min, `整改期限至少 ${FINDING_DEADLINE_RANGE.min} 个工作日`),
      z.lte(FINDING_DEADLINE_RANGE.max, `整改期限最多 ${FINDING_DEADLINE_RANGE.max} 个工作日`),
    ),
});
export type OpenFindingRequest = z.infer<typeof OpenFindingRequest>;

/** The 约谈 body (one person talked to). */
export type InterviewRequest = Extract<CaseActionRequest, { type: 'interview' }>;

/** POST /v1/cases → 201 */
export interface OpenFindingResponse {
  caseId: string;
  /** The rectification deadline (end of the last working day, ISO). */
  rectifyDueAt: string;
}
