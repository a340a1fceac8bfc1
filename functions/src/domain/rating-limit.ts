import { ratingsOfUserSince, type RecentRating } from '../data/ratings';
import { logger } from '../lib/logger';
import { TtlCache } from '../lib/ttl-cache';
import { LIMITS } from './limits';

const HOUR_MS = 3600_000;

/**
 * The hourly rating limit (LIMITS.ratingsPerUserPerHour, a sliding hour) is counted on the caller's own rating items
 * (domain/ratings). This is its read ahead.
 *
 * The scan and the rating are one function (serverless.yml `scanAndRate`). When the rate page opens, its signed-in
 * lookup of the code (GET /v1/codes/{code} with a token) reads the caller's ratings of the last hour beside its
 * 一次一评 GetItem, and this instance keeps the answer. The caller's next rating on this instance, within
 * READ_AHEAD_TTL_SECONDS, is checked against it before anything is stored and the answer is forgotten (used once).
 * So the common 好评 is ONE PutItem with no other request beside it, and the read costs the citizen nothing: it runs
 * while the page opens. A rating without a fresh read ahead (another instance, a script that skips the lookup, a
 * second rating) reads its own, as before.
 *
 * What it cannot see: a rating of the same caller stored through ANOTHER instance between the lookup and the rating
 * (seconds apart in the mini-program). Like two requests racing at the limit, that can let one rating too many
 * through: the limit is a wall against scripts, not an exact count.
 */
export const READ_AHEAD_TTL_SECONDS = 60;
const readAhead = new TtlCache<string, RecentRating[]>(READ_AHEAD_TTL_SECONDS * 1000);

/** The limit's Query asks for one more rating than the limit: enough to know it is reached. */
export const LIMIT_QUERY_MAX = LIMITS.ratingsPerUserPerHour + 1;

const hourBefore = (now: Date) => new Date(now.getTime() - HOUR_MS).toISOString();

/** Read the caller's ratings of the last hour ahead of their rating; never fails the lookup (the rating reads again). */
export async function readAheadRecentRatings(userId: string, now: Date): Promise<void> {
  try {
    readAhead.set(userId, await ratingsOfUserSince(userId, hourBefore(now), LIMIT_QUERY_MAX), now.getTime());
  } catch (e) {
    logger.warn('the rating limit could not be read ahead; the rating will read it', e as Error);
  }
}

/** The ids of the caller's ratings of the hour before `now`, read ahead by this instance, taken once; else undefined. */
export function takeReadAhead(userId: string, now: Date): string[] | undefined {
  const found = readAhead.get(userId, now.getTime());
  if (!found) return undefined;
  readAhead.delete(userId);
  // Cut at the Query's maximum: the ratings that would age out are not all known, so the rating reads again.
  if (found.length >= LIMIT_QUERY_MAX) return undefined;
  const since = now.getTime() - HOUR_MS;
  return found.filter((r) => Date.parse(r.createdAt) >= since).map((r) => r.id);
}

/** Forget every read ahead (tests). */
export function forgetReadAheads(): void {
  readAhead.clear();
}
