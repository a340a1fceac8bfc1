import * as z from 'zod/mini';
import { COMMENT_MAX, isBadRating, PHONE_PATTERN, REASONS } from './rating';

// zod/mini (same package, functional and tree-shakable): a function bundling this schema carries ~20 KB of zod
// instead of the classic API's ~440 KB.

const RequestId = z
  .string({ error: 'requestId 必须是字符串' })
  .check(z.regex(/^[A-Za-z0-9_-]{8,64}$/, 'requestId 须为 8–64 位字母、数字、- 或 _'));

const Phone = z.string().check(z.regex(PHONE_PATTERN, '手机号格式不正确，请填写 11 位大陆手机号'));

export const SubmitRatingRequest = z
  .strictObject({
    requestId: RequestId,
    code: z.string().check(z.minLength(1, '缺少监督码'), z.maxLength(64, '监督码过长')),
    level: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)], {
      error: '评价等级须为 1–5 的整数',
    }),
    reasons: z.optional(
      z
        .array(z.enum(REASONS as [string, ...string[]], { error: '评价原因不在可选范围内' }))
        .check(z.maxLength(REASONS.length)),
    ),
    comment: z.optional(z.string().check(z.trim(), z.maxLength(COMMENT_MAX, `评价内容不能超过 ${COMMENT_MAX} 字`))),
    phone: z.optional(Phone),
    anonymous: z.optional(z.boolean()),
    /** The SMS invitation (一事一评) this rating answers: its signed token. */
    invitation: z.optional(z.string().check(z.maxLength(32, '评价邀请无效'))),
  })
  .check(
    z.superRefine((r, ctx) => {
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
    }),
  );
export type SubmitRatingRequest = z.infer<typeof SubmitRatingRequest>;
