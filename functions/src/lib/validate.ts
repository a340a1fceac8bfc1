import type * as z from 'zod/v4/core';
import { safeParse } from 'zod/v4/core';
import * as zm from 'zod/mini';
import { AppError } from './errors';

/** Parse untrusted input with a shared zod schema; failures become VALIDATION_FAILED with per-field issues. */
export function parseWith<S extends z.$ZodType>(schema: S, input: unknown): z.output<S> {
  const r = safeParse(schema, input);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ path: i.path.join('.'), message: friendly(i) }));
  throw new AppError('VALIDATION_FAILED', issues[0]?.message ?? '请求参数不正确', issues);
}

function friendly(i: z.$ZodIssue): string {
  // zod's own English defaults (wrong type, unknown key) get a Chinese sentence; our schemas carry Chinese messages.
  if (/[\u4e00-\u9fa5]/.test(i.message)) return i.message;
  const field = i.path.join('.') || '请求';
  switch (i.code) {
    case 'invalid_type':
      return `${field} 类型不正确`;
    case 'unrecognized_keys':
      return `不支持的字段：${i.keys.join('、')}`;
    case 'too_big':
      return `${field} 超出长度或范围`;
    case 'too_small':
      return `${field} 过短或缺失`;
    default:
      return `${field} 格式不正确`;
  }
}

/** The `{code}` path parameter of the supervision-code routes (a signed code fits the 32-character WeChat scene). */
export const CodeParam = zm.object({ code: zm.string().check(zm.minLength(1), zm.maxLength(64, '监督码过长')) });
