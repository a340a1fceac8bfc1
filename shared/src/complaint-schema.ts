import * as z from 'zod/mini';
import { COMPLAINT_CATEGORIES, CONTENT_MAX, CONTENT_MIN } from './complaint';
import { Phone, PhotoKeys, RequestId } from './rating-schema';

export const SubmitComplaintRequest = z
  .strictObject({
    requestId: RequestId,
    code: z.optional(z.string().check(z.minLength(1), z.maxLength(64, '监督码过长'))),
    category: z.enum(COMPLAINT_CATEGORIES, { error: '投诉类别不在可选范围内' }),
    content: z
      .string({ error: '请填写投诉内容' })
      .check(
        z.trim(),
        z.minLength(CONTENT_MIN, `投诉内容至少 ${CONTENT_MIN} 个字`),
        z.maxLength(CONTENT_MAX, `投诉内容不能超过 ${CONTENT_MAX} 字`),
      ),
    negativeItemId: z.optional(z.string().check(z.regex(/^N\d{1,3}$/, '负面清单条目编号不正确'))),
    anonymous: z.boolean({ error: '请选择是否匿名' }),
    name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(20, '姓名不能超过 20 字'))),
    phone: z.optional(Phone),
    photos: z.optional(PhotoKeys),
  })
  .check(
    z.superRefine((c, ctx) => {
      if (c.category === '违反负面清单' && !c.negativeItemId) {
        ctx.addIssue({ code: 'custom', path: ['negativeItemId'], message: '请选择违反的负面清单条目' });
      }
      if (c.anonymous && (c.name || c.phone)) {
        ctx.addIssue({ code: 'custom', path: ['anonymous'], message: '匿名投诉不能填写姓名或手机号' });
      }
      if (!c.anonymous && (!c.name || !c.phone)) {
        ctx.addIssue({ code: 'custom', path: ['name'], message: '实名投诉请填写姓名和手机号' });
      }
    }),
  );
export type SubmitComplaintRequest = z.infer<typeof SubmitComplaintRequest>;
