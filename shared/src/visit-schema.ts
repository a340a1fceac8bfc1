import * as z from 'zod/mini';
import { RequestId } from './rating-schema';
import { VISIT_PURPOSES, VISIT_RULES, VISIT_SOLVED } from './visit';

export const RegisterVisitRequest = z
  .strictObject({
    requestId: RequestId,
    code: z.string().check(z.minLength(1, '缺少企业监督码'), z.maxLength(64, '监督码过长')),
    purpose: z.enum(VISIT_PURPOSES, { error: '请选择走访事由：送政策、解难题、调研、检查或其他' }),
    note: z.optional(
      z.string().check(z.trim(), z.maxLength(VISIT_RULES.noteMax, `事由说明不能超过 ${VISIT_RULES.noteMax} 字`)),
    ),
    companions: z.optional(
      z
        .array(
          z
            .string()
            .check(z.trim(), z.minLength(1, '同行人员姓名不能为空'), z.maxLength(20, '同行人员姓名不能超过 20 字')),
        )
        .check(z.maxLength(VISIT_RULES.companionsMax, `同行人员最多 ${VISIT_RULES.companionsMax} 人`)),
    ),
    /** ISO time of the visit; now when absent. */
    visitedAt: z.optional(z.iso.datetime({ offset: true, error: '走访时间格式不正确' })),
  })
  .check(
    z.superRefine((v, ctx) => {
      if (v.purpose === '其他' && !v.note)
        ctx.addIssue({ code: 'custom', path: ['note'], message: '事由为“其他”时请填写说明' });
    }),
  );
export type RegisterVisitRequest = z.infer<typeof RegisterVisitRequest>;

export const RateVisitRequest = z.strictObject({
  requestId: RequestId,
  level: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)], {
    error: '评价等级须为 1–5 的整数',
  }),
  negativeItemIds: z._default(
    z.array(z.string().check(z.regex(/^N\d{1,3}$/, '负面清单条目编号不正确'))).check(
      z.maxLength(10),
      z.refine((a) => new Set(a).size === a.length, '负面清单条目不能重复'),
    ),
    [],
  ),
  solved: z.enum(VISIT_SOLVED.map((s) => s.value) as [string, ...string[]], { error: '请选择是否解决了问题' }),
  comment: z.optional(
    z.string().check(z.trim(), z.maxLength(VISIT_RULES.commentMax, `评价内容不能超过 ${VISIT_RULES.commentMax} 字`)),
  ),
});
export type RateVisitRequest = z.infer<typeof RateVisitRequest>;
