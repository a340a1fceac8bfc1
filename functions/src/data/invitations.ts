import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { InvitationStatus, SkipReason } from '@mashang/shared';
import { db, table } from './client';
import { IX, K, indexAttrs } from './keys';
import type { RatingItem } from './ratings';
import type { WindowItem } from './registry';
import { counterItemCount, counterWrites, type CounterChange } from './stats';
import { batchGet, getItem, putAny, putNew, queryIndex, strip, transact, update, type TxItem } from './table';

/**
 * 一事一评 items (README "Access patterns"):
 * - invitation `INV#<id>`, which is also the service (办件) record: the id is a keyed hash of (department, the
 *   department's own service id), so the conditional put of the invitation accepts each 办件 id once. While waiting
 *   to be sent it is on gsi1 `INVSEND`, once sent and unrated on gsi2 `INVEXPIRE`, and always on gsi3 `INVS#<window>`;
 * - per-phone daily cap `PHONEDAY#<phone hash>#<date>` (TTL) and opt-out `OPTOUT#<phone hash>`.
 * Phones are stored encrypted; lookups by phone use a keyed hash, never the number.
 */
export interface InvitationItem {
  id: string;
  /** The service (办件): the department's own id, when it was completed, reported, and by whom. */
  serviceId: string;
  completedAt: string;
  reportedAt: string;
  source: 'api' | 'staff';
  /** The API key (machine API) or user (staff form) that reported it. */
  reportedBy: string;
  departmentId: string;
  windowId: string;
  windowName: string;
  departmentName: string;
  countyName: string;
  path: string;
  matter: string;
  /** China-time date of the service's completion, shown on the landing page. */
  completedDate: string;
  /** Encrypted phone (and name). */
  phone: string;
  name?: string;
  phoneHash: string;
  status: InvitationStatus;
  skipReason?: SkipReason;
  /** Not before this time (quiet hours push it to 08:00 China time). */
  sendAfter: string;
  attempts: number;
  lastError?: string;
  nextAttemptAt?: string;
  leaseUntil?: string;
  createdAt: string;
  updatedAt: string;
  link?: string;
  linkKind?: 'urllink' | 'h5';
  serialNo?: string;
  sentAt?: string;
  expiresAt?: string;
  deliveredAt?: string;
  failedAt?: string;
  ratingId?: string;
  ratedAt?: string;
  expired?: boolean;
}

export type { CounterChange };

/** The stored item of an invitation, on the indexes its state calls for (send queue, expiry queue, window list). */
export function invitationRecord(inv: InvitationItem) {
  const waiting = inv.status === 'queued' || inv.status === 'retrying';
  const open =
    (inv.status === 'sent' || inv.status === 'delivered') && !inv.ratingId && !inv.expired && !!inv.expiresAt;
  return {
    ...K.invitation(inv.id),
    ...indexAttrs(
      ...(waiting ? [IX.invitationSend(inv.nextAttemptAt ?? inv.sendAfter, inv.id)] : []),
      ...(open ? [IX.invitationExpiry(inv.expiresAt!, inv.id)] : []),
      IX.invitationsOfWindow(inv.windowId, inv.createdAt, inv.id),
    ),
    type: 'invitation',
    ...inv,
  };
}

export type IntakeOutcome = { ok: true } | { ok: false; duplicates: number[] } | { ok: false; conflict: true };

/**
 * Store a chunk of services (their invitations) and the day counters, all or nothing. A service id seen before
 * cancels the transaction; the positions of such rows come back so the caller retries without them.
 */
export async function writeIntake(invitations: InvitationItem[], counters: CounterChange[]): Promise<IntakeOutcome> {
  const r = await transact([...invitations.map((i) => putNew(invitationRecord(i))), ...counterWrites(counters)]);
  if (r === 'stored') return { ok: true };
  const duplicates = invitations.map((_, i) => i).filter((i) => r.reasons[i] === 'ConditionalCheckFailed');
  if (duplicates.length > 0) return { ok: false, duplicates };
  if (r.reasons.includes('TransactionConflict')) return { ok: false, conflict: true };
  throw new Error(`intake transaction cancelled: ${r.reasons.join(',')}`);
}

/** Which of these invitations (services) are already stored (one BatchGet per 100 keys). */
export async function existingInvitations(ids: string[]): Promise<Set<string>> {
  const found = await batchGet<InvitationItem>(ids.map((id) => K.invitation(id)));
  return new Set([...found.values()].map((s) => s.id));
}

export const getInvitation = (id: string) => getItem<InvitationItem>(K.invitation(id));

/** Invitations by id (one BatchGet per 100), keyed by id; unknown ids are left out. */
export async function getInvitations(ids: string[]): Promise<Map<string, InvitationItem>> {
  const found = await batchGet<InvitationItem>([...new Set(ids)].map((id) => K.invitation(id)));
  return new Map([...found.values()].map((i) => [i.id, i]));
}

/** Invitations due for sending (queued or retrying, due ≤ now), oldest first. */
export async function dueInvitations(now: Date, limit: number): Promise<InvitationItem[]> {
  const page = await queryIndex(IX.invitationSend(now.toISOString()), { sk: 'upTo', limit });
  return page.items.map((i) => strip<InvitationItem>(i));
}

/** Sent, unrated invitations whose 7 days have run out. */
export async function expiringInvitations(now: Date, limit: number): Promise<InvitationItem[]> {
  const page = await queryIndex(IX.invitationExpiry(now.toISOString()), { sk: 'upTo', limit });
  return page.items.map((i) => strip<InvitationItem>(i));
}

/** A window's invitations, newest first (for its staff). */
export async function invitationsOfWindow(windowId: string, cursor: string | undefined, limit: number) {
  const page = await queryIndex(IX.invitationsOfWindow(windowId), { newestFirst: true, limit, cursor });
  return { items: page.items.map((i) => strip<InvitationItem>(i)), cursor: page.cursor };
}

/** Take a due invitation for sending (a lease, so the stream and the schedule never send it twice). */
export async function claimInvitation(id: string, now: Date, leaseMs = 60000): Promise<InvitationItem | undefined> {
  try {
    const r = await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: K.invitation(id),
        UpdateExpression: 'SET #s = :sending, leaseUntil = :lease, updatedAt = :now',
        ConditionExpression:
          '(#s = :queued AND sendAfter <= :now) OR (#s = :retrying AND nextAttemptAt <= :now) OR (#s = :sending AND leaseUntil < :now)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':sending': 'sending',
          ':queued': 'queued',
          ':retrying': 'retrying',
          ':lease': new Date(now.getTime() + leaseMs).toISOString(),
          ':now': now.toISOString(),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return strip<InvitationItem>(r.Attributes!);
  } catch (e) {
    if ((e as Error).name === 'ConditionalCheckFailedException') return undefined;
    throw e;
  }
}

export type Settlement =
  | {
      status: 'sent';
      attempts: number;
      link: string;
      linkKind: 'urllink' | 'h5';
      serialNo?: string;
      sentAt: string;
      expiresAt: string;
    }
  | { status: 'retrying'; attempts: number; nextAttemptAt: string; lastError: string }
  | { status: 'failed'; attempts: number; lastError: string }
  | { status: 'skipped'; skipReason: SkipReason }
  | { status: 'queued'; sendAfter: string };

/** Record a sending run's outcome with its counters, in one transaction (only while this run holds the lease). */
export async function settleInvitation(
  inv: InvitationItem,
  s: Settlement,
  now: Date,
  counters: CounterChange[],
): Promise<void> {
  const set = ['#s = :s', 'updatedAt = :now'];
  const remove = ['leaseUntil'];
  const values: Record<string, unknown> = { ':s': s.status, ':now': now.toISOString(), ':sending': 'sending' };
  const put = (name: string, v: unknown) => {
    set.push(`${name} = :${name}`);
    values[`:${name}`] = v;
  };
  const index = (attrs: Record<string, string>) => Object.entries(attrs).forEach(([k, v]) => put(k, v));
  if (s.status === 'sent') {
    put('attempts', s.attempts);
    put('link', s.link);
    put('linkKind', s.linkKind);
    put('sentAt', s.sentAt);
    put('expiresAt', s.expiresAt);
    if (s.serialNo) put('serialNo', s.serialNo);
    index(indexAttrs(IX.invitationExpiry(s.expiresAt, inv.id)));
    remove.push('gsi1pk', 'gsi1sk', 'nextAttemptAt');
  } else if (s.status === 'retrying') {
    put('attempts', s.attempts);
    put('nextAttemptAt', s.nextAttemptAt);
    put('lastError', s.lastError.slice(0, 300));
    index(indexAttrs(IX.invitationSend(s.nextAttemptAt, inv.id)));
  } else if (s.status === 'queued') {
    put('sendAfter', s.sendAfter);
    index(indexAttrs(IX.invitationSend(s.sendAfter, inv.id)));
    remove.push('nextAttemptAt');
  } else if (s.status === 'failed') {
    put('attempts', s.attempts);
    put('lastError', s.lastError.slice(0, 300));
    put('failedAt', now.toISOString());
    remove.push('gsi1pk', 'gsi1sk', 'nextAttemptAt');
  } else {
    put('skipReason', s.skipReason);
    remove.push('gsi1pk', 'gsi1sk', 'nextAttemptAt');
  }
  const items = [
    update(K.invitation(inv.id), {
      set: `SET ${set.join(', ')} REMOVE ${remove.join(', ')}`,
      condition: '#s = :sending',
      names: { '#s': 'status' },
      values,
    }),
    ...counterWrites(counters),
  ];
  // The counters are shared by every sender at once: a conflict on one of them is retried, so an SMS that left is
  // always recorded as sent (an unsettled one would be sent again when its lease runs out).
  for (let attempt = 0; ; attempt++) {
    const r = await transact(items);
    if (r === 'stored') return;
    if (!r.reasons.includes('TransactionConflict') || r.reasons[0] === 'ConditionalCheckFailed' || attempt >= 8)
      throw new Error(`invitation ${inv.id} not settled: ${r.reasons.join(',')}`);
    await new Promise((res) => setTimeout(res, 20 + Math.random() * 80 * (attempt + 1)));
  }
}

/** A delivery receipt to record: the invitation, its outcome and the day counters it adds. */
export interface ReceiptUpdate {
  id: string;
  outcome: 'delivered' | 'failed';
  at: string;
  error?: string;
  counters: CounterChange[];
}

const receiptWrite = (r: ReceiptUpdate): TxItem =>
  update(K.invitation(r.id), {
    set:
      r.outcome === 'delivered'
        ? 'SET #s = :s, deliveredAt = :at, updatedAt = :at'
        : 'SET #s = :s, failedAt = :at, updatedAt = :at, lastError = :err REMOVE gsi2pk, gsi2sk',
    condition: '#s = :sent',
    names: { '#s': 'status' },
    values: {
      ':s': r.outcome,
      ':at': r.at,
      ':sent': 'sent',
      ...(r.outcome === 'failed' ? { ':err': (r.error ?? 'FAIL').slice(0, 300) } : {}),
    },
  });

/** The most items one transaction may hold. */
const TX_LIMIT = 100;

/**
 * Delivery receipts: sent → delivered or failed, each counted once (a receipt pulled twice, or for an invitation no
 * longer `sent`, changes nothing). Receipts are written many to a transaction together with their day counters
 * summed per scope, so a page of 100 receipts costs one or two writes and each hot counter (department, county,
 * prefecture) one update per transaction instead of one per receipt. A receipt whose invitation is not `sent` any more
 * cancels its transaction: it is dropped and the rest written again. Returns the ids whose state changed.
 */
export async function recordReceipts(receipts: ReceiptUpdate[]): Promise<Set<string>> {
  const changed = new Set<string>();
  // One transaction may touch an item once: a second receipt of the same invitation would change nothing anyway.
  const seen = new Set<string>();
  const pending = receipts.filter((r) => !seen.has(r.id) && seen.add(r.id));
  while (pending.length > 0) {
    const chunk: ReceiptUpdate[] = [];
    while (
      pending.length > 0 &&
      chunk.length + 1 + counterItemCount([...chunk, pending[0]].flatMap((r) => r.counters)) <= TX_LIMIT
    )
      chunk.push(pending.shift()!);
    let left = chunk;
    for (let attempt = 0; left.length > 0; attempt++) {
      const r = await transact([...left.map(receiptWrite), ...counterWrites(left.flatMap((c) => c.counters))]);
      if (r === 'stored') {
        for (const c of left) changed.add(c.id);
        break;
      }
      const stale = new Set(left.map((_, i) => i).filter((i) => r.reasons[i] === 'ConditionalCheckFailed'));
      if (stale.size === 0 && !r.reasons.includes('TransactionConflict'))
        throw new Error(`receipt transaction cancelled: ${r.reasons.join(',')}`);
      if (attempt >= 8) throw new Error(`receipt transaction kept conflicting: ${r.reasons.join(',')}`);
      left = left.filter((_, i) => !stale.has(i));
      if (stale.size === 0) await new Promise((res) => setTimeout(res, 20 + Math.random() * 80 * (attempt + 1)));
    }
  }
  return changed;
}

/** 7 days passed unrated: leave the expiry queue and count as 未评, once. */
export async function markExpired(id: string, now: Date, counters: CounterChange[]): Promise<boolean> {
  const r = await transact([
    update(K.invitation(id), {
      set: 'SET expired = :t, updatedAt = :now REMOVE gsi2pk, gsi2sk',
      condition: 'attribute_exists(gsi2pk) AND attribute_not_exists(ratingId) AND expiresAt <= :now',
      values: { ':t': true, ':now': now.toISOString() },
    }),
    ...counterWrites(counters),
  ]);
  return r === 'stored';
}

/** The transaction item that ties a rating to its invitation: only once, only before expiry. */
export function invitationRatedWrite(id: string, ratingId: string, now: Date): TxItem {
  return update(K.invitation(id), {
    set: 'SET ratingId = :r, ratedAt = :now, updatedAt = :now REMOVE gsi2pk, gsi2sk',
    condition: 'attribute_not_exists(ratingId) AND expiresAt > :now AND (#s = :sent OR #s = :delivered)',
    names: { '#s': 'status' },
    values: { ':r': ratingId, ':now': now.toISOString(), ':sent': 'sent', ':delivered': 'delivered' },
  });
}

/**
 * Claim today's one invitation for this phone (the same invitation may re-claim it on a retry). One conditional put,
 * not a transaction: one item, half the write units.
 */
export async function takePhoneDay(
  phoneHash: string,
  date: string,
  invitationId: string,
  expiresAt: number,
): Promise<boolean> {
  try {
    await db().send(
      new PutCommand({
        TableName: table(),
        Item: { ...K.phoneDay(phoneHash, date), type: 'phone-day', invitationId, expiresAt },
        ConditionExpression: 'attribute_not_exists(pk) OR invitationId = :id',
        ExpressionAttributeValues: { ':id': invitationId },
      }),
    );
    return true;
  } catch (e) {
    if ((e as Error).name === 'ConditionalCheckFailedException') return false;
    throw e;
  }
}

/** Give the day back when this invitation's SMS never left (a failed send must not block the phone's day). */
export async function releasePhoneDay(phoneHash: string, date: string, invitationId: string): Promise<void> {
  await transact([
    {
      Delete: {
        TableName: table(),
        Key: K.phoneDay(phoneHash, date),
        ConditionExpression: 'invitationId = :id',
        ExpressionAttributeValues: { ':id': invitationId },
      },
    },
  ]);
}

export async function putOptOut(phoneHash: string, source: 'reply' | 'link', at: string): Promise<void> {
  await transact([putAny({ ...K.optOut(phoneHash), type: 'opt-out', source, at })]);
}

export async function isOptedOut(phoneHash: string): Promise<boolean> {
  return !!(await getItem(K.optOut(phoneHash)));
}

/** Windows by id in one BatchGet per 100. */
export async function getWindows(ids: string[]): Promise<Map<string, WindowItem>> {
  const found = await batchGet<WindowItem>(ids.map((id) => K.window(id)));
  return new Map([...found.values()].map((w) => [w.id, w]));
}

/** A rating's public item (level, reasons, comment), for the invitation page's "already rated" view. */
export const getRatingItem = (id: string) => getItem<RatingItem>(K.rating(id));
