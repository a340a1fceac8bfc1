import * as z from 'zod/mini';

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

/** The caller's own rating of this window today (一次一评), as the scan page needs it to skip the form. */
export interface RatedToday {
  id: string;
  /** 1..5 (RatingLevel). */
  level: number;
  createdAt: string;
  caseId: string | null;
}

export interface CodeLookupResponse {
  kind: 'window' | 'enterprise';
  window?: { id: string; name: string; department: Ref; county: Ref };
  enterprise?: { id: string; name: string; county: Ref };
  /**
   * Only when the lookup came with a valid token and the code is a window's: the caller's rating of it today, or null
   * if none. Absent means "not known" (no token): the page asks again once signed in.
   */
  ratedToday?: RatedToday | null;
}

// zod/mini (tree-shakable): the login and list functions carry ~20 KB of zod, not the classic API's ~440 KB.
export const ListQuery = z.strictObject({
  county: z.optional(z.string().check(z.regex(/^[a-z0-9-]{1,40}$/, '区县编号格式不正确'))),
  departmentId: z.optional(z.string().check(z.regex(/^[a-z0-9-]{1,60}$/, '部门编号格式不正确'))),
  q: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(40, '搜索词不能超过 40 字'))),
  cursor: z.optional(z.string().check(z.maxLength(512, '分页游标无效'))),
  limit: z.optional(z.coerce.number().check(z.multipleOf(1), z.gte(1), z.lte(100))),
});
export type ListQuery = z.infer<typeof ListQuery>;

export const LoginRequest = z.strictObject({
  code: z.string().check(z.minLength(1, '缺少登录凭证'), z.maxLength(128, '登录凭证过长')),
});

/**
 * Console sign-in with WeChat website QR login (网站应用, snsapi_login): the code WeChat sent back to the console and
 * the one-time state the API issued before the browser went to WeChat (POST /v1/auth/wechat-web/state).
 */
export const WebLoginRequest = z.strictObject({
  code: z.string().check(z.minLength(1, '缺少登录凭证'), z.maxLength(128, '登录凭证过长')),
  state: z.string().check(z.regex(/^[A-Za-z0-9_-]{16,64}$/, '登录状态无效，请重新扫码')),
});

export interface WebLoginStateResponse {
  state: string;
  /** ISO instant after which the state is refused. */
  expiresAt: string;
}

export interface LoginResponse {
  token: string;
  user: {
    id: string;
    roles: { role: string; scope: string }[];
    /** Officials: the name of each scope their roles cover (scope path → "门源县 · 门源县市场监督管理局"). */
    scopeNames?: Record<string, string>;
  };
}
