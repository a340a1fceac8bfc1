import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { requestFingerprint } from '../lib/crypto';
import { db, table } from './client';
import { K } from './keys';
import { DuplicateRequestError, getItem, putNew, transact, withRideAlong, type TxItem } from './table';

export { DuplicateRequestError };

/**
 * Idempotency records (domain/idempotency httpWrite): the first answer to a (caller, requestId), written in the
 * same transaction as the change it answers where the change has one, so a retried or concurrent twin request gets
 * that answer and changes nothing. Kept 30 days.
 *
 * The key is an HMAC of (caller, requestId) under a server key, the fingerprint an HMAC of the request, and the
 * answer is stored sealed (domain/idempotency): the item names no caller and holds nothing personal in clear.
 */
export interface StoredRequest {
  /** Who asked: a user id, or another principal of an unauthenticated route (e.g. an invitation link). */
  userId: string;
  requestId: string;
  /** HMAC of the request under a server key: never personal data in clear or hashed bare. */
  fingerprint: string;
  status: number;
  /** The first answer, sealed; absent while the change is committed and its answer not yet recorded. */
  response?: unknown;
  createdAt?: string;
}

const KEEP_SECONDS = 30 * 86400;

const keyOf = (userId: string, requestId: string) =>
  K.request(requestFingerprint(`request-key\n${userId}\n${requestId}`));

export async function getStoredRequest(userId: string, requestId: string): Promise<StoredRequest | undefined> {
  const item = await getItem<Omit<StoredRequest, 'userId' | 'requestId'>>(keyOf(userId, requestId), {
    consistent: true,
  });
  return item && { userId, requestId, ...item };
}

function recordItem(r: StoredRequest, now: Date): Record<string, unknown> {
  return {
    ...keyOf(r.userId, r.requestId),
    type: 'request',
    fingerprint: r.fingerprint,
    status: r.status,
    ...(r.response !== undefined ? { response: r.response } : {}),
    createdAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + KEEP_SECONDS,
  };
}

/** The conditional Put that records a request in the caller's transaction (it fails if the request was seen). */
export function requestWrite(r: StoredRequest, now: Date): TxItem {
  return putNew(recordItem(r, now));
}

/**
 * Serve one write request: `run` executes with the request's record (still without its answer) riding along with
 * its first transaction. Reports whether a transaction committed the record, and whether with its answer.
 */
export async function withRequestRecord<T>(
  r: StoredRequest,
  now: Date,
  run: () => Promise<T>,
): Promise<
  { ok: true; value: T; committed: boolean; answered: boolean } | { ok: false; error: unknown; committed: boolean }
> {
  const ride = { item: recordItem(r, now), committed: false, answered: false };
  try {
    const value = await withRideAlong(ride, run);
    return { ok: true, value, committed: ride.committed, answered: ride.answered };
  } catch (error) {
    return { ok: false, error, committed: ride.committed };
  }
}

/** Store the answer on a record its change's transaction committed (same fingerprint). */
export async function answerRequest(r: StoredRequest): Promise<void> {
  await db().send(
    new UpdateCommand({
      TableName: table(),
      Key: keyOf(r.userId, r.requestId),
      UpdateExpression: 'SET #s = :s, #r = :r',
      ConditionExpression: 'fingerprint = :f',
      ExpressionAttributeNames: { '#s': 'status', '#r': 'response' },
      ExpressionAttributeValues: { ':s': r.status, ':r': r.response, ':f': r.fingerprint },
    }),
  );
}

/**
 * Record the answer of a request whose change had no transaction to ride along with (a single conditional write,
 * or nothing stored). False when a concurrent twin recorded first.
 */
export async function putAnsweredRequest(r: StoredRequest, now: Date): Promise<boolean> {
  const outcome = await transact([requestWrite(r, now)]);
  return outcome === 'stored';
}
