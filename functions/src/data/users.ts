import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Role, RoleGrant } from '@mashang/shared';
import { db, table } from './client';
import { G, K } from './keys';

export interface UserItem {
  userId: string;
  openid: string;
  createdAt: string;
  /** Subscribe-message consent per template, recorded when the official opts in. */
  subscribed?: boolean;
  name?: string;
  /** Encrypted phone of an official, for SMS alerts. */
  phone?: string;
}

export const userItem = (u: UserItem) => ({ ...K.user(u.userId), type: 'user', ...u });
export const grantItem = (userId: string, g: RoleGrant) => ({
  ...K.grant(userId, g.role, g.scope),
  ...G.grantsInScope(g.scope, g.role, userId),
  type: 'grant',
  userId,
  ...g,
});

/** The user record and all their grants in one Query on the user's partition. */
export async function loadUser(userId: string): Promise<{ user?: UserItem; grants: RoleGrant[] }> {
  const r = await db().send(
    new QueryCommand({ TableName: table(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': K.user(userId).pk } }),
  );
  const items = r.Items ?? [];
  const user = items.find((i) => i.sk === 'META') as UserItem | undefined;
  const grants = items.filter((i) => i.type === 'grant').map((i) => ({ role: i.role as Role, scope: i.scope as string }));
  return { user, grants };
}

/** Create the user on first login; a concurrent first login is harmless. */
export async function ensureUser(u: UserItem): Promise<void> {
  await db()
    .send(new PutCommand({ TableName: table(), Item: userItem(u), ConditionExpression: 'attribute_not_exists(pk)' }))
    .catch((e) => {
      if (e.name !== 'ConditionalCheckFailedException') throw e;
    });
}

export async function getUser(userId: string): Promise<UserItem | undefined> {
  const r = await db().send(new GetCommand({ TableName: table(), Key: K.user(userId) }));
  return r.Item as UserItem | undefined;
}

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
