import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { PREFECTURE_ID, type RoleGrant } from '@mashang/shared';
import { db, table } from '../../functions/src/data/client';
import { codeItem } from '../../functions/src/data/codes';
import { IX, type Key } from '../../functions/src/data/keys';
import { ratingItem } from '../../functions/src/data/ratings';
import { departmentItem, enterpriseItem, windowItem } from '../../functions/src/data/registry';
import { grantItem, userItem } from '../../functions/src/data/users';
import { userIdFor } from '../../functions/src/domain/auth';
import { newCodeId, signCode } from '../../functions/src/domain/code-signing';
import { config } from '../../functions/src/config';
import { encryptPii } from '../../functions/src/lib/crypto';
import { standinOpenid } from '../../dev/standin/identity';
import { uniq } from './api';

/**
 * Each test makes its own data with unique ids: a region of its own, so scoped lists and counters start empty.
 */
export async function aDepartment(opts: { regionId?: string } = {}) {
  const regionId = opts.regionId ?? uniq('r');
  const id = uniq('d');
  const d = {
    id,
    name: `测试县市场监督管理局${id.slice(-4)}`,
    level: '县' as const,
    regionId,
    regionName: `测试县${regionId.slice(-4)}`,
    path: `${PREFECTURE_ID}/${regionId}/${id}`,
  };
  await put(departmentItem(d));
  return d;
}

export async function aWindow(opts: { department?: Awaited<ReturnType<typeof aDepartment>> } = {}) {
  const dept = opts.department ?? (await aDepartment());
  const id = uniq('w');
  const codeId = newCodeId('window');
  const code = signCode(config().CODE_SECRET, codeId);
  const w = {
    id,
    name: `综合受理窗口${id.slice(-3)}号`,
    kind: '服务窗口' as const,
    department: { id: dept.id, name: dept.name },
    county: { id: dept.regionId, name: dept.regionName },
    path: `${dept.path}/${id}`,
    codeId,
    code,
  };
  await put(windowItem(w));
  await put(codeItem({ codeId, kind: 'window', targetId: id, status: 'active', issuedAt: new Date().toISOString() }));
  return { window: w, code, department: dept };
}

export async function anEnterprise(regionId: string, opts: { contactPhone?: string } = {}) {
  const id = uniq('e');
  const codeId = newCodeId('enterprise');
  const code = signCode(config().CODE_SECRET, codeId);
  const e = {
    id,
    name: `测试企业${id}`,
    creditCode: '91632221MA7XXXXXX0',
    county: { id: regionId, name: '测试县' },
    path: `${PREFECTURE_ID}/${regionId}/${id}`,
    codeId,
    code,
    ...(opts.contactPhone ? { contactName: '联系人', contactPhone: encryptPii(opts.contactPhone) } : {}),
  };
  await put(enterpriseItem(e));
  await put(
    codeItem({ codeId, kind: 'enterprise', targetId: id, status: 'active', issuedAt: new Date().toISOString() }),
  );
  return { enterprise: e, code };
}

/** An official whose stand-in login code carries the given grants. */
export async function anOfficial(
  grants: RoleGrant[],
  loginCode = uniq('official-'),
  opts: { subscribed?: boolean; phone?: string } = {},
) {
  const userId = userIdFor(standinOpenid(loginCode));
  await put(
    userItem({
      userId,
      openid: standinOpenid(loginCode),
      createdAt: new Date().toISOString(),
      subscribed: opts.subscribed ?? true,
      name: `干部${loginCode.slice(-4)}`,
      phone: encryptPii(opts.phone ?? `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`),
    }),
  );
  for (const g of grants) await put(grantItem(userId, g));
  return { loginCode, userId };
}

export async function put(Item: Record<string, unknown>) {
  await db().send(new PutCommand({ TableName: table(), Item }));
}

/**
 * `n` ratings the user stored in the last hour (at other windows of a department of their own, minutes apart), as
 * the rating use case stores them: what the hourly limit counts.
 */
export async function ratingsEarlierThisHour(userId: string, n: number, now = new Date()) {
  const { window } = await aWindow();
  for (let i = 0; i < n; i++) {
    const createdAt = new Date(now.getTime() - (i + 1) * 60_000).toISOString();
    const rating = {
      id: uniq('earlier-'),
      level: 5 as const,
      reasons: [],
      windowId: `${window.id}-${i}`,
      windowName: window.name,
      department: window.department,
      county: window.county,
      path: window.path,
      createdAt,
      date: createdAt.slice(0, 10),
      caseId: null,
    };
    // The first answer as the use case stores it (DynamoDB Local's stream shows an empty map as `{}`, which
    // unmarshall refuses: a stored request always has its answer).
    const response = { rating: { id: rating.id, level: rating.level, createdAt }, caseId: null };
    await put(
      ratingItem(rating, { userId, anonymous: false }, { requestId: uniq('req-'), fingerprint: 'x', response }),
    );
  }
}

/** Delete a stored item (restoring shared state a test changed, e.g. a prefecture setting). */
export async function removeItem(key: Key) {
  await db().send(new DeleteCommand({ TableName: table(), Key: key }));
}

/** A stored item as it is in the table (storage keys included), by its key from data/keys. */
export async function getItem(key: Key) {
  return (await db().send(new GetCommand({ TableName: table(), Key: key }))).Item;
}

/** Every item of a partition, for asserting what was (not) stored. */
export async function partition(pk: string) {
  return (
    (
      await db().send(
        new QueryCommand({
          TableName: table(),
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
        }),
      )
    ).Items ?? []
  );
}

export async function ratingsOfWindow(windowId: string) {
  const ix = IX.ratingsOfWindow(windowId);
  return (
    (
      await db().send(
        new QueryCommand({
          TableName: table(),
          IndexName: ix.index,
          KeyConditionExpression: `${ix.index}pk = :pk`,
          ExpressionAttributeValues: { ':pk': ix.pk },
        }),
      )
    ).Items ?? []
  );
}
