import * as z from 'zod/mini';
import { ROLES, type RoleGrant } from './access';
import { Phone, RequestId } from './rating-schema';
import { RegistryId } from './registry-admin';

/**
 * People and roles (console): officials and window staff registered by an operator, their role grants with scopes,
 * and the binding of a person's WeChat account with a one-time binding code (domain/bindings, kind `official`).
 * Enterprise contacts bind themselves with the enterprise's code (enterprise-contacts); they are not created here.
 */
export const GRANTABLE_ROLES = ROLES.filter((r) => r !== 'enterprise') as Exclude<
  (typeof ROLES)[number],
  'enterprise'
>[];

/** A scope path: haibei, haibei/<region>, haibei/<region>/<department>, …/<window>. */
const ScopePath = z.string().check(z.trim(), z.regex(/^haibei(\/[A-Za-z0-9-]{1,64}){0,3}$/, '范围格式不正确'));

export const GrantInput = z.strictObject({
  role: z.enum(GRANTABLE_ROLES as [string, ...string[]], { error: '角色不正确' }),
  scope: ScopePath,
});
export type GrantInput = { role: (typeof GRANTABLE_ROLES)[number]; scope: string };

export const PersonCreate = z.strictObject({
  requestId: RequestId,
  name: z.string().check(z.trim(), z.minLength(2, '姓名至少 2 个字'), z.maxLength(20, '姓名最多 20 个字')),
  post: z.string().check(z.trim(), z.minLength(2, '职务至少 2 个字'), z.maxLength(30, '职务最多 30 个字')),
  phone: Phone,
  departmentId: RegistryId,
  grants: z._default(z.array(GrantInput).check(z.maxLength(5, '最多 5 个角色')), []),
});
export type PersonCreate = z.infer<typeof PersonCreate>;

export const PeopleQuery = z.strictObject({
  county: z.optional(RegistryId),
  departmentId: z.optional(RegistryId),
  q: z.optional(z.string().check(z.trim(), z.maxLength(20))),
  cursor: z.optional(z.string().check(z.maxLength(1024))),
});

export const BindPersonRequest = z.strictObject({
  personId: z.string().check(z.regex(/^p[0-9a-z]{26}$/, '人员编号格式不正确')),
  bindingCode: z.string().check(z.regex(/^\d{6}$/, '绑定码为 6 位数字')),
});

export interface PersonView {
  id: string;
  name: string;
  post: string;
  /** Masked. */
  phone: string;
  department: { id: string; name: string };
  county: { id: string; name: string };
  path: string;
  grants: (RoleGrant & { roleLabel: string })[];
  /** Bound to a WeChat account (the person's user id), and when. */
  userId?: string;
  boundAt?: string;
  createdAt: string;
}
