import * as z from 'zod';
import { BINDING_CODE_PATTERN } from './enterprise';
import { Phone } from './rating-schema';

export const BindEnterpriseRequest = z.strictObject({
  /** The enterprise supervision code the contact scanned. */
  code: z.string().min(1, '缺少企业监督码').max(64, '监督码过长'),
  creditCode: z
    .string({ error: '请填写统一社会信用代码' })
    .trim()
    .transform((s) => s.toUpperCase())
    .pipe(z.string().length(18, '统一社会信用代码为 18 位')),
  bindingCode: z.string({ error: '请填写绑定码' }).trim().regex(BINDING_CODE_PATTERN, '绑定码为 6 位数字'),
  name: z.string().trim().min(1).max(20, '姓名不能超过 20 字').optional(),
  phone: Phone.optional(),
});
export type BindEnterpriseRequest = z.infer<typeof BindEnterpriseRequest>;

export const IssueBindingCodesRequest = z.strictObject({
  requestId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'requestId 须为 8–64 位字母、数字、- 或 _'),
  enterpriseIds: z
    .array(z.string().regex(/^[A-Za-z0-9-]{1,64}$/, '企业编号格式不正确'))
    .min(1, '请至少选择一家企业')
    .max(50, '一次最多为 50 家企业生成绑定码'),
  /** `sms`: send to the contact phone in the registry; `show`: return the codes for a printed letter. */
  delivery: z.enum(['sms', 'show'], { error: '发放方式须为 sms 或 show' }),
});
export type IssueBindingCodesRequest = z.infer<typeof IssueBindingCodesRequest>;
