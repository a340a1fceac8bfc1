import * as z from 'zod/mini';
import { SERVICE_BATCH_MAX } from './invitations';
import { Phone, RequestId } from './rating-schema';

/** One 办件 in POST /v1/services. Validated row by row: one bad row does not refuse the others. */
export const ServiceRow = z.strictObject({
  serviceId: z
    .string({ error: 'serviceId 必须是字符串' })
    .check(z.regex(/^[A-Za-z0-9_.:-]{1,64}$/, '办件编号须为 1–64 位字母、数字或 _.:-')),
  windowId: z.string({ error: 'windowId 必须是字符串' }).check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, '窗口编号格式不正确')),
  matter: z
    .string({ error: '缺少事项名称' })
    .check(z.trim(), z.minLength(1, '缺少事项名称'), z.maxLength(50, '事项名称不能超过 50 字')),
  completedAt: z.iso.datetime({
    offset: true,
    error: '办结时间须为带时区的 ISO 8601 时间，如 2026-11-30T10:15:00+08:00',
  }),
  phone: Phone,
  name: z.optional(z.string().check(z.trim(), z.maxLength(20, '姓名不能超过 20 字'))),
});
export type ServiceRow = z.infer<typeof ServiceRow>;

/** The envelope; each row is checked separately with ServiceRow. */
export const ServiceBatch = z.strictObject({
  services: z
    .array(z.unknown(), { error: 'services 必须是数组' })
    .check(z.minLength(1, '至少报送 1 条办件'), z.maxLength(SERVICE_BATCH_MAX, `每批最多 ${SERVICE_BATCH_MAX} 条办件`)),
});

/** 发送评价邀请: the window staff's own form, for halls without integration. */
export const StaffInvitationRequest = z.strictObject({
  requestId: RequestId,
  phone: Phone,
  matter: z
    .string({ error: '请填写办理事项' })
    .check(z.trim(), z.minLength(1, '请填写办理事项'), z.maxLength(50, '事项名称不能超过 50 字')),
});
export type StaffInvitationRequest = z.infer<typeof StaffInvitationRequest>;

export const CreateApiKeyRequest = z.strictObject({
  departmentId: z.string({ error: '请指定部门' }).check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, '部门编号格式不正确')),
  name: z._default(
    z.string().check(z.trim(), z.minLength(1, '请填写密钥用途'), z.maxLength(40, '用途说明不能超过 40 字')),
    '服务大厅系统',
  ),
});
