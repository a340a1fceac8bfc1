import type { StoredRequest } from '../data/requests';
import { AppError } from '../lib/errors';
import { requestFingerprint } from '../lib/crypto';

/** How a write attempt ended, as the store reports it. */
export type WriteOutcome = 'stored' | 'duplicate-request' | 'conflict' | 'stale';

export interface RequestStore {
  getStoredRequest(userId: string, requestId: string): Promise<StoredRequest | undefined>;
}

export interface IdempotentWrite<R> {
  userId: string;
  requestId: string;
  /** What the request asks for (route, target and body without requestId): its keyed fingerprint is stored. */
  intent: unknown;
  /** HTTP status of the first answer (kept with it). */
  status: number;
  /** The refusal when the same requestId comes back with another body. */
  reusedMessage: string;
  /** The refusal when concurrent changes keep winning. */
  busyMessage: string;
  maxAttempts: number;
  /** The answer as stored (e.g. with a secret sealed) and as given back from what was stored. */
  seal?: (response: R) => unknown;
  unseal?: (stored: unknown) => R;
}

/**
 * Every write route: a retried request (same user and requestId) gets the first answer and changes nothing.
 * `attempt` builds the change and stores it together with the request record it is handed (one transaction);
 * a concurrent twin that won shows up as 'duplicate-request' and is answered from its record; a conflicting
 * or stale write is tried again, up to maxAttempts.
 */
export async function onceOnly<R>(
  store: RequestStore,
  w: IdempotentWrite<R>,
  attempt: (record: (response: R) => StoredRequest, n: number) => Promise<{ outcome: WriteOutcome; response: R }>,
): Promise<R> {
  const fingerprint = requestFingerprint(JSON.stringify(w.intent));
  const record = (response: R): StoredRequest => ({
    userId: w.userId,
    requestId: w.requestId,
    fingerprint,
    status: w.status,
    response: w.seal ? w.seal(response) : response,
  });
  for (let n = 0; ; n++) {
    const stored = await store.getStoredRequest(w.userId, w.requestId);
    if (stored) {
      if (stored.fingerprint !== fingerprint) throw new AppError('IDEMPOTENCY_KEY_REUSED', w.reusedMessage);
      return w.unseal ? w.unseal(stored.response) : (stored.response as R);
    }
    const { outcome, response } = await attempt(record, n);
    if (outcome === 'stored') return response;
    // duplicate-request: a concurrent twin won; the next round reads and returns its answer.
    if (n + 1 >= w.maxAttempts) throw new AppError('CONFLICT', w.busyMessage);
    // conflict: a concurrent transaction touched the same items; retry after a short jittered pause.
    if (outcome === 'conflict') await new Promise((r) => setTimeout(r, 20 + Math.random() * 60 * (n + 1)));
  }
}
