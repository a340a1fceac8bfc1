import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client';
import { K } from './keys';

/**
 * Idempotency records: the first answer to a (user, requestId), written in the same transaction as the change it
 * answers, so a retried or concurrent twin request gets that answer and changes nothing. Kept 30 days.
 */
export interface StoredRequest {
  userId: string;
  requestId: string;
  bodyHash: string;
  status: number;
  response: unknown;
}

const KEEP_SECONDS = 30 * 86400;

export async function getStoredRequest(userId: string, requestId: string): Promise<StoredRequest | undefined> {
  const r = await db().send(new GetCommand({ TableName: table(), Key: K.request(userId, requestId), ConsistentRead: true }));
  return r.Item as StoredRequest | undefined;
}

/** The conditional Put that records a request in the caller's transaction (it fails if the request was seen). */
export function storedRequestPut(r: StoredRequest, now: Date) {
  return {
    Put: {
      TableName: table(),
      Item: { ...K.request(r.userId, r.requestId), type: 'request', ...r, expiresAt: Math.floor(now.getTime() / 1000) + KEEP_SECONDS },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}
