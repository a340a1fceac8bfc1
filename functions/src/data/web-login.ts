import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client';
import { K } from './keys';
import { getItem } from './table';

/**
 * The console's QR login: unionid → person, and the one-time states.
 *
 *   table  K.unionid        UNIONID#<unionid> / META     the user id of the person (written at mini-program login)
 *   table  K.webLoginState  WEBSTATE#<state> / STATE     issued state; `usedAt` set once; removed by TTL
 */
export const unionidItem = (unionid: string, userId: string, at: string) => ({
  ...K.unionid(unionid),
  type: 'unionid',
  unionid,
  userId,
  linkedAt: at,
});

export async function linkUnionid(unionid: string, userId: string, at: string): Promise<void> {
  // A unionid belongs to one person and their mini-program user id never changes: the first write stands.
  await db()
    .send(
      new PutCommand({
        TableName: table(),
        Item: unionidItem(unionid, userId, at),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    )
    .catch((e) => {
      if (e.name !== 'ConditionalCheckFailedException') throw e;
    });
}

export async function userIdOfUnionid(unionid: string): Promise<string | undefined> {
  return (await getItem<{ userId: string }>(K.unionid(unionid), { consistent: true }))?.userId;
}

export async function putLoginState(state: string, issuedAt: Date, expiresAt: Date): Promise<void> {
  await db().send(
    new PutCommand({
      TableName: table(),
      Item: {
        ...K.webLoginState(state),
        type: 'webLoginState',
        issuedAt: issuedAt.toISOString(),
        validUntil: expiresAt.toISOString(),
        expiresAt: Math.ceil(expiresAt.getTime() / 1000),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

/** Mark the state used, once: false when it was never issued, is used already or has expired. */
export async function useLoginState(state: string, now: Date): Promise<boolean> {
  try {
    await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: K.webLoginState(state),
        UpdateExpression: 'SET usedAt = :now',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedAt) AND validUntil > :now',
        ExpressionAttributeValues: { ':now': now.toISOString() },
      }),
    );
    return true;
  } catch (e) {
    if ((e as Error).name === 'ConditionalCheckFailedException') return false;
    throw e;
  }
}
