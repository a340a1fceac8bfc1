import { randomBytes } from 'node:crypto';
import { canAccess, CreateApiKeyRequest, type ApiKeyCreated, type ApiKeyView } from '@mashang/shared';
import * as z from 'zod/mini';
import { getApiKey, listApiKeys, putApiKey, revokeApiKey, type ApiKeyItem } from '../data/api-keys';
import { getDepartment } from '../data/registry';
import { encryptPii } from '../lib/crypto';
import { forbidden, notFound } from '../lib/errors';
import type { Session } from '../lib/session';
import { parseWith } from '../lib/validate';
import { readableScope } from './case-views';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const newKeyId = () => `ak_${[...randomBytes(12)].map((b) => BASE62[b % 62]).join('')}`;

const view = (k: ApiKeyItem): ApiKeyView => ({
  keyId: k.keyId,
  departmentId: k.departmentId,
  name: k.name,
  status: k.status,
  createdAt: k.createdAt,
  ...(k.revokedAt ? { revokedAt: k.revokedAt } : {}),
});

/** Operator creates a department's API key; the secret (256 bits) is returned this once. */
export async function createApiKey(session: Session, input: unknown, now: Date): Promise<ApiKeyCreated> {
  const body = parseWith(CreateApiKeyRequest, input);
  const dept = await getDepartment(body.departmentId);
  if (!dept) throw notFound('部门');
  if (!canAccess(session.grants, ['operator'], dept.path)) throw forbidden();
  const secret = randomBytes(32).toString('base64url');
  const item: ApiKeyItem = {
    keyId: newKeyId(),
    departmentId: dept.id,
    departmentPath: dept.path,
    name: body.name,
    status: 'active',
    secretSealed: encryptPii(secret),
    createdAt: now.toISOString(),
    createdBy: session.userId,
  };
  await putApiKey(item);
  return { keyId: item.keyId, secret, departmentId: dept.id, name: item.name, createdAt: item.createdAt };
}

/** Operator revokes a key: every request signed with it is refused from then on. */
export async function revokeKey(session: Session, keyId: string, now: Date): Promise<ApiKeyView> {
  const k = await getApiKey(keyId);
  if (!k || !canAccess(session.grants, ['operator'], k.departmentPath)) throw notFound('API 密钥');
  const after = await revokeApiKey(keyId, session.userId, now.toISOString());
  return view(after ?? k);
}

const ListQuery = z.strictObject({
  scope: z.optional(z.string().check(z.regex(/^haibei(\/[A-Za-z0-9-]+){0,2}$/, '范围格式不正确'))),
  cursor: z.optional(z.string().check(z.maxLength(1024))),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 50),
});

/** Operators list the keys of the departments in their scope (never a secret). */
export async function listKeys(session: Session, query: unknown) {
  const q = parseWith(ListQuery, query);
  const scope = readableScope(session, q.scope, ['operator']);
  const page = await listApiKeys(scope, q.cursor, q.limit);
  return { items: page.items.map(view), ...(page.cursor ? { cursor: page.cursor } : {}) };
}
