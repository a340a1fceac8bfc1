import * as z from 'zod/mini';
import { BINDING_CODE_PATTERN } from './enterprise';
import { Phone } from './rating-schema';

export const BindEnterpriseRequest = z.strictObject({
  /** The enterprise supervision code the contact scanned. */
  code: z.string().check(z.minLength(1, '缺少企业监督码'), z.maxLength(64, '监督码过长')),
  creditCode: z.pipe(
    z.pipe(
      z.string({ error: '请填写统一社会信用代码' }).check(z.trim()),
      z.transform((s: string) => s.toUpperCase()),
    ),
    z.string().check(z.length(18, '统一社会信用代码为 18 位')),
  ),
  bindingCode: z.string({ error: '请填写绑定码' }).check(z.trim(), z.regex(BINDING_CODE_PATTERN, '绑定码为 6 位数字')),
  name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(20, '姓名不能超过 20 字'))),
  phone: z.optional(Phone),
});
export type BindEnterpriseRequest = z.infer<typeof BindEnterpriseRequest>;

export const IssueBindingCodesRequest = z.strictObject({
  requestId: z.string().check(z.regex(/^[A-Za-z0-9_-]{8,64}$/, 'requestId 须为 8–64 位字母、数字、- 或 _')),
  enterpriseIds: z
    .array(z.string().check(z.regex(/^[A-Za-z0-9-]{1,64}$/, '企业编号格式不正确')))
    .check(z.minLength(1, '请至少选择一家企业'), z.maxLength(50, '一次最多为 50 家企业生成绑定码')),
  /** `sms`: send to the contact phone in the registry; `show`: return the codes for a printed letter. */
  delivery: z.enum(['sms', 'show'], { error: '发放方式须为 sms 或 show' }),
});
export type IssueBindingCodesRequest = z.infer<typeof IssueBindingCodesRequest>;
