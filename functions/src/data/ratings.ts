import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { CallbackBy, PhotoRef, RatingLevel, Ref } from '@mashang/shared';
import { encryptPii, requestFingerprint } from '../lib/crypto';
import { caseOpeningWrites, type CaseOpening } from './cases';
import { db, table } from './client';
import { IX, K, indexAttrs } from './keys';
import { getItem, queryIndex, strip, transact, update, type TxItem } from './table';

/** What departments may read: no rater identity here. */
export interface RatingItem {
  id: string;
  level: RatingLevel;
  reasons: string[];
  comment?: string;
  windowId: string;
  windowName: string;
  department: Ref;
  county: Ref;
  path: string;
  createdAt: string;
  date: string;
  caseId: string | null;
  /** An upheld appeal removes a rating from statistics; the rating itself stays. */
  excluded?: boolean;
  /** Given by a bound enterprise contact: an enterprise rating (企业评价), counted apart from citizens' ones. */
  raterKind?: 'enterprise';
  enterpriseId?: string;
  /** 一事一评: the SMS invitation this rating answers (counted as invitationsRated by the stream aggregation). */
  invitationId?: string;
  /** msg_sec_check's verdict on the comment when it was not "pass": a flag for officials, never a refusal. */
  contentFlag?: 'risky' | 'review' | 'unchecked';
  /** Who the rater allowed to call back (only when a phone was left): the department (default) or only inspectors. */
  callbackBy?: CallbackBy;
  /** Photos the rater attached (stored copies without metadata; a 差评's case lists them too). */
  photos?: PhotoRef[];
}

/** Who rated: stored only sealed (AES-256-GCM) inside the rating item, never returned by a department read. */
export interface RaterItem {
  userId: string;
  anonymous: boolean;
  /** Already encrypted by the caller. */
  phone?: string;
}

/** The request that stored the rating: its id, its keyed fingerprint and the answer it got (replayed on a retry). */
export interface RatingRequest {
  requestId: string;
  fingerprint: string;
  response: unknown;
}

export type RatingWriteOutcome =
  | { kind: 'stored' }
  /** The (user, window, day) already has a rating: the request that stored it, to replay or refuse. */
  | { kind: 'exists'; request: RatingRequest }
  | { kind: 'conflict' }
  /** The guard item's condition failed (an SMS invitation already used or expired). */
  | { kind: 'guard-failed' };

/**
 * The id of a rating: a keyed hash of (user, window, China-time day). The same person rating the same window on the
 * same day lands on the same key (一次一评), and the key reveals neither the user nor the window.
 */
export function ratingIdOf(userId: string, windowId: string, date: string): string {
  return requestFingerprint(`rating|${userId}|${windowId}|${date}`).slice(0, 26);
}

/** The key under which a user's own ratings are listed (gsi2): keyed hash of the user id, not the id itself. */
const raterListKey = (userId: string) => `r${requestFingerprint(`rater|${userId}`).slice(0, 26)}`;

/** Attributes of the rating item that no read path outside this module returns. */
const PRIVATE = new Set(['rater', 'request']);

function publicRating(item: Record<string, unknown>): RatingItem {
  return Object.fromEntries(
    Object.entries(strip<Record<string, unknown>>(item)).filter(([k]) => !PRIVATE.has(k)),
  ) as unknown as RatingItem;
}

export function ratingItem(rating: RatingItem, rater: RaterItem, request: RatingRequest): Record<string, unknown> {
  return {
    ...K.rating(rating.id),
    ...indexAttrs(
      IX.ratingsOfWindow(rating.windowId, rating.createdAt),
      IX.mine(raterListKey(rater.userId), 'R', rating.createdAt),
    ),
    type: 'rating',
    ...rating,
    rater: encryptPii(JSON.stringify(rater)),
    request,
  };
}

const ATTRIBUTE_TYPES = new Set(['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL']);
/** ReturnValuesOnConditionCheckFailure items arrive marshalled (the document client does not convert errors). */
function asItem(raw: unknown): Record<string, unknown> | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const values = Object.values(raw as Record<string, unknown>);
  const marshalled = values.every(
    (v) => v && typeof v === 'object' && Object.keys(v).length === 1 && ATTRIBUTE_TYPES.has(Object.keys(v)[0]),
  );
  return marshalled ? unmarshall(raw as never) : (raw as Record<string, unknown>);
}

async function existing(id: string): Promise<RatingWriteOutcome> {
  const item = await getItem<{ request?: RatingRequest }>(K.rating(id), { consistent: true, projection: ['request'] });
  if (!item?.request) return { kind: 'conflict' }; // not visible yet: the caller tries again
  return { kind: 'exists', request: item.request };
}

/**
 * Store a rating with the fewest writes the rules allow. A 好评/中评 is ONE conditional PutItem of one item: the
 * rating, its sealed rater and the request record, under the (user, window, day) key, so a second rating of the day
 * and a retried request both fail its condition and are answered from the item it returns. A 差评 is that same Put
 * plus the case it opens, in one transaction. Day counters are not written here: the stream aggregation counts the
 * rating (domain/stream-counters).
 */
export async function writeRating(args: {
  rating: RatingItem;
  rater: RaterItem;
  request: RatingRequest;
  opening?: CaseOpening;
  /** A conditional item that must hold for the rating to be stored (an SMS invitation used once); last in the transaction. */
  guard?: TxItem;
}): Promise<RatingWriteOutcome> {
  const item = ratingItem(args.rating, args.rater, args.request);
  if (!args.opening && !args.guard) {
    try {
      await db().send(
        new PutCommand({
          TableName: table(),
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { kind: 'stored' };
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
      const old = asItem((e as { Item?: unknown }).Item) as { request?: RatingRequest } | undefined;
      return old?.request ? { kind: 'exists', request: old.request } : existing(args.rating.id);
    }
  }
  const outcome = await transact([
    // First: its cancellation reason is read by position.
    { Put: { TableName: table(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
    ...(args.opening ? caseOpeningWrites(args.opening) : []),
    ...(args.guard ? [args.guard] : []),
  ]);
  if (outcome === 'stored') return { kind: 'stored' };
  if (outcome.reasons[0] === 'ConditionalCheckFailed') return existing(args.rating.id);
  if (args.guard && outcome.reasons[outcome.reasons.length - 1] === 'ConditionalCheckFailed')
    return { kind: 'guard-failed' };
  if (outcome.reasons.includes('TransactionConflict')) return { kind: 'conflict' };
  throw new Error(`rating transaction cancelled: ${outcome.reasons.join(',')}`);
}

/** An upheld appeal: the rating stays but is marked as left out of the statistics (for the case's transaction). */
export const ratingExclusionWrite = (ratingId: string, caseId: string): TxItem =>
  update(K.rating(ratingId), { set: 'SET excluded = :t, excludedBy = :c', values: { ':t': true, ':c': caseId } });

/** A rating of a user's own list, as the hourly limit counts it. */
export interface RecentRating {
  id: string;
  createdAt: string;
}

/**
 * A user's ratings stored at or after `since` (gsi2 under the keyed hash of the user id), at most `max`: the hourly
 * limit counted on the items the ratings are anyway, so checking it writes nothing. One Query (0.5 RCU for a user's
 * usual handful; 30 ratings ≈ 8 KB read, 1 RCU).
 */
export async function ratingsOfUserSince(userId: string, since: string, max: number): Promise<RecentRating[]> {
  const key = IX.mine(raterListKey(userId), 'R', since);
  const page = await queryIndex(key, { range: { from: key.sk, to: 'R#~' }, limit: max });
  return page.items.map((i) => ({ id: String(i.id), createdAt: String(i.createdAt) }));
}

/** The ids of those ratings. */
export async function ratingIdsOfUserSince(userId: string, since: string, max: number): Promise<string[]> {
  return (await ratingsOfUserSince(userId, since, max)).map((r) => r.id);
}

/**
 * Take back a rating this same request has just stored (the hourly limit, checked beside the write, was already
 * reached): the item goes, and the stream aggregation takes its counts away again (domain/counters). Only the
 * request that stored it can remove it.
 */
export async function withdrawRating(ratingId: string, requestId: string): Promise<void> {
  try {
    await db().send(
      new DeleteCommand({
        TableName: table(),
        Key: K.rating(ratingId),
        ConditionExpression: '#request.requestId = :rid',
        ExpressionAttributeNames: { '#request': 'request' },
        ExpressionAttributeValues: { ':rid': requestId },
      }),
    );
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
  }
}

/** The caller's own ratings, newest first (gsi2 under the keyed hash of the user id): one Query. */
export async function listRatingsOfUser(userId: string, cursor: string | undefined, limit: number) {
  const page = await queryIndex(IX.mine(raterListKey(userId), 'R'), { sk: 'prefix', newestFirst: true, limit, cursor });
  return { ratings: page.items.map((i) => publicRating(i)), cursor: page.cursor };
}

/** The rating a user gave a window on a China-time day, if any (one GetItem on its derived key). */
export async function ratingOfDay(userId: string, windowId: string, date: string): Promise<RatingItem | undefined> {
  const item = await getItem<Record<string, unknown>>(K.rating(ratingIdOf(userId, windowId, date)), {
    projection: ['id', 'level', 'createdAt', 'caseId', 'windowId', 'date'],
  });
  return item ? publicRating(item) : undefined;
}

/** Who gave a stored rating: 'enterprise' for a bound enterprise contact, else undefined (one GetItem, one attribute). */
export async function raterKindOfRating(ratingId: string): Promise<'enterprise' | undefined> {
  const item = await getItem<{ raterKind?: string }>(K.rating(ratingId), { projection: ['raterKind'] });
  return item?.raterKind === 'enterprise' ? 'enterprise' : undefined;
}

/** A window's ratings, newest first (gsi1 RATINGS#<windowId>): the public part of the rating items only. */
export async function listRatingsOfWindow(windowId: string, cursor: string | undefined, limit: number) {
  const page = await queryIndex(IX.ratingsOfWindow(windowId), { newestFirst: true, limit, cursor });
  return { ratings: page.items.map((i) => publicRating(i)), cursor: page.cursor };
}
