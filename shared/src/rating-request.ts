import * as z from 'zod/mini';
import { CALLBACK_BY } from './contact';
import { PHOTO_KEY_MESSAGE, PHOTO_KEY_PATTERN, PHOTO_KEYS_MESSAGE, PHOTO_RULES } from './photos';
import { COMMENT_MAX, COMMENT_TOO_LONG, PHONE_MESSAGE, PHONE_PATTERN, ratingRuleProblems, REASONS } from './rating';

// zod/mini (same package, functional and tree-shakable): a function bundling this schema carries ~20 KB of zod
// instead of the classic API's ~440 KB.

/** The requestId rule of every write route (rating-schema's RequestId is this schema), and httpWrite's. */
export const WriteRequestId = z
  .string({ error: 'requestId 必须是字符串' })
  .check(z.regex(/^[A-Za-z0-9_-]{8,64}$/, 'requestId 须为 8–64 位字母、数字、- 或 _'));

const Phone = z.string().check(z.regex(PHONE_PATTERN, PHONE_MESSAGE));

export const SubmitRatingRequest = z
  .strictObject({
    requestId: WriteRequestId,
    code: z.string().check(z.minLength(1, '缺少监督码'), z.maxLength(64, '监督码过长')),
    level: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)], {
      error: '评价等级须为 1–5 的整数',
    }),
    reasons: z.optional(
      z
        .array(z.enum(REASONS as [string, ...string[]], { error: '评价原因不在可选范围内' }))
        .check(z.maxLength(REASONS.length)),
    ),
    comment: z.optional(z.string().check(z.trim(), z.maxLength(COMMENT_MAX, COMMENT_TOO_LONG))),
    phone: z.optional(Phone),
    anonymous: z.optional(z.boolean()),
    /** The SMS invitation (一事一评) this rating answers: its signed token. */
    invitation: z.optional(z.string().check(z.maxLength(32, '评价邀请无效'))),
    /** Who may call back: the responsible department (default, the national rule) or only the inspectors. */
    callbackBy: z.optional(z.enum(CALLBACK_BY, { error: '回访人须为 department 或 inspectors' })),
    /** Up to 3 photos, by the keys of the caller's own uploads (POST /v1/uploads). */
    photos: z.optional(
      z
        .array(z.string().check(z.regex(PHOTO_KEY_PATTERN, PHOTO_KEY_MESSAGE)))
        .check(z.maxLength(PHOTO_RULES.maxPerItem, PHOTO_KEYS_MESSAGE)),
    ),
  })
  .check(
    // Formats are checked above; the rules across fields are the shared ones the rate page also applies.
    z.superRefine((r, ctx) => {
      for (const p of ratingRuleProblems(r)) ctx.addIssue({ code: 'custom', path: [p.path], message: p.message });
    }),
  );
export type SubmitRatingRequest = z.infer<typeof SubmitRatingRequest>;
