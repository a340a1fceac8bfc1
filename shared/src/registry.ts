import { z } from 'zod';

export interface Ref {
  id: string;
  name: string;
}

export interface WindowView {
  id: string;
  name: string;
  code: string;
  department: Ref;
  county: Ref;
  kind?: '审批科室' | '服务窗口';
  /** Absent or `active` for a window in use; `retired` once an operator retired it. */
  status?: 'active' | 'retired';
}

export interface EnterpriseView {
  id: string;
  name: string;
  creditCode: string;
  code: string;
  county: Ref;
  status?: 'active' | 'retired';
}

export interface Page<T> {
  items: T[];
  cursor?: string;
}

export interface CodeLookupResponse {
  kind: 'window' | 'enterprise';
  window?: { id: string; name: string; department: Ref; county: Ref };
  enterprise?: { id: string; name: string; county: Ref };
}

export const ListQuery = z.strictObject({
  county: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/, '区县编号格式不正确')
    .optional(),
  departmentId: z
    .string()
    .regex(/^[a-z0-9-]{1,60}$/, '部门编号格式不正确')
    .optional(),
  q: z.string().trim().min(1).max(40, '搜索词不能超过 40 字').optional(),
  cursor: z.string().max(512, '分页游标无效').optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
export type ListQuery = z.infer<typeof ListQuery>;

export const LoginRequest = z.strictObject({
  code: z.string().min(1, '缺少登录凭证').max(128, '登录凭证过长'),
});

export interface LoginResponse {
  token: string;
  user: { id: string; roles: { role: string; scope: string }[] };
}
