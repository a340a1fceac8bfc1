import { PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Role, RoleGrant } from '@mashang/shared';
import { db, table } from './client';
import { IX, K, indexAttrs } from './keys';
import { batchGet, getItem, queryIndex, queryPartition, strip, type TxItem } from './table';

export interface UserItem {
  userId: string;
  openid: string;
  createdAt: string;
  /** Subscribe-message consent per template, recorded when the official opts in. */
  subscribed?: boolean;
  name?: string;
  /** Encrypted phone of an official, for SMS alerts. */
  phone?: string;
  /** Bumped by every grant change; a token issued before the change stops working (lib/session). */
  grantsVersion?: number;
}

export const userItem = (u: UserItem) => ({ ...K.user(u.userId), type: 'user', ...u });
export const grantItem = (userId: string, g: RoleGrant) => ({
  ...K.grant(userId, g.role, g.scope),
  ...indexAttrs(IX.grantsInScope(g.scope, g.role, userId)),
  type: 'grant',
  userId,
  ...g,
});

/** The user record and all their grants in one Query on the user's partition. */
export async function loadUser(
  userId: string,
): Promise<{ user?: UserItem; grants: RoleGrant[]; grantsVersion: number }> {
  const items = await queryPartition(K.userPartition(userId));
  const meta = items.find((i) => i.sk === K.user(userId).sk);
  const grants = items
    .filter((i) => i.type === 'grant')
    .map((i) => ({ role: i.role as Role, scope: i.scope as string }));
  return { user: meta ? strip<UserItem>(meta) : undefined, grants, grantsVersion: Number(meta?.grantsVersion ?? 0) };
}

/** The user's grants version (undefined when there is no such user): one small read per request. */
export async function grantsVersionOf(userId: string): Promise<number | undefined> {
  const u = await getItem<{ userId: string; grantsVersion?: number }>(K.user(userId), {
    projection: ['userId', 'grantsVersion'],
  });
  return u ? Number(u.grantsVersion ?? 0) : undefined;
}

/**
 * The writes of one grant change of a user: the grant item put or deleted, and the user's grants version bumped, so
 * a token issued before the change stops working (lib/session). For a transaction of the caller's own.
 */
export function grantChangeWrites(userId: string, grant: RoleGrant, change: 'add' | 'remove', at: string): TxItem[] {
  return [
    change === 'add'
      ? { Put: { TableName: table(), Item: grantItem(userId, grant) } }
      : { Delete: { TableName: table(), Key: K.grant(userId, grant.role, grant.scope) } },
    {
      Update: {
        TableName: table(),
        Key: K.user(userId),
        UpdateExpression: 'ADD grantsVersion :one SET grantsChangedAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':one': 1, ':at': at },
      },
    },
  ];
}

/** Add or remove one grant and bump the user's grants version, in one transaction. */
export async function changeGrant(
  userId: string,
  grant: RoleGrant,
  change: 'add' | 'remove',
  at: string,
): Promise<void> {
  await db().send(new TransactWriteCommand({ TransactItems: grantChangeWrites(userId, grant, change, at) as never }));
}

/** Create the user on first login; a concurrent first login is harmless. */
export async function ensureUser(u: UserItem): Promise<void> {
  await db()
    .send(new PutCommand({ TableName: table(), Item: userItem(u), ConditionExpression: 'attribute_not_exists(pk)' }))
    .catch((e) => {
      if (e.name !== 'ConditionalCheckFailedException') throw e;
    });
}

export const getUser = (userId: string) => getItem<UserItem>(K.user(userId));

/** Record the official's subscribe-message consent (wx.requestSubscribeMessage result). */
export async function setSubscribed(userId: string, subscribed: boolean, at: string): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: table(),
      Key: K.user(userId),
      UpdateExpression: 'SET subscribed = :s, subscribedAt = :at',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':s': subscribed, ':at': at },
    }),
  );
}

/**
 * Officials holding `role` exactly at `scope`, for each lookup (gsi1 "GRANTS#<scope>"), with their user records:
 * the grant queries at once, then one BatchGet of every official found (two requests deep however many scopes).
 */
export async function officialsAt(lookups: readonly { scope: string; role: Role }[]): Promise<UserItem[][]> {
  const ids = await Promise.all(
    lookups.map(async ({ scope, role }) => {
      const found: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await queryIndex(IX.grantsInScope(scope, role), { sk: 'prefix', cursor });
        found.push(...page.items.map((i) => String(i.userId)));
        cursor = page.cursor;
      } while (cursor);
      return found;
    }),
  );
  const unique = [...new Set(ids.flat())];
  const users = unique.length ? await batchGet<UserItem>(unique.map((id) => K.user(id))) : new Map<string, UserItem>();
  return ids.map((list) => list.map((id) => users.get(K.user(id).pk)).filter((u): u is UserItem => !!u));
}
