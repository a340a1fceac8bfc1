import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client';
import { K } from './keys';
import { getItem } from './table';

/**
 * Fixed-window counters (one item per key and window, expiring by TTL). Returns the count including this call
 * (`amount` at once: a caller may take a block of a window's allowance in one write).
 */
export async function hit(key: string, windowSeconds: number, now: Date, amount = 1): Promise<number> {
  const window = Math.floor(now.getTime() / 1000 / windowSeconds);
  const r = await db().send(
    new UpdateCommand({
      TableName: table(),
      Key: K.limit(key, window),
      UpdateExpression: 'ADD n :one SET expiresAt = if_not_exists(expiresAt, :exp)',
      ExpressionAttributeValues: { ':one': amount, ':exp': (window + 2) * windowSeconds },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(r.Attributes?.n ?? 0);
}

/** The current count of a fixed-window counter without adding to it. */
export async function peek(key: string, windowSeconds: number, now: Date): Promise<number> {
  const window = Math.floor(now.getTime() / 1000 / windowSeconds);
  const item = await getItem<{ n?: number }>(K.limit(key, window));
  return Number(item?.n ?? 0);
}
