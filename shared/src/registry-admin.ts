import * as z from 'zod/mini';
import { isValidCreditCode } from './credit-code';
import { Phone } from './rating-schema';

/**
 * The operator's registry (SPEC §2.1): departments, windows and enterprises — create, edit, retire — and the
 * rows of a bulk import. One schema per DTO, used by the API and the console.
 */
export const DEPARTMENT_LEVELS = ['州', '县', '乡', '村'] as const;
export const WINDOW_KINDS = ['审批科室', '服务窗口'] as const;
export const REGISTRY_STATUSES = ['active', 'retired'] as const;
export type RegistryStatus = (typeof REGISTRY_STATUSES)[number];
/** @public Not imported yet: kept for pages being built (knip skips @public). */
export const REGISTRY_STATUS_LABELS: Record<RegistryStatus, string> = { active: '在用', retired: '已停用' };

/** Ids chosen by operators or carried by an import file (the external id): lower-case letters, digits, dashes. */
export const RegistryId = z
  .string({ error: '请填写编号' })
  .check(z.trim(), z.regex(/^[a-z0-9][a-z0-9-]{1,59}$/, '编号须为 2–60 位小写字母、数字或短横线，且以字母或数字开头'));

const Name = (what: string, max: number) =>
  z.string({ error: `请填写${what}` }).check(
    z.trim(),
    z.minLength(2, `${what}至少 2 个字`),
    z.maxLength(max, `${what}不能超过 ${max} 个字`),
    z.refine((s) => !/[<>{}\\]/.test(s), `${what}不能包含 < > { } \\ 等符号`),
  );

export const CreditCode = z.string({ error: '请填写统一社会信用代码' }).check(
  z.trim(),
  z.toUpperCase(),
  z.refine(
    (s) => /^[0-9A-HJ-NPQRTUWXY]{18}$/.test(s),
    '统一社会信用代码须为 18 位数字或大写字母（不含 I、O、Z、S、V）',
  ),
  z.refine((s) => !/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(s) || isValidCreditCode(s), '统一社会信用代码校验位不正确，请核对'),
);

export const RegionId = z.string().check(z.regex(/^[a-z0-9-]{1,40}$/, '区县编号格式不正确'));

export const DepartmentCreate = z.strictObject({
  id: RegistryId,
  name: Name('部门名称', 40),
  level: z.enum(DEPARTMENT_LEVELS, { error: '层级须为 州、县、乡 或 村' }),
  regionId: RegionId,
});
export type DepartmentCreate = z.infer<typeof DepartmentCreate>;

export const DepartmentUpdate = z.strictObject({
  name: z.optional(Name('部门名称', 40)),
  level: z.optional(z.enum(DEPARTMENT_LEVELS, { error: '层级须为 州、县、乡 或 村' })),
});
export type DepartmentUpdate = z.infer<typeof DepartmentUpdate>;

export const WindowCreate = z.strictObject({
  id: RegistryId,
  name: Name('窗口名称', 40),
  kind: z.enum(WINDOW_KINDS, { error: '类型须为 审批科室 或 服务窗口' }),
  departmentId: RegistryId,
});
export type WindowCreate = z.infer<typeof WindowCreate>;

export const WindowUpdate = z.strictObject({
  name: z.optional(Name('窗口名称', 40)),
  kind: z.optional(z.enum(WINDOW_KINDS, { error: '类型须为 审批科室 或 服务窗口' })),
});
export type WindowUpdate = z.infer<typeof WindowUpdate>;

export const EnterpriseCreate = z.strictObject({
  id: RegistryId,
  name: Name('企业名称', 60),
  creditCode: CreditCode,
  regionId: RegionId,
  contactName: z.optional(Name('联系人姓名', 20)),
  contactPhone: z.optional(Phone),
});
export type EnterpriseCreate = z.infer<typeof EnterpriseCreate>;

export const EnterpriseUpdate = z.strictObject({
  name: z.optional(Name('企业名称', 60)),
  contactName: z.optional(Name('联系人姓名', 20)),
  contactPhone: z.optional(Phone),
});
export type EnterpriseUpdate = z.infer<typeof EnterpriseUpdate>;

export const RetireRequest = z.strictObject({
  reason: z
    .string({ error: '请填写停用原因' })
    .check(z.trim(), z.minLength(2, '停用原因至少 2 个字'), z.maxLength(200, '停用原因不能超过 200 字')),
});

export interface DepartmentView {
  id: string;
  name: string;
  level: (typeof DEPARTMENT_LEVELS)[number];
  county: { id: string; name: string };
  path: string;
  status: RegistryStatus;
}

export interface WindowDetailView {
  id: string;
  name: string;
  kind: (typeof WINDOW_KINDS)[number];
  department: { id: string; name: string };
  county: { id: string; name: string };
  path: string;
  status: RegistryStatus;
  retiredAt?: string;
  retireReason?: string;
  code: string;
  /** The https link a poster's QR code carries. */
  link: string;
  codeStatus: 'active' | 'revoked';
}

export interface EnterpriseDetailView {
  id: string;
  name: string;
  creditCode: string;
  county: { id: string; name: string };
  path: string;
  status: RegistryStatus;
  code: string;
  link: string;
  codeStatus: 'active' | 'revoked';
  contactName?: string;
  /** Masked. */
  contactPhone?: string;
}
