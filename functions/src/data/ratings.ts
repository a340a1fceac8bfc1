import { BatchGetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { ancestorScopes, isBadRating, isGoodRating, type RatingLevel, type Ref } from '@mashang/shared';
import { db, table } from './client';
import { storedRequestPut, type StoredRequest } from './requests';
import { G, K } from './keys';
import { decodeCursor, encodeCursor } from './paging';

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
}

/** Who rated, kept in its own item (never projected into the window's list) with the phone encrypted. */
export interface RaterItem {
  ratingId: string;
  userId: string;
  anonymous: boolean;
  phone?: string;
  createdAt: string;
}

export type { StoredRequest } from './requests';

/** A counter bump for one scope's day bucket, for a transaction. */
export function statUpdate(path: string, date: string, add: Record<string, number>) {
  const names: Record<string, string> = {};
  const values: Record<string, number> = {};
  const parts = Object.entries(add).map(([k, v], i) => {
    names[`#c${i}`] = k;
    values[`:c${i}`] = v;
    return `#c${i} :c${i}`;
  });
  return {
    Update: {
      TableName: table(),
      Key: K.statDay(path, date),
      UpdateExpression: `ADD ${parts.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** The counters a rating adds to each of its scopes' day buckets (window, department, region, prefecture). */
export function ratingCounters(level: RatingLevel): Record<string, number> {
  return { ratings: 1, [`l${level}`]: 1, good: isGoodRating(level) ? 1 : 0, bad: isBadRating(level) ? 1 : 0 };
}

export type RatingWriteOutcome = 'stored' | 'duplicate-request' | 'already-rated-today' | 'conflict';

/**
 * One transaction: the idempotency record, the once-a-day lock, the rating, its rater, the counters of every
 * scope and, for a 差评, the case items. Either all of it is stored or none.
 */
export async function writeRating(args: {
  request: StoredRequest;
  rating: RatingItem;
  rater: RaterItem;
  /** Transaction items of the case a 差评 opens (domain/case-opening), and what it adds to the day counters. */
  extra: Record<string, unknown>[];
  extraCounters?: Record<string, number>;
}): Promise<RatingWriteOutcome> {
  const { rating, rater, request } = args;
  const dayLockExpiry = Math.floor(Date.parse(rating.createdAt) / 1000) + 3 * 86400;
  try {
    await db().send(
      new TransactWriteCommand({
        TransactItems: [
          // Order matters: the cancellation reasons below are read by position.
          storedRequestPut(request, new Date(rating.createdAt)),
          {
            Put: {
              TableName: table(),
              Item: { ...K.oncePerDay(rater.userId, rating.windowId, rating.date), type: 'once', ratingId: rating.id, expiresAt: dayLockExpiry },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: table(),
              Item: { ...K.rating(rating.id), ...G.ratingsOfWindow(rating.windowId, rating.createdAt), type: 'rating', ...rating },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: table(),
              Item: { ...K.rater(rating.id), ...G.mine(rater.userId, 'R', rating.createdAt), type: 'rater', ...rater },
            },
          },
          ...ancestorScopes(rating.path).map((p) => statUpdate(p, rating.date, { ...ratingCounters(rating.level), ...args.extraCounters })),
          ...args.extra,
        ],
      }),
    );
    return 'stored';
  } catch (e) {
    if (!(e instanceof TransactionCanceledException)) throw e;
    const reasons = e.CancellationReasons ?? [];
    if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'duplicate-request';
    if (reasons[1]?.Code === 'ConditionalCheckFailed') return 'already-rated-today';
    if (reasons.some((r) => r.Code === 'TransactionConflict')) return 'conflict';
    throw e;
  }
}

/** The caller's own ratings, newest first (gsi2), with the public rating items fetched in one batch. */
export async function listRatingsOfUser(userId: string, cursor: string | undefined, limit: number) {
  const r = await db().send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :r)',
      ExpressionAttributeValues: { ':pk': `MINE#${userId}`, ':r': 'R#' },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor, { gsi2pk: `MINE#${userId}` }),
    }),
  );
  const ids = (r.Items ?? []).map((i) => i.ratingId as string);
  const ratings = await batchGet<RatingItem>(ids.map((id) => K.rating(id)));
  return { ratings: ids.map((id) => ratings.get(K.rating(id).pk)).filter((x): x is RatingItem => !!x), cursor: encodeCursor(r.LastEvaluatedKey) };
}

/** BatchGet by key, keyed by pk in the result; unprocessed keys are retried. */
export async function batchGet<T>(keys: { pk: string; sk: string }[]): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  let pending = keys;
  for (let attempt = 0; pending.length > 0 && attempt < 5; attempt++) {
    const chunk = pending.slice(0, 100);
    const rest = pending.slice(100);
    const r = await db().send(new BatchGetCommand({ RequestItems: { [table()]: { Keys: chunk } } }));
    for (const item of r.Responses?.[table()] ?? []) out.set(item.pk as string, item as T);
    pending = [...((r.UnprocessedKeys?.[table()]?.Keys as { pk: string; sk: string }[]) ?? []), ...rest];
  }
  return out;
}

/** A window's ratings, newest first (gsi1 RATINGS#<windowId>): the public rating items only. */
export async function listRatingsOfWindow(windowId: string, cursor: string | undefined, limit: number) {
  const r = await db().send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': `RATINGS#${windowId}` },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor, { gsi1pk: `RATINGS#${windowId}` }),
    }),
  );
  return { ratings: (r.Items ?? []) as RatingItem[], cursor: encodeCursor(r.LastEvaluatedKey) };
}
