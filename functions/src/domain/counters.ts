import { isBadRating, isBadVisitRating, isGoodRating, type RatingLevel } from '@mashang/shared';
import type { CaseItem } from '../data/cases';
import type { CounterChange, DayCounts } from '../data/stats';

/** The counters a rating adds to each of its scopes' day buckets (window, department, region, prefecture). */
export function ratingCounters(level: RatingLevel): DayCounts {
  return { ratings: 1, [`l${level}`]: 1, good: isGoodRating(level) ? 1 : 0, bad: isBadRating(level) ? 1 : 0 };
}

/** What a bound enterprise contact's rating adds on top of ratingCounters (企业评价; taken away with it too). */
export function enterpriseRatingCounters(level: RatingLevel): DayCounts {
  return { entRatings: 1, entGood: isGoodRating(level) ? 1 : 0 };
}

/** What opening a case adds to its scopes' day counters. */
export function caseOpeningCounters(source: CaseItem['source']): DayCounts {
  return {
    cases: 1,
    ...(source === 'complaint' ? { complaints: 1 } : {}),
    ...(source === 'visit' ? { visitCases: 1 } : {}),
    ...(source === 'inspection' ? { inspectionCases: 1 } : {}),
  };
}

/** The same counters taken away (an upheld appeal removes its rating from its own day). */
export function negated(c: DayCounts): DayCounts {
  return Object.fromEntries(Object.entries(c).map(([k, v]) => [k, -(v ?? 0)]));
}

/** What an enterprise's rating of a visit adds to the day counters (department scopes, enterprise, official). */
export function visitRatingCounters(level: RatingLevel, negativeItemIds: readonly string[], solved: string): DayCounts {
  const bad = isBadVisitRating(level, negativeItemIds);
  return {
    visitRatings: 1,
    [`vl${level}`]: 1,
    visitGood: isGoodRating(level) ? 1 : 0,
    visitBad: bad ? 1 : 0,
    visitSolved: solved === 'yes' ? 1 : 0,
    visitNegative: negativeItemIds.length > 0 ? 1 : 0,
  };
}

/**
 * The day counters the stream aggregation (domain/stream-counters.ts) derives from an INSERT on the table's stream,
 * by item type: the ONE typed map for counters kept off the write path. To count something new from the stream,
 * add its item type here (returning the counter changes of one new item: scope path, China-time day, DayCounts
 * from data/stats DAY_COUNTERS), add the type to the `countersFromStream` filter in serverless.yml, and stop writing
 * the same counters in the item's own transaction. Counters still written synchronously (case actions, complaints)
 * use data/stats counterWrites in their transaction.
 */
export const STREAM_COUNTERS: Record<string, (image: Record<string, unknown>) => CounterChange[]> = {
  // A rating counts in its window and every scope above it; a 差评 also counts the case it opened.
  rating: (r) => {
    const level = Number(r.level);
    if (typeof r.path !== 'string' || typeof r.date !== 'string' || !(level >= 1 && level <= 5)) return [];
    const add: DayCounts = {
      ...ratingCounters(level as RatingLevel),
      ...(r.caseId ? caseOpeningCounters('rating') : {}),
      // A bound enterprise contact's rating also counts as an enterprise rating (企业评价).
      ...(r.raterKind === 'enterprise' ? enterpriseRatingCounters(level as RatingLevel) : {}),
      // 一事一评: a rating through an SMS invitation.
      ...(r.invitationId ? { invitationsRated: 1 } : {}),
    };
    return [{ path: r.path, date: r.date, add }];
  },
};

/** Whether the stream aggregation counts items of this type at all. */
export const isCountedType = (type: string | undefined): boolean => !!type && Object.hasOwn(STREAM_COUNTERS, type);

/** The counter changes of one new item (none for a type the map does not know). */
export function countersOfInsert(image: Record<string, unknown>): CounterChange[] {
  return STREAM_COUNTERS[String(image.type)]?.(image) ?? [];
}

/**
 * The counter changes of one removed item: what its INSERT added, taken away. Only a rating withdrawn by the request
 * that stored it is ever removed (the hourly limit checked beside the write, domain/ratings); a rating an upheld
 * appeal already took out of the statistics (`excluded`) has nothing left to take away.
 */
export function countersOfRemove(image: Record<string, unknown>): CounterChange[] {
  if (image.excluded) return [];
  return countersOfInsert(image).map((c) => ({ ...c, add: negated(c.add) }));
}
