import { z } from 'zod';
import { COMMENT_MAX, isBadRating, PHONE_PATTERN, REASONS } from './rating';

export const RequestId = z
  .string({ error: 'requestId 必须是字符串' })
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'requestId 须为 8–64 位字母、数字、- 或 _');

export const Phone = z.string().regex(PHONE_PATTERN, '手机号格式不正确，请填写 11 位大陆手机号');

export const SubmitRatingRequest = z
  .strictObject({
    requestId: RequestId,
    code: z.string().min(1, '缺少监督码').max(64, '监督码过长'),
    level: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)], {
      error: '评价等级须为 1–5 的整数',
    }),
    reasons: z
      .array(z.enum(REASONS as [string, ...string[]], { error: '评价原因不在可选范围内' }))
      .max(REASONS.length)
      .optional(),
    comment: z.string().trim().max(COMMENT_MAX, `评价内容不能超过 ${COMMENT_MAX} 字`).optional(),
    phone: Phone.optional(),
    anonymous: z.boolean().optional(),
  })
  .superRefine((r, ctx) => {
    const reasons = r.reasons ?? [];
    if (isBadRating(r.level) && reasons.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['reasons'], message: '不满意评价请至少选择一项原因' });
    }
    if (!isBadRating(r.level) && reasons.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['reasons'], message: '只有不满意评价需要选择原因' });
    }
    if (new Set(reasons).size !== reasons.length) {
      ctx.addIssue({ code: 'custom', path: ['reasons'], message: '评价原因不能重复' });
    }
    if (reasons.includes('其他') && !r.comment) {
      ctx.addIssue({ code: 'custom', path: ['comment'], message: '选择“其他”时请填写具体情况' });
    }
    if (r.anonymous && r.phone) {
      ctx.addIssue({ code: 'custom', path: ['phone'], message: '匿名评价不能留手机号' });
    }
  });
export type SubmitRatingRequest = z.infer<typeof SubmitRatingRequest>;
