import * as z from 'zod';
import { RequestId } from './rating-schema';
import { VISIT_PURPOSES, VISIT_RULES, VISIT_SOLVED } from './visit';

export const RegisterVisitRequest = z
  .strictObject({
    requestId: RequestId,
    code: z.string().min(1, '缺少企业监督码').max(64, '监督码过长'),
    purpose: z.enum(VISIT_PURPOSES, { error: '请选择走访事由：送政策、解难题、调研、检查或其他' }),
    note: z.string().trim().max(VISIT_RULES.noteMax, `事由说明不能超过 ${VISIT_RULES.noteMax} 字`).optional(),
    companions: z
      .array(z.string().trim().min(1, '同行人员姓名不能为空').max(20, '同行人员姓名不能超过 20 字'))
      .max(VISIT_RULES.companionsMax, `同行人员最多 ${VISIT_RULES.companionsMax} 人`)
      .optional(),
    /** ISO time of the visit; now when absent. */
    visitedAt: z.iso.datetime({ offset: true, error: '走访时间格式不正确' }).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.purpose === '其他' && !v.note)
      ctx.addIssue({ code: 'custom', path: ['note'], message: '事由为“其他”时请填写说明' });
  });
export type RegisterVisitRequest = z.infer<typeof RegisterVisitRequest>;

export const RateVisitRequest = z.strictObject({
  requestId: RequestId,
  level: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)], {
    error: '评价等级须为 1–5 的整数',
  }),
  negativeItemIds: z
    .array(z.string().regex(/^N\d{1,3}$/, '负面清单条目编号不正确'))
    .max(10)
    .refine((a) => new Set(a).size === a.length, '负面清单条目不能重复')
    .default([]),
  solved: z.enum(VISIT_SOLVED.map((s) => s.value) as [string, ...string[]], { error: '请选择是否解决了问题' }),
  comment: z.string().trim().max(VISIT_RULES.commentMax, `评价内容不能超过 ${VISIT_RULES.commentMax} 字`).optional(),
});
export type RateVisitRequest = z.infer<typeof RateVisitRequest>;
