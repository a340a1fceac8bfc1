import type { RatingLevel, Ref } from '@mashang/shared';
import { caseOpeningWrites, type CaseOpening } from './cases';
import { IX, K, indexAttrs } from './keys';
import { requestWrite, type StoredRequest } from './requests';
import { counterWrites, type DayCounts } from './stats';
import { batchGet, putAny, putNew, queryIndex, strip, transact, update, type TxItem } from './table';

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
}

/** Who rated, kept in its own item (never projected into the window's list) with the phone encrypted. */
export interface RaterItem {
  ratingId: string;
  userId: string;
  anonymous: boolean;
  phone?: string;
  createdAt: string;
}

export type RatingWriteOutcome = 'stored' | 'duplicate-request' | 'already-rated-today' | 'conflict';

/**
 * One transaction: the idempotency record, the once-a-day lock, the rating, its rater, the counters of every
 * scope and, for a 差评, the case it opens. Either all of it is stored or none.
 */
export async function writeRating(args: {
  request: StoredRequest;
  rating: RatingItem;
  rater: RaterItem;
  /** What the rating (and the case it opens) adds to the day counters of its scopes. */
  counters: DayCounts;
  opening?: CaseOpening;
}): Promise<RatingWriteOutcome> {
  const { rating, rater, request } = args;
  const dayLockExpiry = Math.floor(Date.parse(rating.createdAt) / 1000) + 3 * 86400;
  const outcome = await transact([
    // Order matters: the cancellation reasons below are read by position.
    requestWrite(request, new Date(rating.createdAt)),
    putNew({
      ...K.oncePerDay(rater.userId, rating.windowId, rating.date),
      type: 'once',
      ratingId: rating.id,
      expiresAt: dayLockExpiry,
    }),
    putNew({
      ...K.rating(rating.id),
      ...indexAttrs(IX.ratingsOfWindow(rating.windowId, rating.createdAt)),
      type: 'rating',
      ...rating,
    }),
    putAny({
      ...K.rater(rating.id),
      ...indexAttrs(IX.mine(rater.userId, 'R', rating.createdAt)),
      type: 'rater',
      ...rater,
    }),
    ...counterWrites([{ path: rating.path, date: rating.date, add: args.counters }]),
    ...(args.opening ? caseOpeningWrites(args.opening) : []),
  ]);
  if (outcome === 'stored') return 'stored';
  if (outcome.reasons[0] === 'ConditionalCheckFailed') return 'duplicate-request';
  if (outcome.reasons[1] === 'ConditionalCheckFailed') return 'already-rated-today';
  if (outcome.reasons.includes('TransactionConflict')) return 'conflict';
  throw new Error(`rating transaction cancelled: ${outcome.reasons.join(',')}`);
}

/** An upheld appeal: the rating stays but is marked as left out of the statistics (for the case's transaction). */
export const ratingExclusionWrite = (ratingId: string, caseId: string): TxItem =>
  update(K.rating(ratingId), { set: 'SET excluded = :t, excludedBy = :c', values: { ':t': true, ':c': caseId } });

/** The caller's own ratings, newest first (gsi2), with the public rating items fetched in one batch. */
export async function listRatingsOfUser(userId: string, cursor: string | undefined, limit: number) {
  const page = await queryIndex(IX.mine(userId, 'R'), { sk: 'prefix', newestFirst: true, limit, cursor });
  const ids = page.items.map((i) => String(i.ratingId));
  const ratings = await batchGet<RatingItem>(ids.map((id) => K.rating(id)));
  return {
    ratings: ids.map((id) => ratings.get(K.rating(id).pk)).filter((x): x is RatingItem => !!x),
    cursor: page.cursor,
  };
}

/** A window's ratings, newest first (gsi1 RATINGS#<windowId>): the public rating items only. */
export async function listRatingsOfWindow(windowId: string, cursor: string | undefined, limit: number) {
  const page = await queryIndex(IX.ratingsOfWindow(windowId), { newestFirst: true, limit, cursor });
  return { ratings: page.items.map((i) => strip<RatingItem>(i)), cursor: page.cursor };
}
