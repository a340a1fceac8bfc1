import { K } from './keys';
import { getItem, putNew, type TxItem } from './table';

/**
 * Idempotency records: the first answer to a (user, requestId), written in the same transaction as the change it
 * answers, so a retried or concurrent twin request gets that answer and changes nothing. Kept 30 days.
 */
export interface StoredRequest {
  userId: string;
  requestId: string;
  /** HMAC of the request body under a server key (domain/idempotency): never personal data in clear or hashed bare. */
  fingerprint: string;
  status: number;
  response: unknown;
}

const KEEP_SECONDS = 30 * 86400;

export async function getStoredRequest(userId: string, requestId: string): Promise<StoredRequest | undefined> {
  return getItem<StoredRequest>(K.request(userId, requestId), { consistent: true });
}

/** The conditional Put that records a request in the caller's transaction (it fails if the request was seen). */
export function requestWrite(r: StoredRequest, now: Date): TxItem {
  return putNew({
    ...K.request(r.userId, r.requestId),
    type: 'request',
    ...r,
    expiresAt: Math.floor(now.getTime() / 1000) + KEEP_SECONDS,
  });
}
