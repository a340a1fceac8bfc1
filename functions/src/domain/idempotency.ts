import { WriteRequestId } from '@mashang/shared';
// zod/mini: every write route's bundle has this module; classic zod here put ~70 KB and its set-up in all of them.
import * as z from 'zod/mini';
import * as requests from '../data/requests';
import { DuplicateRequestError, type StoredRequest } from '../data/requests';
import { decryptPii, encryptPii, requestFingerprint } from '../lib/crypto';
import { AppError } from '../lib/errors';
import { http, type HttpRequest, type HttpResult } from '../lib/http';
import { parseWith } from '../lib/validate';

/**
 * One idempotency helper for every write route (every POST of serverless.yml):
 *
 *   export const retireWin = httpWrite(200, async (req) => retireWindow(await req.session(), …));
 *
 * The client sends a `requestId` in the body (made once per user action, reused on every retry of it). The first
 * answer is stored under an HMAC of (caller, requestId), sealed with the PII key, next to an HMAC fingerprint of
 * the request (route, path parameters, body): the same requestId again answers that first answer and changes
 * nothing; with another request it answers 409 IDEMPOTENCY_KEY_REUSED.
 *
 * The record rides along with the change's own transaction (data/table `transact`), so change and record commit
 * together: a twin that arrives while the first is being served fails that transaction and is answered from the
 * record. A use case that writes its record itself with the answer inside its transaction (`onceOnly`: complaints,
 * case actions, visits, bindings) gets the request's ticket. A route whose change is a single conditional write
 * without a transaction records its answer right after it: that change must be idempotent by itself (a state set,
 * an id derived from the requestId).
 */

/** How a write attempt ended, as the store reports it. */
export type WriteOutcome = 'stored' | 'duplicate-request' | 'conflict' | 'stale';

/** One write request as the ledger knows it. */
export interface RequestTicket {
  /** Who asked: the session's user, or the route's own principal (an invitation link, a machine key). */
  principal: string;
  requestId: string;
  /** HMAC of the request under a server key. */
  fingerprint: string;
  /** The HTTP status of the route's answer. */
  status: number;
  /** The ledger was read for this request already (by httpWrite). */
  checked: boolean;
}

export interface RequestStore {
  getStoredRequest(userId: string, requestId: string): Promise<StoredRequest | undefined>;
}

const REUSED = '该请求编号已用于另一项操作，请刷新页面后重新提交';
const IN_PROGRESS = '该操作正在处理，请稍后刷新查看结果';

const seal = (body: unknown) => ({ sealed: encryptPii(JSON.stringify(body ?? null)) });
const unseal = (stored: unknown): unknown => JSON.parse(decryptPii((stored as { sealed: string }).sealed));

/** The record of a request with its answer (sealed), for a use case that stores it inside its own transaction. */
export function answerRecord(t: RequestTicket, response: unknown, status = t.status): StoredRequest {
  return { userId: t.principal, requestId: t.requestId, fingerprint: t.fingerprint, status, response: seal(response) };
}

/** The first answer a stored record holds; undefined while its change committed and the answer is not recorded. */
function replay(stored: StoredRequest, t: RequestTicket): HttpResult | undefined {
  if (stored.fingerprint !== t.fingerprint) throw new AppError('IDEMPOTENCY_KEY_REUSED', REUSED);
  if (stored.response === undefined) return undefined;
  return { status: stored.status, body: unseal(stored.response) };
}

/** A twin of this request is being served: wait a little for its answer. */
async function twinAnswer(t: RequestTicket): Promise<HttpResult> {
  for (let i = 0; i < 20; i++) {
    const stored = await requests.getStoredRequest(t.principal, t.requestId);
    const answer = stored && replay(stored, t);
    if (answer) return answer;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new AppError('REQUEST_IN_PROGRESS', IN_PROGRESS);
}

/** Serve a write request once: the first answer again for a retry, the change at most once. */
async function runOnce(t: RequestTicket, run: () => Promise<unknown>, now: Date): Promise<HttpResult> {
  const stored = await requests.getStoredRequest(t.principal, t.requestId);
  if (stored) return replay(stored, t) ?? (await twinAnswer(t));
  t.checked = true;
  const r = await requests.withRequestRecord(
    { userId: t.principal, requestId: t.requestId, fingerprint: t.fingerprint, status: t.status },
    now,
    run,
  );
  if (!r.ok) {
    if (r.error instanceof DuplicateRequestError) return twinAnswer(t);
    // The change committed and a later step refused: that refusal is the first answer (a 5xx stays unanswered).
    if (r.committed && r.error instanceof AppError && r.error.status < 500)
      await requests.answerRequest(
        answerRecord(t, { error: { code: r.error.code, message: r.error.message } }, r.error.status),
      );
    throw r.error;
  }
  if (!r.answered) {
    const record = answerRecord(t, r.value);
    if (r.committed) await requests.answerRequest(record);
    // No transaction carried the record; false = a twin recorded first (such a change is idempotent by itself).
    else await requests.putAnsweredRequest(record, now);
  }
  return { status: t.status, body: r.value };
}

export interface WriteOptions {
  /** Who asks on a route without a session (e.g. the invitation link's token). Default: the session's user. */
  principal?: (req: HttpRequest) => Promise<string>;
  /** The idempotency key of a route whose public contract has no requestId (the machine API). Default: the body's. */
  requestId?: (req: HttpRequest) => string;
  /** The use case reads the requestId from the body (its schema has it). Default: `fn` sees the body without it. */
  keepRequestId?: boolean;
  /**
   * The use case keeps the request's record and first answer itself, in the item its change writes under a key
   * derived from the request (the rating's user+window+day key): the ledger is neither read before nor written after
   * it, which saves a 好评 two of its four sequential DynamoDB requests. The use case must answer a retry with the
   * first answer, and a reused requestId with IDEMPOTENCY_KEY_REUSED, itself (tests/integration/idempotency.test.ts
   * checks it like every other route).
   */
  recordedByUseCase?: boolean;
}

const MISSING = '缺少请求编号 requestId（每次操作生成一次，重试时沿用）';
const RequestIdOnly = z.object({ requestId: WriteRequestId });

/** A write route: `fn` parses and calls its use case, whose answer (HTTP `status`) a retry gets again. */
export function httpWrite(
  status: number,
  fn: (req: HttpRequest, ticket: RequestTicket) => Promise<unknown>,
  opts: WriteOptions = {},
) {
  const handler = http(async (req) => {
    const principal = opts.principal ? await opts.principal(req) : (await req.session()).userId;
    let requestId: string;
    let rest: unknown = req.body;
    if (opts.requestId) requestId = opts.requestId(req);
    else {
      const body = req.body;
      if (!body || typeof body !== 'object' || Array.isArray(body) || !('requestId' in body))
        throw new AppError('VALIDATION_FAILED', MISSING, [{ path: 'requestId', message: MISSING }]);
      requestId = parseWith(RequestIdOnly, body).requestId;
      const { requestId: _id, ...others } = body as Record<string, unknown>;
      rest = others;
    }
    const fingerprint = requestFingerprint(
      JSON.stringify({ route: req.route, params: req.params, query: req.query, body: rest }),
    );
    const ticket: RequestTicket = { principal, requestId, fingerprint, status, checked: false };
    const forUseCase = opts.keepRequestId || opts.requestId ? req : { ...req, body: rest };
    if (opts.recordedByUseCase) return { status, body: await fn(forUseCase, ticket) };
    return runOnce(ticket, () => fn(forUseCase, ticket), new Date());
  });
  return Object.assign(handler, { idempotent: true as const });
}

export interface IdempotentWrite {
  /** The request as httpWrite took it. Without one (a direct call of the use case) it is made of the fields below. */
  ticket?: RequestTicket;
  userId: string;
  requestId: string;
  /** What the request asks for (route, target and body without requestId): its keyed fingerprint is stored. */
  intent: unknown;
  /** HTTP status of the first answer (kept with it). */
  status: number;
  /** The refusal when concurrent changes keep winning. */
  busyMessage: string;
  maxAttempts: number;
}

/**
 * A use case that stores its answer with its change: `attempt` builds the change and stores it together with the
 * request record it is handed (one transaction); a concurrent twin that won shows up as 'duplicate-request' and is
 * answered from its record; a conflicting or stale write is tried again, up to maxAttempts.
 */
export async function onceOnly<R>(
  store: RequestStore,
  w: IdempotentWrite,
  attempt: (record: (response: R) => StoredRequest, n: number) => Promise<{ outcome: WriteOutcome; response: R }>,
): Promise<R> {
  const t: RequestTicket = w.ticket ?? {
    principal: w.userId,
    requestId: w.requestId,
    fingerprint: requestFingerprint(JSON.stringify(w.intent)),
    status: w.status,
    checked: false,
  };
  const record = (response: R) => answerRecord(t, response);
  for (let n = 0; ; n++) {
    if (n > 0 || !t.checked) {
      const stored = await store.getStoredRequest(t.principal, t.requestId);
      if (stored) {
        const answer = replay(stored, t);
        if (!answer) throw new AppError('REQUEST_IN_PROGRESS', IN_PROGRESS);
        return answer.body as R;
      }
    }
    const { outcome, response } = await attempt(record, n);
    if (outcome === 'stored') return response;
    // duplicate-request: a concurrent twin won; the next round reads and returns its answer.
    if (n + 1 >= w.maxAttempts) throw new AppError('CONFLICT', w.busyMessage);
    // conflict: a concurrent transaction touched the same items; retry after a short jittered pause.
    if (outcome === 'conflict') await new Promise((r) => setTimeout(r, 20 + Math.random() * 60 * (n + 1)));
  }
}
